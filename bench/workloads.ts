/**
 * Workload figures for BENCHMARKS.md (`npx tsx bench/workloads.ts`; the lead merges it into
 * `npm run bench`): the full video-platform synth (load + plan + CDK + cdk-nag + manifests, validator
 * off and on) and what it writes under k8s/: files, objects, objects checked against official schemas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizePlatform } from '../src/aws/synth.js';
import { EXAMPLES_DIR } from '../src/cli/examples.js';
import { renderWorkloads } from '../src/k8s/render.js';
import { validateManifests } from '../src/k8s/validate.js';
import { loadPlan } from '../src/plan/load.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EXAMPLES = ['video-platform', 'nemo-v3', 'three-tier-eks'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

console.log(`workloads, median of ${RUNS} runs, node ${process.version}`);
console.log('| example | full synth (warm) | + CFN validator | render + validate manifests | files | objects | schema-checked | other kinds (metadata only) |');
console.log('|---|---|---|---|---|---|---|---|');
for (const name of EXAMPLES) {
  const synth: number[] = [];
  const render: number[] = [];
  let files = 0;
  let objects = 0;
  let checked = 0;
  let unchecked: readonly string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const outdir = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
    const t0 = performance.now();
    const { plan } = await loadPlan(join(EXAMPLES_DIR, name));
    const result = synthesizePlatform(plan, { outdir });
    synth.push(performance.now() - t0);
    files = result.manifests?.files.length ?? 0;
    objects = result.manifests?.objectCount ?? 0;
    rmSync(outdir, { recursive: true, force: true });
    const r0 = performance.now();
    const report = validateManifests(renderWorkloads(plan)!.files.flatMap((f) => f.objects));
    render.push(performance.now() - r0);
    checked = report.checked;
    unchecked = report.unchecked;
  }
  const outdir = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
  const v0 = performance.now();
  const { plan } = await loadPlan(join(EXAMPLES_DIR, name));
  synthesizePlatform(plan, { outdir, cloudFormationValidation: true });
  const validated = performance.now() - v0;
  rmSync(outdir, { recursive: true, force: true });
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`| ${name} | ${s(median(synth))} | ${s(validated)} | ${median(render).toFixed(0)} ms | ${files} | ${objects} | ${checked} | ${unchecked.length} (${unchecked.map((u) => u.split('/').pop()).join(', ')}) |`);
}
