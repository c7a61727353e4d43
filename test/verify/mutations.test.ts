/**
 * The mutation suite: realistic misconfigurations applied to what plinth synthesizes for the
 * examples. Each must be caught by the rule that owns the mistake, with evidence (a witness path, or
 * the components that block a required flow); the clean examples must produce no finding at all.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAssembly, type StackTemplate } from '../../src/analyse/input/templates.js';
import type { Finding, VerifyReport } from '../../src/analyse/verify/findings.js';
import { verifyTemplates } from '../../src/analyse/verify/index.js';
import type { K8sModel } from '../../src/analyse/model/k8s-types.js';
import { readManifests } from '../../src/analyse/model/k8s.js';
import { synthesizePlatform } from '../../src/aws/synth.js';
import type { Plan } from '../../src/plan/types.js';
import { exampleAssembly } from '../shared-assemblies.js';
import { examplePlan, planFromYaml, ROOT } from '../support.js';

interface Base {
  readonly templates: StackTemplate[];
  readonly plan: Plan;
  readonly k8s: K8sModel | undefined;
}

type Json = Record<string, unknown>;

function synthesize(plan: Plan, name: string): Base {
  const outdir = mkdtempSync(join(tmpdir(), `plinth-mutations-${name}-`));
  synthesizePlatform(plan, { outdir });
  return { templates: readAssembly(outdir), plan, k8s: readManifests(join(outdir, 'k8s')) };
}

/** A bundled example, from the assembly test/global-setup.ts synthesized once for the whole run. */
function exampleBase(example: string): Base {
  const outdir = exampleAssembly(example);
  return { templates: readAssembly(outdir), plan: examplePlan(example), k8s: readManifests(join(outdir, 'k8s')) };
}

/** The copy a mutation edits, and helpers to find what it edits. */
class Edit {
  public readonly templates: StackTemplate[];
  public k8s: K8sModel | undefined;

  public constructor(base: Base) {
    this.templates = base.templates.map((t) => ({ ...t, body: structuredClone(t.body) }));
    this.k8s = base.k8s && { ...base.k8s, policies: [...base.k8s.policies] };
  }

  /** The first resource whose logical id starts with `prefix` (and has `type`, if given). */
  public find(prefix: string, type?: string): { id: string; resource: Json; props: Json; stack: StackTemplate } {
    for (const t of this.templates) {
      for (const [id, r] of Object.entries(t.body.Resources ?? {})) {
        if (id.startsWith(prefix) && (!type || r.Type === type)) return { id, resource: r as unknown as Json, props: (r.Properties ?? {}) as Json, stack: t };
      }
    }
    throw new Error(`no resource ${prefix}${type ? ` of type ${type}` : ''}`);
  }

  public remove(prefix: string): void {
    const { id, stack } = this.find(prefix);
    delete (stack.body.Resources as Record<string, unknown>)[id];
  }

  public add(stackName: string, id: string, resource: Json): void {
    const t = this.templates.find((x) => x.stack === stackName)!;
    (t.body.Resources as Record<string, unknown>)[id] = resource;
  }

  /** An Fn::ImportValue of the Network stack's export of a resource (subnets, groups). */
  public imported(prefix: string): Json {
    const network = this.templates.find((t) => t.stack === 'Network')!;
    for (const o of Object.values(network.body.Outputs ?? {})) {
      const value = JSON.stringify(o.Value);
      if (value.includes(`"${this.find(prefix).id}"`)) return { 'Fn::ImportValue': o.Export!.Name };
    }
    throw new Error(`the Network stack exports nothing of ${prefix}`);
  }

  public verify(plan: Plan): VerifyReport {
    return verifyTemplates(this.templates, { plan, k8s: this.k8s });
  }
}

interface Mutation {
  readonly name: string;
  readonly base: 'bootcamp' | 'nemo' | 'tools' | 'video';
  readonly rule: string;
  readonly apply: (e: Edit) => void;
  /** What must be in the message, the witness or the blocking components. */
  readonly evidence: RegExp;
}

const SG = 'AWS::EC2::SecurityGroup';
const ingressOf = (e: Edit, prefix: string) => ((e.find(prefix, SG).props.SecurityGroupIngress ??= []) as unknown[]);

