import { describe, expect, it } from 'vitest';
import { buildDiagrams, drawDiagram } from '../../src/analyse/diagram/draw.js';
import { verdictsOf } from '../../src/analyse/diagram/model/verdicts.js';
import { verifyTemplates } from '../../src/analyse/verify/index.js';
import { serviceLabel, serviceParts } from '../../src/analyse/diagram/model/services.js';
import { PacketSet } from '../../src/analyse/model/packets.js';
import type { Diagram } from '../../src/analyse/diagram/types.js';
import { edgesBetween, flowLabel, inputOf, mutated, node } from './support.js';

function views(name: string): { network: Diagram; k8s: Diagram | undefined } {
  const diagrams = buildDiagrams(inputOf(name), 'all');
  return { network: diagrams.find((d) => d.view === 'network')!, k8s: diagrams.find((d) => d.view === 'k8s') };
}

function groupLabels(d: Diagram, kind: string): string[] {
  return d.groups.filter((g) => g.kind === kind).map((g) => g.label);
}

describe('network view of each example', () => {
  it('bootcamp-ec2: AZ columns of public and private subnets, the bastion path and the 3-tier flows', () => {
    // GIVEN the bootcamp example WHEN its network view is built
    const { network: d, k8s } = views('bootcamp-ec2');
    // THEN the region holds one VPC with a public and a private band of two subnets each
    expect(groupLabels(d, 'region')).toEqual(['Region ap-northeast-2']);
    expect(groupLabels(d, 'vpc')).toEqual(['VPC bootcamp-vpc']);
    expect(groupLabels(d, 'tier')).toEqual(['Public subnets', 'Private subnets']);
    expect(groupLabels(d, 'subnet')).toEqual(['bootcamp-public-a', 'bootcamp-public-c', 'bootcamp-private-a', 'bootcamp-private-c']);
    expect(k8s).toBeUndefined();
    // AND every resource is a labelled node of the right kind
    expect(node(d, 'bastion').kind).toBe('bastion');
    expect(node(d, 'servers/springboot').lines).toContain('EC2 t2.medium');
    expect(node(d, 'lb/public').kind).toBe('alb');
    expect(node(d, 'db/main').lines).toContain('primary + standby (Multi-AZ)');
    expect(node(d, 'NAT gateway').group).toMatch(/^subnet:/);
    // AND edges are the verified flows with their ports
    expect(flowLabel(d, '203.0.113.10/32', 'bastion')).toBe('22/tcp');
    expect(flowLabel(d, 'Internet', 'lb/public')).toBe('80/tcp, 443/tcp');
    expect(flowLabel(d, 'lb/public', 'servers/springboot')).toBe('8080/tcp');
    expect(flowLabel(d, 'servers/springboot', 'servers/elk')).toBe('5044/tcp');
    expect(flowLabel(d, 'servers/springboot', 'db/main')).toBe('3306/tcp');
    expect(flowLabel(d, 'bastion', 'servers/elk')).toBe('22/tcp, 5601/tcp');
    // AND nothing the database does not answer, nothing red on the clean example
    expect(edgesBetween(d, 'bastion', 'db/main')).toEqual([]);
    expect(d.edges.filter((e) => e.kind === 'violation' || e.kind === 'blocked')).toEqual([]);
    // AND the DNS alias and the way out are drawn apart from the flows
    expect(d.edges.find((e) => e.kind === 'dns')?.label).toBe('www.bootcamp.example.com');
    expect(d.edges.filter((e) => e.kind === 'route').length).toBe(2);
    expect(node(d, 'servers/elk').lines).toContain('↗ internet via NAT: all traffic');
  });

  it('nemo-v3: EKS control plane and nodes collapsed ×3, two-way flows merged into one edge', () => {
    const { network: d } = views('nemo-v3');
    expect(groupLabels(d, 'subnet')).toEqual(['nemo-public-a', 'nemo-public-b', 'nemo-private-a', 'nemo-private-b', 'nemo-private-c']);
    expect(node(d, 'cluster/nodes').count).toBe(3);
    expect(node(d, 'cluster/nodes').lines[1]).toBe('across nemo-private-a, -b, -c');
    expect(node(d, 'servers/ai-fastapi').count).toBe(2);
    expect(node(d, 'cluster/controlPlane').kind).toBe('eks-control-plane');
    expect(flowLabel(d, 'cluster/nodes', 'db/main')).toBe('3306/tcp');
    expect(flowLabel(d, 'bastion', 'cluster/controlPlane')).toBe('443/tcp');
    expect(flowLabel(d, 'cluster/nodes', 'servers/ai-vllm')).toBe('8000-8002/tcp');
    expect(flowLabel(d, 'servers/ai-vllm', 'cluster/nodes')).toBe('9094/tcp, 30000-32767/tcp');
    // one edge for both directions
    expect(edgesBetween(d, 'cluster/nodes', 'servers/ai-vllm')).toHaveLength(1);
    // the three AZ replicas of the node group and of RDS: one edge, not nine
    expect(d.edges.filter((e) => e.to === node(d, 'db/main').id)).toHaveLength(1);
    expect(d.edges.filter((e) => e.kind === 'violation' || e.kind === 'blocked')).toEqual([]);
  });

  it('k8s-on-ec2: an internal NLB any VPC address may use, and its targets on their node ports', () => {
    const { network: d } = views('k8s-on-ec2');
    expect(node(d, 'lb/k8s').kind).toBe('nlb');
    expect(node(d, 'lb/k8s').lines[0]).toBe('internal NLB');
    expect(flowLabel(d, 'Any address in the VPC', 'lb/k8s')).toBe('80/tcp, 443/tcp, 6443/tcp');
    expect(flowLabel(d, 'lb/k8s', 'servers/masters')).toBe('6443/tcp');
    expect(flowLabel(d, 'lb/k8s', 'servers/workers')).toBe('30080/tcp, 30443/tcp');
    // Calico's Typha (5473) replaced BGP (179) when the example moved to a VXLAN-only Calico.
    expect(flowLabel(d, 'servers/masters', 'servers/workers')).toMatch(/^5473\/tcp, 10250\/tcp, 30000-32767\/tcp, .*4789\/udp$/);
    expect(node(d, 'servers/masters').count).toBe(3);
  });

  it('video-platform: VPN gateway and site, Client VPN endpoint at the VPC edge, two ALBs', () => {
    const { network: d } = views('video-platform');
    expect(node(d, 'VPN gateway').group).toMatch(/^vpc:/);
    expect(node(d, 'vpn').kind).toBe('client-vpn');
    expect(node(d, 'VPN users').group).toBe('outside');
    expect(node(d, 'Networks behind vidgen-vgw').kind).toBe('site');
    expect(node(d, 'ALB vidgen-prod-public').lines[0]).toBe('internet-facing ALB');
    expect(node(d, 'ALB vidgen-prod-internal').lines[0]).toBe('internal ALB');
    expect(node(d, 'efs/shared').kind).toBe('efs');
    expect(node(d, 'S3').kind).toBe('s3');
    expect(flowLabel(d, 'Internet', 'ALB vidgen-prod-public')).toBe('80/tcp, 443/tcp');
    // VPN users reach the internal ALB: its group (lb/internal) admits the Client VPN endpoint's group
    expect(node(d, 'ALB vidgen-prod-internal').refs).toContain('lb/internal');
    expect(flowLabel(d, 'VPN users', 'ALB vidgen-prod-internal')).toBe('80/tcp, 443/tcp');
    expect(edgesBetween(d, 'Internet', 'ALB vidgen-prod-internal')).toEqual([]);
    expect(flowLabel(d, 'cluster/nodes', 'efs/shared')).toBe('2049/tcp');
    expect(d.edges.find((e) => e.kind === 'route' && e.label === 'IPsec')).toBeDefined();
  });
});

