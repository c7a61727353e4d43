/** buildPlan on inline specs: defaults, carving, placement, addressing, load balancers and flows. */
import { describe, expect, it } from 'vitest';
import { formatPorts } from '../../src/plan/refs.js';
import type { Plan } from '../../src/plan/types.js';
import { examplePlan, planFromYaml } from '../support.js';
import { withReachableCluster } from '../reachable-cluster.js';

const HEADER = `
platform:
  name: demo
  region: ap-northeast-2
`;

/** A spec with the header above; `network` defaults to a /16 over two AZs. */
function plan(body: string, network = 'network:\n  cidr: 10.0.0.0/16\n  azs: 2\n'): Plan {
  return planFromYaml(`${HEADER}${network}${body}`);
}

/** `from -> to port` lines, the form a reviewer reads. */
function flowLines(p: Plan): string[] {
  return p.flows.map((f) => `${f.from} -> ${f.to} ${formatPorts(f.ports)}`);
}

function subnetsOf(p: Plan, tier: string): string[] {
  return p.network.tiers.find((t) => t.name === tier)!.subnets.map((s) => `${s.id} ${s.az} ${s.cidr}`);
}

describe('network defaults', () => {
  it('gives a public and a private tier over the first AZs of the table, one NAT gateway and 90 days of flow logs', () => {
    // WHEN
    const p = plan('');

    // THEN
    expect(p.network.azs).toEqual(['ap-northeast-2a', 'ap-northeast-2b']);
    expect(p.network.tiers.map((t) => [t.name, t.type, t.mapPublicIpOnLaunch])).toEqual([
      ['public', 'public', false],
      ['private', 'private', false],
    ]);
    expect(subnetsOf(p, 'public')).toEqual(['public-a ap-northeast-2a 10.0.0.0/24', 'public-b ap-northeast-2b 10.0.1.0/24']);
    expect(subnetsOf(p, 'private')).toEqual(['private-a ap-northeast-2a 10.0.2.0/24', 'private-b ap-northeast-2b 10.0.3.0/24']);
    expect(p.network.nat).toEqual({ mode: 'single', subnets: ['public-a'] });
    expect(p.network.flowLogs).toEqual({ retentionDays: 90, trafficType: 'ALL' });
    expect(p.network.dnsSupport).toBe(true);
    expect(p.network.dnsHostnames).toBe(true);
    expect(p.network.gatewayEndpoints).toEqual(['s3']);
    expect(p.network.interfaceEndpoints).toEqual([]);
    expect(p.platform.environment).toBe('prod');
  });

  it('takes AZ names from the table, which skips letters an account never sees', () => {
    // GIVEN ap-northeast-1 has no "b" AZ for new accounts
    const network = 'network:\n  cidr: 10.0.0.0/16\n  azs: 3\n';

    // WHEN
    const p = planFromYaml(`platform: { name: demo, region: ap-northeast-1 }\n${network}`);

    // THEN
    expect(p.network.azs).toEqual(['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']);
    expect(p.network.tiers.flatMap((t) => t.subnets.map((s) => s.id))).toEqual([
      'public-a', 'public-c', 'public-d', 'private-a', 'private-c', 'private-d',
    ]);
  });

  it('uses listed AZ names as written, in their order', () => {
    const p = plan('', 'network:\n  cidr: 10.0.0.0/16\n  azs: [ap-northeast-2c, ap-northeast-2a]\n');
    expect(subnetsOf(p, 'public')).toEqual(['public-c ap-northeast-2c 10.0.0.0/24', 'public-a ap-northeast-2a 10.0.1.0/24']);
  });

  it('has no NAT gateway when no tier needs one, and no flow logs when turned off', () => {
    const p = plan('', `network:
  cidr: 10.0.0.0/16
  azs: 2
  flowLogs: false
  subnets:
    public: {}
    data: { type: isolated }
`);
    expect(p.network.nat).toEqual({ mode: 'none', subnets: [] });
    expect(p.network.flowLogs).toBeUndefined();
  });

  it('keeps flow-log settings that are given and defaults the rest', () => {
    const p = plan('', 'network:\n  cidr: 10.0.0.0/16\n  azs: 2\n  flowLogs: { retentionDays: 30 }\n');
    expect(p.network.flowLogs).toEqual({ retentionDays: 30, trafficType: 'ALL' });
  });
});

