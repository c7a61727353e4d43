/**
 * Scale (issue 14 item 7): a generated platform with 100, 200 and 500 apps, synthesized (plan + aws +
 * k8s manifests, cdk-nag on, validator off), verified (every invariant, flow and intent, with the
 * plan) and drawn (SVG, all views). Each step runs in its own child process so its peak memory
 * (maxRSS) is its own, with a time limit and a heap limit so the bench always finishes: a step that
 * passes either is reported as "timeout" or "OOM" instead of hanging the run.
 *
 * The spec is three-tier-eks's shape with N apps: app i talks to app i+1 (and every tenth to the
 * database), and one intent of the form the issue names, `from "*" to cluster/nodes:22 only [...]`,
 * which once asked the engine about every source × every pod.
 *
 * Run alone: `npx tsx bench/scale.ts` (SCALE_APPS=100,200 to choose sizes, SCALE_TIMEOUT_S per step,
 * SCALE_STEPS=synth or synth,diagram to run only those steps: synth always runs, the others read its output);
 * `npx tsx bench/scale.ts --print-spec 100` prints the generated spec.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaleSpec } from './scale-spec.js';

const HERE = fileURLToPath(import.meta.url);
const ROOT = join(dirname(HERE), '..');
const SIZES = (process.env.SCALE_APPS ?? '100,200,500').split(',').map(Number);
const TIMEOUT_S = Number(process.env.SCALE_TIMEOUT_S ?? 120);
/** Heap limit per step: above the 1 GiB goal, below what would starve the shared machine. */
const HEAP_MB = Number(process.env.SCALE_HEAP_MB ?? 3072);
const STEPS = ['synth', 'verify', 'diagram'] as const;
type Step = (typeof STEPS)[number];
const CHOSEN = (process.env.SCALE_STEPS ?? STEPS.join(',')).split(',');
if (CHOSEN.some((c) => !(STEPS as readonly string[]).includes(c))) throw new Error(`SCALE_STEPS=${CHOSEN.join(',')}: each must be one of ${STEPS.join(', ')}`);

/** One step in this (child) process; prints one JSON line for the parent. */
async function child(step: Step, specDir: string, outdir: string): Promise<void> {
  const t0 = performance.now();
  const { loadPlan } = await import('../src/plan/load.js');
  const { plan, loaded } = await loadPlan(specDir);
  let detail = '';
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  if (step === 'synth') {
    const { synthesizePlatform } = await import('../src/aws/synth.js');
    const result = synthesizePlatform(plan, { outdir });
    detail = `${result.manifests?.files.length ?? 0} manifest files`;
  } else if (step === 'verify') {
    const { verify } = await import('../src/analyse/verify/index.js');
    const report = verify([outdir], { plan, locate: loaded.locate });
    detail = `${report.findings.length} findings, ${report.model.classes} classes, ok=${report.ok}`;
  } else {
    const { drawDiagram, readDiagramInput } = await import('../src/analyse/diagram/draw.js');
    const svg = await drawDiagram(readDiagramInput([outdir], plan), 'all', 'svg');
    detail = `SVG ${(svg.length / 1024).toFixed(0)} KiB`;
  }
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({
    seconds: (t2 - t1) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, loadSeconds: (t1 - t0) / 1000, maxRss: process.resourceUsage().maxRSS * 1024, detail,
  })}\n`);
}

interface Measured { readonly cell: string; readonly detail: string }

function run(step: Step, specDir: string, outdir: string): Measured {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', HERE, '--child', step, specDir, outdir], {
    encoding: 'utf8', cwd: ROOT, timeout: TIMEOUT_S * 1000, killSignal: 'SIGKILL', maxBuffer: 1 << 24,
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { cell: `timeout (> ${TIMEOUT_S} s)`, detail: '' };
  if (/heap out of memory|Allocation failed/i.test(r.stderr ?? '')) return { cell: `OOM (heap ${HEAP_MB} MiB)`, detail: '' };
  if (r.status !== 0) {
    const last = (r.stderr ?? '').trim().split('\n').slice(-3).join(' ');
    return { cell: `failed (exit ${r.status ?? r.signal})`, detail: last.slice(0, 160) };
  }
  const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; cpuSeconds: number; loadSeconds: number; maxRss: number; detail: string };
  return { cell: `${m.seconds.toFixed(1)} s (CPU ${m.cpuSeconds.toFixed(1)} s), ${(m.maxRss / 2 ** 20).toFixed(0)} MiB (process ${wall.toFixed(1)} s)`, detail: m.detail };
}

async function main(): Promise<void> {
  const load = loadavg().map((l) => l.toFixed(1)).join(' / ');
  console.log(`\n## Scale: generated platforms (node ${process.version}, load average ${load} at start, per step ≤ ${TIMEOUT_S} s, heap ≤ ${HEAP_MB} MiB)\n`);
  console.log('Each cell: the step in-process, wall and CPU time (spec loaded first, not timed), its peak RSS, and the child process wall time.\n');
  console.log('| apps | synth (plan + aws + k8s) | verify (with plan) | diagram (SVG, all views) | notes |');
  console.log('| ---: | --- | --- | --- | --- |');
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), `plinth-bench-scale-${n}-`));
    const specDir = join(dir, 'spec');
    const outdir = join(dir, 'out');
    spawnSync('mkdir', ['-p', specDir]);
    writeFileSync(join(specDir, 'plinth.yaml'), scaleSpec(n));
    const cells: string[] = [];
    const notes: string[] = [];
    let synthOk = true;
    for (const step of STEPS) {
      if (!synthOk) { cells.push('– (no synth)'); continue; }
      if (step !== 'synth' && !CHOSEN.includes(step)) { cells.push('– (not run)'); continue; }
      const m = run(step, specDir, outdir);
      if (step === 'synth' && !m.cell.includes(' MiB')) synthOk = false;
      cells.push(m.cell);
      if (m.detail !== '') notes.push(`${step}: ${m.detail}`);
    }
    console.log(`| ${n} | ${cells.join(' | ')} | ${notes.join('; ')} |`);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
}

const childArg = process.argv.indexOf('--child');
const printArg = process.argv.indexOf('--print-spec');
if (printArg !== -1) {
  process.stdout.write(scaleSpec(Number(process.argv[printArg + 1])));
} else if (childArg !== -1) {
  const [step, specDir, outdir] = process.argv.slice(childArg + 1);
  await child(step as Step, specDir!, outdir!);
} else {
  await main();
}
