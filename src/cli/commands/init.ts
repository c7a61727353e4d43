import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../../spec/load.js';
import { specJsonSchema } from '../../spec/schema.js';
import { EXAMPLES_DIR, listExamples } from '../examples.js';
import type { Command } from './index.js';

const MINIMAL = `# yaml-language-server: $schema=./plinth.schema.json
# A minimal platform: a VPC across two AZs with public and private subnets and one NAT gateway.
# Every default is the safe one; run "plinth validate" to see what it resolves to.
platform:
  name: my-platform
  region: ap-northeast-2

network:
  cidr: 10.0.0.0/16
  azs: 2
`;

export const init: Command = {
  args: '[DIR] [--example NAME]',
  summary: 'write a starter plinth.yaml (and cdk.json) into DIR',
  options: { example: { type: 'string' } },
  async run({ positionals, values, out }) {
    const dir = resolve(positionals[0] ?? '.');
    const target = join(dir, 'plinth.yaml');
    if (existsSync(target)) throw new UsageError(`${target} already exists; plinth init never overwrites a spec.`);
    mkdirSync(dir, { recursive: true });
    const example = values.example as string | undefined;
    if (example !== undefined) {
      const names = listExamples();
      if (!names.includes(example)) throw new UsageError(`There is no example "${example}". Choose one of: ${names.join(', ')}.`);
      for (const file of readdirSync(join(EXAMPLES_DIR, example))) {
        if (file === 'cdk.json' || file.startsWith('.')) continue;
        const source = join(EXAMPLES_DIR, example, file);
        // The examples point at the repository's schema; the copy gets its own, written next to it below.
        if (file === 'plinth.yaml') writeFileSync(join(dir, file), readFileSync(source, 'utf8').replace(/\$schema=\S+/, '$schema=./plinth.schema.json'));
        else copyFileSync(source, join(dir, file));
      }
    } else {
      writeFileSync(target, MINIMAL);
    }
    writeFileSync(join(dir, 'plinth.schema.json'), `${JSON.stringify(specJsonSchema(), null, 2)}\n`);
    writeFileSync(join(dir, 'cdk.json'), `${JSON.stringify({ app: 'npx plinth cdk-app .' }, null, 2)}\n`);
    out.result({ ok: true, file: target });
    out.info(`Wrote ${target}${example ? ` (example ${example})` : ''} plinth.schema.json and cdk.json. Next: plinth validate ${positionals[0] ?? '.'}`);
    return 0;
  },
};
