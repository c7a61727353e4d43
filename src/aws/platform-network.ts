import type * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * What the network stack hands to every other construct: the VPC, its subnets by tier and by id,
 * and one security group per endpoint that owns one (keyed by the endpoint reference, e.g. `db/main`).
 *
 * All security groups live in the network stack so that rules referencing each other never create
 * cross-stack cycles, and so the whole "who may talk to whom" is in one template.
 */
export interface PlatformNetwork {
  readonly vpc: ec2.IVpc;
  /** Subnets of a tier, in AZ order. Throws for an unknown tier (the plan has already checked names). */
  subnetsOf(tier: string): ec2.ISubnet[];
  /** A subnet by its plan id (SubnetPlan.id, e.g. `private-b`). */
  subnet(id: string): ec2.ISubnet;
  /** The security group of an endpoint reference such as `servers/elk`, `lb/public`, `db/main`, `bastion`. */
  securityGroup(ref: string): ec2.ISecurityGroup;
}