describe('Kubernetes view', () => {
  it('three-tier-eks: Ingress → Service → Deployment, HPA bounds, and the ALB each Ingress lands on', () => {
    const { k8s } = views('three-tier-eks');
    const d = k8s!;
    expect(groupLabels(d, 'namespace')).toEqual(['namespace app']);
    const backend = d.nodes.find((n) => n.kind === 'deployment' && n.title === 'backend')!;
    expect(backend.lines).toContain('HPA 2–10 pods at CPU 70%');
    // the ALB's verified flow to the pods is written on the workload its chain leads to
    expect(backend.lines).toContain('← ALB 8080/tcp');
    const ingress = d.nodes.find((n) => n.kind === 'ingress' && n.title === 'backend')!;
    expect(ingress.lines).toContain('www.goupang.shop/api');
    const alb = node(d, 'ALB goupang-prod-public');
    const service = d.nodes.find((n) => n.kind === 'service' && n.title === 'backend')!;
    const refs = d.edges.filter((e) => e.kind === 'reference');
    expect(refs.some((e) => e.from === alb.id && e.to === ingress.id)).toBe(true);
    expect(refs.some((e) => e.from === ingress.id && e.to === service.id)).toBe(true);
    expect(refs.some((e) => e.from === service.id && e.to === backend.id)).toBe(true);
    expect(flowLabel(d, 'Internet', 'ALB goupang-prod-public')).toBe('80/tcp, 443/tcp');
    expect(flowLabel(d, 'backend', 'db/main')).toBe('3306/tcp');
  });

  it('video-platform: pod-to-pod flows under the NetworkPolicies, and the bridge reaching the AI site over the VPN', () => {
    const { k8s } = views('video-platform');
    const d = k8s!;
    expect(groupLabels(d, 'namespace')).toContain('namespace vidgen');
    const frontend = d.nodes.find((n) => n.kind === 'deployment' && n.title === 'frontend')!;
    const backend = d.nodes.find((n) => n.kind === 'deployment' && n.title === 'backend')!;
    expect(d.edges.find((e) => e.from === frontend.id && e.to === backend.id && e.kind === 'flow')?.label).toBe('8080/tcp');
    const bridge = d.nodes.find((n) => n.kind === 'deployment' && n.title === 'bridge')!;
    const site = d.nodes.find((n) => n.kind === 'site')!;
    expect(d.edges.find((e) => e.from === bridge.id && e.to === site.id)?.label).toContain('8000/tcp');
    expect(d.groups.find((g) => g.id === 'ns:vidgen')?.sublabel).toBe('NetworkPolicies isolate its pods');
    // the developer tools' clients: VPN users, through the internal ALB
    expect(flowLabel(d, 'VPN users', 'ALB vidgen-prod-internal')).toBe('80/tcp, 443/tcp');
  });
});

