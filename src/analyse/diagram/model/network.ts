/**
 * The network view: the outside (internet, admin addresses, VPN users, sites) above the region;
 * in the region each VPC with one band per subnet tier (public, private, isolated), and in each band
 * one box per subnet, in AZ order, so the AZs read as columns. A class living in one subnet is drawn
 * in it; a class spread over several subnets of a tier (a node group, RDS, an ALB) is drawn once in
 * the band, saying where it spreads. Regional services (S3, ECR) sit beside the VPC; DNS outside.
 */
import type { ResourceToken } from '../../model/resolve.js';
import { effectiveRoutes } from '../../model/engine/evaluate.js';
import type { EniClass, Subnet, Tier } from '../../model/types.js';
import { Bracket, INTERNET, PacketSet, rangeToCidrs } from '../../model/packets.js';
import type { Diagram, DiagramGroup, DiagramNode, NodeKind } from '../types.js';
import { Describer } from './describe.js';
import { buildEdges, mergeFlows, type NodeFlow, type PlacedVerdict } from './edges.js';
import { serviceParts } from './services.js';
import type { FlowEnd } from './flows.js';
import type { Analysis, DiagramInput } from './input.js';
import { placeVerdicts } from './placement.js';
import { findingNote, rulesUsed } from './notes.js';

const TIER_ORDER: readonly (Tier | 'unknown')[] = ['public', 'private', 'isolated', 'unknown'];
const TIER_LABEL: Readonly<Record<Tier | 'unknown', string>> = {
  public: 'Public subnets', private: 'Private subnets', isolated: 'Isolated subnets', unknown: 'Other subnets',
};

export function tierOf(subnet: Subnet): Tier | 'unknown' {
  if (subnet.declaredTier) return subnet.declaredTier.tier;
  const kinds = effectiveRoutes(subnet.routeTable).filter((e) => e.peers.overlaps(INTERNET)).map((e) => e.route.target.kind);
  return kinds.includes('igw') ? 'public' : kinds.includes('nat') ? 'private' : 'isolated';
}

/** `ClusterKubectlProviderHandler93C0312D` → `ClusterKubectlProviderHandler`: CDK's hash suffix says nothing to a reader. */
export function withoutHash(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '') || logicalId;
}

export function nodeKindOf(cls: EniClass): NodeKind {
  switch (cls.kind) {
    case 'instance':
    case 'auto-scaling-group':
      return cls.refs.includes('bastion') ? 'bastion' : 'server';
    case 'network-interface': return 'eni';
    case 'load-balancer': return cls.loadBalancer?.type === 'application' ? 'alb' : cls.loadBalancer?.type === 'network' ? 'nlb' : 'lb';
    case 'database': return 'rds';
    case 'file-system': return 'efs';
    case 'interface-endpoint': return 'interface-endpoint';
    case 'client-vpn': return 'client-vpn';
    case 'eks-control-plane': return 'eks-control-plane';
    case 'eks-nodes': return 'eks-nodes';
    case 'lambda': return 'lambda';
    case 'pods': return 'pods';
  }
}

/** The Ingresses a load balancer of the AWS Load Balancer Controller serves (one per IngressGroup). */
export function ingressesOf(cls: EniClass): readonly string[] {
  return cls.loadBalancer?.ingresses ?? [];
}

/** `ingress-group/vidgen-prod-public` → `ALB vidgen-prod-public`. */
export function balancerTitle(cls: EniClass): string {
  const type = cls.loadBalancer?.type === 'network' ? 'NLB' : 'ALB';
  return cls.name.startsWith('ingress-group/') ? `${type} ${cls.name.slice('ingress-group/'.length)}` : cls.name;
}

export class NetworkView {
  private readonly groups = new Map<string, DiagramGroup>();
  private readonly nodes = new Map<string, DiagramNode>();
  private readonly classNode = new Map<string, string>();
  private readonly describer: Describer;
  private readonly notes: string[] = [];

  public constructor(private readonly input: DiagramInput, private readonly analysis: Analysis) {
    this.describer = new Describer(input.templates);
  }

