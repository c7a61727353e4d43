/**
 * One test per piece of AWS (and Kubernetes) semantics the model claims to follow, asked directly of
 * the engine: who reaches whom, on which packets.
 */
import { describe, expect, it } from 'vitest';
import { Engine, type Source } from '../../src/analyse/model/engine/reach.js';
import type { K8sModel } from '../../src/analyse/model/k8s-types.js';
import { buildModel } from '../../src/analyse/model/build.js';
import { Bracket, INTERNET, ipToNumber, PacketSet } from '../../src/analyse/model/packets.js';
import { readManifestsFromObjects } from './k8s-support.js';
import { Net, twoTier } from './net.js';

function world(net: Net, k8s?: K8sModel) {
  const model = buildModel([net.template()], { k8s });
  const engine = new Engine(model);
  const cls = (id: string) => {
    const found = model.classes.find((c) => c.resources.some((r) => r.logicalId === id) || c.name === id);
    if (!found) throw new Error(`no class ${id}: ${model.classes.map((c) => c.name).join(', ')}`);
    return found;
  };
  const from = (id: string): Source => (id === 'internet' ? { kind: 'external', name: 'internet', peers: INTERNET, via: ['igw'] } : { kind: 'class', cls: cls(id) });
  const reach = (a: string, b: string, mode: 'may' | 'must' = 'may') => engine.reach(from(a), b === 'internet' ? { kind: 'external', name: 'internet', peers: INTERNET } : { kind: 'class', cls: cls(b) }, mode).allowed;
  return { model, engine, cls, reach };
}

/** Does the bracket certainly let tcp/`port` from (or to) `ip` through? */
function lets(b: Bracket, ip: string, port: number, protocol = 6): boolean | 'maybe' {
  const p = { peer: ipToNumber(ip)!, protocol, port };
  return b.sure.has(p) ? true : b.maybe.has(p) ? 'maybe' : false;
}

const WEB = [{ cidr: '0.0.0.0/0', from: 443 }];

describe('security groups', () => {
  it('are stateful: replies pass even when the group allows no egress at all', () => {
    const w = world(twoTier().group('WebSg', { ingress: WEB, egress: [{ cidr: '127.0.0.1/32', from: 1 }] }).instance('Web', 'PublicA', ['WebSg'], { eip: true }));
    expect(lets(w.reach('internet', 'Web'), '198.51.100.7', 443)).toBe(true);
  });

  it('are allow-only and add up over every group of an interface', () => {
    const w = world(twoTier()
      .group('SshSg', { ingress: [{ cidr: '203.0.113.10/32', from: 22 }] }).group('WebSg', { ingress: WEB })
      .instance('Web', 'PublicA', ['SshSg', 'WebSg'], { eip: true }));
    const r = w.reach('internet', 'Web');
    expect(lets(r, '203.0.113.10', 22)).toBe(true);
    expect(lets(r, '198.51.100.7', 443)).toBe(true);
    expect(lets(r, '198.51.100.7', 22)).toBe(false);
  });

  it('match a group reference by membership, not by address', () => {
    const w = world(twoTier()
      .group('AppSg').group('OtherSg').group('DbSg', { ingress: [{ group: 'AppSg', from: 3306 }] })
      .instance('App', 'PrivateA', ['AppSg']).instance('Other', 'PrivateA', ['OtherSg']).instance('Db', 'PrivateA', ['DbSg']));
    expect(lets(w.reach('App', 'Db'), '10.0.11.5', 3306)).toBe(true);
    expect(lets(w.reach('Other', 'Db'), '10.0.11.5', 3306)).toBe(false);
  });

  it('allow all egress by default, and only the listed egress once one is listed', () => {
    const net = twoTier().group('TargetSg', { ingress: [{ cidr: '10.0.0.0/16', from: 8080 }] }).instance('Target', 'PrivateA', ['TargetSg'])
      .group('OpenSg').instance('Open', 'PublicA', ['OpenSg'])
      .group('TightSg', { egress: [{ cidr: '10.0.0.0/16', from: 5432 }] }).instance('Tight', 'PublicA', ['TightSg']);
    const w = world(net);
    expect(lets(w.reach('Open', 'Target'), '10.0.1.9', 8080)).toBe(true);
    expect(lets(w.reach('Tight', 'Target'), '10.0.1.9', 8080)).toBe(false);
  });

  it('read separate AWS::EC2::SecurityGroupIngress resources', () => {
    const w = world(twoTier().group('WebSg').ingress('WebHttps', 'WebSg', { cidr: '0.0.0.0/0', from: 443 }).instance('Web', 'PublicA', ['WebSg'], { eip: true }));
    expect(lets(w.reach('internet', 'Web'), '198.51.100.7', 443)).toBe(true);
  });

  it('outside the templates are assumed to allow anything, which makes the answer unknown', () => {
    const net = twoTier();
    net.add('Web', { Type: 'AWS::EC2::Instance', Properties: { SubnetId: { Ref: 'PublicA' }, SecurityGroupIds: ['sg-0123456789abcdef0'] } })
      .add('WebEip', { Type: 'AWS::EC2::EIP', Properties: { InstanceId: { Ref: 'Web' } } });
    const w = world(net);
    expect(lets(w.reach('internet', 'Web'), '198.51.100.7', 22)).toBe('maybe');
    expect(w.model.assumptions.map((a) => a.text).join('\n')).toContain('sg-0123456789abcdef0');
  });
});

