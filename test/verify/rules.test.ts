/** One describe per built-in invariant: its noncompliant cases, then a compliant one. */
import { describe, expect, it } from 'vitest';
import { readManifestsFromObjects } from './k8s-support.js';
import { findings, Net, twoTier, violations } from './net.js';

const WEB = [{ cidr: '0.0.0.0/0', from: 443 }];

describe('PV1 PrivateSubnetIgwRoute', () => {
  it('Noncompliance 1: a subnet named private routes 0.0.0.0/0 to the internet gateway', () => {
    const net = twoTier().route('PrivateA', '8.8.8.0/24', { GatewayId: { Ref: 'Igw' } });
    const [f] = violations(net.verify(), 'PV1');
    expect(f?.message).toContain('private-PrivateA');
    expect(f?.witness?.hops.map((h) => h.verdict.text).join('\n')).toMatch(/8\.8\.8\.0\/24 → igw/);
  });

  it('Noncompliance 2: a subnet tagged aws-cdk:subnet-type Isolated uses a route table with an internet route', () => {
    const net = twoTier();
    net.resources.Isolated = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.21.0/24', Tags: [{ Key: 'aws-cdk:subnet-type', Value: 'Isolated' }] } };
    net.add('IsolatedAssoc', { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'Isolated' }, RouteTableId: { Ref: 'PublicARtb' } } });
    expect(violations(net.verify(), 'PV1')[0]?.message).toMatch(/isolated according to tag aws-cdk:subnet-type/);
  });

  it('Compliance: private subnets route to the NAT gateway, public ones to the internet gateway', () => {
    expect(findings(twoTier().verify(), 'PV1')).toEqual([]);
  });
});

describe('PV2 InternetExposure', () => {
  it('Noncompliance 1: a host that only got its address from the subnet default is open on 443', () => {
    const net = twoTier().group('Web', { ingress: WEB }).instance('Host', 'PublicA', ['Web']);
    const [f] = violations(net.verify(), 'PV2');
    expect(f?.message).toMatch(/Host is reachable from the internet \(tcp\/443\)/);
    expect(f?.witness?.hops.map((h) => h.step)).toEqual(expect.arrayContaining(['gateway', 'public address', 'route (return path)', 'security group (inbound)']));
  });

  it('Noncompliance 2: with a spec, a host the spec does not open to the internet', () => {
    const net = twoTier().group('Web', { ingress: WEB, description: 'plinth demo-prod: servers/web' }).instance('Host', 'PublicA', ['Web'], { eip: true });
    const plan = { flows: [], endpoints: {}, intents: [], loadBalancers: [], network: { cidr: '10.0.0.0/16', tiers: [] } };
    expect(violations(net.verify({ plan: plan as never }), 'PV2')).toHaveLength(1);
  });

  it('Compliance: an explicitly public host (Elastic IP), and private hosts behind NAT', () => {
    const net = twoTier().group('Web', { ingress: WEB }).instance('Host', 'PublicA', ['Web'], { eip: true }).instance('App', 'PrivateA', ['Web']);
    expect(findings(net.verify(), 'PV2')).toEqual([]);
  });
});

describe('PV3 AdminPortsFromInternet', () => {
  it('Noncompliance 1: SSH open to 0.0.0.0/0 on a public host', () => {
    const net = twoTier().group('Admin', { ingress: [{ cidr: '0.0.0.0/0', from: 22 }] }).instance('Bastion', 'PublicA', ['Admin'], { eip: true });
    const [f] = violations(net.verify(), 'PV3');
    expect(f?.witness?.packet).toMatch(/^tcp\/22 from/);
  });

  it('Noncompliance 2: RDP through an internet-facing network load balancer that keeps the client address', () => {
    const net = twoTier()
      .group('RdpSg', { ingress: [{ cidr: '0.0.0.0/0', from: 3389 }] })
      .instance('Windows', 'PrivateA', ['RdpSg'])
      .loadBalancer('Nlb', { type: 'network', subnets: ['PublicA'], ports: [3389], targets: ['Windows'], targetPort: 3389 });
    const [f] = violations(net.verify(), 'PV3');
    expect(f?.message).toContain('Windows');
    expect(f?.witness?.path).toContain('Nlb');
  });

  it('Compliance: SSH only from one admin address', () => {
    const net = twoTier().group('Admin', { ingress: [{ cidr: '203.0.113.10/32', from: 22 }] }).instance('Bastion', 'PublicA', ['Admin'], { eip: true });
    expect(findings(net.verify(), 'PV3')).toEqual([]);
  });
});

