/**
 * bin/plinth.js turns V8's TurboFan off for its own short runs (BENCHMARKS.md "Start-up": -12 % CPU for synth
 * of nemo-v3), unless PLINTH_TURBOFAN=1. A preloaded hook asks V8, at exit, to optimize a fresh function.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPlinth, type CliResult } from './cli-support.js';
import { ROOT } from './support.js';

function turbofanStatus(env: NodeJS.ProcessEnv): Promise<CliResult> {
  return runPlinth(['--version'], { env, nodeArgs: ['--allow-natives-syntax', '--require', join(ROOT, 'test', 'turbofan-status.cjs')] });
}

describe('V8 flags of the plinth command', () => {
  it('runs without TurboFan', async () => {
    const env = { ...process.env };
    delete env.PLINTH_TURBOFAN;
    const r = await turbofanStatus(env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^plinth \d/);
    expect(r.stderr).toContain('turbofan: off');
    expect(r.stderr).not.toMatch(/unrecognized flag/i);
  }, 120_000);

  it('keeps TurboFan with PLINTH_TURBOFAN=1', async () => {
    const r = await turbofanStatus({ ...process.env, PLINTH_TURBOFAN: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('turbofan: on');
  }, 120_000);
});