const MUTATIONS: readonly Mutation[] = [
  {
    name: 'SSH on the bastion opened to 0.0.0.0/0', base: 'bootcamp', rule: 'PV3', evidence: /from 0\.0\.0\.0\/0 tcp\/22/,
    apply: (e) => { (ingressOf(e, 'NetworkSecurityGroupsBastion')[0] as Json).CidrIp = '0.0.0.0/0'; },
  },
  {
    name: 'SSH on the bastion opened to a /8', base: 'bootcamp', rule: 'PV3', evidence: /16,777,216 internet addresses/,
    apply: (e) => { (ingressOf(e, 'NetworkSecurityGroupsBastion')[0] as Json).CidrIp = '203.0.0.0/8'; },
  },
  {
    name: 'PubliclyAccessible: true with a public subnet group', base: 'bootcamp', rule: 'PV4', evidence: /PubliclyAccessible: true/,
    apply: (e) => {
      e.find('DataDatabasesmainInstance', 'AWS::RDS::DBInstance').props.PubliclyAccessible = true;
      e.find('DataDatabasesmainInstanceSubnetGroup').props.SubnetIds = [e.imported('NetworkPublicASubnet'), e.imported('NetworkPublicCSubnet')];
    },
  },
  {
    name: 'a private route to the internet gateway', base: 'bootcamp', rule: 'PV1', evidence: /0\.0\.0\.0\/0 → igw/,
    apply: (e) => {
      const route = e.find('NetworkPrivateADefaultRoute').props;
      delete route.NatGatewayId;
      route.GatewayId = { Ref: e.find('NetworkInternetGateway', 'AWS::EC2::InternetGateway').id };
    },
  },
  {
    name: 'a private subnet associated with the public route table', base: 'bootcamp', rule: 'PV1', evidence: /private according to the spec/,
    apply: (e) => { e.find('NetworkPrivateCRouteTableAssociation').props.RouteTableId = { Ref: e.find('NetworkPublicARouteTable', 'AWS::EC2::RouteTable').id }; },
  },
  {
    name: 'the database group allows the whole VPC', base: 'bootcamp', rule: 'PF2', evidence: /from 10\.0\.0\.0\/16 tcp\/3306/,
    apply: (e) => { ingressOf(e, 'NetworkSecurityGroupsDbMain').push({ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, CidrIp: '10.0.0.0/16' }); },
  },
  {
    name: 'the app group allows every port from the bastion', base: 'bootcamp', rule: 'PF2', evidence: /bastion reaches servers\/springboot on tcp\/0-21,23-65535/,
    apply: (e) => { Object.assign(e.find('NetworkSecurityGroupsServersSpringbootfromNetworkSecurityGroupsBastion').props, { FromPort: 0, ToPort: 65535 }); },
  },
  {
    name: 'a removed security group reference (the app can no longer reach the database)', base: 'bootcamp', rule: 'PF1', evidence: /NetworkSecurityGroupsDbMain.*no inbound rule admits tcp\/3306/,
    apply: (e) => e.remove('NetworkSecurityGroupsDbMainfromNetworkSecurityGroupsServersSpringboot'),
  },
  {
    name: 'the app opened to the VPC on 8080, bypassing the load balancer', base: 'bootcamp', rule: 'PF2', evidence: /reaches servers\/springboot on tcp\/8080/,
    apply: (e) => { ingressOf(e, 'NetworkSecurityGroupsServersSpringboot').push({ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: '10.0.0.0/16' }); },
  },
  {
    name: 'the HTTPS listener removed', base: 'bootcamp', rule: 'PF1', evidence: /nothing on lb\/public answers tcp\/443/,
    apply: (e) => e.remove('LoadBalancerspublicListener443'),
  },
  {
    name: 'the target group pointed at the wrong port', base: 'bootcamp', rule: 'PF1', evidence: /forwards to servers\/springboot only on 8081/,
    apply: (e) => {
      const tg = e.find('LoadBalancerspublicTargetsspringboot').props;
      tg.Port = 8081;
      (tg.Targets as Json[])[0]!.Port = 8081;
    },
  },
  {
    name: 'the NAT routes removed', base: 'bootcamp', rule: 'PI4', evidence: /route table bootcamp-private-a has no route to/,
    apply: (e) => { e.remove('NetworkPrivateADefaultRoute'); e.remove('NetworkPrivateCDefaultRoute'); },
  },
  {
    name: 'Jenkins published on the internet-facing load balancer', base: 'bootcamp', rule: 'PI1', evidence: /lb\/public on tcp\/8080, which is not in its only list/,
    apply: (e) => {
      ingressOf(e, 'NetworkSecurityGroupsLbPublic').push({ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: '0.0.0.0/0' });
      const lb = e.find('LoadBalancerspublic', 'AWS::ElasticLoadBalancingV2::LoadBalancer').id;
      e.add('Compute', 'JenkinsTargets', { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Port: 8080, Protocol: 'HTTP', TargetType: 'instance', Targets: [{ Id: { Ref: e.find('HostsServersjenkins1', 'AWS::EC2::Instance').id }, Port: 8080 }] } });
      e.add('Compute', 'JenkinsListener', { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: lb }, Port: 8080, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'JenkinsTargets' } }] } });
    },
  },
  {
    name: 'a network ACL on the public subnets that blocks return traffic', base: 'bootcamp', rule: 'PV7', evidence: /replies/,
    apply: (e) => {
      const vpc = e.find('NetworkVpc', 'AWS::EC2::VPC').id;
      e.add('Network', 'PublicAcl', { Type: 'AWS::EC2::NetworkAcl', Properties: { VpcId: { Ref: vpc } } });
      const entry = (n: number, egress: boolean, port: number) => ({ Type: 'AWS::EC2::NetworkAclEntry', Properties: { NetworkAclId: { Ref: 'PublicAcl' }, RuleNumber: n, Egress: egress, RuleAction: 'allow', Protocol: 6, CidrBlock: '0.0.0.0/0', PortRange: { From: port, To: port } } });
      e.add('Network', 'InHttps', entry(100, false, 443));
      e.add('Network', 'InHttp', entry(110, false, 80));
      e.add('Network', 'OutHttps', entry(100, true, 443));
      e.add('Network', 'OutHttp', entry(110, true, 80));
      for (const s of ['NetworkPublicASubnet', 'NetworkPublicCSubnet']) {
        e.add('Network', `${s}Acl`, { Type: 'AWS::EC2::SubnetNetworkAclAssociation', Properties: { SubnetId: { Ref: e.find(s, 'AWS::EC2::Subnet').id }, NetworkAclId: { Ref: 'PublicAcl' } } });
      }
    },
  },
  {
    name: 'an Elastic IP on a private host', base: 'bootcamp', rule: 'PV10', evidence: /Elastic IP JenkinsEip/,
    apply: (e) => e.add('Compute', 'JenkinsEip', { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc', InstanceId: { Ref: e.find('HostsServersjenkins1', 'AWS::EC2::Instance').id } } }),
  },
  {
    name: 'Kibana moved to a public subnet and opened to the internet', base: 'bootcamp', rule: 'PV2', evidence: /servers\/elk is reachable from the internet \(tcp\/5601\)/,
    apply: (e) => {
      e.find('HostsServerselk1', 'AWS::EC2::Instance').props.SubnetId = e.imported('NetworkPublicASubnet');
      ingressOf(e, 'NetworkSecurityGroupsServersElk').push({ IpProtocol: 'tcp', FromPort: 5601, ToPort: 5601, CidrIp: '0.0.0.0/0' });
    },
  },
  {
    name: 'an internal ALB turned internet-facing', base: 'tools', rule: 'PV5', evidence: /declared internal in the spec but is internet-facing/,
    apply: (e) => {
      const lb = e.find('LoadBalancerstools', 'AWS::ElasticLoadBalancingV2::LoadBalancer').props;
      lb.Scheme = 'internet-facing';
      lb.Subnets = [e.imported('NetworkPublicASubnet'), e.imported('NetworkPublicCSubnet')];
      ingressOf(e, 'NetworkSecurityGroupsLbTools').push({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' });
    },
  },
  {
    name: 'the bastion egress opened to the internet', base: 'nemo', rule: 'PI2', evidence: /bastion .*reaches internet/,
    apply: (e) => { ((e.find('NetworkSecurityGroupsBastion', SG).props.SecurityGroupEgress as Json[])[0]!).CidrIp = '0.0.0.0/0'; },
  },
  {
    name: 'the EKS public endpoint left open to the internet', base: 'nemo', rule: 'PV9', evidence: /public API endpoint of cluster\/controlPlane accepts tcp\/443/,
    apply: (e) => {
      const config = e.find('Cluster', 'AWS::EKS::Cluster').props.ResourcesVpcConfig as Json;
      config.EndpointPublicAccess = true;
      delete config.PublicAccessCidrs;
    },
  },
  {
    name: 'the vLLM API opened to the internet', base: 'nemo', rule: 'PV2', evidence: /servers\/ai-vllm is reachable from the internet \(tcp\/8002\)/,
    apply: (e) => { ingressOf(e, 'NetworkSecurityGroupsServersAiVllm').push({ IpProtocol: 'tcp', FromPort: 8002, ToPort: 8002, CidrIp: '0.0.0.0/0' }); },
  },
  {
    name: 'RDS opened to the whole VPC', base: 'nemo', rule: 'PI1', evidence: /reaches db\/main on tcp\/3306, which is not in its only list \[cluster\/nodes:3306\]/,
    apply: (e) => { ingressOf(e, 'NetworkSecurityGroupsDbMain').push({ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, CidrIp: '10.0.0.0/16' }); },
  },
  {
    name: 'a private route to the internet gateway', base: 'nemo', rule: 'PV1', evidence: /nemo-private-b/,
    apply: (e) => {
      const route = e.find('NetworkPrivateBDefaultRoute').props;
      delete route.NatGatewayId;
      route.GatewayId = { Ref: e.find('NetworkInternetGateway', 'AWS::EC2::InternetGateway').id };
    },
  },
  {
    name: 'the NAT gateway placed in a private subnet', base: 'nemo', rule: 'PV6', evidence: /cannot reach the internet/,
    apply: (e) => { e.find('NetworkPublicANATGateway').props.SubnetId = { Ref: e.find('NetworkPrivateCSubnet', 'AWS::EC2::Subnet').id }; },
  },
  {
    name: 'the namespace default-deny NetworkPolicy removed', base: 'nemo', rule: 'PI2', evidence: /apps\/frontend .*reaches .*(db\/main|servers\/ai)/,
    apply: (e) => { e.k8s = { ...e.k8s!, policies: e.k8s!.policies.filter((p) => !(p.namespace === 'nemo' && p.name === 'default-deny')) }; },
  },
  {
    name: 'the backend NetworkPolicy loses its egress rule to RDS', base: 'nemo', rule: 'PI4', evidence: /isolated for egress by NetworkPolicy/,
    apply: (e) => {
      e.k8s = {
        ...e.k8s!,
        policies: e.k8s!.policies.map((p) => (p.name === 'backend' && p.egress
          ? { ...p, egress: p.egress.filter((r) => !r.ports?.some((x) => x.port === 3306)) }
          : p)),
      };
    },
  },
  {
    name: 'the internal ALB\'s group opened to 0.0.0.0/0 (the AI site reaches the tools around the VPN)', base: 'video', rule: 'PI3',
    evidence: /networks behind vidgen-vgw reaches ingress-group\/vidgen-prod-internal on tcp\/80,443 without going through vpn/,
    apply: (e) => {
      for (const port of [443, 80]) ingressOf(e, 'NetworkSecurityGroupsLbInternal').push({ IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIp: '0.0.0.0/0' });
    },
  },
  {
    name: 'the internal Ingresses made internet-facing, their group opened to 0.0.0.0/0', base: 'video', rule: 'PV5', evidence: /declared internal in the spec but is internet-facing in the template, and the internet reaches it on tcp\/80,443/,
    apply: (e) => {
      for (const port of [443, 80]) ingressOf(e, 'NetworkSecurityGroupsLbInternal').push({ IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIp: '0.0.0.0/0' });
      e.k8s = {
        ...e.k8s!,
        ingresses: e.k8s!.ingresses.map((i) => (i.annotations['alb.ingress.kubernetes.io/scheme'] === 'internal'
          ? { ...i, annotations: { ...i.annotations, 'alb.ingress.kubernetes.io/scheme': 'internet-facing' } }
          : i)),
      };
    },
  },
  {
    name: 'the Client VPN\'s rules on the internal ALB\'s group removed', base: 'video', rule: 'PF1',
    evidence: /security group vidgen-prod-ingress-internal \(lb\/internal\) of ingress-group\/vidgen-prod-internal: no inbound rule admits tcp\/443/,
    apply: (e) => { e.remove('NetworkSecurityGroupsLbInternalfromNetworkSecurityGroupsVpn'); e.remove('NetworkSecurityGroupsLbInternalfromNetworkSecurityGroupsVpn'); },
  },
  {
    name: 'the public ALB\'s rule on the nodes\' group removed (it no longer reaches the frontend pods)', base: 'video', rule: 'PF1',
    evidence: /cannot reach cluster\/nodes \(nor the pods on it\) on tcp\/8080[\s\S]*\(cluster\/nodes\) of apps\/frontend: no inbound rule admits tcp\/8080/,
    apply: (e) => e.remove('NetworkSecurityGroupsClusterNodesfromNetworkSecurityGroupsLbPublic'),
  },
];

/** Everything a finding shows a reader. */
function evidenceText(f: Finding): string {
  return [
    f.message,
    ...(f.witness?.hops ?? []).map((h) => h.verdict.text),
    ...(f.blocked?.paths ?? []).flatMap((p) => p.blockers.map((b) => b.text)),
  ].join('\n');
}

describe('mutation suite', () => {
  const bases: Partial<Record<Mutation['base'], Base>> = {};

  beforeAll(() => {
    bases.bootcamp = exampleBase('bootcamp-ec2');
    bases.nemo = exampleBase('nemo-v3');
    // bootcamp with an internal load balancer for the team's tools (its intents are about the original).
    const yaml = readFileSync(join(ROOT, 'examples', 'bootcamp-ec2', 'plinth.yaml'), 'utf8').split('\nintents:')[0]!;
    const tools = yaml.replace('loadBalancers:\n', `loadBalancers:
  tools:
    scheme: internal
    listeners: [{ port: 80, targetGroup: jenkins }]
    targetGroups:
      jenkins: { servers: [jenkins], port: 8080 }
`);
    bases.tools = synthesize(planFromYaml(tools, join(ROOT, 'examples', 'bootcamp-ec2')), 'tools');
    bases.video = exampleBase('video-platform');
  });

  it('has at least 20 mutations over every base', () => {
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(MUTATIONS.map((m) => m.base))).toEqual(new Set(['bootcamp', 'nemo', 'tools', 'video']));
  });

  it.each(['bootcamp', 'nemo', 'tools', 'video'] as const)('reports nothing on the clean %s templates', (name) => {
    const base = bases[name]!;
    const report = new Edit(base).verify(base.plan);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it.each(MUTATIONS.map((m) => [`${m.base}: ${m.name} → ${m.rule}`, m] as const))('%s', (_, m) => {
    const base = bases[m.base]!;
    const edit = new Edit(base);
    m.apply(edit);
    const report = edit.verify(base.plan);
    const caught = report.findings.filter((f) => f.ruleId === m.rule && f.status === 'violation');
    expect(caught.length, `no ${m.rule} violation; found: ${report.findings.map((f) => `${f.ruleId} ${f.status}: ${f.message}`).join('\n')}`).toBeGreaterThan(0);
    const withEvidence = caught.find((f) => m.evidence.test(evidenceText(f)));
    expect(withEvidence, `no ${m.rule} finding shows ${m.evidence}; got:\n${caught.map(evidenceText).join('\n---\n')}`).toBeDefined();
    // Reachability findings carry a witness, blocked requirements the blocking components, both with their ends and packets as data.
    if (['PV2', 'PV3', 'PV5', 'PF2', 'PI1', 'PI2', 'PI3', 'PV7'].includes(m.rule)) {
      expect(withEvidence!.witness?.hops.length).toBeGreaterThan(0);
      expect(withEvidence!.witness?.source).toBeDefined();
      expect(withEvidence!.witness?.set?.has(withEvidence!.witness.sample!)).toBe(true);
    }
    if (['PF1', 'PI4'].includes(m.rule)) {
      expect(withEvidence!.blocked?.paths.length).toBeGreaterThan(0);
      expect(withEvidence!.blocked?.set.has(withEvidence!.blocked.sample)).toBe(true);
    }
  });
});