describe('violations', () => {
  it('Noncompliance 1: SSH opened to 0.0.0.0/0 on the bastion group is drawn red with its rule ids', async () => {
    // GIVEN the bootcamp assembly with the bastion's SSH rule widened to the whole internet
    const input = mutated('bootcamp-ec2', 'Network.template.json', (t) => {
      for (const [id, r] of Object.entries(t.Resources)) {
        if (r.Type !== 'AWS::EC2::SecurityGroup' || !id.includes('Bastion')) continue;
        for (const rule of r.Properties.SecurityGroupIngress as { FromPort: number; CidrIp?: string }[]) if (rule.FromPort === 22) rule.CidrIp = '0.0.0.0/0';
      }
    });
    // WHEN it is drawn
    const [d] = buildDiagrams(input, 'network');
    // THEN the internet → bastion edge is a violation of PV3 (admin ports) and PF2 (only declared flows)
    const red = d!.edges.find((e) => e.kind === 'violation' && e.from === 'internet' && e.to === node(d!, 'bastion').id)!;
    expect(red.rules).toEqual(expect.arrayContaining(['PF2', 'PV3']));
    expect(red.label).toContain('22/tcp');
    expect(d!.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['PF2', 'PV3']));
    // AND the SVG draws it red, with the rule ids written on it and in the legend
    const svg = await drawDiagram(input, 'network', 'svg') as string;
    expect(svg).toMatch(/<g class="edge violation" data-from="internet"[^>]*>.*stroke="#D13212"/);
    expect(svg).toMatch(/>✗ [A-Z0-9, ]*PF2[A-Z0-9, ]*PV3<\/text>/);
    expect(svg).toContain('PV3 AdminPortsFromInternet');
  });

  it('Noncompliance 2: a declared flow the templates block is a dotted red edge', () => {
    // GIVEN the database group without its rule for springboot
    const input = mutated('bootcamp-ec2', 'Network.template.json', (t) => {
      for (const [id, r] of Object.entries(t.Resources)) {
        if (r.Type === 'AWS::EC2::SecurityGroup' && id.includes('DbMain')) r.Properties.SecurityGroupIngress = [];
        if (r.Type === 'AWS::EC2::SecurityGroupIngress' && JSON.stringify(r.Properties).includes('DbMain')) delete t.Resources[id];
      }
    });
    const [d] = buildDiagrams(input, 'network');
    const blocked = edgesBetween(d!, 'servers/springboot', 'db/main');
    expect(blocked.map((e) => e.kind)).toEqual(['blocked']);
    expect(blocked[0]!.rules).toEqual(['PF1']);
    expect(blocked[0]!.label).toContain('3306/tcp');
  });

  it('Compliance: the clean examples draw no red edge', () => {
    for (const name of ['bootcamp-ec2', 'k8s-on-ec2', 'three-tier-eks', 'nemo-v3', 'video-platform']) {
      const red = buildDiagrams(inputOf(name), 'all').flatMap((d) => d.edges).filter((e) => e.kind === 'violation' || e.kind === 'blocked');
      expect(red, name).toEqual([]);
    }
  });
});