describe('network ACLs', () => {
  const base = () => twoTier().subnet('PublicB', '10.0.2.0/24', { public: true })
    .group('AnySg', { ingress: [{ cidr: '10.0.0.0/16', protocol: '-1' }] })
    .instance('Client1', 'PublicA', ['AnySg']).instance('Client2', 'PublicB', ['AnySg']).instance('Server', 'PrivateA', ['AnySg']);

  it('are ordered, first match wins, and deny at the end', () => {
    const w = world(base().acl('Acl', ['PrivateA'], [
      [100, false, false, '10.0.1.0/24', -1], [200, false, true, '10.0.0.0/16', -1], [100, true, true, '0.0.0.0/0', -1],
    ]));
    expect(lets(w.reach('Client1', 'Server'), '10.0.1.7', 80)).toBe(false);
    expect(lets(w.reach('Client2', 'Server'), '10.0.2.7', 80)).toBe(true);
  });

  it('are stateless: replies need their own rule on the ephemeral ports', () => {
    const withoutReplies = world(base().acl('Acl', ['PrivateA'], [[100, false, true, '10.0.0.0/16', 6, 80], [100, true, true, '10.0.0.0/16', 6, 80]]));
    expect(lets(withoutReplies.reach('Client1', 'Server'), '10.0.1.7', 80)).toBe(false);
    const withReplies = world(base().acl('Acl', ['PrivateA'], [[100, false, true, '10.0.0.0/16', 6, 80], [100, true, true, '10.0.0.0/16', 6, 1024, 65535]]));
    expect(lets(withReplies.reach('Client1', 'Server', 'must'), '10.0.1.7', 80)).toBe(true);
  });

  it('replies allowed on only part of the ephemeral range may get through, but do not always', () => {
    const w = world(base().acl('Acl', ['PrivateA'], [[100, false, true, '10.0.0.0/16', 6, 80], [100, true, true, '10.0.0.0/16', 6, 32768, 65535]]));
    expect(lets(w.reach('Client1', 'Server', 'may'), '10.0.1.7', 80)).toBe(true);
    expect(lets(w.reach('Client1', 'Server', 'must'), '10.0.1.7', 80)).not.toBe(true);
  });

  it('do not apply inside one subnet', () => {
    const w = world(base().instance('Neighbour', 'PrivateA', ['AnySg']).acl('Acl', ['PrivateA'], [[100, false, false, '0.0.0.0/0', -1]]));
    expect(lets(w.reach('Neighbour', 'Server'), '10.0.11.4', 80)).toBe(true);
    expect(lets(w.reach('Client1', 'Server'), '10.0.1.7', 80)).toBe(false);
  });
});