describe('subnet carving', () => {
  it('carves around explicit CIDRs, whichever tier comes first', () => {
    // GIVEN the private tier is written by hand in the middle of the space, the others are carved
    const network = `network:
  cidr: 10.0.0.0/16
  azs: 2
  subnets:
    public: {}
    private: { cidrs: [10.0.0.0/24, 10.0.2.0/24] }
    data: { type: isolated, mask: 26 }
`;

    // WHEN
    const p = plan('', network);

    // THEN carved blocks never collide with written ones, lowest first
    expect(subnetsOf(p, 'public')).toEqual(['public-a ap-northeast-2a 10.0.1.0/24', 'public-b ap-northeast-2b 10.0.3.0/24']);
    expect(subnetsOf(p, 'private')).toEqual(['private-a ap-northeast-2a 10.0.0.0/24', 'private-b ap-northeast-2b 10.0.2.0/24']);
    expect(subnetsOf(p, 'data')).toEqual(['data-a ap-northeast-2a 10.0.4.0/26', 'data-b ap-northeast-2b 10.0.4.64/26']);
  });

  it('puts a tier in only some AZs when it lists them', () => {
    // GIVEN three AZs, with the public tier in the first two only
    const network = `network:
  cidr: 10.0.0.0/16
  azs: 3
  subnets:
    public: { azs: [ap-northeast-2a, ap-northeast-2b] }
    private: {}
`;

    // WHEN
    const p = plan('', network);

    // THEN
    expect(subnetsOf(p, 'public')).toEqual(['public-a ap-northeast-2a 10.0.0.0/24', 'public-b ap-northeast-2b 10.0.1.0/24']);
    expect(subnetsOf(p, 'private').map((s) => s.split(' ')[1])).toEqual(['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c']);
  });

  it('puts N explicit CIDRs in the first N AZs', () => {
    const p = plan('', `network:
  cidr: 10.0.0.0/16
  azs: 3
  subnets:
    public: { cidrs: [10.0.1.0/24, 10.0.2.0/24] }
    private: {}
`);
    expect(subnetsOf(p, 'public')).toEqual(['public-a ap-northeast-2a 10.0.1.0/24', 'public-b ap-northeast-2b 10.0.2.0/24']);
    expect(subnetsOf(p, 'private')).toEqual([
      'private-a ap-northeast-2a 10.0.0.0/24', 'private-b ap-northeast-2b 10.0.3.0/24', 'private-c ap-northeast-2c 10.0.4.0/24',
    ]);
  });
});

describe('NAT placement', () => {
  const network = (nat: string, publicAzs = '') => `network:
  cidr: 10.0.0.0/16
  azs: 3
  nat: ${nat}
  subnets:
    public: {${publicAzs}}
    private: {}
`;

  it('puts one NAT gateway in each public subnet with nat: perAz', () => {
    expect(plan('', network('perAz')).network.nat).toEqual({ mode: 'perAz', subnets: ['public-a', 'public-b', 'public-c'] });
  });

  it('follows an uneven public tier with nat: perAz', () => {
    const p = plan('', network('perAz', ' azs: [ap-northeast-2a, ap-northeast-2c] '));
    expect(p.network.nat).toEqual({ mode: 'perAz', subnets: ['public-a', 'public-c'] });
  });

  it('uses the first public subnet with nat: single', () => {
    expect(plan('', network('single')).network.nat).toEqual({ mode: 'single', subnets: ['public-a'] });
  });

  it('places no zonal gateway with nat: regional or nat: none', () => {
    expect(plan('', network('regional')).network.nat).toEqual({ mode: 'regional', subnets: [] });
    expect(plan('', network('none')).network.nat).toEqual({ mode: 'none', subnets: [] });
  });

  it('uses natTier when there are two public tiers', () => {
    const p = plan('', `network:
  cidr: 10.0.0.0/16
  azs: 2
  nat: perAz
  natTier: edge
  subnets:
    public: {}
    edge: { type: public, mask: 28 }
    private: {}
`);
    expect(p.network.nat.subnets).toEqual(['edge-a', 'edge-b']);
  });
});

