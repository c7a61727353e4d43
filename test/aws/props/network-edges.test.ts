/** The network's edges from their narrow props, each in a bare stack with no Plan: site VPNs, Transit Gateway routes, client VPN. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ClientVpn } from '../../../src/aws/client-vpn.js';
import { SiteVpns } from '../../../src/aws/site-vpn.js';
import { TransitGatewayRoutes } from '../../../src/aws/transit-gateway.js';
import { bareNetwork, bareStack } from './bare.js';

const VPC = 'vpc-0bare0000000000001';

describe('SiteVpns', () => {
  it('GIVEN two sites routed into two tiers WHEN synthesized THEN one gateway, a static connection per site, and one propagation after the attachment', () => {
    const stack = bareStack('Network');
    new SiteVpns(stack, 'SiteVpns', {
      vpcId: VPC,
      namePrefix: 'shop',
      vpns: [
        { name: 'office', customerGatewayIp: '198.51.100.10', bgpAsn: 65000, remoteCidrs: ['192.168.0.0/24', '192.168.1.0/24'], routeTiers: ['private'] },
        { name: 'factory', customerGatewayIp: '198.51.100.20', bgpAsn: 65001, remoteCidrs: ['192.168.8.0/24'], routeTiers: ['private', 'isolated'] },
      ],
      routeTablesOf: (tier) => (tier === 'private' ? ['rtb-private-a', 'rtb-private-b'] : ['rtb-isolated-a']),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPNGateway', 1);
    template.resourceCountIs('AWS::EC2::VPNConnection', 2);
    template.resourceCountIs('AWS::EC2::VPNConnectionRoute', 3);
    template.hasResourceProperties('AWS::EC2::CustomerGateway', { IpAddress: '198.51.100.20', BgpAsn: 65001, Tags: [{ Key: 'Name', Value: 'shop-factory' }] });
    template.hasResourceProperties('AWS::EC2::VPNConnection', { StaticRoutesOnly: true });
    const [attachment] = Object.keys(template.findResources('AWS::EC2::VPCGatewayAttachment'));
    template.hasResource('AWS::EC2::VPNGatewayRoutePropagation', {
      DependsOn: [attachment],
      Properties: { RouteTableIds: ['rtb-private-a', 'rtb-private-b', 'rtb-isolated-a'] },
    });
  });
});

describe('TransitGatewayRoutes', () => {
  it('GIVEN two routes and two routed subnets THEN an attachment in the attachment subnets and four routes, each after the attachment', () => {
    const stack = bareStack('Network');
    const network = bareNetwork(stack, { private: ['eu-west-1a', 'eu-west-1b'], tgw: ['eu-west-1a', 'eu-west-1b'] });
    new TransitGatewayRoutes(stack, 'TransitGateway', {
      vpcId: VPC,
      namePrefix: 'shop',
      transitGateway: { id: 'tgw-0123456789abcdef0', tier: 'tgw', routes: ['10.100.0.0/16', '10.200.0.0/16'], routeTiers: ['private'] },
      attachmentSubnets: network.subnetsOf('tgw'),
      routedSubnets: new Map(['private-a', 'private-b'].map((id) => [id, network.subnet(id)])),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::TransitGatewayAttachment', {
      TransitGatewayId: 'tgw-0123456789abcdef0', VpcId: VPC, SubnetIds: network.subnetsOf('tgw').map((s) => s.subnetId),
    });
    const [attachment] = Object.keys(template.findResources('AWS::EC2::TransitGatewayAttachment'));
    const routes = Object.values(template.findResources('AWS::EC2::Route'));
    expect(routes).toHaveLength(4);
    for (const route of routes) {
      expect(route.DependsOn).toEqual([attachment]);
      expect(route.Properties.TransitGatewayId).toBe('tgw-0123456789abcdef0');
    }
    expect(routes.map((r) => r.Properties.RouteTableId).sort()).toEqual([
      network.subnet('private-a').routeTable.routeTableId, network.subnet('private-a').routeTable.routeTableId,
      network.subnet('private-b').routeTable.routeTableId, network.subnet('private-b').routeTable.routeTableId,
    ].sort());
  });
});

describe('ClientVpn', () => {
  it('GIVEN a client VPN WHEN synthesized THEN mutual TLS, the VPC resolver, one association per subnet and an authorization per tier CIDR', () => {
    const stack = bareStack('Network');
    const network = bareNetwork(stack);
    new ClientVpn(stack, 'ClientVpn', {
      vpcId: VPC,
      vpcCidr: '10.0.0.0/16',
      name: 'shop-prod',
      securityGroup: network.securityGroup('clientVpn'),
      subnets: new Map(['private-a', 'private-b'].map((id) => [id, network.subnet(id)])),
      clientVpn: {
        clientCidr: '10.250.0.0/22', tier: 'private', splitTunnel: true,
        serverCertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/server',
        clientRootCertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/client-ca',
        authorizeCidrs: [{ tier: 'private', cidr: '10.0.0.0/24' }, { tier: 'private', cidr: '10.0.1.0/24' }],
      },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', {
      ClientCidrBlock: '10.250.0.0/22',
      DnsServers: ['10.0.0.2'],
      SplitTunnel: true,
      SessionTimeoutHours: 8,
      AuthenticationOptions: [{ Type: 'certificate-authentication', MutualAuthentication: { ClientRootCertificateChainArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/client-ca' } }],
      ConnectionLogOptions: Match.objectLike({ Enabled: true }),
    });
    template.resourceCountIs('AWS::EC2::ClientVpnTargetNetworkAssociation', 2);
    template.resourceCountIs('AWS::EC2::ClientVpnAuthorizationRule', 2);
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'RetainExceptOnCreate', Properties: { RetentionInDays: 365 } });
  });
});
