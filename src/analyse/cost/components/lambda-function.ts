/**
 * AWS::Lambda::Function: requests and GB-seconds (memory × average duration) from the usage file.
 * Functions that only serve CloudFormation custom resources (the CDK provider framework, kubectl
 * handlers) run during deployments and are free here.
 */
import type { CfnResource } from '../model.js';
import { num } from '../model.js';
import { derivedUsageLine, usageLine, type CostContext, type CostRule } from '../rule.js';

/** Addresses of functions a custom resource's ServiceToken reaches, directly or through one provider function. */
export function deployTimeFunctions(ctx: CostContext): Set<string> {
  const found = new Set<string>();
  const refs = (stack: string, value: unknown, out: Set<string>) => {
    const target = ctx.resolver.target(stack, value);
    if (target?.type === 'AWS::Lambda::Function') out.add(target.address);
    if (value && typeof value === 'object') for (const v of Object.values(value as object)) refs(stack, v, out);
  };
  for (const r of ctx.model.resources.filter((x) => x.type.startsWith('Custom::') || x.type === 'AWS::CloudFormation::CustomResource')) {
    refs(r.stack, r.properties.ServiceToken, found);
  }
  for (const address of [...found]) {
    const fn = ctx.resolver.byAddress(address);
    if (fn) refs(fn.stack, fn.properties.Environment, found);
  }
  return found;
}

let cached: { ctx: CostContext; set: Set<string> } | undefined;

export const lambdaFunction: CostRule = {
  types: ['AWS::Lambda::Function'],
  layer: 'compute',
  cost(r: CfnResource, ctx) {
    if (cached?.ctx !== ctx) cached = { ctx, set: deployTimeFunctions(ctx) };
    if (cached.set.has(r.address)) return { components: [], free: 'runs only when CloudFormation creates, updates or deletes a custom resource' };
    const memoryGB = (num(r.properties.MemorySize) ?? 128) / 1024;
    const requests = ctx.usage.get('lambda.requestsM', r.address);
    const duration = ctx.usage.get('lambda.durationMs', r.address);
    const gbSeconds = (p: 'low' | 'base' | 'high') => requests[p] * 1e6 * memoryGB * (duration[p] / 1000);
    return {
      components: [
        usageLine(ctx, 'Requests', '1M requests', 'lambda.requests', 'lambda.requestsM', r.address),
        derivedUsageLine(ctx, `Duration (${memoryGB * 1024} MB)`, 'GB-seconds', 'lambda.gbSecond', { low: gbSeconds('low'), base: gbSeconds('base'), high: gbSeconds('high') }, [
          `usage: lambda.requestsM × lambda.durationMs × ${memoryGB * 1024} MB = ${gbSeconds('low')} / ${gbSeconds('base')} / ${gbSeconds('high')} GB-seconds (low / base / high)`,
        ]),
      ],
    };
  },
};