  public build(): Diagram {
    const model = this.input.model;
    const region = this.input.templates.map((t) => t.region).find((r) => r !== undefined);
    this.group({ id: 'outside', kind: 'outside', label: 'Outside AWS', sublabel: undefined, parent: undefined });
    this.group({ id: 'region', kind: 'region', label: region ? `Region ${region}` : 'Region', sublabel: undefined, parent: undefined });
    for (const vpc of [...model.vpcs.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      const vpcId = `vpc:${vpc.key}`;
      this.group({ id: vpcId, kind: 'vpc', label: `VPC ${vpc.name}`, sublabel: rangesText(vpc.ranges), parent: 'region' });
      const subnets = [...model.subnets.values()].filter((s) => s.vpc === vpc).sort(subnetOrder);
      for (const tier of TIER_ORDER) {
        const inTier = subnets.filter((s) => tierOf(s) === tier);
        if (inTier.length === 0) continue;
        this.group({ id: tierId(vpc.key, tier), kind: 'tier', label: TIER_LABEL[tier], sublabel: undefined, parent: vpcId, tier });
        for (const s of inTier) {
          this.group({ id: `subnet:${s.key}`, kind: 'subnet', label: s.name, sublabel: `${s.cidr}${s.az ? ` · ${s.az}` : ''}`, parent: tierId(vpc.key, tier), tier, ...(s.az ? { az: s.az } : {}) });
        }
      }
      if (vpc.igw) this.node({ id: `igw:${vpc.igw.key}`, kind: 'igw', group: vpcId, title: 'Internet gateway', lines: [vpc.igw.name], count: undefined, refs: [] });
      if (vpc.vgw) {
        const remote = rangesText(vpc.vgw.remote.peerRanges());
        this.node({ id: `vgw:${vpc.vgw.key}`, kind: 'vgw', group: vpcId, title: 'VPN gateway', lines: [vpc.vgw.name, remote ? `site traffic, ${remote}` : 'site traffic (BGP)'], count: undefined, refs: ['site'] });
        this.outside(`site:${vpc.vgw.key}`, 'site', `Networks behind ${vpc.vgw.name}`, [remote || 'learned by BGP'], ['site']);
      }
    }
    for (const nat of [...model.natGateways.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      const group = nat.subnet ? `subnet:${nat.subnet.key}` : nat.vpcKey ? `vpc:${nat.vpcKey}` : 'region';
      this.node({ id: `nat:${nat.key}`, kind: 'nat', group, title: 'NAT gateway', lines: [nat.name], count: undefined, refs: [] });
    }
    this.addClasses();
    this.noteSpreads();
    this.addRegionalServices();
    const all = this.flows();
    // Egress to the internet is written on the source node (`↗ internet via NAT: all traffic`):
    // an edge from every private host to the NAT gateway would cross the whole picture for little news.
    const egress = all.filter((f) => /^(nat|igw):/.test(f.to) && !f.from.startsWith('vgw:'));
    const flows = all.filter((f) => !egress.includes(f));
    this.writeEgress(egress);
    this.addPlanSources();
    // VPN users are drawn with their endpoint even when they reach nothing: that is worth seeing.
    for (const cls of model.classes.filter((c) => c.clientVpn)) this.endNode({ type: 'vpn-clients', endpoint: cls });
    const { placed, unplaced } = placeVerdicts(this.analysis.verdicts, {
      model, nodes: this.nodes, flows: all, nodeOfClass: (key) => this.classNode.get(key),
    });
    const edges = buildEdges(flows, this.nodes, withoutVpcWide(placed));
    this.notes.push(...unplaced.map((v) => `✗ ${v.ruleId}: ${v.message}`), ...this.analysis.unplaced.map(findingNote));
    edges.push(...this.structuralEdges([...edges.map((e) => e.to), ...egress.map((f) => f.to)]));
    const used = new Set(edges.flatMap((e) => [e.from, e.to]));
    // Outside nodes exist to be talked to; one no edge reaches is noise.
    for (const n of [...this.nodes.values()]) if (n.group === 'outside' && n.kind !== 'route53' && n.kind !== 'vpn-clients' && !used.has(n.id)) this.nodes.delete(n.id);
    return {
      view: 'network', title: this.input.title, groups: [...this.groups.values()], nodes: [...this.nodes.values()], edges,
      notes: this.notes, rules: rulesUsed(edges, this.notes, this.analysis.rules),
    };
  }

  private group(g: DiagramGroup): void {
    this.groups.set(g.id, g);
  }

  private node(n: DiagramNode): void {
    this.nodes.set(n.id, n);
  }

  private addClasses(): void {
    const model = this.input.model;
    const classes = [...model.classes].sort((a, b) => a.key.localeCompare(b.key));
    const lambdas = new Map<string, EniClass[]>();
    const byNode = new Map<string, EniClass[]>();
    for (const cls of classes) {
      if (cls.kind === 'pods') continue;
      if (cls.kind === 'lambda' && cls.refs.length === 0) {
        const key = `${[...cls.groups].sort().join(',')}|${cls.placements.map((p) => p.subnet.key).sort().join(',')}`;
        lambdas.set(key, [...(lambdas.get(key) ?? []), cls]);
        continue;
      }
      const id = `c:${cls.key}`;
      byNode.set(id, [...(byNode.get(id) ?? []), cls]);
    }
    for (const [id, members] of byNode) {
      const cls = members[0]!;
      for (const m of members) this.classNode.set(m.key, id);
      const lines = this.describer.classLines(cls);
      const ingresses = ingressesOf(cls);
      if (ingresses.length > 0) lines.push(ingresses.length <= 2 ? `for ingress ${ingresses.join(', ')}` : `for ${ingresses.length} Ingresses`);
      const where = spread(cls);
      if (where) lines.push(where);
      this.node({
        id, kind: nodeKindOf(cls), group: this.groupOf(cls), title: balancerTitle(cls),
        lines, count: cls.count > 1 ? cls.count : undefined, refs: [...new Set(members.flatMap((m) => m.refs))],
      });
    }
    for (const [key, members] of [...lambdas].sort(([a], [b]) => a.localeCompare(b))) {
      const id = `lambda:${key}`;
      const names = members.map((m) => withoutHash(m.resources[0]?.logicalId ?? m.name));
      for (const m of members) this.classNode.set(m.key, id);
      const where = spread(members[0]!);
      this.node({
        id, kind: 'lambda', group: this.groupOf(members[0]!), title: commonPrefix(names) || names[0]!,
        lines: [members.length > 1 ? `${members.length} Lambda functions` : 'Lambda function', ...(where ? [where] : [])],
        count: members.length > 1 ? members.length : undefined, refs: [],
      });
    }
    // Pods run on their node group's instances: in this view their flows are the node group's.
    for (const cls of classes.filter((c) => c.kind === 'pods')) {
      const nodesKey = cls.runsOn ?? model.classes.find((c) => c.kind === 'eks-nodes')?.key;
      const id = nodesKey ? this.classNode.get(nodesKey) : undefined;
      if (!id) continue;
      this.classNode.set(cls.key, id);
      const n = this.nodes.get(id)!;
      this.nodes.set(id, { ...n, refs: [...new Set([...n.refs, ...cls.refs])] });
    }
  }

  /** A subnet box says which band-wide nodes also have interfaces in it, so an AZ column reads whole. */
  private noteSpreads(): void {
    const inSubnet = new Map<string, string[]>();
    for (const cls of this.input.model.classes) {
      const id = this.classNode.get(cls.key);
      const n = id ? this.nodes.get(id) : undefined;
      if (!n || n.group.startsWith('subnet:') || cls.kind === 'pods') continue;
      for (const p of cls.placements) {
        const list = inSubnet.get(p.subnet.key) ?? [];
        if (!list.includes(n.title)) list.push(n.title);
        inSubnet.set(p.subnet.key, list);
      }
    }
    for (const [key, titles] of inSubnet) {
      const g = this.groups.get(`subnet:${key}`);
      if (g) this.groups.set(g.id, { ...g, note: wrap(`also here: ${titles.sort().join(', ')}`, 34) });
    }
  }

  private groupOf(cls: EniClass): string {
    // A Client VPN endpoint is an entry to the VPC, drawn at its edge like the gateways.
    if (cls.kind === 'client-vpn' && cls.placements[0]) return `vpc:${cls.placements[0].subnet.vpc.key}`;
    const subnets = [...new Set(cls.placements.map((p) => p.subnet))];
    if (subnets.length === 1) return `subnet:${subnets[0]!.key}`;
    const tiers = new Set(subnets.map(tierOf));
    const vpcs = new Set(subnets.map((s) => s.vpc.key));
    if (vpcs.size === 1 && tiers.size === 1) return tierId([...vpcs][0]!, [...tiers][0]!);
    if (vpcs.size === 1) return `vpc:${[...vpcs][0]!}`;
    return 'region';
  }

  private addRegionalServices(): void {
    const d = this.describer;
    // Existing buckets the spec references by name are in no template; they are drawn, marked as existing.
    const existing = (this.input.plan?.buckets ?? []).flatMap((b) => (b.existingName ? [`${b.existingName} (existing)`] : []));
    const buckets = [...d.resources('AWS::S3::Bucket').map((r) => d.text(r, 'BucketName') ?? withoutHash(r.logicalId)), ...existing];
    const repos = d.resources('AWS::ECR::Repository').map((r) => d.text(r, 'RepositoryName') ?? withoutHash(r.logicalId));
    const fileSystems = d.resources('AWS::EFS::FileSystem');
    if (buckets.length + repos.length > 0) {
      this.group({ id: 'regional', kind: 'regional-services', label: 'Regional services', sublabel: 'reached over AWS endpoints, not the VPC', parent: 'region' });
    }
    if (buckets.length > 0) this.node({ id: 'svc:s3', kind: 's3', group: 'regional', title: 'S3', lines: listLines(buckets), count: undefined, refs: [] });
    if (repos.length > 0) this.node({ id: 'svc:ecr', kind: 'ecr', group: 'regional', title: 'ECR', lines: listLines(repos), count: undefined, refs: [] });
    if (fileSystems.length > 0 && ![...this.nodes.values()].some((n) => n.kind === 'efs')) {
      this.notes.push(`${fileSystems.length} EFS file system(s) have no mount target in the templates, so nothing can reach them.`);
    }
    for (const zone of d.resources('AWS::Route53::HostedZone')) {
      const name = (d.text(zone, 'Name') ?? zone.logicalId).replace(/\.$/, '');
      const isPrivate = d.prop(zone, 'VPCs') !== undefined;
      this.node({ id: `dns:${zone.key}`, kind: 'route53', group: isPrivate ? 'region' : 'outside', title: 'Route 53', lines: [`${isPrivate ? 'private' : 'public'} zone ${name}`], count: undefined, refs: [] });
    }
  }

  /** The flows, with each end mapped to the node drawn for it. */
  private flows(): NodeFlow[] {
    const out: NodeFlow[] = [];
    const vpcWide = new Map<string, Bracket>();
    for (const f of this.analysis.facts) {
      if (f.from.type === 'vpc' && f.to.type === 'class') {
        const to = this.classNode.get(f.to.cls.key);
        if (!to) continue;
        const sure = Bracket.exact(f.set.sure);
        if (sure.isEmpty()) continue;
        const id = `vpc-any:${f.from.vpc.key}`;
        if (!this.nodes.has(id)) {
          this.node({ id, kind: 'vpc-any', group: `vpc:${f.from.vpc.key}`, title: 'Any address in the VPC', lines: [rangesText(f.from.vpc.ranges)], count: undefined, refs: ['vpc'] });
        }
        vpcWide.set(to, (vpcWide.get(to) ?? Bracket.NONE).union(sure));
        out.push({ from: id, to, set: sure });
      }
    }
    for (const f of this.analysis.facts) {
      if (f.from.type === 'vpc') continue;
      if (f.from.type === 'internet' && f.to.type === 'class') {
        const to = this.classNode.get(f.to.cls.key);
        if (to) out.push(...this.internetFlows(f.set, to));
        continue;
      }
      const from = this.endNode(f.from);
      const to = this.endNode(f.to);
      if (!from || !to) continue;
      let set = f.set;
      const covered = from.startsWith('c:') || from.startsWith('lambda:') ? vpcWide.get(to) : undefined;
      if (covered) set = set.map((s) => s.minus(covered.sure.withPeers(PacketSet.ALL)));
      out.push({ from, to, set });
    }
    return out;
  }

  private writeEgress(egress: readonly NodeFlow[]): void {
    for (const f of mergeFlows(egress)) {
      const n = this.nodes.get(f.from);
      if (!n) continue;
      const via = f.to.startsWith('nat:') ? 'NAT' : 'its public IP';
      const parts = serviceParts(f.set.maybe);
      const text = `↗ internet via ${via}: ${parts.length > 2 ? `${parts.slice(0, 2).join(', ')}, …` : parts.join(', ')}`;
      this.nodes.set(n.id, { ...n, lines: [...n.lines, text] });
    }
  }

  /** Internet sources split by address: the whole internet, or the few ranges a rule names. */
  private internetFlows(set: Bracket, to: string): NodeFlow[] {
    const out: NodeFlow[] = [];
    let whole = PacketSet.EMPTY;
    for (const box of set.maybe.withPeers(PacketSet.ALL).boxes()) {
      const service = PacketSet.box({ protocol: box.protocol, port: box.port });
      if (set.maybe.contains(INTERNET.intersect(service))) whole = whole.union(INTERNET.intersect(service));
    }
    if (!whole.isEmpty()) {
      this.outside('internet', 'internet', 'Internet', ['every public address'], ['internet']);
      out.push({ from: 'internet', to, set: set.restrict(whole) });
    }
    const rest = set.map((s) => s.minus(whole));
    const byPeers = new Map<string, PacketSet>();
    for (const box of rest.maybe.boxes()) {
      const cidrs = rangeToCidrs(box.peer[0], box.peer[1]);
      const key = cidrs.length > 3 ? `${cidrs.slice(0, 3).join(', ')} …` : cidrs.join(', ');
      byPeers.set(key, (byPeers.get(key) ?? PacketSet.EMPTY).union(PacketSet.box(box)));
    }
    for (const [cidrs, peers] of byPeers) {
      const id = `cidr:${cidrs}`;
      this.outside(id, 'cidr', cidrs, [this.cidrRole(cidrs)], [`cidr:${cidrs}`]);
      out.push({ from: id, to, set: rest.restrict(peers) });
    }
    return out;
  }

  private cidrRole(cidrs: string): string {
    return this.input.plan?.endpoints[`cidr:${cidrs}`] ? 'address named in the spec' : 'internet addresses';
  }

  private outside(id: string, kind: NodeKind, title: string, lines: string[], refs: string[]): void {
    if (!this.nodes.has(id)) this.node({ id, kind, group: 'outside', title, lines, count: undefined, refs });
  }

  private endNode(end: FlowEnd): string | undefined {
    switch (end.type) {
      case 'class': return this.classNode.get(end.cls.key);
      case 'egress': return end.via.startsWith('igw:') ? end.via : this.nodes.has(`nat:${end.via}`) ? `nat:${end.via}` : undefined;
      // Site-to-site traffic is drawn to and from the VPN gateway, where it enters and leaves the VPC.
      case 'site': return this.nodes.has(`vgw:${end.gateway.key}`) ? `vgw:${end.gateway.key}` : undefined;
      case 'vpn-clients': {
        const id = `vpn-clients:${end.endpoint.key}`;
        this.outside(id, 'vpn-clients', 'VPN users', [end.endpoint.clientVpn ? `pool ${end.endpoint.clientVpn.clientCidr}` : 'Client VPN'], ['vpn']);
        return id;
      }
      default: return undefined;
    }
  }

  /** Plan sources outside AWS that the spec names (an admin address) are drawn even when blocked. */
  private addPlanSources(): void {
    for (const f of this.input.plan?.flows ?? []) {
      if (!f.from.startsWith('cidr:') && f.from !== 'internet') continue;
      if (![...this.nodes.values()].some((n) => n.refs.includes(f.to))) continue;
      if (f.from === 'internet') this.outside('internet', 'internet', 'Internet', ['every public address'], ['internet']);
      else this.outside(f.from, 'cidr', f.from.slice(5), ['address named in the spec'], [f.from]);
    }
  }

  /** NAT → internet gateway → internet, and DNS aliases: drawn thin, they are not permissions. */
  private structuralEdges(flowTargets: readonly string[]): Diagram['edges'] {
    const edges: Diagram['edges'][number][] = [];
    const targets = new Set(flowTargets);
    const model = this.input.model;
    for (const nat of [...model.natGateways.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      const vpc = nat.vpcKey ? model.vpcs.get(nat.vpcKey) : undefined;
      if (!vpc?.igw || !targets.has(`nat:${nat.key}`)) continue;
      edges.push({ id: `nat:${nat.key}->igw`, from: `nat:${nat.key}`, to: `igw:${vpc.igw.key}`, kind: 'route', label: '', certainty: 'sure', rules: [], detail: `${nat.name} sends its traffic out through the internet gateway` });
    }
    for (const vpc of [...model.vpcs.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      const igw = vpc.igw ? `igw:${vpc.igw.key}` : undefined;
      if (!igw || !vpc.igw || (!targets.has(igw) && !edges.some((e) => e.to === igw))) continue;
      this.outside('internet', 'internet', 'Internet', ['every public address'], ['internet']);
      edges.push({ id: `igw:${vpc.igw.key}->internet`, from: `igw:${vpc.igw.key}`, to: 'internet', kind: 'route', label: '', certainty: 'sure', rules: [], detail: `${vpc.igw.name} connects ${vpc.name} to the internet` });
    }
    for (const vpc of [...model.vpcs.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      if (!vpc.vgw) continue;
      const site = `site:${vpc.vgw.key}`;
      if (this.nodes.has(site)) edges.push({ id: `${site}<->vgw`, from: `vgw:${vpc.vgw.key}`, to: site, kind: 'route', label: 'IPsec', certainty: 'sure', rules: [], detail: `${vpc.vgw.name} terminates the site-to-site VPN tunnels` });
    }
    for (const cls of model.classes.filter((c) => c.clientVpn)) {
      const users = `vpn-clients:${cls.key}`;
      const endpoint = this.classNode.get(cls.key);
      if (this.nodes.has(users) && endpoint) edges.push({ id: `${users}->${endpoint}`, from: users, to: endpoint, kind: 'route', label: 'TLS tunnel', certainty: 'sure', rules: [], detail: 'VPN users connect to the Client VPN endpoint' });
    }
    const d = this.describer;
    for (const record of d.resources('AWS::Route53::RecordSet')) {
      const alias = JSON.stringify(record.body.Properties?.AliasTarget ?? {});
      const m = /"Fn::GetAtt":\["([^"]+)","DNSName"\]/.exec(alias.replace(/\s/g, ''));
      if (!m) continue;
      const target = this.classNode.get(`${record.template.stack}/${m[1]}`);
      const zoneKey = tokenKey(d.prop(record, 'HostedZoneId'));
      const zone = [...this.nodes.values()].find((n) => n.kind === 'route53' && (zoneKey === undefined || n.id === `dns:${zoneKey}`));
      if (!target || !zone) continue;
      const name = (d.text(record, 'Name') ?? '').replace(/\.$/, '');
      edges.push({ id: `${zone.id}->${target}#${name}`, from: zone.id, to: target, kind: 'dns', label: name, certainty: 'sure', rules: [], detail: `${name} is an alias of the load balancer` });
    }
    return edges;
  }
}

/**
 * A finding that holds for any address in the VPC is drawn once, from "any address in the VPC";
 * the same finding from each host of the VPC would repeat it.
 */
function withoutVpcWide(placed: readonly PlacedVerdict[]): PlacedVerdict[] {
  const wide = placed.filter((p) => p.from.startsWith('vpc-any:'));
  return placed.filter((p) => p.from.startsWith('vpc-any:') || !wide.some((w) => w.to === p.to && w.verdict.ruleId === p.verdict.ruleId
    && w.verdict.services.contains(p.verdict.services) && (p.from.startsWith('c:') || p.from.startsWith('lambda:'))));
}

function tokenKey(v: unknown): string | undefined {
  return v && typeof v === 'object' && 'key' in v ? (v as ResourceToken).key : undefined;
}

function tierId(vpcKey: string, tier: Tier | 'unknown'): string {
  return `tier:${vpcKey}:${tier}`;
}

function subnetOrder(a: Subnet, b: Subnet): number {
  return (a.az ?? '').localeCompare(b.az ?? '') || a.range[0] - b.range[0];
}

function rangesText(ranges: readonly (readonly [number, number])[]): string {
  return ranges.flatMap(([lo, hi]) => rangeToCidrs(lo, hi)).join(', ');
}

/** `across nemo-private-a, -b, -c`: where a class spreads, when it spreads. */
function spread(cls: EniClass): string | undefined {
  const names = [...new Set(cls.placements.map((p) => p.subnet.name))].sort();
  if (names.length < 2) return undefined;
  const prefix = commonPrefix(names);
  const cut = prefix.lastIndexOf('-') + 1;
  if (cut > 0) return `across ${names[0]}, ${names.slice(1).map((n) => `-${n.slice(cut)}`).join(', ')}`;
  return `across ${names.join(', ')}`;
}

function commonPrefix(names: readonly string[]): string {
  if (names.length === 0) return '';
  let prefix = names[0]!;
  for (const n of names.slice(1)) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** Lines of at most `width` characters, broken after commas. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function listLines(names: readonly string[]): string[] {
  const sorted = [...names].sort();
  const lines: string[] = [];
  for (let i = 0; i < sorted.length && lines.length < 3; i += 2) lines.push(sorted.slice(i, i + 2).join(', '));
  if (sorted.length > 6) lines[2] = `${lines[2]} and ${sorted.length - 6} more`;
  return lines;
}
