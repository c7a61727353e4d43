/**
 * The vocabulary of `plinth cost`, in Infracost's shape: a resource has cost components, each a unit
 * price times a monthly quantity. Prices come from a sourced table; quantities from the template,
 * the usage file and the schedules.
 */

/** 730 hours: the month every AWS price page and Infracost use (8,760 h / 12). */
export const HOURS_PER_MONTH = 730;
/** 168 hours. */
export const HOURS_PER_WEEK = 168;

export type Layer = 'network' | 'compute' | 'cluster' | 'data' | 'edge';
export const LAYERS: readonly Layer[] = ['network', 'compute', 'cluster', 'data', 'edge'];

export type Profile = 'low' | 'base' | 'high';
export const PROFILES: readonly Profile[] = ['low', 'base', 'high'];

export interface PriceSource {
  readonly url: string;
  readonly title: string;
  readonly retrieved: string;
  readonly via?: string;
}

export interface PriceEntry {
  readonly usd: number;
  readonly unit: string;
  /** A key of `PriceTable.sources`. */
  readonly source: string;
  /** What the source says, word for word where it could be quoted. */
  readonly quote: string;
}

export interface PriceTable {
  readonly region: string;
  readonly currency: 'USD';
  /** ISO date of the oldest source in the table. */
  readonly effectiveDate: string;
  readonly sources: Readonly<Record<string, PriceSource>>;
  readonly prices: Readonly<Record<string, PriceEntry>>;
}

export type Quantity = number | Readonly<Record<Profile, number>>;

/** One line of the estimate: e.g. "Instance usage (t3.medium)" 730 hours × $0.052. */
export interface CostComponent {
  readonly name: string;
  /** The unit the quantity is counted in: hours, GB, GB-month, 1M requests... */
  readonly unit: string;
  /** The price-table key; absent when the component is free by rule. */
  readonly priceKey?: string;
  /** USD per unit; undefined when the table has no sourced price (the component is unpriced). */
  readonly unitPrice?: number;
  /** Monthly quantity (per profile for usage-based components), after schedules. */
  readonly quantity: Readonly<Record<Profile, number>>;
  /** Monthly quantity before schedules, when a schedule reduced it. */
  readonly unscheduledQuantity?: number;
  /** USD per month per profile; undefined when unpriced. */
  readonly monthly?: Readonly<Record<Profile, number>>;
  /** USD per month the schedules save (base profile). */
  readonly savings?: number;
  readonly kind: 'fixed' | 'usage';
  /** Assumptions the number rests on (Spot at on-demand price, default node disk type...). */
  readonly notes: readonly string[];
}

export type Classification = 'priced' | 'free' | 'unpriced';

export interface ResourceCost {
  /** `Stack/LogicalId`, or `k8s/<ns>/<kind>/<name>` for runtime resources. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly layer: Layer;
  readonly classification: Classification;
  /** Why the resource is free or unpriced, in one sentence. */
  readonly reason?: string;
  readonly components: readonly CostComponent[];
  readonly flags: readonly string[];
}

export interface Estimate {
  readonly region: string;
  readonly profile: Profile;
  /** The price table used: its date (that of its oldest source), how old it is on `today`, and the day counted from. */
  readonly table: { readonly region: string; readonly effectiveDate: string; readonly ageDays: number; readonly today: string };
  readonly resources: readonly ResourceCost[];
  readonly totals: Readonly<Record<Profile, number>>;
  /** Fixed part of the base total (always-on charges). */
  readonly fixedMonthly: number;
  readonly savingsMonthly: number;
  readonly unpriced: readonly { readonly address: string; readonly type: string; readonly reason: string }[];
  readonly warnings: readonly string[];
}