describe('route tables', () => {
  it('pick the longest prefix: a more specific route away from the IGW breaks replies to that range', () => {
    const w = world(twoTier().group('WebSg', { ingress: WEB }).instance('Web', 'PublicA', ['WebSg'], { eip: true })
      .route('PublicA', '198.51.100.0/24', { NatGatewayId: { Ref: 'Nat' } }));
    expect(lets(w.reach('internet', 'Web'), '198.51.100.7', 443)).toBe(false);
    expect(lets(w.reach('internet', 'Web'), '203.0.113.7', 443)).toBe(true);
  });

  it('fall back to the main route table (local only) for a subnet with no association', () => {
    const net = twoTier().group('WebSg', { ingress: WEB }).instance('Web', 'PublicA', ['WebSg'], { eip: true });
    delete net.resources.PublicAAssoc;
    expect(lets(world(net).reach('internet', 'Web'), '198.51.100.7', 443)).toBe(false);
  });

  it('send traffic for routes to a transit gateway somewhere verify cannot see: unknown', () => {
    const w = world(twoTier().group('AppSg').instance('App', 'PrivateA', ['AppSg']).route('PrivateA', '172.16.0.0/12', { TransitGatewayId: 'tgw-0123456789abcdef0' }));
    const r = w.engine.reach({ kind: 'class', cls: w.cls('App') }, { kind: 'external', name: 'corp', peers: PacketSet.peers(ipToNumber('172.16.0.0')!, ipToNumber('172.31.255.255')!) }).allowed;
    expect(lets(r, '172.16.5.5', 443)).toBe('maybe');
  });

  it('learn the networks behind a VPN gateway by propagation', () => {
    const vpn = (propagate: boolean) => {
      const net = twoTier().group('AppSg', { ingress: [{ cidr: '192.168.0.0/16', from: 443 }] }).instance('App', 'PrivateA', ['AppSg'])
        .add('Vgw', { Type: 'AWS::EC2::VPNGateway', Properties: { Type: 'ipsec.1' } })
        .add('VgwAttachment', { Type: 'AWS::EC2::VPCGatewayAttachment', Properties: { VpcId: { Ref: 'Vpc' }, VpnGatewayId: { Ref: 'Vgw' } } })
        .add('Cgw', { Type: 'AWS::EC2::CustomerGateway', Properties: { IpAddress: '198.51.100.1', BgpAsn: 65000, Type: 'ipsec.1' } })
        .add('Vpn', { Type: 'AWS::EC2::VPNConnection', Properties: { VpnGatewayId: { Ref: 'Vgw' }, CustomerGatewayId: { Ref: 'Cgw' }, StaticRoutesOnly: true, Type: 'ipsec.1' } })
        .add('VpnRoute', { Type: 'AWS::EC2::VPNConnectionRoute', Properties: { VpnConnectionId: { Ref: 'Vpn' }, DestinationCidrBlock: '192.168.0.0/16' } });
      if (propagate) net.add('Propagation', { Type: 'AWS::EC2::VPNGatewayRoutePropagation', Properties: { VpnGatewayId: { Ref: 'Vgw' }, RouteTableIds: [{ Ref: 'PrivateARtb' }] } });
      const w = world(net);
      return w.engine.reach({ kind: 'external', name: 'office', peers: PacketSet.peers(ipToNumber('192.168.0.0')!, ipToNumber('192.168.255.255')!), via: ['vgw'] }, { kind: 'class', cls: w.cls('App') }).allowed;
    };
    expect(lets(vpn(true), '192.168.1.20', 443)).toBe(true);
    expect(lets(vpn(false), '192.168.1.20', 443)).toBe(false);
  });
});

describe('public addresses and NAT', () => {
  it('internet reachability needs a route to the IGW and a public address', () => {
    const net = twoTier().subnet('PublicNoAuto', '10.0.3.0/24', { public: true })
      .group('WebSg', { ingress: WEB })
      .instance('AutoAssigned', 'PublicA', ['WebSg'])
      .instance('NoAddress', 'PublicNoAuto', ['WebSg'])
      .instance('Private', 'PrivateA', ['WebSg']);
    const w = world(net);
    expect(lets(w.reach('internet', 'AutoAssigned'), '198.51.100.7', 443)).toBe(true);
    expect(lets(w.reach('internet', 'NoAddress'), '198.51.100.7', 443)).toBe(false);
    expect(lets(w.reach('internet', 'Private'), '198.51.100.7', 443)).toBe(false);
  });

  it('NAT carries connections started inside, never connections from the internet', () => {
    const w = world(twoTier().group('AppSg', { ingress: [{ cidr: '0.0.0.0/0', protocol: '-1' }] }).instance('App', 'PrivateA', ['AppSg']));
    expect(lets(w.reach('App', 'internet', 'must'), '198.51.100.7', 443)).toBe(true);
    expect(lets(w.reach('internet', 'App'), '198.51.100.7', 443)).toBe(false);
  });
});

