/** The review for a terminal (the default), and as JSON for scripts. */
import { usd } from '../cost/format.js';
import type { ChangeReview } from './review.js';

function signed(n: number): string {
  return Math.abs(n) < 0.005 ? '$0' : `${n > 0 ? '+' : '-'}${usd(Math.abs(n))}`;
}

export function formatText(review: ChangeReview): string {
  const out = [review.verdict.headline, ''];
  for (const r of review.verdict.risks) out.push(`  risk ${r.code}: ${r.text}`);
  if (review.verdict.risks.length) out.push('');
  const r = review.reachability;
  out.push(`Reachability: ${r.opened.length} opened, ${r.closed.length} closed (${r.flowsBefore} → ${r.flowsAfter} flows)`);
  for (const f of r.opened) {
    out.push(`  + ${f.sentence}`);
    for (const w of f.witness) out.push(`      path ${w.path}`);
  }
  for (const f of r.closed) {
    out.push(`  - ${f.sentence}`);
    for (const b of f.blockers) out.push(`      blocked by: ${b}`);
  }
  for (const i of review.findings.intents) out.push(`  intent "${i.name}": ${i.before} → ${i.after}`);
  for (const f of review.findings.added) out.push(`  new ${f.ruleId}: ${f.message}`);
  const c = review.cost;
  if (c) {
    out.push(`Cost: ${signed(c.delta.base)}/month base (${signed(c.delta.low)} low, ${signed(c.delta.high)} high), ${usd(c.before.base)} → ${usd(c.after.base)}`);
    for (const l of c.lines.slice(0, 15)) out.push(`  ${{ added: '+', removed: '-', changed: '~' }[l.change]} ${l.name} (${l.type}) ${signed(l.delta.base)}${l.details.length ? `: ${l.details[0]}` : ''}`);
  } else out.push(`Cost: ${review.costNote}`);
  const k = review.kubernetes;
  out.push(`Kubernetes: ${k.changes.length} object change${k.changes.length === 1 ? '' : 's'}${k.invisibleToCloudFormation ? ` (${k.invisibleToCloudFormation} invisible to CloudFormation)` : ''}`);
  for (const ch of k.changes) out.push(`  ${{ added: '+', removed: '-', changed: '~' }[ch.change]} ${ch.namespace}/${ch.kind}/${ch.name}${ch.summary ? `: ${ch.summary}` : ''}`);
  for (const d of review.data) out.push(`Data ${d.fate}: ${d.address} (${d.kind}): ${d.why}`);
  return out.join('\n');
}

/** Plain data for `--json`: the engine's packet sets are left out (their text is kept). */
export function toJson(review: ChangeReview): unknown {
  return JSON.parse(JSON.stringify(review, (key, value) => (key === 'set' || key === 'sample' || key === 'hops' ? undefined : value)));
}
