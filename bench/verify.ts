/**
 * plinth verify's figures (merged into `npm run bench` by the lead; run alone with `npx tsx bench/verify.ts`).
 *
 * Examples: each example is synthesized once (not timed), then verified in-process with its plan:
 * the first run (module JIT included) and the median of RUNS warm runs, plus `plinth verify DIR
 * --spec EXAMPLE` as a user runs it (new process: Node, tsx and module loading included).
 * Stress: a generated model (bench/verify-stress.ts) at 1× (1,000 resources, 5,000 rules, 200
 * NetworkPolicies), 2×, 5× and 10×, each in its own process so its peak memory (maxRSS) is its own;
 * model building and every check (invariants and four intents) are timed. The curve alone:
 * `node --import tsx bench/verify.ts --stress-curve`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInputs, verifyTemplates } from '../src/analyse/verify/index.js';
import { synthesizePlatform } from '../src/aws/synth.js';
import { EXAMPLES_DIR, listExamples } from '../src/cli/examples.js';
import type { IntentPlan } from '../src/plan/intents.js';
import { loadPlan } from '../src/plan/load.js';
import { scaled, stressModel } from './verify-stress.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HERE = fileURLToPath(import.meta.url);
const ROOT = join(HERE, '..', '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

function intent(name: string, fields: Partial<IntentPlan> & Pick<IntentPlan, 'verb'>): IntentPlan {
  return { name, description: undefined, from: '*', to: '*', only: [], via: undefined, origin: ['bench', name], text: name, ...fields };
}

/** One stress run, in this process: prints one JSON line for the parent. */
function stress(factor: number): void {
  const t0 = performance.now();
  const model = stressModel(scaled(factor));
  const generated = performance.now() - t0;
  const intents = [
    intent('only one host faces the internet', { verb: 'only', from: [{ endpoint: 'internet', ports: undefined }], only: [{ endpoint: 'Instance0', ports: { protocol: 'tcp', from: 443, to: 443 } }] }),
    intent('one host reached only from another', { verb: 'only', to: [{ endpoint: 'Instance1', ports: undefined }], only: [{ endpoint: 'Instance2', ports: undefined }] }),
    intent('pods of app0 never reach app1', { verb: 'deny', from: [{ endpoint: 'apps/app0', ports: undefined }], to: [{ endpoint: 'apps/app1', ports: undefined }] }),
    intent('a host reaches the internet', { verb: 'reach', from: [{ endpoint: 'Instance3', ports: undefined }], to: [{ endpoint: 'internet', ports: { protocol: 'tcp', from: 443, to: 443 } }] }),
  ];
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const report = verifyTemplates(model.templates, { k8s: model.k8s, intents });
  const seconds = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({
    factor, resources: model.resourceCount, rules: model.ruleCount, policies: model.k8s.policies.length, classes: report.model.classes,
    findings: report.findings.length, generatedSeconds: generated / 1000, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRss: process.resourceUsage().maxRSS * 1024,
  })}\n`);
}

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const name of listExamples()) {
    const outdir = mkdtempSync(join(tmpdir(), 'plinth-bench-verify-'));
    const { plan, loaded } = await loadPlan(join(EXAMPLES_DIR, name));
    synthesizePlatform(plan, { outdir });
    const inputs = loadInputs([outdir]);
    const runs: number[] = [];
    let classes = 0;
    for (let i = 0; i <= RUNS; i++) {
      const t0 = performance.now();
      const report = verifyTemplates(inputs.templates, { plan, k8s: inputs.k8s, locate: loaded.locate });
      runs.push(performance.now() - t0);
      classes = report.model.classes;
    }
    const [first, ...warm] = runs;
    const c0 = performance.now();
    const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'plinth.js'), 'verify', outdir, '--spec', join(EXAMPLES_DIR, name)], { encoding: 'utf8' });
    const cliSeconds = (performance.now() - c0) / 1000;
    if (cli.status !== 0) throw new Error(`plinth verify ${name} failed:\n${cli.stdout}${cli.stderr}`);
    rows.push(`| ${name} | ${classes} | ${(first! / 1000).toFixed(3)} s | ${(median(warm) / 1000).toFixed(3)} s | ${cliSeconds.toFixed(2)} s |`);
    rmSync(outdir, { recursive: true, force: true });
  }
  console.log(`plinth verify, node ${process.version}, median of ${RUNS} warm runs`);
  console.log('| example | interface classes | verify (first, in-process) | verify (warm, in-process) | plinth verify DIR --spec (CLI, new process) |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);

  console.log('');
  stressCurve();
}

/**
 * The stress curve: 1×, 2×, 5× and 10×, each in its own process, with wall and CPU time (the machine
 * is shared: CPU time is the steadier figure) and the load average before and after.
 */
function stressCurve(): void {
  const load = () => loadavg()[0]!.toFixed(1);
  console.log(`stress curve, node ${process.version}, load average ${load()} at start`);
  console.log('| stress model | resources | rules | NetworkPolicies | classes | findings | verify: wall | CPU | peak memory (maxRSS) | goal (10×: ≤ 5 s) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const factor of [1, 2, 5, 10]) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', HERE, '--stress', String(factor)], { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`stress ${factor}x failed:\n${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as { resources: number; rules: number; policies: number; classes: number; findings: number; seconds: number; cpuSeconds: number; maxRss: number };
    const goal = factor === 10 ? (r.seconds <= 5 ? '✓' : '✗') : '';
    console.log(`| ${factor}× | ${r.resources.toLocaleString('en-US')} | ${r.rules.toLocaleString('en-US')} | ${r.policies} | ${r.classes} | ${r.findings.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} s | ${r.cpuSeconds.toFixed(2)} s | ${mib(r.maxRss)} | ${goal} |`);
  }
  console.log(`load average ${load()} at the end`);
}

const stressArg = process.argv.indexOf('--stress');
if (stressArg !== -1) stress(Number(process.argv[stressArg + 1]));
else if (process.argv.includes('--stress-curve')) stressCurve();
else await main();
