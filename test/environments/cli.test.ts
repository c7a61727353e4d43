/** `--env` as a user passes it: every command that reads a spec honours it, validate checks them all. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('--env where no spec is read', () => {
  it('plinth init refuses it and says how to add an environment, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-init-env-'));
    try {
      const r = await plinth(['init', join(dir, 'new'), '--env', 'dev']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('plinth init: --env selects an environment of an existing spec');
      expect(r.stderr).toContain('add the others under environments: in plinth.yaml');
      expect(existsSync(join(dir, 'new'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('plinth schema refuses it: one schema covers every environment', async () => {
    const r = await plinth(['schema', '--env', 'dev']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('plinth schema: --env has nothing to select here');
  });
});

describe('plinth validate with environments', () => {
  it('checks every environment by default', async () => {
    const r = await plinth(['validate', 'examples/nemo-v3', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { environments: { environment: string; platform: { namePrefix: string } }[] };
    expect(json.environments.map((e) => [e.environment, e.platform.namePrefix])).toEqual([['prod', 'nemo'], ['dev', 'nemo-dev']]);
  });

  it('says a warning of the base spec once, and labels those only one environment has', async () => {
    const r = await plinth(['validate', 'examples/nemo-v3']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/warning W_DB_EXTENDED_SUPPORT at data\.databases\.main\.version\n/g)).toHaveLength(1);
    expect(r.stdout).toContain('warning W_CLUSTER_EXTENDED_SUPPORT at cluster.version (environment prod)');
    expect(r.stdout).toContain('warning W_CLUSTER_STANDARD_SUPPORT_ENDS at cluster.version (environment dev)');
  });

  it('checks only the environment --env names', async () => {
    const r = await plinth(['validate', 'examples/nemo-v3', '--env', 'dev']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nemo/dev in ap-northeast-2');
    expect(r.stdout).not.toContain('nemo/prod');
  });
});
