/** Drains a plinth platform's VPC with the default AWS credential chain, in the platform's region. */
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Plan } from '../plan/types.js';
import { drain, platformVpc, type DrainAction } from './drain.js';

export async function drainPlatform(plan: Plan): Promise<DrainAction[]> {
  const region = plan.platform.region;
  const ec2 = new EC2Client({ region });
  const vpcId = await platformVpc(ec2, plan.platform.name, plan.platform.environment);
  if (!vpcId) return [];
  return drain({ vpcId, clusterName: plan.cluster?.name }, { ec2, elb: new ElasticLoadBalancingV2Client({ region }) });
}
