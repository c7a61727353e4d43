/**
 * Start-up and synth cost of the `plinth` command, measured side by side (issue 12). Each variant runs in a new
 * process; the variants are interleaved run by run so machine load hits them alike; one warm-up round (which
 * also fills Node's compile cache where the Node version has one) is discarded. CPU = user + system time of the
 * process, from /usr/bin/time. Medians of BENCH_RUNS (default 5) rounds.
 *
 *   tsx       plinth as it ran before it was compiled: bench/tsx-bin.mjs (tsx loader, ESM import of aws-cdk-lib).
 *             BENCH_TSX_REF=<commit> runs the source of that commit this way (exported with git archive), so
 *             "today's npx plinth synth" stays the code of that day while the source gets faster.
 *   compiled  bin/plinth.js: the esbuild bundle in dist/, CommonJS packages through require (the heaviest bundled
 *             whole in dist/vendor), compile cache
 *   reference bench/reference/eks-app.ts compiled to CommonJS and run with plain node: a hand-written aws-eks-v2
 *             app building nemo-v3's resources (139, the same types; checked below)
 *
 * validate checks the base environment (`--env prod`): nemo-v3's dev overlay names a Kubernetes version whose
 * standard support ended on 2026-12-02, which validate (rightly) reports, exiting 1.
 *
 * BENCH_NODE=/path/to/node runs everything with another Node (e.g. 22, for the compile cache).
 */
import { execSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const NODE = process.env.BENCH_NODE ?? process.execPath;
const EXAMPLE = 'examples/nemo-v3';

const referenceJs = join(ROOT, 'node_modules', '.cache', 'plinth-bench', 'eks-app.cjs');
mkdirSync(join(referenceJs, '..'), { recursive: true });
buildSync({ entryPoints: [join(ROOT, 'bench', 'reference', 'eks-app.ts')], outfile: referenceJs, bundle: true, packages: 'external', format: 'cjs', platform: 'node', logLevel: 'warning' });
// The compiled CLI is current (bin/plinth.js would rebuild it inside the first measured run otherwise).
spawnSync(NODE, ['bin/plinth.js', '--version'], { cwd: ROOT });

const work = mkdtempSync(join(tmpdir(), 'plinth-bench-startup-'));
/** Where the tsx variants run from: this checkout, or BENCH_TSX_REF's source with this checkout's node_modules. */
const TSX_ROOT = process.env.BENCH_TSX_REF ? exportCommit(process.env.BENCH_TSX_REF) : ROOT;
function exportCommit(ref: string): string {
  const dir = join(work, 'tsx-ref');
  mkdirSync(dir);
  execSync(`git archive ${ref} | tar -x -C ${JSON.stringify(dir)}`, { cwd: ROOT });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

interface Variant { readonly name: string; readonly args: (out: string) => string[]; readonly env?: (out: string) => NodeJS.ProcessEnv; readonly cwd?: string }
const VARIANTS: readonly Variant[] = [
  { name: 'synth: tsx', args: (out) => ['bench/tsx-bin.mjs', 'synth', EXAMPLE, '--out', out], cwd: TSX_ROOT },
  { name: 'synth: compiled', args: (out) => ['bin/plinth.js', 'synth', EXAMPLE, '--out', out] },
  { name: 'reference aws-eks-v2 app', args: () => [referenceJs], env: (out) => ({ ...process.env, CDK_OUTDIR: out }) },
  { name: 'validate: tsx', args: () => ['bench/tsx-bin.mjs', 'validate', EXAMPLE, '--env', 'prod'], cwd: TSX_ROOT },
  { name: 'validate: compiled', args: () => ['bin/plinth.js', 'validate', EXAMPLE, '--env', 'prod'] },
  { name: '--version: tsx', args: () => ['bench/tsx-bin.mjs', '--version'], cwd: TSX_ROOT },
  { name: '--version: compiled', args: () => ['bin/plinth.js', '--version'] },
];

interface Sample { readonly cpu: number; readonly wall: number }
const samples = new Map<string, Sample[]>(VARIANTS.map((v) => [v.name, []]));
const outputs = new Map<string, string>();

for (let round = 0; round <= RUNS; round++) {
  for (const v of VARIANTS) {
    const out = join(work, `${v.name.replace(/\W+/g, '-')}-${round}`);
    const timing = join(work, 'time.txt');
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S %e', '-o', timing, NODE, ...v.args(out)], { cwd: v.cwd ?? ROOT, encoding: 'utf8', env: v.env?.(out) ?? process.env });
    if (r.status !== 0) throw new Error(`${v.name} failed (exit ${r.status}):\n${r.stderr}`);
    const [user, sys, wall] = readFileSync(timing, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
    if (round > 0) samples.get(v.name)!.push({ cpu: user + sys, wall });
    if (round === 1 && (v.name.startsWith('synth') || v.name.startsWith('reference'))) outputs.set(v.name, out);
    else rmSync(out, { recursive: true, force: true });
  }
}

/** Every file of two assemblies, byte for byte. */
function sameAssembly(a: string, b: string): boolean {
  const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length)).sort();
  const fa = files(a);
  return JSON.stringify(fa) === JSON.stringify(files(b)) && fa.every((f) => readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
}
const identical = sameAssembly(outputs.get('synth: tsx')!, outputs.get('synth: compiled')!);

/** CloudFormation resources by stack and type: the reference has to build what plinth builds. */
function resourceTypes(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.template.json')).sort().flatMap((f) => {
    const template = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { Resources?: Record<string, { Type: string }> };
    return Object.values(template.Resources ?? {}).map((r) => `${f.replace('.template.json', '')} ${r.Type}`);
  }).sort();
}
const plinthResources = resourceTypes(outputs.get('synth: compiled')!);
const sameResources = JSON.stringify(plinthResources) === JSON.stringify(resourceTypes(outputs.get('reference aws-eks-v2 app')!));
rmSync(work, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
const cpu = (name: string) => median(samples.get(name)!.map((s) => s.cpu));
const wall = (name: string) => median(samples.get(name)!.map((s) => s.wall));
const version = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();

console.log(`start-up, node ${version}, median of ${RUNS} interleaved rounds after one warm-up${process.env.BENCH_TSX_REF ? `; tsx variants: source of ${process.env.BENCH_TSX_REF}` : ''}`);
console.log('| command | CPU (user+sys) | wall |');
console.log('|---|---|---|');
for (const v of VARIANTS) console.log(`| ${v.name} | ${cpu(v.name).toFixed(2)} s | ${wall(v.name).toFixed(2)} s |`);
console.log('');
console.log(`synth compiled / tsx: ${(cpu('synth: compiled') / cpu('synth: tsx')).toFixed(2)}× CPU (goal ≤ 0.5×); output ${identical ? 'byte-identical' : 'DIFFERENT'}`);
console.log(`synth compiled / reference app: ${(cpu('synth: compiled') / cpu('reference aws-eks-v2 app')).toFixed(2)}× CPU (goal ≤ 2×); `
  + `reference builds ${sameResources ? 'the same' : 'DIFFERENT'} resources (${plinthResources.length} by stack and type)`);
console.log(`validate compiled: ${cpu('validate: compiled').toFixed(2)} s CPU (goal ≤ 0.5 s)`);
