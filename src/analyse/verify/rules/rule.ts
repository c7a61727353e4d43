/**
 * The shape of a built-in invariant: one rule, one file, one pure function over the model. A rule
 * reports violations, and "unknown" where the answer depends on something the model could not
 * resolve; it never reports a pass it could not prove (no finding means the invariant holds).
 */
import type { Plan } from '../../../plan/types.js';
import type { Engine, Source } from '../../model/engine/reach.js';
import type { Finding, Level } from '../findings.js';
import type { Model } from '../../model/types.js';
import { INTERNET } from '../../model/packets.js';

export interface RuleContext {
  readonly model: Model;
  readonly engine: Engine;
  /** The plan, when verify was given a spec: what the user declared. */
  readonly plan: Plan | undefined;
  /**
   * Classes that intents given without a spec (verify --intents) let the internet or an outside
   * address reach: declared public, as the spec's flows declare them.
   */
  readonly declaredPublic?: ReadonlySet<string>;
}

export interface VerifyRule {
  /** Stable id, e.g. `PV3`. */
  readonly id: string;
  /** The rule's name, which is its file's name. */
  readonly name: string;
  readonly level: Level;
  /** What makes it fire. */
  readonly cause: string;
  /** Why it matters. */
  readonly why: string;
  check(ctx: RuleContext): Finding[];
}

export type FindingFields = Omit<Finding, 'ruleId' | 'ruleName' | 'level'>;

export function findingOf(rule: Pick<VerifyRule, 'id' | 'name' | 'level'>, fields: FindingFields): Finding {
  return { ruleId: rule.id, ruleName: rule.name, level: rule.level, ...fields };
}

export const INTERNET_SOURCE: Source = { kind: 'external', name: 'internet', peers: INTERNET, via: ['igw'] };

/** More addresses than this (a /24) is "the internet" for administration ports. */
export const ADMIN_SOURCE_LIMIT = 256;

export function addressCount(ranges: readonly (readonly [number, number])[]): number {
  return ranges.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
}
