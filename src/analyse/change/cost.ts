/**
 * Cost diff: the monthly difference per line (a resource, or a Kubernetes object that makes AWS
 * bill, such as a LoadBalancer Service) and in total, for the low, base and high usage profiles.
 * Both sides are priced by the same engine (src/analyse/cost) with the same table and usage.
 */
import { PROFILES, type Estimate, type Profile, type ResourceCost } from '../cost/index.js';

export type Money = Readonly<Record<Profile, number>>;

export interface CostLine {
  readonly address: string;
  readonly name: string;
  readonly type: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before: Money;
  readonly after: Money;
  readonly delta: Money;
  /** What changed inside the line: `Instance usage (t3.large): 2,190 → 3,650 hours`. */
  readonly details: readonly string[];
}

export interface CostDiff {
  readonly region: string;
  readonly before: Money;
  readonly after: Money;
  readonly delta: Money;
  /** Base delta as a share of the old base total; undefined when the old total is 0. */
  readonly percent: number | undefined;
  readonly lines: readonly CostLine[];
  readonly unpricedBefore: number;
  readonly unpricedAfter: number;
  /** Lines neither side could price, named so a reviewer knows the delta may miss them. */
  readonly newlyUnpriced: readonly string[];
}

const ZERO: Money = { low: 0, base: 0, high: 0 };

function monthly(r: ResourceCost | undefined): Money {
  if (!r) return ZERO;
  const out = { low: 0, base: 0, high: 0 };
  for (const c of r.components) for (const p of PROFILES) out[p] += c.monthly?.[p] ?? 0;
  return out;
}

function sub(a: Money, b: Money): Money {
  return { low: round(a.low - b.low), base: round(a.base - b.base), high: round(a.high - b.high) };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function isZero(m: Money): boolean {
  return PROFILES.every((p) => Math.abs(m[p]) < 0.005);
}

/** The components whose quantity or price moved, in one line each. */
function details(b: ResourceCost | undefined, a: ResourceCost | undefined): string[] {
  // "Nodes × 3 (t3.large)" and "Nodes × 4 (t3.large)" are one component whose count moved.
  const key = (name: string) => name.replace(/×\s*\d+/g, '×N');
  const old = new Map((b?.components ?? []).map((c) => [key(c.name), c]));
  const out: string[] = [];
  for (const c of a?.components ?? []) {
    const o = old.get(key(c.name));
    old.delete(key(c.name));
    if (!o) out.push(`+ ${c.name}: ${qty(c.quantity.base)} ${c.unit}`);
    else if (o.quantity.base !== c.quantity.base || o.unitPrice !== c.unitPrice) {
      out.push(`${c.name}: ${qty(o.quantity.base)} → ${qty(c.quantity.base)} ${c.unit}${o.unitPrice !== c.unitPrice ? ` at $${o.unitPrice ?? '?'} → $${c.unitPrice ?? '?'}` : ''}`);
    }
  }
  for (const o of old.values()) out.push(`- ${o.name}: ${qty(o.quantity.base)} ${o.unit}`);
  return out;
}

function qty(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export function diffCost(before: Estimate, after: Estimate): CostDiff {
  const old = new Map(before.resources.map((r) => [r.address, r]));
  const neu = new Map(after.resources.map((r) => [r.address, r]));
  const lines: CostLine[] = [];
  for (const address of new Set([...old.keys(), ...neu.keys()])) {
    const b = old.get(address);
    const a = neu.get(address);
    const delta = sub(monthly(a), monthly(b));
    if (isZero(delta)) continue;
    const r = (a ?? b)!;
    lines.push({ address, name: r.name, type: r.type, change: !b ? 'added' : !a ? 'removed' : 'changed', before: monthly(b), after: monthly(a), delta, details: details(b, a) });
  }
  lines.sort((x, y) => Math.abs(y.delta.base) - Math.abs(x.delta.base) || x.address.localeCompare(y.address));
  const oldUnpriced = new Set(before.unpriced.map((u) => `${u.address}: ${u.reason}`));
  return {
    region: after.region,
    before: before.totals, after: after.totals, delta: sub(after.totals, before.totals),
    percent: before.totals.base > 0 ? round(((after.totals.base - before.totals.base) / before.totals.base) * 100) : undefined,
    lines,
    unpricedBefore: before.unpriced.length, unpricedAfter: after.unpriced.length,
    newlyUnpriced: after.unpriced.map((u) => `${u.address}: ${u.reason}`).filter((u) => !oldUnpriced.has(u)),
  };
}
