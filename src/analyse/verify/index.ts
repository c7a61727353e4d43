/**
 * plinth verify: proves network statements on synthesized CloudFormation (and rendered Kubernetes
 * manifests) before anything is deployed. Pure: templates and manifests in, a report out. It works
 * on any template, plinth's or not; given a plan it also checks the spec's flows and intents.
 *
 *   templates → cfn/ (read, resolve) → model/ (network model) → engine/ (reachability)
 *             → rules/ (built-in invariants) + checks/ (flows, intents) → findings
 */
import type { IntentPlan } from '../../plan/intents.js';
import type { Plan } from '../../plan/types.js';
import type { SourceLocation, SpecPath } from '../../spec/diagnostics.js';
import { readAnalysisInput, type AnalysisInput, type StackTemplate } from '../input/index.js';
import { checkFlows, FLOW_CHECKS } from './checks/flows.js';
import { checkIntents, INTENT_CHECKS } from './checks/intents.js';
import { classesOf, type Selectors } from './checks/selectors.js';
import { Engine } from '../model/engine/reach.js';
import type { CheckSummary, Finding, Level, VerifyReport } from './findings.js';
import { buildModel } from '../model/build.js';
import type { K8sModel } from '../model/k8s-types.js';
import { readManifests } from '../model/k8s.js';
import type { Model } from '../model/types.js';
import type { Assumption } from '../model/assumptions.js';
import { cidrRange, PacketSet } from '../model/packets.js';
import { RULES } from './rules/index.js';
import { statedNetworkOf, trustedGroupsOf } from '../model/stated-network.js';
import { POSTURE_RULES } from './posture/index.js';
import { TemplateResources } from '../model/resources.js';

export interface VerifyOptions {
  /** The plan, when the templates come from a plinth spec: adds the flow and intent checks. */
  readonly plan?: Plan;
  /** Intents to check besides the plan's (for templates without a spec). */
  readonly intents?: readonly IntentPlan[];
  /** Kubernetes objects to include (read with readManifests). */
  readonly k8s?: K8sModel;
  /** Where a spec path is written, for locating flow and intent findings. */
  readonly locate?: (path: SpecPath) => SourceLocation | undefined;
  /**
   * An engine over a model already built from these templates with the same options (the diagram's),
   * so its answers and indexes serve both. @default - verify builds its own
   */
  readonly engine?: Engine;
}

export interface LoadedInputs {
  readonly templates: readonly StackTemplate[];
  readonly k8s: K8sModel | undefined;
  readonly inputs: readonly string[];
}

/** Reads what verify is given, through the shared input layer (src/analyse/input). */
export function loadInputs(paths: readonly string[]): LoadedInputs {
  return withManifests(readAnalysisInput(paths));
}

/** The input's templates with its manifest directories read into one Kubernetes model. */
export function withManifests(input: AnalysisInput): LoadedInputs {
  const manifests = input.manifestDirs.map(readManifests).filter((m): m is K8sModel => m !== undefined);
  const k8s = manifests.length === 0 ? undefined : {
    namespaces: new Map(manifests.flatMap((m) => [...m.namespaces])),
    workloads: manifests.flatMap((m) => m.workloads), services: manifests.flatMap((m) => m.services),
    ingresses: manifests.flatMap((m) => m.ingresses), policies: manifests.flatMap((m) => m.policies), files: manifests.flatMap((m) => m.files),
    customResources: manifests.flatMap((m) => m.customResources ?? []),
  };
  return { templates: input.templates, k8s, inputs: input.inputs };
}