describe('load balancers', () => {
  const alb = () => twoTier().subnet('PublicB', '10.0.2.0/24', { public: true })
    .group('AlbSg', { ingress: [{ cidr: '0.0.0.0/0', protocol: '-1' }] })
    .group('AppSg', { ingress: [{ group: 'AlbSg', from: 8080 }] })
    .instance('App', 'PrivateA', ['AppSg'])
    .loadBalancer('Alb', { subnets: ['PublicA', 'PublicB'], groups: ['AlbSg'], ports: [443], targets: ['App'], targetPort: 8080 });

  it('answer only on their listeners, whatever the group allows', () => {
    const r = world(alb()).reach('internet', 'Alb');
    expect(lets(r, '198.51.100.7', 443)).toBe(true);
    expect(lets(r, '198.51.100.7', 22)).toBe(false);
  });

  it('an ALB opens a new connection to its targets, from its own group, on the target port only', () => {
    const w = world(alb());
    expect(lets(w.reach('Alb', 'App'), '10.0.1.20', 8080)).toBe(true);
    expect(lets(w.reach('Alb', 'App'), '10.0.1.20', 22)).toBe(false);
    expect(lets(w.reach('internet', 'App'), '198.51.100.7', 8080)).toBe(false);
  });

  it('an NLB that keeps the client address makes the target see the client', () => {
    const nlb = (preserve: boolean, clientRule: boolean) => world(twoTier()
      .group('AppSg', { ingress: clientRule ? [{ cidr: '0.0.0.0/0', from: 8080 }] : [{ cidr: '10.0.1.0/24', from: 8080 }] })
      .instance('App', 'PrivateA', ['AppSg'])
      .loadBalancer('Nlb', { type: 'network', subnets: ['PublicA'], ports: [443], targets: ['App'], targetPort: 8080, preserveClientIp: preserve }));
    expect(lets(nlb(true, true).reach('internet', 'App'), '198.51.100.7', 8080)).toBe(true);
    expect(lets(nlb(true, false).reach('internet', 'App'), '198.51.100.7', 8080)).toBe(false);
    // Without preservation the target sees the load balancer, which its subnet rule admits.
    expect(lets(nlb(false, false).reach('Nlb', 'App'), '10.0.1.20', 8080)).toBe(true);
    expect(lets(nlb(false, false).reach('internet', 'App'), '198.51.100.7', 8080)).toBe(false);
  });
});

