/**
 * Site-to-site VPN: one virtual private gateway shared by every connection, and per site a customer
 * gateway and a static-routes-only IPsec connection. The remote networks reach the route tables of the
 * chosen tiers by propagation, so a route added on the AWS side of a connection needs no template change.
 */
import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { SiteVpnPlan } from '../plan/types.js';
import { cidrId, constructIdOf } from './construct-id.js';

export interface SiteVpnsProps {
  /** The VPC the virtual private gateway is attached to. */
  readonly vpcId: string;
  /** The site-to-site connections, each with its customer gateway, static routes and route tiers. */
  readonly vpns: readonly SiteVpnPlan[];
  /** Route table ids by tier name, for the tiers the connections name in `routeTiers`. */
  readonly routeTablesOf: (tier: string) => readonly string[];
  /** Prefix of Name tags, e.g. `nemo`. */
  readonly namePrefix: string;
}

export class SiteVpns extends Construct {
  public readonly vpnGateway: ec2.CfnVPNGateway;

  public constructor(scope: Construct, id: string, props: SiteVpnsProps) {
    super(scope, id);
    this.vpnGateway = new ec2.CfnVPNGateway(this, 'VpnGateway', { type: 'ipsec.1' });
    Tags.of(this.vpnGateway).add('Name', `${props.namePrefix}-vgw`);
    const attachment = new ec2.CfnVPCGatewayAttachment(this, 'VpnGatewayAttachment', {
      vpcId: props.vpcId,
      vpnGatewayId: this.vpnGateway.ref,
    });

    for (const vpn of props.vpns) {
      const site = new Construct(this, constructIdOf(vpn.name));
      const customerGateway = new ec2.CfnCustomerGateway(site, 'CustomerGateway', {
        ipAddress: vpn.customerGatewayIp,
        bgpAsn: vpn.bgpAsn,
        type: 'ipsec.1',
      });
      Tags.of(site).add('Name', `${props.namePrefix}-${vpn.name}`);
      const connection = new ec2.CfnVPNConnection(site, 'Connection', {
        type: 'ipsec.1',
        customerGatewayId: customerGateway.ref,
        vpnGatewayId: this.vpnGateway.ref,
        staticRoutesOnly: true,
      });
      for (const cidr of vpn.remoteCidrs) {
        new ec2.CfnVPNConnectionRoute(site, `Route-${cidrId(cidr)}`, {
          vpnConnectionId: connection.ref,
          destinationCidrBlock: cidr,
        });
      }
    }

    // Propagation is per gateway, not per connection: a route table that learns from the shared
    // gateway learns every site's networks, so the tables are the union of all connections' tiers.
    const routeTableIds = [...new Set(props.vpns.flatMap((v) => v.routeTiers.flatMap((tier) => props.routeTablesOf(tier))))];
    if (routeTableIds.length > 0) {
      const propagation = new ec2.CfnVPNGatewayRoutePropagation(this, 'RoutePropagation', {
        vpnGatewayId: this.vpnGateway.ref,
        routeTableIds,
      });
      // Propagation fails until the gateway is attached to the VPC, and nothing in its properties says so.
      propagation.addResourceDependency(attachment);
    }
  }
}
