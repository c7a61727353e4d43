/** `plinth cost --compare OLD NEW`: the monthly difference per resource, like `infracost diff`. */
import { usd } from './format.js';
import type { Estimate, Profile, ResourceCost } from './types.js';

export interface ResourceDiff {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before: number;
  readonly after: number;
  readonly delta: number;
}

export interface Comparison {
  readonly profile: Profile;
  readonly before: number;
  readonly after: number;
  readonly delta: number;
  readonly resources: readonly ResourceDiff[];
  readonly unpricedBefore: number;
  readonly unpricedAfter: number;
}

function monthly(r: ResourceCost, p: Profile): number {
  return r.components.reduce((s, c) => s + (c.monthly?.[p] ?? 0), 0);
}

export function compareEstimates(before: Estimate, after: Estimate, profile: Profile = after.profile): Comparison {
  const old = new Map(before.resources.map((r) => [r.address, r]));
  const neu = new Map(after.resources.map((r) => [r.address, r]));
  const diffs: ResourceDiff[] = [];
  for (const [address, r] of neu) {
    const o = old.get(address);
    const a = monthly(r, profile);
    const b = o ? monthly(o, profile) : 0;
    if (!o && (a !== 0 || r.classification !== 'free')) diffs.push({ address, type: r.type, name: r.name, change: 'added', before: 0, after: a, delta: a });
    else if (o && Math.abs(a - b) > 1e-9) diffs.push({ address, type: r.type, name: r.name, change: 'changed', before: b, after: a, delta: a - b });
  }
  for (const [address, o] of old) {
    if (neu.has(address)) continue;
    const b = monthly(o, profile);
    if (b !== 0 || o.classification !== 'free') diffs.push({ address, type: o.type, name: o.name, change: 'removed', before: b, after: 0, delta: -b });
  }
  diffs.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta));
  return {
    profile, before: before.totals[profile], after: after.totals[profile], delta: after.totals[profile] - before.totals[profile],
    resources: diffs, unpricedBefore: before.unpriced.length, unpricedAfter: after.unpriced.length,
  };
}

const SIGN = { added: '+', removed: '-', changed: '~' } as const;

function signed(n: number): string {
  return `${n >= 0 ? '+' : '-'}${usd(Math.abs(n))}`;
}

export function formatComparison(c: Comparison, markdown = false): string {
  const head = `Monthly cost will ${c.delta > 0 ? 'increase' : c.delta < 0 ? 'decrease' : 'not change'} by ${usd(Math.abs(c.delta))} (${usd(c.before)} → ${usd(c.after)}, ${c.profile} usage)`;
  if (markdown) {
    const rows = c.resources.map((d) => `| ${SIGN[d.change]} | ${d.name} (${d.type}) | ${usd(d.before)} | ${usd(d.after)} | ${signed(d.delta)} |`);
    return [`### plinth cost diff: ${head}`, '', '| | Resource | Before | After | Diff |', '|---|---|---:|---:|---:|', ...rows, '', `Unpriced lines: ${c.unpricedBefore} → ${c.unpricedAfter}.`].join('\n');
  }
  const lines = c.resources.map((d) => `${SIGN[d.change]} ${d.name}  (${d.type}, ${d.address})\n    ${signed(d.delta)}  (${usd(d.before)} → ${usd(d.after)})`);
  return [head, '', ...lines, '', `Unpriced lines: ${c.unpricedBefore} → ${c.unpricedAfter}.`, 'Key: + added, - removed, ~ changed'].join('\n');
}