describe('databases, VPN clients and EKS', () => {
  it('an RDS instance answers on its port (the engine default when none is set), in its subnet group', () => {
    const net = twoTier().group('DbSg', { ingress: [{ cidr: '10.0.0.0/16', protocol: '-1' }] }).group('AppSg').instance('App', 'PrivateA', ['AppSg']);
    net.database('Db', ['PrivateA'], ['DbSg']);
    (net.resources.Db!.Properties as Record<string, unknown>).Engine = 'postgres';
    const w = world(net);
    expect(lets(w.reach('App', 'Db'), '10.0.11.9', 5432)).toBe(true);
    expect(lets(w.reach('App', 'Db'), '10.0.11.9', 3306)).toBe(false);
    expect(w.cls('Db').placements.map((p) => p.subnet.cidr)).toEqual(['10.0.11.0/24']);
  });

  it('Client VPN clients reach only what an authorization rule covers', () => {
    const net = twoTier().subnet('PrivateB', '10.0.12.0/24', { nat: 'Nat' })
      .group('VpnSg').group('ToolsSg', { ingress: [{ group: 'VpnSg', from: 443 }] })
      .instance('ToolsA', 'PrivateA', ['ToolsSg']).instance('ToolsB', 'PrivateB', ['ToolsSg'])
      .add('ClientVpn', { Type: 'AWS::EC2::ClientVpnEndpoint', Properties: { ClientCidrBlock: '10.100.0.0/22', VpcId: { Ref: 'Vpc' }, SecurityGroupIds: [{ 'Fn::GetAtt': ['VpnSg', 'GroupId'] }], ServerCertificateArn: 'arn:aws:acm:x', AuthenticationOptions: [], ConnectionLogOptions: { Enabled: false } } })
      .add('ClientVpnAssoc', { Type: 'AWS::EC2::ClientVpnTargetNetworkAssociation', Properties: { ClientVpnEndpointId: { Ref: 'ClientVpn' }, SubnetId: { Ref: 'PrivateA' } } })
      .add('ClientVpnAuth', { Type: 'AWS::EC2::ClientVpnAuthorizationRule', Properties: { ClientVpnEndpointId: { Ref: 'ClientVpn' }, TargetNetworkCidr: '10.0.11.0/24', AuthorizeAllGroups: true } });
    const w = world(net);
    expect(lets(w.reach('ClientVpn', 'ToolsA'), '10.0.11.30', 443)).toBe(true);
    expect(lets(w.reach('ClientVpn', 'ToolsB'), '10.0.11.30', 443)).toBe(false);
  });

  it('EKS: nodes with no launch-template group use the cluster group; the public endpoint admits its CIDRs only', () => {
    const net = twoTier()
      .add('Cluster', { Type: 'AWS::EKS::Cluster', Properties: { ResourcesVpcConfig: { SubnetIds: [{ Ref: 'PrivateA' }], EndpointPrivateAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] } } })
      .add('Nodes', { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: { Ref: 'Cluster' }, Subnets: [{ Ref: 'PrivateA' }] } });
    const w = world(net);
    expect(lets(w.reach('Nodes', 'Cluster'), '10.0.11.8', 443)).toBe(true);
    expect(lets(w.reach('internet', 'Cluster'), '203.0.113.9', 443)).toBe(true);
    expect(lets(w.reach('internet', 'Cluster'), '198.51.100.7', 443)).toBe(false);
  });

  it('EKS: remote access with a key and no source groups opens SSH to everyone', () => {
    const net = twoTier()
      .add('Cluster', { Type: 'AWS::EKS::Cluster', Properties: { ResourcesVpcConfig: { SubnetIds: [{ Ref: 'PublicA' }] } } })
      .add('Nodes', { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: { Ref: 'Cluster' }, Subnets: [{ Ref: 'PublicA' }], RemoteAccess: { Ec2SshKey: 'key' } } });
    expect(lets(world(net).reach('internet', 'Nodes'), '198.51.100.7', 22)).toBe(true);
  });
});

