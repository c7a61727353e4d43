/** `--env` as a user passes it: every command that reads a spec honours it, validate checks them all. */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { runPlinth } from '../cli-support.js';

function plinth(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return runPlinth(args, { env });
}

/** Commands that read no spec: `--env` has nothing to select there. */
const WITHOUT_SPEC = new Set(['init', 'schema']);
/** Arguments a command needs before it reads the spec. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = { plan: ['--against', 'examples/nemo-v3'] };

describe('--env on every command', () => {
  // Fake credentials let deploy/diff/destroy get as far as loading the spec; the unknown environment stops them there.
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example' };
  it.each(Object.keys(COMMANDS).filter((c) => !WITHOUT_SPEC.has(c)))('plinth %s selects the environment --env names', async (command) => {
    const r = await plinth([command, 'examples/nemo-v3', ...(REQUIRED[command] ?? []), '--env', 'staging'], env);
    expect(r.stderr).toContain('The spec has no environment "staging": its environments are "prod", "dev".');
    expect(r.code).toBe(2);
  });
});

describe('plinth validate with environments', () => {
  it('checks every environment by default', async () => {
    const r = await plinth(['validate', 'examples/nemo-v3', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { environments: { environment: string; platform: { namePrefix: string } }[] };
    expect(json.environments.map((e) => [e.environment, e.platform.namePrefix])).toEqual([['prod', 'nemo'], ['dev', 'nemo-dev']]);
  });

  it('checks only the environment --env names', async () => {
    const r = await plinth(['validate', 'examples/nemo-v3', '--env', 'dev']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nemo/dev in ap-northeast-2');
    expect(r.stdout).not.toContain('nemo/prod');
  });
});
