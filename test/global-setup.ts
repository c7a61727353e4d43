/**
 * Once per `vitest run`, before any test file: build the CLI bundle the CLI tests spawn (bin/plinth.js runs
 * dist/), and synthesize every bundled example once with that CLI into a shared temporary directory, which
 * tests read through `exampleAssembly(name)` (test/shared-assemblies.ts) instead of each test file
 * synthesizing its own copy. TMPDIR points into one directory for the run, removed when it ends, so no test
 * leaves temporary directories behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildJs, isStale, ROOT } from '../scripts/build.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A directory with one cloud assembly per bundled example (`<dir>/<example>`), made by `plinth synth`. */
    exampleAssemblies: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  if (isStale()) await buildJs();
  // Every temporary directory of the run (test files, spawned CLIs) goes under one, removed at the end.
  const runDir = mkdtempSync(join(tmpdir(), 'plinth-test-run-'));
  process.env.TMPDIR = runDir;
  const dir = join(runDir, 'examples');
  const examples = readdirSync(join(ROOT, 'examples')).filter((e) => existsSync(join(ROOT, 'examples', e, 'plinth.yaml')));
  // Two at a time: the CI machine has two cores.
  const queue = [...examples];
  await Promise.all([0, 1].map(async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await synth(next, join(dir, next));
  }));
  project.provide('exampleAssemblies', dir);
  return () => rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
}

function synth(example: string, outdir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'plinth.js'), 'synth', join('examples', example), '--out', outdir, '--no-verify'], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`plinth synth examples/${example} failed (exit ${code}):\n${stderr}`))));
  });
}