describe('PV4 DatabaseNotPublic', () => {
  it('Noncompliance 1: publicly accessible in public subnets, open to the internet', () => {
    const net = twoTier().subnet('PublicB', '10.0.2.0/24', { public: true }).group('DbSg', { ingress: [{ cidr: '0.0.0.0/0', from: 3306 }] })
      .database('Db', ['PublicA', 'PublicB'], ['DbSg'], { public: true });
    expect(violations(net.verify(), 'PV4')[0]?.message).toMatch(/reachable from the internet on tcp\/3306/);
  });

  it('Noncompliance 2: publicly accessible in a public subnet, the group closed for now', () => {
    const net = twoTier().subnet('PublicB', '10.0.2.0/24', { public: true }).group('DbSg', { ingress: [{ cidr: '10.0.0.0/16', from: 3306 }] })
      .database('Db', ['PublicA', 'PublicB'], ['DbSg'], { public: true });
    expect(violations(net.verify(), 'PV4')[0]?.message).toMatch(/only its security group keeps the internet out/);
  });

  it('Compliance: private database reachable from the VPC only', () => {
    const net = twoTier().subnet('PrivateB', '10.0.12.0/24', { nat: 'Nat' }).group('DbSg', { ingress: [{ cidr: '10.0.0.0/16', from: 3306 }] })
      .database('Db', ['PrivateA', 'PrivateB'], ['DbSg']);
    expect(findings(net.verify(), 'PV4')).toEqual([]);
  });
});

describe('PV5 InternalLoadBalancerPrivate', () => {
  it('Noncompliance 1: an internal ALB is a target of an internet-facing NLB', () => {
    const net = twoTier().group('AlbSg', { ingress: [{ cidr: '0.0.0.0/0', from: 80 }] })
      .loadBalancer('Internal', { scheme: 'internal', subnets: ['PrivateA'], groups: ['AlbSg'], ports: [80], targets: [], targetPort: 80 })
      .loadBalancer('Edge', { type: 'network', subnets: ['PublicA'], ports: [80], targets: [], targetPort: 80 });
    (net.resources.EdgeTargets!.Properties as Record<string, unknown>).TargetType = 'alb';
    (net.resources.EdgeTargets!.Properties as Record<string, unknown>).Targets = [{ Id: { Ref: 'Internal' }, Port: 80 }];
    expect(violations(net.verify(), 'PV5')[0]?.message).toMatch(/internal load balancer Internal is reachable from the internet/);
  });

  it('Noncompliance 2: the spec declares it internal, the template makes it internet-facing', () => {
    const net = twoTier().group('AlbSg', { ingress: [{ cidr: '10.0.0.0/16', from: 80 }], description: 'plinth demo-prod: lb/tools' })
      .loadBalancer('Tools', { scheme: 'internet-facing', subnets: ['PublicA'], groups: ['AlbSg'], ports: [80], targets: [], targetPort: 80 });
    const plan = { flows: [], endpoints: {}, intents: [], loadBalancers: [{ ref: 'lb/tools', scheme: 'internal' }], network: { cidr: '10.0.0.0/16', tiers: [] } };
    expect(violations(net.verify({ plan: plan as never }), 'PV5')[0]?.message).toMatch(/declared internal in the spec but is internet-facing/);
  });

  it('Compliance: an internal ALB in private subnets', () => {
    const net = twoTier().group('AlbSg', { ingress: [{ cidr: '0.0.0.0/0', from: 80 }] })
      .loadBalancer('Internal', { scheme: 'internal', subnets: ['PrivateA'], groups: ['AlbSg'], ports: [80], targets: [], targetPort: 80 });
    expect(findings(net.verify(), 'PV5')).toEqual([]);
  });
});

describe('PV6 NatEgressOnly', () => {
  it('Noncompliance 1: the NAT gateway sits in a private subnet with no internet route', () => {
    const net = new Net().subnet('PrivateA', '10.0.11.0/24', { nat: 'Nat' }).subnet('PrivateB', '10.0.12.0/24').nat('Nat', 'PrivateB');
    expect(violations(net.verify(), 'PV6')[0]?.message).toMatch(/cannot reach the internet/);
  });

  it('Noncompliance 2 (unknown): internet-bound traffic goes through a NAT instance', () => {
    const net = twoTier().group('NatSg').instance('NatInstance', 'PublicA', ['NatSg'], { sourceDestCheck: false })
      .subnet('PrivateB', '10.0.12.0/24').route('PrivateB', '0.0.0.0/0', { InstanceId: { Ref: 'NatInstance' } });
    const [f] = findings(net.verify(), 'PV6');
    expect(f?.status).toBe('unknown');
    expect(f?.message).toMatch(/SourceDestCheck: false/);
  });

  it('Compliance: a public NAT gateway in a subnet that routes to the internet gateway', () => {
    expect(findings(twoTier().verify(), 'PV6')).toEqual([]);
  });
});

