/**
 * The estimate: every resource in the model is priced by its rule, declared free, or listed as
 * unpriced. Never silently dropped.
 */
import { FREE_TYPES, freeReason, RULES_BY_TYPE, RUNTIME_RULES } from './components/index.js';
import { ModelError, Resolver, type CfnResource, type Model } from './model.js';
import { loadPriceTable, staleTableWarning, tableAgeDays } from './prices.js';
import type { CostContext } from './rule.js';
import { round } from './rule.js';
import { readSchedules } from './schedule.js';
import { PROFILES, type CostComponent, type Estimate, type Layer, type PriceTable, type Profile, type ResourceCost } from './types.js';
import { defaultUsage, type Usage } from './usage.js';

export interface EstimateOptions {
  /** Overrides the model's region (needed for bare templates). */
  readonly region?: string;
  readonly table?: PriceTable;
  readonly usage?: Usage;
  /** "Today", for table age, EKS support windows and time-zone offsets. */
  readonly now?: Date;
}

export function estimate(model: Model, options: EstimateOptions = {}): Estimate {
  const region = options.region ?? model.region ?? options.table?.region;
  if (!region) throw new ModelError('E_NO_REGION: the input does not say its region (bare templates carry none); pass --region, e.g. --region ap-northeast-2.');
  const table = options.table ?? loadPriceTable(region);
  const now = options.now ?? new Date();
  const usage = options.usage ?? defaultUsage();
  const resolver = new Resolver(model);
  const schedules = readSchedules(resolver.ofType('AWS::Scheduler::Schedule'), resolver, now);
  const flowLogGroups = new Set(resolver.ofType('AWS::EC2::FlowLog').map((f) => resolver.target(f.stack, f.properties.LogGroupName ?? f.properties.LogDestination)?.address).filter((a): a is string => !!a));
  const ctx: CostContext = { table, usage, model, resolver, schedules, now, flowLogGroups };

  const resources: ResourceCost[] = model.resources.map((r) => costOf(r, ctx));
  for (const rule of RUNTIME_RULES) {
    for (const rt of rule.cost(model.k8s, ctx)) {
      resources.push({ address: rt.address, type: rt.type, name: rt.name, layer: rt.layer, components: rt.components, flags: rt.flags, ...classify(rt.components, rt.free) });
    }
  }

  const totals = { low: 0, base: 0, high: 0 } as Record<Profile, number>;
  let fixedMonthly = 0;
  let savingsMonthly = 0;
  const unpriced: { address: string; type: string; reason: string }[] = [];
  for (const r of resources) {
    if (r.classification === 'unpriced' && r.components.length === 0) unpriced.push({ address: r.address, type: r.type, reason: r.reason ?? 'not priced' });
    for (const c of r.components) {
      if (!c.monthly) {
        unpriced.push({ address: r.address, type: r.type, reason: `${c.name}: ${c.notes[c.notes.length - 1] ?? 'no price'}` });
        continue;
      }
      for (const p of PROFILES) totals[p] += c.monthly[p];
      if (c.kind === 'fixed') fixedMonthly += c.monthly.base;
      savingsMonthly += c.savings ?? 0;
    }
  }
  const warnings = [staleTableWarning(table, now), ...schedules.warnings, ...(model.notes ?? [])].filter((w): w is string => !!w);
  return {
    region,
    profile: usage.profile,
    table: { region: table.region, effectiveDate: table.effectiveDate, ageDays: tableAgeDays(table, now), today: now.toISOString().slice(0, 10) },
    resources,
    totals: { low: round(totals.low), base: round(totals.base), high: round(totals.high) },
    fixedMonthly: round(fixedMonthly),
    savingsMonthly: round(savingsMonthly),
    unpriced,
    warnings,
  };
}

function costOf(r: CfnResource, ctx: CostContext): ResourceCost {
  const rule = RULES_BY_TYPE.get(r.type);
  const name = nameOf(r);
  if (rule) {
    const result = rule.cost(r, ctx);
    return { address: r.address, type: r.type, name, layer: rule.layer, components: result.components, flags: result.flags ?? [], ...classify(result.components, result.free) };
  }
  const free = freeReason(r.type);
  if (free) return { address: r.address, type: r.type, name, layer: layerOfType(r.type), classification: 'free', reason: free, components: [], flags: [] };
  return { address: r.address, type: r.type, name, layer: layerOfType(r.type), classification: 'unpriced', reason: `plinth has no cost rule for ${r.type}`, components: [], flags: [] };
}

function classify(components: readonly CostComponent[], free: string | undefined): Pick<ResourceCost, 'classification' | 'reason'> {
  if (free !== undefined && components.length === 0) return { classification: 'free', reason: free };
  if (components.some((c) => c.monthly)) return { classification: 'priced' };
  return { classification: 'unpriced', reason: components.length ? 'no sourced price for any of its charges' : 'not priced' };
}

function nameOf(r: CfnResource): string {
  const tags = Array.isArray(r.properties.Tags) ? (r.properties.Tags as { Key: string; Value: unknown }[]) : [];
  const tagName = tags.find((t) => t.Key === 'Name')?.Value;
  const named = [r.properties.Name, r.properties.RepositoryName, r.properties.DBInstanceIdentifier, r.properties.NodegroupName, typeof tagName === 'string' ? tagName : undefined]
    .find((v) => typeof v === 'string');
  return (named as string | undefined) ?? r.logicalId;
}

/** Layer of a type without a rule (free or unknown): only used to group the free count. */
export function layerOfType(type: string): Layer {
  if (/^AWS::(EKS|Scheduler)::/.test(type)) return 'cluster';
  if (/^AWS::(RDS|EFS|S3|ECR|SecretsManager|KMS|Logs|DynamoDB)::/.test(type)) return 'data';
  if (/^AWS::(ElasticLoadBalancingV2|Route53|CertificateManager|CloudFront)::/.test(type)) return 'edge';
  if (/^AWS::EC2::(Instance|LaunchTemplate|Volume|KeyPair)$|^AWS::(Lambda|IAM|SSM|CloudFormation|CDK)::|^Custom::/.test(type)) return 'compute';
  return 'network';
}

/** Every type plinth knows: priced by a rule or free by rule. */
export function knownTypes(): string[] {
  return [...RULES_BY_TYPE.keys(), ...Object.keys(FREE_TYPES)].sort();
}
