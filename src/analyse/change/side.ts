/**
 * One side of a change: a cloud assembly (with its rendered manifests) analysed once, so every
 * section of the review reads the same results. Pure over files: the caller synthesizes a spec first.
 */
import { estimate, readModel, type Estimate, type Model as CostModel } from '../cost/index.js';
import type { Plan } from '../../plan/types.js';
import type { IntentPlan } from '../../plan/intents.js';
import { loadInputs, verifyTemplates, type VerifyOptions, type VerifyReport } from '../verify/index.js';
import type { StackTemplate } from '../input/templates.js';
import { Engine } from '../model/engine/reach.js';
import { buildModel } from '../model/build.js';
import type { K8sModel } from '../model/k8s-types.js';
import type { Model } from '../model/types.js';
import { flowTable, type FlowTable } from './flows.js';
import { statedNetworkOf, trustedGroupsOf } from '../model/stated-network.js';

export interface AnalysedSide {
  /** How the review names this side: `main`, `this change`, a directory. */
  readonly label: string;
  readonly dir: string;
  readonly templates: readonly StackTemplate[];
  readonly k8s: K8sModel | undefined;
  /** The plan, when the side came from a spec: its flows and intents are checked. */
  readonly plan: Plan | undefined;
  /** verify's network model and engine (the same ones verify and diagram use). */
  readonly model: Model;
  readonly engine: Engine;
  /** Every allowed flow between the model's ends, keyed by stable names. */
  readonly flows: FlowTable;
  readonly verify: VerifyReport;
  /** Resources and raw Kubernetes objects, as cost reads them. */
  readonly resources: CostModel;
  /** Undefined when the input does not say its region (bare templates); `costError` says why. */
  readonly cost: Estimate | undefined;
  readonly costError: string | undefined;
}

export interface SideOptions {
  readonly label: string;
  readonly plan?: Plan;
  /**
   * Intents to check besides the side's own plan's. The review passes the new spec's intents to the
   * old side too, so "intents whose status changed" compares one statement on two versions.
   */
  readonly intents?: readonly IntentPlan[];
  /** "Today", for the cost estimate's table age and support windows. */
  readonly now?: Date;
  readonly region?: string;
  /** Where a spec path is written, so findings point at the spec's line. */
  readonly locate?: VerifyOptions['locate'];
}

/** Reads and analyses a cloud assembly directory (manifests under DIR/k8s). */
export function analyseSide(dir: string, options: SideOptions): AnalysedSide {
  const loaded = loadInputs([dir]);
  const plan = options.plan;
  const model = buildModel(loaded.templates, {
    k8s: loaded.k8s,
    declaredTiers: plan?.network.tiers.flatMap((t) => t.subnets.map((s) => ({ cidr: s.cidr, tier: t.type, name: t.name }))),
    // As verify builds it: an existing VPC's stated subnets, and the trusted groups' members placed in them.
    stated: statedNetworkOf(plan),
    trusted: trustedGroupsOf(plan),
  });
  const engine = new Engine(model);
  const ownIntents = new Set((plan?.intents ?? []).map((i) => i.text));
  const extra = (options.intents ?? []).filter((i) => !ownIntents.has(i.text));
  const verify = verifyTemplates(loaded.templates, { plan, intents: extra, k8s: loaded.k8s, locate: options.locate }, loaded.inputs);
  const resources = readModel([dir]);
  let cost: Estimate | undefined;
  let costError: string | undefined;
  try {
    cost = estimate(resources, { now: options.now, region: options.region });
  } catch (e) {
    costError = (e as Error).message;
  }
  return {
    label: options.label, dir, templates: loaded.templates, k8s: loaded.k8s, plan, model, engine,
    flows: flowTable(model, engine), verify, resources, cost, costError,
  };
}