describe('Kubernetes NetworkPolicy', () => {
  const cluster = () => twoTier()
    .add('Cluster', { Type: 'AWS::EKS::Cluster', Properties: { ResourcesVpcConfig: { SubnetIds: [{ Ref: 'PrivateA' }] } } })
    .add('Nodes', { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: { Ref: 'Cluster' }, Subnets: [{ Ref: 'PrivateA' }] } });
  const deploy = (name: string, ns = 'shop') => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, ports: [{ containerPort: 8080, name: 'http' }] }] } } },
  });
  const allowFrom = (name: string, target: string, from: unknown) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: target } }, ingress: [{ from: [from], ports: [{ port: 'http' }] }] },
  });
  const reach = (objects: unknown[], a: string, b: string) => world(cluster(), readManifestsFromObjects(objects)).reach(a, b);

  it('pods are not isolated until a policy selects them', () => {
    expect(lets(reach([deploy('web'), deploy('db')], 'apps/web', 'apps/db'), '10.0.11.4', 8080)).toBe(true);
  });

  it('a selecting policy isolates them: only what it allows (by label, named port) gets in', () => {
    const objects = [deploy('web'), deploy('api'), deploy('db'), allowFrom('db-from-api', 'db', { podSelector: { matchLabels: { app: 'api' } } })];
    expect(lets(reach(objects, 'apps/api', 'apps/db'), '10.0.11.4', 8080)).toBe(true);
    expect(lets(reach(objects, 'apps/web', 'apps/db'), '10.0.11.4', 8080)).toBe(false);
  });

  it('policies add up', () => {
    const objects = [deploy('web'), deploy('api'), deploy('db'),
      allowFrom('db-from-api', 'db', { podSelector: { matchLabels: { app: 'api' } } }),
      allowFrom('db-from-web', 'db', { podSelector: { matchLabels: { app: 'web' } } })];
    expect(lets(reach(objects, 'apps/web', 'apps/db'), '10.0.11.4', 8080)).toBe(true);
  });

  it('pods in other namespaces need a namespaceSelector; addresses need an ipBlock', () => {
    const objects = [deploy('db'), deploy('job', 'batch'), deploy('web'),
      allowFrom('db-from-batch', 'db', { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'batch' } } })];
    expect(lets(reach(objects, 'apps/job', 'apps/db'), '10.0.11.4', 8080)).toBe(true);
    expect(lets(reach(objects, 'apps/web', 'apps/db'), '10.0.11.4', 8080)).toBe(false);
  });

  it('an internet-facing Ingress reaches its pods through the controller-made load balancer', () => {
    const objects = [deploy('web'),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop', annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' } }, spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } }];
    const net = cluster();
    (net.resources.PublicA!.Properties as { Tags: unknown[] }).Tags.push({ Key: 'kubernetes.io/role/elb', Value: '1' });
    const w = world(net, readManifestsFromObjects(objects));
    expect(lets(w.reach('internet', 'ingress/shop/web'), '198.51.100.7', 80)).toBe(true);
    expect(lets(w.reach('ingress/shop/web', 'apps/web'), '10.0.1.4', 8080)).toBe(true);
    expect(w.model.assumptions.some((a) => a.text.includes('AWS Load Balancer Controller'))).toBe(true);
  });
});

