/**
 * Support for narrow-props tests, which build one construct with no plan: a bare stack, and a
 * PlatformNetwork from a few values (an imported VPC, imported subnets per tier with plan-style ids
 * such as `private-a`, an imported security group per endpoint reference).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { PlatformNetwork } from '../../../src/aws/platform-network.js';

/**
 * A stack in an app of its own, without aws-cdk-lib's bundled CloudFormation validator (seconds of CPU
 * per synth; the examples' tests run it on whole platforms).
 */
export function bareStack(id = 'Stack'): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), id, { env: { region: 'eu-west-1' } });
}

/** Tiers and the AZs their subnets are in; `private-a` is the private tier's subnet in the first AZ's `a`. */
export function bareNetwork(stack: Stack, tiers: Readonly<Record<string, readonly string[]>> = { private: ['eu-west-1a', 'eu-west-1b'] }): PlatformNetwork {
  const azs = [...new Set(Object.values(tiers).flat())].sort();
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0bare0000000000001', vpcCidrBlock: '10.0.0.0/16', availabilityZones: azs });
  const byTier = new Map<string, ec2.ISubnet[]>();
  const byId = new Map<string, ec2.ISubnet>();
  let n = 0;
  for (const [tier, tierAzs] of Object.entries(tiers)) {
    byTier.set(tier, tierAzs.map((az) => {
      const id = `${tier}-${az.slice(-1)}`;
      const subnet = ec2.Subnet.fromSubnetAttributes(stack, `Subnet-${id}`, {
        subnetId: `subnet-0bare${String(n).padStart(12, '0')}`, routeTableId: `rtb-0bare${String(n).padStart(12, '0')}`,
        availabilityZone: az, ipv4CidrBlock: `10.0.${n++}.0/24`,
      });
      byId.set(id, subnet);
      return subnet;
    }));
  }
  const groups = new Map<string, ec2.ISecurityGroup>();
  return {
    vpc,
    subnetsOf: (tier) => {
      const subnets = byTier.get(tier);
      if (!subnets) throw new Error(`bareNetwork: no tier ${tier}`);
      return subnets;
    },
    subnet: (id) => {
      const subnet = byId.get(id);
      if (!subnet) throw new Error(`bareNetwork: no subnet ${id}`);
      return subnet;
    },
    securityGroup: (ref) => {
      let group = groups.get(ref);
      if (!group) {
        group = ec2.SecurityGroup.fromSecurityGroupId(stack, `Sg-${ref.replace(/[^A-Za-z0-9-]/g, '-')}`, `sg-0bare${String(groups.size).padStart(12, '0')}`, { mutable: false });
        groups.set(ref, group);
      }
      return group;
    },
  };
}
