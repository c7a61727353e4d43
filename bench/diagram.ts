/**
 * Diagram time per example (goal: ≤ 1 s for SVG), for `npm run bench` and BENCHMARKS.md.
 * Each example is synthesized once. "SVG" is the median of RUNS in-process drawings from the
 * assembly (read templates and manifests, build verify's model, ask the engine about every pair,
 * run verify's checks, lay out with Graphviz, draw); "first" is the cold first one (Graphviz's
 * WebAssembly compiled); "PNG" adds rasterising at 1600 px. Sizes are of the SVG and the PNG.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drawDiagram, readDiagramInput } from '../src/analyse/diagram/draw.js';
import { synthesizePlatform } from '../src/aws/synth.js';
import { EXAMPLES_DIR, listExamples } from '../src/cli/examples.js';
import { loadPlan } from '../src/plan/load.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const rows: string[] = [];
for (const name of listExamples()) {
  const outdir = mkdtempSync(join(tmpdir(), 'plinth-bench-diagram-'));
  const { plan } = await loadPlan(join(EXAMPLES_DIR, name));
  synthesizePlatform(plan, { outdir });
  const draw = async (format: 'svg' | 'png') => {
    const t0 = performance.now();
    const out = await drawDiagram(readDiagramInput([outdir], plan), 'all', format);
    return { ms: performance.now() - t0, bytes: out.length, width: format === 'svg' ? Number(/width="(\d+)"/.exec(out.toString())?.[1]) : 0 };
  };
  const first = await draw('svg');
  const svg: number[] = [];
  for (let i = 0; i < RUNS; i++) svg.push((await draw('svg')).ms);
  const png = await draw('png');
  rows.push(`| ${name} | ${median(svg).toFixed(0)} ms | ${first.ms.toFixed(0)} ms | ${png.ms.toFixed(0)} ms | ${first.width} pt | ${(first.bytes / 1024).toFixed(0)} KiB | ${(png.bytes / 1024).toFixed(0)} KiB |`);
  rmSync(outdir, { recursive: true, force: true });
}

console.log(`\n## plinth diagram (median of ${RUNS}; goal ≤ 1 s for SVG)\n`);
console.log('| example | SVG | first SVG (cold) | PNG 1600 px | SVG width | SVG size | PNG size |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(r);