describe('instances', () => {
  const threeAzs = 'network:\n  cidr: 10.0.0.0/16\n  azs: 3\n';

  it('spreads a server\'s instances round-robin over its tier\'s subnets', () => {
    // WHEN
    const p = plan('servers:\n  web: { count: 5 }\n', threeAzs);

    // THEN
    const web = p.servers[0]!;
    expect(web.tier).toBe('private');
    expect(web.subnets).toEqual(['private-a', 'private-b', 'private-c', 'private-a', 'private-b']);
  });

  it('places instances only in the AZs a host lists', () => {
    const p = plan('servers:\n  web: { count: 3, azs: [ap-northeast-2b, ap-northeast-2c] }\n', threeAzs);
    expect(p.servers[0]!.subnets).toEqual(['private-b', 'private-c', 'private-b']);
  });

  it('defaults hosts by role: bastion public and small, management private and small, servers private and medium', () => {
    const p = plan('access:\n  bastion: {}\n  management:\n    ops: {}\nservers:\n  web: {}\n');
    expect([p.bastion!.tier, p.bastion!.instanceType, p.bastion!.egress]).toEqual(['public', 't3.micro', 'all']);
    expect([p.management[0]!.tier, p.management[0]!.instanceType]).toEqual(['private', 't3.micro']);
    expect([p.servers[0]!.tier, p.servers[0]!.instanceType, p.servers[0]!.diskGiB, p.servers[0]!.count]).toEqual(['private', 't3.medium', 20, 1]);
  });

  it('picks the AMI parameter for the instance architecture', () => {
    const p = plan('servers:\n  arm: { instanceType: t4g.small }\n  gpu: { instanceType: g5.xlarge, ami: amazon-linux-2023-gpu }\n  own: { ami: { id: ami-0abc1234def567890 } }\n');
    expect(p.servers.map((s) => s.ami)).toEqual([
      { kind: 'ssm', parameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64' },
      { kind: 'ssm', parameter: '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-amazon-linux-2023/latest/ami-id' },
      { kind: 'id', id: 'ami-0abc1234def567890', rootDevice: '/dev/xvda' },
    ]);
  });

  describe('public addresses', () => {
    const network = (mapPublicIp: boolean) => `network:
  cidr: 10.0.0.0/16
  azs: 2
  subnets:
    public: { mapPublicIpOnLaunch: ${mapPublicIp} }
    private: {}
`;
    const servers = `servers:
  inside: {}
  edge: { tier: public }
  fixed: { tier: public, elasticIp: true }
`;
    const publicIps = (p: Plan) => Object.fromEntries(p.servers.map((s) => [s.name, s.publicIp]));

    it('come from auto-assignment in a public tier that has it', () => {
      expect(publicIps(plan(servers, network(true)))).toEqual({ inside: false, edge: true, fixed: true });
    });

    it('come only from an Elastic IP in a public tier without auto-assignment', () => {
      expect(publicIps(plan(servers, network(false)))).toEqual({ inside: false, edge: false, fixed: true });
    });

    it('come from an Elastic IP on the bastion', () => {
      expect(plan('access:\n  bastion: { elasticIp: true }\n').bastion!.publicIp).toBe(true);
      expect(plan('access:\n  bastion: {}\n').bastion!.publicIp).toBe(false);
    });
  });
});

describe('load balancers', () => {
  const app = 'servers:\n  app: { ports: [8080] }\n';

  it('serves HTTPS on 443 and redirects 80 to it by default when the spec has a DNS zone', () => {
    // GIVEN
    const body = `${app}loadBalancers:
  web:
    targetGroups:
      app: { servers: [app], port: 8080 }
dns:
  zone: example.com
`;

    // WHEN
    const lb = plan(body).loadBalancers[0]!;

    // THEN
    expect(lb).toMatchObject({ type: 'application', scheme: 'internet-facing', tier: 'public', usesCertificate: true, crossZone: true });
    expect(lb.listeners).toEqual([
      { port: 443, protocol: 'HTTPS', action: { kind: 'forward', targetGroup: 'app' } },
      { port: 80, protocol: 'HTTP', action: { kind: 'redirect', port: 443 } },
    ]);
    expect(lb.targetGroups).toEqual([
      { name: 'app', servers: ['app'], port: 8080, protocol: 'HTTP', healthCheck: { path: undefined, port: undefined, healthyHttpCodes: undefined } },
    ]);
  });

  it('forwards plain HTTP on 80 by default for an internal ALB without a certificate, in a private tier', () => {
    const lb = plan(`${app}loadBalancers:
  web:
    scheme: internal
    targetGroups:
      app: { servers: [app], port: 8080 }
`).loadBalancers[0]!;
    expect(lb.tier).toBe('private');
    expect(lb.usesCertificate).toBe(false);
    expect(lb.listeners).toEqual([{ port: 80, protocol: 'HTTP', action: { kind: 'forward', targetGroup: 'app' } }]);
  });

  it('defaults NLB listeners and target groups to TCP', () => {
    const lb = plan(`${app}loadBalancers:
  tcp:
    type: network
    listeners: [{ port: 5432, targetGroup: app }]
    targetGroups:
      app: { servers: [app], port: 8080 }
`).loadBalancers[0]!;
    expect(lb.listeners).toEqual([{ port: 5432, protocol: 'TCP', action: { kind: 'forward', targetGroup: 'app' } }]);
    expect(lb.targetGroups[0]!.protocol).toBe('TCP');
  });
});

describe('flows', () => {
  it('let the internet reach an internet-facing LB on its listener ports, and the LB reach its targets', () => {
    // GIVEN
    const body = `servers:
  app: { ports: [8080] }
loadBalancers:
  web:
    targetGroups:
      app: { servers: [app], port: 8080, healthCheck: { port: 8081 } }
dns:
  zone: example.com
`;

    // WHEN
    const p = plan(body);

    // THEN
    expect(flowLines(p)).toEqual([
      'internet -> lb/web 443',
      'internet -> lb/web 80',
      'lb/web -> servers/app 8080',
      'lb/web -> servers/app 8081',
    ]);
    expect(p.flows.find((f) => f.to === 'servers/app')!.origin).toEqual(['loadBalancers', 'web', 'targetGroups', 'app']);
  });

  it('let only the VPC reach an internal LB by default', () => {
    const p = plan(`servers:
  app: { ports: [8080] }
loadBalancers:
  web:
    scheme: internal
    listeners: [{ port: 8443, protocol: HTTP, targetGroup: app }]
    targetGroups:
      app: { servers: [app], port: 8080 }
`);
    expect(flowLines(p)).toEqual(['vpc -> lb/web 8443', 'lb/web -> servers/app 8080']);
  });

  it('replace the default LB source with allowFrom', () => {
    const p = plan(`servers:
  app: { ports: [8080] }
loadBalancers:
  web:
    allowFrom: ["cidr:198.51.100.0/24"]
    listeners: [{ port: 80, targetGroup: app }]
    targetGroups:
      app: { servers: [app], port: 8080 }
`);
    expect(flowLines(p)).toEqual(['cidr:198.51.100.0/24 -> lb/web 80', 'lb/web -> servers/app 8080']);
    expect(p.endpoints['cidr:198.51.100.0/24']).toEqual({ ref: 'cidr:198.51.100.0/24', kind: 'cidr', cidrs: ['198.51.100.0/24'], hasSecurityGroup: false });
  });

  it('open service ports for allowFrom, explicit ports for allow, and 22 for sshFrom', () => {
    const p = plan(`access:
  bastion: {}
servers:
  api: { ports: [8000, 8001] }
  dns:
    ports: [53]
    allowFrom: [servers/api]
    allow:
      - { from: vpc, ports: ["53/udp", "8000-8002"], description: resolver and admin }
    sshFrom: [bastion]
`);
    expect(flowLines(p)).toEqual([
      'servers/api -> servers/dns 53',
      'vpc -> servers/dns 53/udp',
      'vpc -> servers/dns 8000-8002',
      'bastion -> servers/dns 22',
    ]);
    expect(p.flows[1]!).toMatchObject({ origin: ['servers', 'dns', 'allow', 0], description: 'resolver and admin' });
  });

  it('reach databases on the engine port and file systems on NFS', () => {
    const p = plan(`servers:
  app: {}
data:
  databases:
    pg: { engine: postgres, version: "16", allowFrom: [servers/app] }
    my: { engine: mysql, version: "8.4", allow: [{ from: vpc }] }
  fileSystems:
    shared: { allowFrom: [servers/app] }
`);
    expect(flowLines(p)).toEqual(['servers/app -> db/pg 5432', 'vpc -> db/my 3306', 'servers/app -> efs/shared 2049']);
  });

  it('let the VPC reach interface endpoints on 443', () => {
    const p = plan('', 'network:\n  cidr: 10.0.0.0/16\n  azs: 2\n  endpoints: { interface: [ssm, ecr.api] }\n');
    expect(flowLines(p)).toEqual(['vpc -> vpc-endpoints 443']);
    expect(p.network.interfaceEndpointTier).toBe('private');
  });

  it('list a flow once when two rules say the same thing', () => {
    const p = plan(`servers:
  app:
    ports: [8080]
    allowFrom: [vpc]
    allow: [{ from: vpc, ports: [8080] }]
`);
    expect(flowLines(p)).toEqual(['vpc -> servers/app 8080']);
  });

  it('name site-to-site networks as endpoints that carry their CIDRs', () => {
    const p = plan(`servers:
  app: { ports: [443], allowFrom: [sites/office] }
`, `network:
  cidr: 10.0.0.0/16
  azs: 2
  vpn:
    office: { customerGatewayIp: 203.0.113.1, remoteCidrs: [192.168.0.0/16] }
`);
    expect(flowLines(p)).toEqual(['sites/office -> servers/app 443']);
    expect(p.endpoints['sites/office']).toMatchObject({ kind: 'site', cidrs: ['192.168.0.0/16'], hasSecurityGroup: false });
    expect(p.network.vpns[0]).toMatchObject({ bgpAsn: 65000, routeTiers: ['private'] });
  });
});

describe('ingress ALBs (apps exposed through the AWS Load Balancer Controller)', () => {
  const CLUSTER = withReachableCluster('cluster:\n  nodeGroups: { default: { instanceTypes: [t3.large] } }\n');
  const VPN = `access:
  clientVpn:
    clientCidr: 10.100.0.0/22
    serverCertificateArn: arn:aws:acm:ap-northeast-2:111122223333:certificate/server
    clientRootCertificateArn: arn:aws:acm:ap-northeast-2:111122223333:certificate/client-root
`;
  /** Flows into and out of the ingress ALBs only: the cluster's own flows are tested elsewhere. */
  const ingressLines = (p: Plan) => flowLines(p).filter((l) => l.includes('lb/'));

  it('become endpoints lb/public and lb/internal with a security group named for the controller', () => {
    // WHEN
    const p = plan(`${CLUSTER}apps:
  web: { image: nginx:1.27, port: 8080, expose: { ingress: public, host: www.example.com, tls: false } }
  tools: { image: nginx:1.27, port: 3000, expose: { ingress: internal, host: tools.example.com } }
`);

    // THEN
    expect(p.endpoints['lb/public']).toEqual({ ref: 'lb/public', kind: 'lb', cidrs: [], hasSecurityGroup: true });
    expect(p.endpoints['lb/internal']).toEqual({ ref: 'lb/internal', kind: 'lb', cidrs: [], hasSecurityGroup: true });
    expect(p.workloads!.ingressGroups.map((g) => [g.ref, g.name, g.securityGroupName])).toEqual([
      ['lb/public', 'demo-prod-public', 'demo-prod-ingress-public'],
      ['lb/internal', 'demo-prod-internal', 'demo-prod-ingress-internal'],
    ]);
  });

  it('let the internet reach the public ALB, the VPC the internal one without a Client VPN, and each ALB its pods', () => {
    // GIVEN no certificate: the ALBs listen on 80 only
    const p = plan(`${CLUSTER}apps:
  web: { image: nginx:1.27, port: 8080, expose: { ingress: public, host: www.example.com, tls: false } }
  tools: { image: nginx:1.27, port: 3000, expose: { ingress: internal, host: tools.example.com } }
`);

    // THEN
    expect(ingressLines(p)).toEqual([
      'internet -> lb/public 80',
      'lb/public -> cluster/nodes 8080',
      'vpc -> lb/internal 80',
      'lb/internal -> cluster/nodes 3000',
    ]);
    expect(p.flows.find((f) => f.to === 'lb/public')!.origin).toEqual(['apps', 'web', 'expose', 'ingress']);
    expect(p.flows.find((f) => f.from === 'lb/internal')!.origin).toEqual(['apps', 'tools', 'expose']);
  });

  it('let only the Client VPN endpoint reach the internal ALB, on 443 and 80, when the spec has one', () => {
    const p = plan(`${VPN}dns:
  zone: example.com
${CLUSTER}apps:
  kibana-ish: { image: nginx:1.27, port: 5601, expose: { ingress: internal, host: kibana.example.com } }
`);
    expect(ingressLines(p)).toEqual(['vpn -> lb/internal 443', 'vpn -> lb/internal 80', 'lb/internal -> cluster/nodes 5601']);
    expect(p.endpoints['lb/public']).toBeUndefined();
  });

  it('admit the union of the members: allowFrom on one app widens the shared internal ALB, the others keep the VPN', () => {
    const p = plan(`${VPN}${CLUSTER}servers:
  ci: {}
apps:
  tools: { image: nginx:1.27, port: 3000, expose: { ingress: internal, host: tools.example.com } }
  wiki: { image: nginx:1.27, port: 8080, expose: { ingress: internal, host: wiki.example.com, allowFrom: [sites/office, servers/ci] } }
`, `network:
  cidr: 10.0.0.0/16
  azs: 2
  vpn:
    office: { customerGatewayIp: 203.0.113.1, remoteCidrs: [192.168.0.0/16] }
`);
    expect(ingressLines(p)).toEqual([
      'vpn -> lb/internal 80',
      'sites/office -> lb/internal 80',
      'servers/ci -> lb/internal 80',
      'lb/internal -> cluster/nodes 3000',
      'lb/internal -> cluster/nodes 8080',
    ]);
    expect(p.flows.find((f) => f.from === 'servers/ci')!.origin).toEqual(['apps', 'wiki', 'expose', 'allowFrom', 1]);
  });

  it('reach a catalogued service on its pod port, not its Service port', () => {
    const p = plan(`${CLUSTER}services:
  prometheus: {}
  grafana: { expose: { ingress: internal, host: grafana.example.com } }
`);
    expect(ingressLines(p)).toEqual(['vpc -> lb/internal 80', 'lb/internal -> cluster/nodes 3000']);
  });
});

describe('seed examples', () => {
  it('bootcamp-ec2: two AZs, hand-written subnets, one NAT, a bastion with an EIP, three private servers, an ALB and Multi-AZ MySQL', () => {
    // WHEN
    const p = examplePlan('bootcamp-ec2');

    // THEN
    expect(p.network.azs).toEqual(['ap-northeast-2a', 'ap-northeast-2c']);
    expect(subnetsOf(p, 'public')).toEqual(['public-a ap-northeast-2a 10.0.1.0/24', 'public-c ap-northeast-2c 10.0.2.0/24']);
    expect(subnetsOf(p, 'private')).toEqual(['private-a ap-northeast-2a 10.0.11.0/24', 'private-c ap-northeast-2c 10.0.12.0/24']);
    expect(p.network.tiers[0]!.mapPublicIpOnLaunch).toBe(true);
    expect(p.network.nat).toEqual({ mode: 'single', subnets: ['public-a'] });
    expect(p.bastion).toMatchObject({ instanceType: 't2.micro', tier: 'public', elasticIp: true, publicIp: true, keyPair: 'bootcamp-key' });
    expect(p.servers.map((s) => [s.name, s.instanceType, s.tier, s.diskGiB, s.publicIp])).toEqual([
      ['springboot', 't2.medium', 'private', 8, false],
      ['elk', 't2.medium', 'private', 8, false],
      ['jenkins', 't2.medium', 'private', 8, false],
    ]);
    expect(p.servers[0]!.userData).toBeUndefined();
    expect(p.servers[0]!.containers.map((c) => [c.name, c.image, c.ports])).toEqual([
      ['app', { kind: 'registry', repository: 'springboot', tag: '1.0.0' }, [{ host: 8080, container: 8080 }]],
    ]);
    expect(p.servers[0]!.permissions).toEqual([{ kind: 'repository', repository: 'springboot', access: 'pull' }]);
    const lb = p.loadBalancers[0]!;
    expect(lb.listeners.map((l) => `${l.port}/${l.protocol}`)).toEqual(['443/HTTPS', '80/HTTP']);
    expect(lb.targetGroups[0]).toMatchObject({ servers: ['springboot'], port: 8080, healthCheck: { path: '/actuator/health' } });
    expect(lb.dnsNames).toEqual(['www.bootcamp.example.com']);
    expect(p.databases[0]).toMatchObject({ engine: 'mysql', version: '8.0', instanceClass: 'db.t3.micro', multiAz: true, port: 3306, tier: 'private', username: 'bootcamp' });
    expect(p.dns).toEqual({ zoneName: 'bootcamp.example.com', zoneId: undefined, certificateNames: ['bootcamp.example.com', '*.bootcamp.example.com'] });
    expect(flowLines(p)).toEqual([
      'cidr:203.0.113.10/32 -> bastion 22',
      'bastion -> servers/springboot 22',
      'servers/springboot -> servers/elk 5044',
      'bastion -> servers/elk 5601',
      'bastion -> servers/elk 22',
      'bastion -> servers/jenkins 8080',
      'bastion -> servers/jenkins 22',
      'internet -> lb/public 443',
      'internet -> lb/public 80',
      'lb/public -> servers/springboot 8080',
      'servers/springboot -> db/main 3306',
    ]);
  });

  it('nemo-v3: three AZs with a two-AZ public tier, AI servers in 2b, a VPC-only bastion, MySQL and three repositories', () => {
    // WHEN
    const p = examplePlan('nemo-v3');

    // THEN
    expect(p.network.azs).toEqual(['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c']);
    expect(subnetsOf(p, 'public')).toEqual(['public-a ap-northeast-2a 10.0.1.0/24', 'public-b ap-northeast-2b 10.0.2.0/24']);
    expect(subnetsOf(p, 'private')).toEqual([
      'private-a ap-northeast-2a 10.0.3.0/24', 'private-b ap-northeast-2b 10.0.4.0/24', 'private-c ap-northeast-2c 10.0.5.0/24',
    ]);
    expect(p.network.nat).toEqual({ mode: 'single', subnets: ['public-a'] });
    expect(p.bastion).toMatchObject({
      instanceType: 't2.medium', subnets: ['public-a'], egress: 'vpc', publicIp: true, tools: ['aws-cli', 'kubectl'],
      ami: { kind: 'ssm', parameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' },
    });
    const [vllm, fastapi] = p.servers;
    expect(vllm).toMatchObject({ instanceType: 'g5.xlarge', tier: 'public', subnets: ['public-b'], diskGiB: 100, ports: [8002], publicIp: true });
    expect(vllm!.volumes).toEqual([{ name: 'models', sizeGiB: 200, path: '/models', removal: 'snapshot', deviceName: '/dev/sdf' }]);
    expect(fastapi).toMatchObject({ count: 2, subnets: ['public-b', 'public-b'], ports: [8000, 8001] });
    expect(p.loadBalancers).toEqual([]);
    expect(p.databases[0]).toMatchObject({ engine: 'mysql', version: '8.0', multiAz: true, databaseName: 'prod_db', username: 'prod' });
    expect(p.repositories.map((r) => [r.name, r.keep, r.mutableTags, r.scanOnPush])).toEqual([
      ['backend', { tagPattern: 'prod-*', newest: 30 }, false, true],
      ['frontend', { tagPattern: 'prod-*', newest: 30 }, false, true],
      ['ai', { tagPattern: 'prod-*', newest: 30 }, false, true],
    ]);
    // The infrastructure's flows; the cluster's own (nodes ↔ control plane) and the workloads' are tested with them.
    const infrastructure = { ...p, flows: p.flows.filter((f) => !['apps', 'services'].includes(String(f.origin[0])) && f.origin.length > 1) };
    expect(flowLines(infrastructure)).toEqual([
      'cidr:203.0.113.7/32 -> bastion 22',
      'cluster/nodes -> servers/ai-vllm 8000-8002',
      'bastion -> servers/ai-vllm 22',
      'cluster/nodes -> servers/ai-fastapi 8000-8002',
      'bastion -> servers/ai-fastapi 22',
      'cluster/nodes -> db/main 3306',
      // The eks and s3 interface endpoints of the bastion's kubectl (egress: vpc).
      'vpc -> vpc-endpoints 443',
      'servers/ai-vllm -> cluster/nodes 9094',
      'servers/ai-vllm -> cluster/nodes 30000-32767',
      'servers/ai-fastapi -> cluster/nodes 9094',
      'servers/ai-fastapi -> cluster/nodes 30000-32767',
      'bastion -> cluster/nodes 22',
      'bastion -> cluster/controlPlane 443',
    ]);
  });
});
