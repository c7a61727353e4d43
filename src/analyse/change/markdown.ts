/**
 * The pull-request comment: GitHub-flavoured Markdown, the one-line verdict first, then one
 * collapsible section per concern (open when it holds a risk). GitHub renders `<details>` and
 * `<summary>` in comments; a blank line after `<summary>` lets Markdown inside it render.
 */
import { usd } from '../cost/format.js';
import type { CostLine, Money } from './cost.js';
import type { FlowChange } from './reachability.js';
import type { ChangeReview } from './review.js';
import type { ObjectChange } from './kubernetes.js';

export interface MarkdownOptions {
  /** An image of the change (a URL or a path the comment's reader can open). */
  readonly pictureUrl?: string;
  /** Sections rendered by others (the CloudFormation change list), placed after the verdict. */
  readonly before?: readonly string[];
}

const DELIVERY: Readonly<Record<ObjectChange['delivery'], string>> = {
  'argo-cd': 'Argo CD (git), not in CloudFormation',
  manifests: 'manifests, not in CloudFormation',
  'cloudformation-helm': 'Helm step in CloudFormation (values are one opaque string there)',
  'cloudformation-manifest': 'kubectl step in CloudFormation',
};

function escape(text: string): string {
  return text.replace(/[|<>]/g, (c) => ({ '|': '\\|', '<': '&lt;', '>': '&gt;' })[c]!);
}

function details(summary: string, body: readonly string[], open = false): string[] {
  return [`<details${open ? ' open' : ''}><summary>${summary}</summary>`, '', ...body, '', '</details>', ''];
}

function signed(n: number): string {
  if (Math.abs(n) < 0.005) return '$0';
  return `${n > 0 ? '+' : '−'}${usd(Math.abs(n))}`;
}

function flowItem(f: FlowChange): string[] {
  const mark = f.change === 'opened' ? '🟢 +' : '🔴 −';
  const maybe = f.certainty === 'maybe' ? ' _(depends on an assumption)_' : '';
  const head = `- ${mark} **${escape(f.sentence)}**${maybe}`;
  const evidence = f.change === 'opened'
    ? f.witness.flatMap((w) => [`  - path \`${escape(w.path)}\` (${escape(w.packet)})`, ...w.steps.map((s) => `    - ${escape(s)}`)])
    : f.blockers.map((b) => `  - blocked by: ${escape(b)}`);
  if (evidence.length === 0) return [head];
  if (f.change === 'closed') return [head, ...evidence];
  return [head, `  <details><summary>witness</summary>`, '', ...evidence, '', '  </details>'];
}

function money(m: Money): string {
  return `${usd(m.low)} / ${usd(m.base)} / ${usd(m.high)}`;
}

function costRow(l: CostLine): string {
  const sign = { added: '+', removed: '−', changed: '~' }[l.change];
  const what = `${sign} ${escape(l.name)} <sub>${escape(l.type)}</sub>${l.details.length ? `<br><sub>${l.details.slice(0, 3).map(escape).join('<br>')}</sub>` : ''}`;
  return `| ${what} | ${usd(l.before.base)} | ${usd(l.after.base)} | ${signed(l.delta.low)} | **${signed(l.delta.base)}** | ${signed(l.delta.high)} |`;
}

