/**
 * Custom::AWSCDK-EKS-Cluster, the cluster of aws-cdk-lib's older aws-eks module: a custom resource
 * whose Config goes as is to EKS CreateCluster (aws-eks/lib/cluster-resource.ts), so it is billed
 * exactly like AWS::EKS::Cluster (its control-plane hour). Counting it as a free custom resource
 * would leave $73 a month out.
 */
import { str } from '../model.js';
import { hourlyLine, type CostRule } from '../rule.js';
import { eksSupport } from './eks-cluster.js';

export const cdkEksCluster: CostRule = {
  types: ['Custom::AWSCDK-EKS-Cluster'],
  layer: 'cluster',
  cost(r, ctx) {
    const config = (r.properties.Config ?? {}) as Record<string, unknown>;
    const version = str(config.version);
    const support = eksSupport(version, str((config.upgradePolicy as Record<string, unknown> | undefined)?.supportType), ctx.now);
    const components = [hourlyLine(ctx, `EKS control plane (Kubernetes ${version ?? '?'}, CDK custom resource)`, 'eks.cluster.hour', 1, { notes: [support.why] })];
    const flags: string[] = [];
    if (support.state === 'extended') {
      components.push(hourlyLine(ctx, 'EKS extended support surcharge', 'eks.cluster.extendedSupport.hour', 1, { notes: [support.why] }));
      flags.push(`EXTENDED SUPPORT: ${support.why}`);
    }
    if (support.state === 'unknown') flags.push(support.why);
    return { components, flags };
  },
};
