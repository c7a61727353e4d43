/**
 * Attachment to an existing Transit Gateway (owned elsewhere, often by a network account) and static
 * routes to it from the chosen tiers.
 */
import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { TransitGatewayPlan } from '../plan/types.js';
import { cidrId, constructIdOf } from './construct-id.js';

export interface TransitGatewayRoutesProps {
  /** The VPC attached to the Transit Gateway. */
  readonly vpcId: string;
  /** The existing Transit Gateway's id and the CIDRs routed to it. */
  readonly transitGateway: TransitGatewayPlan;
  /** Subnets of the attachment tier: one per AZ, where the attachment places its interfaces. */
  readonly attachmentSubnets: readonly ec2.ISubnet[];
  /** Subnets whose route tables send `routes` to the Transit Gateway, keyed by a stable id. */
  readonly routedSubnets: ReadonlyMap<string, ec2.ISubnet>;
  /** Prefix of Name tags, e.g. `nemo`. */
  readonly namePrefix: string;
}

export class TransitGatewayRoutes extends Construct {
  public readonly attachment: ec2.CfnTransitGatewayAttachment;

  public constructor(scope: Construct, id: string, props: TransitGatewayRoutesProps) {
    super(scope, id);
    const tgw = props.transitGateway;
    this.attachment = new ec2.CfnTransitGatewayAttachment(this, 'Attachment', {
      transitGatewayId: tgw.id,
      vpcId: props.vpcId,
      subnetIds: props.attachmentSubnets.map((s) => s.subnetId),
    });
    Tags.of(this.attachment).add('Name', `${props.namePrefix}-tgw-attachment`);

    for (const [subnetId, subnet] of props.routedSubnets) {
      for (const cidr of tgw.routes) {
        const route = new ec2.CfnRoute(this, `${constructIdOf(subnetId)}-${cidrId(cidr)}`, {
          routeTableId: subnet.routeTable.routeTableId,
          destinationCidrBlock: cidr,
          transitGatewayId: tgw.id,
        });
        // A route to a Transit Gateway is rejected until the VPC is attached to it; the id alone is
        // a literal, so CloudFormation would not infer the order.
        route.addResourceDependency(this.attachment);
      }
    }
  }
}