export function formatMarkdown(review: ChangeReview, options: MarkdownOptions = {}): string {
  const out: string[] = [`### plinth plan — ${review.verdict.headline}`, ''];
  out.push(`<sub>${escape(review.after.label)} against ${escape(review.before.label)}</sub>`, '');
  if (review.verdict.risks.length) {
    out.push(...review.verdict.risks.map((r) => `- ⚠️ \`${r.code}\` ${escape(r.text)}`), '');
  }
  for (const section of options.before ?? []) out.push(section, '');

  const r = review.reachability;
  const intents = review.findings.intents;
  const reachBody: string[] = [];
  if (r.opened.length) reachBody.push('**Newly allowed**', '', ...r.opened.flatMap(flowItem), '');
  if (r.closed.length) reachBody.push('**Newly blocked**', '', ...r.closed.flatMap(flowItem), '');
  if (intents.length) {
    reachBody.push('**Intents**', '', '| Intent | Before | After |', '|---|---|---|');
    for (const i of intents) reachBody.push(`| ${escape(i.name)}<br><sub>${escape(i.message ?? i.text)}</sub> | ${i.before} | **${i.after}** |`);
    reachBody.push('');
  }
  if (review.findings.added.length) reachBody.push('**New findings**', '', ...review.findings.added.map((f) => `- \`${f.ruleId}\` ${escape(f.message)}`), '');
  if (review.findings.resolved.length) reachBody.push('**Resolved findings**', '', ...review.findings.resolved.map((f) => `- \`${f.ruleId}\` ${escape(f.message)}`), '');
  if (reachBody.length === 0) reachBody.push(`No flow changes (${r.flowsAfter} flows compared).`);
  const reachRisk = review.verdict.risks.some((x) => ['R_EXPOSED', 'R_DATA_REACHABLE', 'R_OPENED', 'R_INTENT_BROKEN', 'R_NEW_FINDING'].includes(x.code));
  out.push(...details(`<b>Reachability</b>: ${r.opened.length} opened, ${r.closed.length} closed${intents.length ? `, ${intents.length} intent${intents.length === 1 ? '' : 's'} changed` : ''}`, reachBody, reachRisk));

  const c = review.cost;
  if (c) {
    const body = [
      `| Line | Before | After | Δ low | Δ base | Δ high |`, '|---|---:|---:|---:|---:|---:|',
      ...c.lines.slice(0, 25).map(costRow),
      `| **Total** (low / base / high) | ${money(c.before)} | ${money(c.after)} | ${signed(c.delta.low)} | **${signed(c.delta.base)}** | ${signed(c.delta.high)} |`,
    ];
    if (c.lines.length > 25) body.push('', `… and ${c.lines.length - 25} smaller lines (see --json).`);
    if (c.newlyUnpriced.length) body.push('', `Not priced (the delta misses them): ${c.newlyUnpriced.map(escape).join('; ')}`);
    const pct = c.percent !== undefined ? ` (${c.percent > 0 ? '+' : ''}${c.percent.toFixed(1)} %)` : '';
    out.push(...details(`<b>Cost</b>: ${signed(c.delta.base)}/month${pct}, ${usd(c.before.base)} → ${usd(c.after.base)} (${c.region})`, c.lines.length ? body : ['No line changes.'], review.verdict.risks.some((x) => x.code === 'R_COST')));
  } else {
    out.push(...details('<b>Cost</b>: not compared', [escape(review.costNote ?? '')]));
  }

  const k = review.kubernetes;
  const byNs = new Map<string, ObjectChange[]>();
  for (const ch of k.changes) byNs.set(ch.namespace, [...(byNs.get(ch.namespace) ?? []), ch]);
  const kBody: string[] = [];
  for (const [ns, changes] of byNs) {
    kBody.push(`**${escape(ns)}**`, '');
    for (const ch of changes) {
      const sign = { added: '+', removed: '−', changed: '~' }[ch.change];
      kBody.push(`- \`${sign}\` ${ch.kind} **${escape(ch.name)}**${ch.summary ? `: ${escape(ch.summary)}` : ''} <sub>(${DELIVERY[ch.delivery]})</sub>`);
      if (ch.fields.length) kBody.push('  <details><summary>fields</summary>', '', ...ch.fields.map((f) => `  - \`${escape(f)}\``), '', '  </details>');
    }
    kBody.push('');
  }
  const ksum = `${k.changes.filter((x) => x.change === 'added').length} added, ${k.changes.filter((x) => x.change === 'removed').length} removed, ${k.changes.filter((x) => x.change === 'changed').length} changed`;
  out.push(...details(`<b>Kubernetes</b>: ${ksum}${k.invisibleToCloudFormation ? ` (${k.invisibleToCloudFormation} invisible to CloudFormation)` : ''}`, kBody.length ? kBody : ['No object changes.']));

  if (review.data.length) {
    out.push(...details(`<b>Data</b>: ${review.data.filter((d) => d.fate === 'lost').length} lost, ${review.data.filter((d) => d.fate === 'kept').length} kept after removal`,
      review.data.map((d) => `- ${d.fate === 'lost' ? '🔴 lost' : '🟡 kept'}: \`${escape(d.address)}\` (${d.kind}): ${escape(d.why)}`), review.data.some((d) => d.fate === 'lost')));
  }
  if (options.pictureUrl) out.push(...details('<b>Picture of the change</b>', [`![the change: added in green, removed in red](${options.pictureUrl})`]));
  out.push(`<sub>plinth plan · exit ${review.verdict.exitCode} · ${Math.round(review.durationMs)} ms</sub>`);
  return out.join('\n');
}
