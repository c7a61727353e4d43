/**
 * Exit policy: 0 when nothing in the change is risky, 1 when it opens something to the outside or to
 * a data store, loses data, breaks an intent, adds an error finding, or passes a cost threshold.
 * Each reason is a Risk with a stable code, so a CI log and the JSON say the same thing.
 */
import type { CostDiff } from './cost.js';
import type { DataChange } from './data.js';
import type { FindingsDiff } from './intents.js';
import type { ReachabilityDiff } from './reachability.js';

export interface ChangePolicy {
  /** Fail when the base monthly total grows by more than this many percent. @default - no percentage threshold */
  readonly maxCostIncreasePercent?: number;
  /** Fail when the base monthly total grows by more than this many USD. @default - no amount threshold */
  readonly maxCostIncreaseUsd?: number;
  /** Also fail on flows newly allowed between two ends inside the VPC (not only from outside or to data). @default false */
  readonly failOnInternalFlows?: boolean;
}

export type RiskCode = 'R_EXPOSED' | 'R_DATA_REACHABLE' | 'R_OPENED' | 'R_DATA_LOST' | 'R_INTENT_BROKEN' | 'R_NEW_FINDING' | 'R_COST'
  /** A deploy CloudFormation would refuse or that needs --allow-replace (src/analyse/plan). */
  | 'R_CLOUDFORMATION';

export interface Risk {
  readonly code: RiskCode;
  readonly text: string;
}

export interface Verdict {
  readonly risky: boolean;
  readonly exitCode: 0 | 1;
  readonly risks: readonly Risk[];
  /** The one line a reviewer reads first. */
  readonly headline: string;
}

const DATA_KINDS = new Set(['database', 'file-system']);

/** `10%` → { percent: 10 }, `$50` or `50usd` → { usd: 50 }; undefined for anything else. */
export function parseCostThreshold(text: string): { percent: number } | { usd: number } | undefined {
  const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  if (percent) return { percent: Number(percent[1]) };
  const usd = /^\s*\$?\s*(\d+(?:\.\d+)?)\s*(?:usd)?\s*$/i.exec(text);
  return usd ? { usd: Number(usd[1]) } : undefined;
}

export interface VerdictInput {
  readonly reachability: ReachabilityDiff;
  readonly findings: FindingsDiff;
  readonly data: readonly DataChange[];
  readonly cost: CostDiff | undefined;
  /** Risks other sections found (the CloudFormation change list: replacements, refused operations). */
  readonly extra?: readonly Risk[];
}

export function judge(input: VerdictInput, policy: ChangePolicy = {}): Verdict {
  const risks: Risk[] = [];
  for (const f of input.reachability.opened) {
    if (f.outside) risks.push({ code: 'R_EXPOSED', text: f.sentence });
    else if (DATA_KINDS.has(f.toKind)) risks.push({ code: 'R_DATA_REACHABLE', text: f.sentence });
    else if (policy.failOnInternalFlows) risks.push({ code: 'R_OPENED', text: f.sentence });
  }
  for (const d of input.data) if (d.fate === 'lost') risks.push({ code: 'R_DATA_LOST', text: `${d.address} (${d.kind}) is removed and its data with it: ${d.why}` });
  for (const i of input.findings.intents) if (i.after === 'violation') risks.push({ code: 'R_INTENT_BROKEN', text: `intent "${i.name}" ${i.before === 'violation' ? 'still fails' : 'now fails'}: ${i.message ?? i.text}` });
  for (const f of input.findings.added) if (f.level === 'error' && f.status === 'violation') risks.push({ code: 'R_NEW_FINDING', text: `${f.ruleId}: ${f.message}` });
  const cost = input.cost;
  if (cost) {
    if (policy.maxCostIncreasePercent !== undefined && cost.percent !== undefined && cost.percent > policy.maxCostIncreasePercent) {
      risks.push({ code: 'R_COST', text: `monthly cost grows ${cost.percent.toFixed(1)} % (more than the ${policy.maxCostIncreasePercent} % allowed)` });
    }
    if (policy.maxCostIncreaseUsd !== undefined && cost.delta.base > policy.maxCostIncreaseUsd) {
      risks.push({ code: 'R_COST', text: `monthly cost grows $${cost.delta.base.toFixed(2)} (more than the $${policy.maxCostIncreaseUsd} allowed)` });
    }
  }
  risks.push(...(input.extra ?? []));
  // An intent that was already broken before the change is not this change's doing, but it still fails the gate.
  const risky = risks.length > 0;
  return { risky, exitCode: risky ? 1 : 0, risks, headline: headline(risks, input) };
}

function usdSigned(n: number): string {
  return `${n < 0 ? '−' : '+'}$${Math.abs(n).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
}

function headline(risks: readonly Risk[], input: VerdictInput): string {
  const parts: string[] = [];
  const r = input.reachability;
  if (r.opened.length || r.closed.length) parts.push(`${r.opened.length} flow${r.opened.length === 1 ? '' : 's'} opened, ${r.closed.length} closed`);
  const c = input.cost;
  if (c && Math.abs(c.delta.base) >= 0.5) parts.push(`${usdSigned(c.delta.base)}/month${c.percent !== undefined ? ` (${c.percent > 0 ? '+' : ''}${c.percent.toFixed(1)} %)` : ''}`);
  const summary = parts.length ? parts.join('; ') : 'no change to reachability or cost';
  if (risks.length === 0) return `✅ Nothing risky: ${summary}.`;
  const first = risks[0]!.text;
  return `⚠️ Needs attention (${risks.length} risk${risks.length === 1 ? '' : 's'}): ${first}${risks.length > 1 ? ` (+${risks.length - 1} more)` : ''}. ${summary[0]!.toUpperCase()}${summary.slice(1)}.`;
}