export function verifyTemplates(templates: readonly StackTemplate[], options: VerifyOptions = {}, inputs: readonly string[] = templates.map((t) => t.file)): VerifyReport {
  const started = performance.now();
  const model = options.engine?.model ?? buildModel(templates, {
    k8s: options.k8s,
    declaredTiers: options.plan?.network.tiers.flatMap((t) => t.subnets.map((s) => ({ cidr: s.cidr, tier: t.type, name: t.name }))),
    stated: statedNetworkOf(options.plan),
    trusted: trustedGroupsOf(options.plan),
  });
  const engine = options.engine ?? new Engine(model);
  const context = { model, engine, plan: options.plan, declaredPublic: declaredByIntents(options.intents ?? [], { model, engine, plan: options.plan }) };

  const checks: CheckSummary[] = [];
  const findings: Finding[] = [];
  const summarise = (id: string, name: string, level: Level, found: Finding[]) => {
    const status = found.some((f) => f.status === 'violation') ? 'violation' : found.length > 0 ? 'unknown' : 'holds';
    checks.push({ id, name, level, status, findings: found.length });
    findings.push(...found);
  };
  const notApplicable: VerifyReport['notApplicable'][number][] = [];
  for (const rule of RULES) summarise(rule.id, rule.name, rule.level, rule.check(context));
  const resources = new TemplateResources(templates);
  for (const rule of POSTURE_RULES) summarise(rule.id, rule.name, rule.level, rule.check(resources));
  if (options.plan) {
    const flowFindings = checkFlows(context);
    for (const c of FLOW_CHECKS) summarise(c.id, c.name, c.level, flowFindings.filter((f) => f.ruleId === c.id));
  } else {
    for (const c of FLOW_CHECKS) notApplicable.push({ id: c.id, name: c.name, why: 'no spec was given' });
  }
  const intents = [...(options.plan?.intents ?? []), ...(options.intents ?? [])];
  const intentFindings = intents.length > 0 ? checkIntents(intents, context) : [];
  for (const c of INTENT_CHECKS) {
    // An intent check states nothing until an intent uses its verb.
    if (intents.some((i) => i.verb === c.verb)) summarise(c.id, c.name, c.level, intentFindings.filter((f) => f.ruleId === c.id));
    else notApplicable.push({ id: c.id, name: c.name, why: `no intent says ${c.verb}` });
  }
  const located = options.locate ? findings.map((f) => locateOrigin(f, options.locate!)) : findings;
  return {
    ok: !located.some((f) => f.status === 'violation' && f.level === 'error'),
    inputs,
    checks,
    notApplicable,
    findings: located,
    assumptions: [...model.assumptions, ...existingBucketAssumptions(options.plan, model.assumptions.length)],
    model: summariseModel(model),
    durationMs: performance.now() - started,
  };
}

/** Reads the inputs and verifies them. */
export function verify(paths: readonly string[], options: VerifyOptions = {}): VerifyReport {
  const loaded = loadInputs(paths);
  return verifyTemplates(loaded.templates, { ...options, k8s: options.k8s ?? loaded.k8s }, loaded.inputs);
}

/**
 * Classes an intent lets the internet or an address outside the templates' VPCs reach: the
 * destinations of `reach` intents and the `only` entries of `from: internet` / `from: cidr:` intents.
 */
function declaredByIntents(intents: readonly IntentPlan[], s: Selectors): Set<string> {
  const inside = [...s.model.vpcs.values()].reduce((set, v) => set.union(v.addresses), PacketSet.EMPTY);
  const outside = (ref: string) => ref === 'internet' || (ref.startsWith('cidr:') && (() => {
    const r = cidrRange(ref.slice(5));
    return r !== undefined && PacketSet.peers(...r).intersect(inside).isEmpty();
  })());
  const out = new Set<string>();
  for (const i of intents) {
    if (i.from === '*' || !i.from.some((f) => outside(f.endpoint))) continue;
    const named = i.verb === 'reach' && i.to !== '*' ? i.to : i.verb === 'only' ? i.only : [];
    for (const ref of named) for (const c of classesOf(ref.endpoint, s)) out.add(c.key);
  }
  return out;
}

/**
 * Existing buckets the spec references by name (data.buckets.NAME.existing) are in no template, so the
 * posture rules (public access, encryption, retention) cannot see them: said once per bucket.
 */
function existingBucketAssumptions(plan: Plan | undefined, after: number): Assumption[] {
  return (plan?.buckets ?? []).filter((b) => b.existingName !== undefined).map((b, i) => ({
    id: `A${after + i + 1}`, resource: undefined,
    text: `The bucket ${b.existingName} (data.buckets.${b.name}) exists already: plinth grants access to it by ARN but neither creates nor configures it, `
      + 'so its public access block, encryption and retention are not in the templates and no posture rule checks them.',
  }));
}

function locateOrigin(f: Finding, locate: (path: SpecPath) => SourceLocation | undefined): Finding {
  if (!f.origin) return f;
  const where = locate(f.origin.path);
  return where ? { ...f, origin: { ...f.origin, location: where } } : f;
}

function summariseModel(model: Model): VerifyReport['model'] {
  return {
    vpcs: model.vpcs.size,
    subnets: model.subnets.size,
    securityGroups: [...model.groups.values()].filter((g) => !g.synthetic).length,
    classes: model.classes.length,
    interfaces: model.classes.reduce((n, c) => n + c.count, 0),
  };
}

/** Every check verify can report, for documentation and SARIF rule metadata. */
export function allChecks(): { id: string; name: string; level: Level; cause: string; why: string }[] {
  return [
    ...RULES.map((r) => ({ id: r.id, name: r.name, level: r.level, cause: r.cause, why: r.why })),
    ...POSTURE_RULES.map((r) => ({ id: r.id, name: r.name, level: r.level, cause: r.cause, why: r.why })),
    ...FLOW_CHECKS.map((c) => ({ id: c.id, name: c.name, level: c.level, cause: c.cause, why: c.why })),
    ...INTENT_CHECKS.map((c) => ({ id: c.id, name: c.name, level: c.level, cause: c.cause, why: c.why })),
  ];
}

export { InputError } from '../input/index.js';
export type { VerifyReport, Finding } from './findings.js';
