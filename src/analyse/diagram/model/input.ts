/**
 * What a diagram is drawn from: the synthesized templates and the network model verify builds from
 * them (with the rendered manifests), verify's findings on them, and, when the input was a spec, the
 * plan (its flows make verify's "only the declared flows" check possible).
 */
import type { Plan } from '../../../plan/types.js';
import type { StackTemplate } from '../../input/templates.js';
import type { Finding } from '../../verify/findings.js';
import type { K8sModel } from '../../model/k8s-types.js';
import type { Model } from '../../model/types.js';
import type { Manifests } from './manifests.js';
import type { FlowFact } from './flows.js';
import type { RuleInfo, Verdict } from './verdicts.js';

export interface DiagramInput {
  readonly title: string;
  readonly templates: readonly StackTemplate[];
  readonly model: Model;
  /** The plan, when the input was a spec; undefined for templates plinth did not write (only invariants apply). */
  readonly plan: Plan | undefined;
  readonly k8s: K8sModel | undefined;
  /** Rendered Kubernetes manifests, when the input has them. */
  readonly manifests: Manifests | undefined;
}

/** What verify says about the input, computed once for every view. */
export interface Analysis {
  readonly facts: readonly FlowFact[];
  readonly verdicts: readonly Verdict[];
  /** Findings with no two ends to draw between. */
  readonly unplaced: readonly Finding[];
  readonly rules: readonly RuleInfo[];
}
