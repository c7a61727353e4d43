/**
 * The change review: two analysed versions in, every section out, plus the verdict. Each section is
 * a pure diff over the two sides' results, so `plinth plan` can put them beside its CloudFormation
 * change list and feed that list's risks into the same verdict (`extra`).
 */
import { diffCost, type CostDiff } from './cost.js';
import { diffData, type DataChange } from './data.js';
import { diffFindings, type FindingsDiff } from './intents.js';
import { diffKubernetes, type KubernetesDiff } from './kubernetes.js';
import { judge, type ChangePolicy, type Risk, type Verdict } from './policy.js';
import { diffReachability, type ReachabilityDiff } from './reachability.js';
import type { AnalysedSide } from './side.js';

export interface ChangeReview {
  readonly before: { readonly label: string; readonly dir: string };
  readonly after: { readonly label: string; readonly dir: string };
  readonly verdict: Verdict;
  readonly reachability: ReachabilityDiff;
  readonly findings: FindingsDiff;
  /** Undefined when a side could not be priced; `costNote` says why. */
  readonly cost: CostDiff | undefined;
  readonly costNote: string | undefined;
  readonly kubernetes: KubernetesDiff;
  readonly data: readonly DataChange[];
  readonly durationMs: number;
}

export function reviewChange(before: AnalysedSide, after: AnalysedSide, policy: ChangePolicy = {}, extra: readonly Risk[] = []): ChangeReview {
  const started = performance.now();
  const reachability = diffReachability(before, after);
  const findings = diffFindings(before, after);
  const cost = before.cost && after.cost ? diffCost(before.cost, after.cost) : undefined;
  const costNote = cost ? undefined : `cost not compared: ${before.costError ?? after.costError ?? 'a side has no estimate'}`;
  const kubernetes = diffKubernetes(before, after);
  const data = diffData(before, after);
  const verdict = judge({ reachability, findings, data, cost, extra }, policy);
  return {
    before: { label: before.label, dir: before.dir }, after: { label: after.label, dir: after.dir },
    verdict, reachability, findings, cost, costNote, kubernetes, data, durationMs: performance.now() - started,
  };
}