describe('PV7 NaclReturnTraffic', () => {
  const acl = (egressPorts: [number, number]) => twoTier()
    .group('WebSg', { ingress: WEB }).instance('Host', 'PublicA', ['WebSg'], { eip: true })
    .acl('Acl', ['PublicA'], [[100, false, true, '0.0.0.0/0', 6, 443], [100, true, true, '0.0.0.0/0', 6, ...egressPorts]]);

  it('Noncompliance 1: the public subnet ACL lets 443 in but no replies out', () => {
    const [f] = violations(acl([443, 443]).verify(), 'PV7');
    expect(f?.message).toMatch(/replies are dropped/);
    expect(f?.witness?.hops.some((h) => h.step === 'network ACL (reply)' && h.verdict.allows === false)).toBe(true);
  });

  it('Noncompliance 2: the database subnet ACL drops replies to the app subnet', () => {
    const net = twoTier().subnet('PrivateB', '10.0.12.0/24', { nat: 'Nat' })
      .group('AppSg').group('DbSg', { ingress: [{ group: 'AppSg', from: 3306 }] })
      .instance('App', 'PrivateA', ['AppSg']).database('Db', ['PrivateB'], ['DbSg'])
      .acl('DbAcl', ['PrivateB'], [[100, false, true, '10.0.11.0/24', 6, 3306], [100, true, true, '10.0.11.0/24', 6, 3306]]);
    expect(violations(net.verify(), 'PV7')[0]?.message).toMatch(/App .* → Db/);
  });

  it('Compliance: replies allowed on the ephemeral ports', () => {
    expect(findings(acl([1024, 65535]).verify(), 'PV7')).toEqual([]);
  });
});

describe('PV8 PodDnsEgress', () => {
  const cluster = () => new Net().subnet('PrivateA', '10.0.11.0/24')
    .add('Cluster', { Type: 'AWS::EKS::Cluster', Properties: { ResourcesVpcConfig: { SubnetIds: [{ Ref: 'PrivateA' }] } } })
    .add('Nodes', { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: { Ref: 'Cluster' }, Subnets: [{ Ref: 'PrivateA' }] } });
  const egressPolicy = (ports: unknown[]) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'lock', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ ports }] },
  });
  const web = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', ports: [{ containerPort: 8080 }] }] } } } };

  it('Noncompliance 1: pods isolated for egress with only tcp/443 allowed', () => {
    const report = cluster().verify({ k8s: readManifestsFromObjects([web, egressPolicy([{ protocol: 'TCP', port: 443 }])]) });
    expect(violations(report, 'PV8')[0]?.message).toMatch(/kube-dns/);
  });

  it('Compliance: the egress policy allows udp/53', () => {
    const report = cluster().verify({ k8s: readManifestsFromObjects([web, egressPolicy([{ protocol: 'UDP', port: 53 }])]) });
    expect(findings(report, 'PV8')).toEqual([]);
  });
});

describe('PV9 EksEndpointRestricted', () => {
  const cluster = (config: Record<string, unknown>) => new Net().subnet('PrivateA', '10.0.11.0/24')
    .add('Cluster', { Type: 'AWS::EKS::Cluster', Properties: { ResourcesVpcConfig: { SubnetIds: [{ Ref: 'PrivateA' }], ...config } } });

  it('Noncompliance 1: the public endpoint left at its default 0.0.0.0/0', () => {
    expect(violations(cluster({}).verify(), 'PV9')[0]?.level).toBe('warning');
  });

  it('Compliance: private endpoint only, or public to one office', () => {
    expect(findings(cluster({ EndpointPublicAccess: false, EndpointPrivateAccess: true }).verify(), 'PV9')).toEqual([]);
    expect(findings(cluster({ PublicAccessCidrs: ['203.0.113.0/24'] }).verify(), 'PV9')).toEqual([]);
  });
});

describe('PV10 PublicAddressInPrivateSubnet', () => {
  it('Noncompliance 1: an Elastic IP on a host in a private subnet', () => {
    const net = twoTier().group('AppSg').instance('App', 'PrivateA', ['AppSg'], { eip: true });
    expect(violations(net.verify(), 'PV10')[0]?.message).toMatch(/Elastic IP AppEip/);
  });

  it('Noncompliance 2: AssociatePublicIpAddress on a host in a private subnet', () => {
    const net = twoTier().group('AppSg').instance('App', 'PrivateA', ['AppSg'], { associatePublicIp: true });
    expect(violations(net.verify(), 'PV10')).toHaveLength(1);
  });

  it('Compliance: the Elastic IP is on the public host', () => {
    const net = twoTier().group('AppSg').instance('Bastion', 'PublicA', ['AppSg'], { eip: true });
    expect(findings(net.verify(), 'PV10')).toEqual([]);
  });
});