describe('rendering', () => {
  it('identical input gives an identical SVG', async () => {
    const first = await drawDiagram(inputOf('nemo-v3'), 'all', 'svg');
    const second = await drawDiagram(inputOf('nemo-v3'), 'all', 'svg');
    expect(second).toBe(first);
    expect(first).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+"/);
    expect(first).not.toMatch(/id="/);
  });

  it('the SVG names every node and labels every flow', async () => {
    const input = inputOf('bootcamp-ec2');
    const svg = await drawDiagram(input, 'network', 'svg') as string;
    const [d] = buildDiagrams(input, 'network');
    for (const n of d!.nodes) expect(svg).toContain(`>${n.title.replace(/&/g, '&amp;')}<`);
    for (const e of d!.edges.filter((x) => x.kind === 'flow')) for (const line of e.label.split('\n')) expect(svg).toContain(`>${line}<`);
    expect(svg).toContain('font-family="DejaVu Sans');
  });

  it('PNG: a 1600 px wide image', async () => {
    const png = await drawDiagram(inputOf('bootcamp-ec2'), 'network', 'png') as Buffer;
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1600);
  });

  it('DOT and Mermaid: the same nodes and labelled edges, as text', async () => {
    const input = inputOf('bootcamp-ec2');
    const dot = await drawDiagram(input, 'network', 'dot') as string;
    expect(dot).toMatch(/^digraph "bootcamp" \{/);
    expect(dot).toContain('label="3306/tcp"');
    expect(dot).toContain('subgraph "cluster_vpc:');
    const mermaid = await drawDiagram(input, 'network', 'mermaid') as string;
    expect(mermaid.startsWith('flowchart TB\n')).toBe(true);
    expect(mermaid).toContain('|"3306/tcp"|');
    expect(mermaid).toContain('subgraph');
  });
});

describe('reading verify\'s findings', () => {
  it('places a finding by the ends and packets of its witness, a configuration witness as a note', () => {
    // GIVEN a public route in a private subnet and SSH on the bastion opened to the internet
    const input = mutated('bootcamp-ec2', 'Network.template.json', (t) => {
      for (const [id, r] of Object.entries(t.Resources)) {
        if (r.Type === 'AWS::EC2::SecurityGroup' && id.includes('Bastion')) {
          for (const rule of r.Properties.SecurityGroupIngress as { FromPort: number; CidrIp?: string }[]) if (rule.FromPort === 22) rule.CidrIp = '0.0.0.0/0';
        }
        if (r.Type === 'AWS::EC2::Route' && id.startsWith('NetworkPrivateADefaultRoute')) {
          delete r.Properties.NatGatewayId;
          r.Properties.GatewayId = { Ref: Object.keys(t.Resources).find((k) => t.Resources[k]!.Type === 'AWS::EC2::InternetGateway') };
        }
      }
    });
    // WHEN verify's findings are read
    const { verdicts, unplaced } = verdictsOf(verifyTemplates(input.templates, { plan: input.plan, k8s: input.k8s }).findings);
    // THEN the PV3 witness is data: from the internet to the bastion's class, on tcp/22
    const pv3 = verdicts.find((v) => v.ruleId === 'PV3')!;
    const bastion = input.model.classes.find((c) => c.refs.includes('bastion'))!;
    expect(pv3.source).toMatchObject({ kind: 'external', name: 'internet', via: ['igw'] });
    expect(pv3.destination).toEqual({ kind: 'class', classKey: bastion.key });
    expect(pv3.services.equals(PacketSet.box({ protocol: [6, 6], port: [22, 22] }))).toBe(true);
    expect(pv3.packet).toMatchObject({ protocol: 6, port: 22 });
    // AND the route to the internet gateway, which has no packet, is left for a note
    expect(unplaced.map((f) => f.ruleId)).toContain('PV1');
  });

  it('writes ports the way operators say them', () => {
    const set = PacketSet.of([{ protocol: [6, 6], port: [443, 443] }, { protocol: [6, 6], port: [8000, 8002] }, { protocol: [17, 17], port: [53, 53] }]);
    expect(serviceParts(set)).toEqual(['443/tcp', '8000-8002/tcp', '53/udp']);
    expect(serviceParts(PacketSet.ALL)).toEqual(['all traffic']);
    expect(serviceLabel(['443/tcp', '8000-8002/tcp', '53/udp'])).toBe('443/tcp\n8000-8002/tcp\n53/udp');
    expect(serviceLabel(['80/tcp', '443/tcp'])).toBe('80/tcp, 443/tcp');
  });
});
