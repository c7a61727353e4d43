/**
 * AWS::EKS::Cluster: the control plane hour, plus the extended-support surcharge once the cluster's
 * Kubernetes version has left standard support and UpgradePolicy.SupportType is EXTENDED (the
 * CloudFormation default). Extended support is flagged: it multiplies the control plane by six.
 */
import { eksVersion } from '../../../plan/calendar/eks.js';
import { str } from '../model.js';
import { hourlyLine, type CostRule } from '../rule.js';

export type SupportState = 'standard' | 'extended' | 'unknown';

/** Which support tier a version is billed in on `now`. */
export function eksSupport(version: string | undefined, supportType: string | undefined, now: Date): { state: SupportState; why: string } {
  if (!version) return { state: 'unknown', why: 'the Kubernetes version is not a literal' };
  const end = eksVersion(version)?.standardSupportEnds;
  if (!end) return { state: 'unknown', why: `Kubernetes ${version} is not in plinth's EKS calendar (src/plan/calendar/eks.ts); priced as standard support` };
  if (now.getTime() < Date.parse(`${end}T00:00:00Z`)) return { state: 'standard', why: `Kubernetes ${version} is in standard support until ${end}` };
  if ((supportType ?? 'EXTENDED') === 'STANDARD') return { state: 'standard', why: `Kubernetes ${version} left standard support on ${end}; SupportType STANDARD means AWS upgrades the control plane instead of charging extended support` };
  return { state: 'extended', why: `Kubernetes ${version} left standard support on ${end} and SupportType is ${supportType ?? 'EXTENDED (the default)'}` };
}

export const eksCluster: CostRule = {
  types: ['AWS::EKS::Cluster'],
  layer: 'cluster',
  cost(r, ctx) {
    const version = str(r.properties.Version);
    const supportType = str((r.properties.UpgradePolicy as Record<string, unknown> | undefined)?.SupportType);
    const support = eksSupport(version, supportType, ctx.now);
    const components = [hourlyLine(ctx, `EKS control plane (Kubernetes ${version ?? '?'})`, 'eks.cluster.hour', 1, { notes: [support.why] })];
    const flags: string[] = [];
    if (support.state === 'extended') {
      components.push(hourlyLine(ctx, 'EKS extended support surcharge', 'eks.cluster.extendedSupport.hour', 1, { notes: [support.why, 'upgrade the cluster, or set UpgradePolicy.SupportType STANDARD, to stop this charge'] }));
      flags.push(`EXTENDED SUPPORT: ${support.why}; the control plane costs $0.60/h instead of $0.10/h`);
    }
    if (support.state === 'unknown') flags.push(support.why);
    return { components, flags };
  },
};
