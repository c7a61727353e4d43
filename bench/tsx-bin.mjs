// plinth's bin before the package was compiled (kept for bench/startup.ts): TypeScript run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
