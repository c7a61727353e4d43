/**
 * `plinth plan` on nemo-v3: against itself and against a changed version (database opened to the
 * bastion, one more node), side by side with `plinth synth` of the same spec. Synthesis is timed
 * apart from the review (plan synthesizes both sides, then reviews).
 *
 *   npx tsx bench/plan.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { analyseSide, formatMarkdown, reviewChange } from '../src/analyse/change/index.js';
import { synthesizePlatform } from '../src/aws/synth.js';
import { buildPlan } from '../src/plan/index.js';
import { platformSpecSchema } from '../src/spec/schema.js';

const ROOT = join(import.meta.dirname, '..');
const dir = join(ROOT, 'examples/nemo-v3');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function planOf(edit: (spec: any) => void) {
  const spec = parse(readFileSync(join(dir, 'plinth.yaml'), 'utf8'));
  edit(spec);
  return buildPlan(platformSpecSchema.parse(parse(stringify(spec))), { readFile: (p) => { try { return readFileSync(join(dir, p), 'utf8'); } catch { return undefined; } } });
}

function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const v = f();
  return [v, (performance.now() - t) / 1000];
}

const temp = mkdtempSync(join(tmpdir(), 'plinth-bench-plan-'));
try {
  const base = planOf(() => {});
  const changed = planOf((s) => {
    s.data.databases.main.allowFrom = ['cluster/nodes', 'bastion'];
    s.cluster.nodeGroups.main.size = 4;
  });
  // The first synthesis loads aws-cdk-lib (seconds); time warm runs, as a second command would be.
  synthesizePlatform(base, { outdir: join(temp, 'warm') });
  const [, synthBase] = time(() => synthesizePlatform(base, { outdir: join(temp, 'base') }));
  const [, synthChanged] = time(() => synthesizePlatform(changed, { outdir: join(temp, 'changed') }));
  const rows: string[] = [];
  for (const [name, plan, out, synth] of [['against itself', base, 'base', synthBase], ['against a changed version', changed, 'changed', synthChanged]] as const) {
    const [b, tb] = time(() => analyseSide(join(temp, 'base'), { label: 'main', plan: base, intents: plan.intents }));
    const [a, ta] = time(() => analyseSide(join(temp, out), { label: 'change', plan }));
    const [r, tr] = time(() => reviewChange(b, a));
    const [, tm] = time(() => formatMarkdown(r));
    const review = tb + ta + tr + tm;
    rows.push(`| ${name} | ${synth.toFixed(1)} s | ${(synth + review).toFixed(1)} s | ${(synthBase + synth + review).toFixed(1)} s | ${tb.toFixed(2)} + ${ta.toFixed(2)} s | ${(tr * 1000).toFixed(0)} ms | ${r.reachability.opened.length}/${r.reachability.closed.length} | ${r.verdict.exitCode} |`);
  }
  const rss = process.memoryUsage().rss / 2 ** 20;
  process.stdout.write([
    'plinth plan on nemo-v3, beside plinth synth of the same spec (warm; 2 cores shared)',
    '| case | plinth synth | plan --against DIR | plan --against SPEC | analyse old + new | diff | opened/closed | exit |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    `peak RSS ${rss.toFixed(0)} MiB`,
    '',
  ].join('\n'));
} finally {
  rmSync(temp, { recursive: true, force: true });
}
