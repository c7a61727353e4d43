/**
 * Cost estimate time per example (goal: ≤ 0.3 s), for `npm run bench` and BENCHMARKS.md.
 * Each example is synthesized once. "estimate" is the median of RUNS in-process estimates (read the
 * assembly, price it, format the table); "first" is the cold first one (price table and module
 * loading); "CLI" is a whole `plinth cost DIR` process, Node and tsx start-up included.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { estimatePaths, formatTable } from '../src/analyse/cost/index.js';
import { synthesizePlatform } from '../src/aws/synth.js';
import { EXAMPLES_DIR, listExamples } from '../src/cli/examples.js';
import { loadPlan } from '../src/plan/load.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const rows: string[] = [];
for (const name of listExamples()) {
  const outdir = mkdtempSync(join(tmpdir(), 'plinth-bench-cost-'));
  const { plan } = await loadPlan(join(EXAMPLES_DIR, name));
  synthesizePlatform(plan, { outdir });
  const times: number[] = [];
  let summary = '';
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const e = estimatePaths([outdir]);
    formatTable(e);
    times.push(performance.now() - t0);
    summary = `$${e.totals.base.toFixed(2)} (${e.resources.length} resources, ${e.unpriced.length} unpriced lines)`;
  }
  const t0 = performance.now();
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'plinth.js'), 'cost', outdir], { encoding: 'utf8' });
  const cliMs = performance.now() - t0;
  rmSync(outdir, { recursive: true, force: true });
  rows.push(`| ${name} | ${median(times).toFixed(1)} ms | ${times[0]!.toFixed(1)} ms | ${(cliMs / 1000).toFixed(2)} s${cli.status === 0 ? '' : ` (exit ${cli.status})`} | ${summary} |`);
}

console.log(`plinth cost (estimate: median of ${RUNS} in one process; assembly already synthesized), node ${process.version}`);
console.log('| example | estimate | first | CLI process | base estimate |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
