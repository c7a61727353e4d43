/**
 * The shape of a cost component rule (cdk-nag style: one rule, one file, one pure function over one
 * resource) and the builders every rule uses to turn a price key and a quantity into a line.
 */
import type { CfnResource, Model, Resolver } from './model.js';
import { price } from './prices.js';
import type { ScheduleReading } from './schedule.js';
import { HOURS_PER_MONTH, PROFILES, type CostComponent, type Layer, type PriceTable, type Profile } from './types.js';
import type { Usage, UsageKey } from './usage.js';

export interface CostContext {
  readonly table: PriceTable;
  readonly usage: Usage;
  readonly model: Model;
  readonly resolver: Resolver;
  readonly schedules: ScheduleReading;
  readonly now: Date;
  /** Log groups that a flow log writes to: their ingestion is priced on the flow log. */
  readonly flowLogGroups: ReadonlySet<string>;
}

export interface RuleResult {
  readonly components: readonly CostComponent[];
  readonly flags?: readonly string[];
  /** Set when the whole resource turns out free (a gateway VPC endpoint, an EFS-backed PVC...). */
  readonly free?: string;
}

export interface CostRule {
  /** CloudFormation resource types this rule prices. */
  readonly types: readonly string[];
  readonly layer: Layer;
  cost(resource: CfnResource, ctx: CostContext): RuleResult;
}

const each = (f: (p: Profile) => number): Record<Profile, number> => ({ low: f('low'), base: f('base'), high: f('high') });

interface LineOptions {
  readonly notes?: readonly string[];
  /** Fraction of the week the resource runs under a schedule (hourly components only). */
  readonly runningFraction?: number;
}

/** An always-on charge: `monthlyQuantity` units per month (hours are × 730). */
export function fixedLine(ctx: CostContext, name: string, unit: string, priceKey: string, monthlyQuantity: number, options: LineOptions = {}): CostComponent {
  const entry = price(ctx.table, priceKey);
  const fraction = options.runningFraction ?? 1;
  const qty = monthlyQuantity * fraction;
  const notes = [...(options.notes ?? [])];
  if (!entry) notes.push(`no sourced price for ${priceKey} in the ${ctx.table.region} table`);
  return {
    name, unit, priceKey,
    unitPrice: entry?.usd,
    quantity: each(() => qty),
    unscheduledQuantity: fraction < 1 ? monthlyQuantity : undefined,
    monthly: entry ? each(() => round(qty * entry.usd)) : undefined,
    savings: entry && fraction < 1 ? round((monthlyQuantity - qty) * entry.usd) : undefined,
    kind: 'fixed',
    notes,
  };
}

/** An hourly always-on charge for `count` units (instances, AZs, IPs). */
export function hourlyLine(ctx: CostContext, name: string, priceKey: string, count: number, options: LineOptions = {}): CostComponent {
  return fixedLine(ctx, name, 'hours', priceKey, count * HOURS_PER_MONTH, options);
}

/** A usage-based charge whose quantity comes from the usage file (or its defaults), times `scale`. */
export function usageLine(ctx: CostContext, name: string, unit: string, priceKey: string, key: UsageKey, address: string, scale: (q: number) => number = (q) => q, options: LineOptions = {}): CostComponent {
  const entry = price(ctx.table, priceKey);
  const raw = ctx.usage.get(key, address);
  const qty = each((p) => scale(raw[p]));
  const notes = [`usage: ${key} = ${PROFILES.map((p) => `${p} ${raw[p]}`).join(' / ')}`, ...(options.notes ?? [])];
  if (!entry) notes.push(`no sourced price for ${priceKey} in the ${ctx.table.region} table`);
  return {
    name, unit, priceKey,
    unitPrice: entry?.usd,
    quantity: qty,
    monthly: entry ? each((p) => round(qty[p] * entry.usd)) : undefined,
    kind: 'usage',
    notes,
  };
}

/** A usage-based charge whose per-profile quantities the rule computed from several usage keys. */
export function derivedUsageLine(ctx: CostContext, name: string, unit: string, priceKey: string, quantity: Record<Profile, number>, notes: readonly string[]): CostComponent {
  const entry = price(ctx.table, priceKey);
  const allNotes = [...notes];
  if (!entry) allNotes.push(`no sourced price for ${priceKey} in the ${ctx.table.region} table`);
  return { name, unit, priceKey, unitPrice: entry?.usd, quantity, monthly: entry ? each((p) => round(quantity[p] * entry.usd)) : undefined, kind: 'usage', notes: allNotes };
}

/** A line the rule knows is billed but has no price key for at all (e.g. Spot market prices). */
export function unpricedLine(name: string, unit: string, monthlyQuantity: number, why: string): CostComponent {
  return { name, unit, quantity: each(() => monthlyQuantity), kind: 'fixed', notes: [why] };
}

/** Cents are enough; rounding each line keeps hand-computed golden totals exact. */
export function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

export function runningFraction(ctx: CostContext, address: string): { fraction?: number; notes: string[] } {
  const t = ctx.schedules.targets.get(address);
  if (!t) return { notes: [] };
  return { fraction: t.fraction, notes: [`scheduled: runs ${fmtHours(t.hoursPerWeek)} h of 168 h a week (${t.schedules.join(', ')})`] };
}

function fmtHours(h: number): string {
  return Number.isInteger(h) ? String(h) : h.toFixed(1);
}

/** Public subnets: MapPublicIpOnLaunch true on the subnet a reference resolves to. */
export function mapsPublicIp(ctx: CostContext, stack: string, subnetRef: unknown): boolean {
  return ctx.resolver.target(stack, subnetRef)?.properties.MapPublicIpOnLaunch === true;
}