describe('Ingress security groups (AWS Load Balancer Controller)', () => {
  const A = 'alb.ingress.kubernetes.io';
  const cluster = (o: { nodesAdmitAlb?: boolean } = {}) => {
    const net = twoTier()
      .add('Cluster', { Type: 'AWS::EKS::Cluster', Properties: { ResourcesVpcConfig: { SubnetIds: [{ Ref: 'PrivateA' }] } } })
      .add('Nodes', { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: { Ref: 'Cluster' }, Subnets: [{ Ref: 'PrivateA' }] } })
      .group('AlbSg', { ingress: [{ cidr: '203.0.113.0/24', from: 443 }], description: 'plinth shop-prod: lb/public' });
    (net.resources.AlbSg!.Properties as Record<string, unknown>).Tags = [{ Key: 'Name', Value: 'shop-prod-ingress-public' }];
    (net.resources.PublicA!.Properties as { Tags: unknown[] }).Tags.push({ Key: 'kubernetes.io/role/elb', Value: '1' });
    if (o.nodesAdmitAlb) {
      net.add('NodesFromAlb', { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] }, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: { 'Fn::GetAtt': ['AlbSg', 'GroupId'] } } });
    }
    return net;
  };
  const web = (annotations: Record<string, string>, backend = 'web', extra: unknown[] = []) => [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', ports: [{ containerPort: 8080, name: 'http' }] }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
      metadata: { name: 'web', namespace: 'shop', annotations: { [`${A}/group.name`]: 'shop-prod-public', [`${A}/scheme`]: 'internet-facing', [`${A}/listen-ports`]: '[{"HTTPS":443}]', ...annotations } },
      spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: backend, port: { number: backend === 'web' ? 80 : 5601 } } } }] } }] },
    },
    ...extra,
  ];
  const LB = 'ingress-group/shop-prod-public';

  it('a group named by its Name tag brings its rules and its endpoint; with manage-backend-security-group-rules "false" only the template admits the ALB to the pods', () => {
    const objects = web({ [`${A}/security-groups`]: 'shop-prod-ingress-public', [`${A}/manage-backend-security-group-rules`]: 'false' });
    const w = world(cluster(), readManifestsFromObjects(objects));
    expect(w.cls(LB).refs).toContain('lb/public');
    expect(lets(w.reach('internet', LB), '203.0.113.9', 443)).toBe(true);
    expect(lets(w.reach('internet', LB), '198.51.100.7', 443)).toBe(false);
    // The controller adds no rule: the pods are out of reach until the template admits the ALB's group.
    expect(lets(w.reach(LB, 'apps/web'), '10.0.1.4', 8080)).toBe(false);
    const admitted = world(cluster({ nodesAdmitAlb: true }), readManifestsFromObjects(objects));
    expect(lets(admitted.reach(LB, 'apps/web'), '10.0.1.4', 8080)).toBe(true);
  });

  it('a group the templates do not hold (an sg- id, or a name no group has) is an assumption: it may allow anything', () => {
    for (const named of ['sg-0123456789abcdef0', 'shop-prod-elsewhere']) {
      const w = world(cluster(), readManifestsFromObjects(web({ [`${A}/security-groups`]: named })));
      expect(lets(w.reach('internet', LB), '198.51.100.7', 443)).toBe('maybe');
      expect(w.model.assumptions.some((a) => a.text.includes(named) && a.text.includes('may allow anything'))).toBe(true);
    }
  });

  it('manage-backend-security-group-rules "true": the controller admits its shared backend group on the target port', () => {
    const w = world(cluster(), readManifestsFromObjects(web({ [`${A}/security-groups`]: 'shop-prod-ingress-public', [`${A}/manage-backend-security-group-rules`]: 'true' })));
    expect(w.cls(LB).groups).toContain('k8s:backend-sg');
    expect(lets(w.reach(LB, 'apps/web'), '10.0.1.4', 8080)).toBe(true);
    expect(lets(w.reach(LB, 'apps/web'), '10.0.1.4', 9090)).toBe(false);
  });

  it('a Service the manifests do not hold (an operator or chart makes it): pods with unknown labels, on an unknown port', () => {
    const objects = web({ [`${A}/security-groups`]: 'shop-prod-ingress-public', [`${A}/manage-backend-security-group-rules`]: 'false' }, 'made-by-chart');
    const w = world(cluster({ nodesAdmitAlb: true }), readManifestsFromObjects(objects));
    expect(lets(w.reach(LB, 'pods of Service shop/made-by-chart'), '10.0.1.4', 8080)).toBe('maybe');
    expect(w.model.assumptions.some((a) => a.text.includes('made-by-chart') && a.text.includes('labels and the port'))).toBe(true);
    // A policy with an empty selector selects them whatever their labels: a default deny holds for certain.
    const denyAll = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
    const denied = world(cluster({ nodesAdmitAlb: true }), readManifestsFromObjects([...objects, denyAll]));
    expect(lets(denied.reach(LB, 'pods of Service shop/made-by-chart'), '10.0.1.4', 8080)).toBe(false);
  });

  it('ECK: a Kibana resource is pods labelled for it on 5601 behind NAME-kb-http, as the operator makes them (services/kibana)', () => {
    const kibana = { apiVersion: 'kibana.k8s.elastic.co/v1', kind: 'Kibana', metadata: { name: 'kibana', namespace: 'shop' }, spec: { count: 1 } };
    const net = cluster();
    net.add('NodesFromAlb', { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] }, IpProtocol: 'tcp', FromPort: 5601, ToPort: 5601, SourceSecurityGroupId: { 'Fn::GetAtt': ['AlbSg', 'GroupId'] } } });
    const w = world(net, readManifestsFromObjects(web({ [`${A}/security-groups`]: 'shop-prod-ingress-public', [`${A}/manage-backend-security-group-rules`]: 'false' }, 'kibana-kb-http', [kibana])));
    expect(w.cls('services/kibana').workload?.labels).toEqual({ 'common.k8s.elastic.co/type': 'kibana', 'kibana.k8s.elastic.co/name': 'kibana' });
    expect(lets(w.reach(LB, 'services/kibana'), '10.0.1.4', 5601)).toBe(true);
  });
});
