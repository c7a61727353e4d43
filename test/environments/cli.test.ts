/** `--env` as a user passes it: every command that reads a spec honours it, validate checks them all. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { ROOT } from '../support.js';

function plinth(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'plinth.js'), ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Commands that read no spec: `--env` has nothing to select there. */
const WITHOUT_SPEC = new Set(['init', 'schema']);
/** Arguments a command needs before it reads the spec. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = { plan: ['--against', 'examples/nemo-v3'] };

describe('--env on every command', () => {
  // Fake credentials let deploy/diff/destroy get as far as loading the spec; the unknown environment stops them there.
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example' };
  it.each(Object.keys(COMMANDS).filter((c) => !WITHOUT_SPEC.has(c)))('plinth %s selects the environment --env names', (command) => {
    const r = plinth([command, 'examples/nemo-v3', ...(REQUIRED[command] ?? []), '--env', 'staging'], env);
    expect(r.stderr).toContain('The spec has no environment "staging": its environments are "prod", "dev".');
    expect(r.code).toBe(2);
  });
});

describe('plinth validate with environments', () => {
  it('checks every environment by default', () => {
    const r = plinth(['validate', 'examples/nemo-v3', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { environments: { environment: string; platform: { namePrefix: string } }[] };
    expect(json.environments.map((e) => [e.environment, e.platform.namePrefix])).toEqual([['prod', 'nemo'], ['dev', 'nemo-dev']]);
  });

  it('checks only the environment --env names', () => {
    const r = plinth(['validate', 'examples/nemo-v3', '--env', 'dev']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nemo/dev in ap-northeast-2');
    expect(r.stdout).not.toContain('nemo/prod');
  });
});
