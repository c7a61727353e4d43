/**
 * The Kubernetes view: one box per namespace, with Ingress → Service → Deployment / StatefulSet
 * chains (replicas as ×N, autoscaler bounds), the load balancer each Ingress lands on (one ALB per
 * IngressGroup and scheme), and the verified flows between them: clients to load balancers, load
 * balancers to pods, pod to pod under the NetworkPolicies, and pods to what they reach in AWS.
 * When every pod may open the same ports to a destination (no policy isolates it), one edge from
 * "any pod" says so instead of one edge per workload.
 *
 * Above NAMESPACE_SUMMARY_ABOVE workloads a box per workload no longer fits a page (200 apps made a
 * 1:17 column where every edge merged into one band): each namespace is then one node saying what it
 * holds, flows are drawn between namespaces (ports unioned), flows inside a namespace are counted on
 * its node, and the namespaces stand in several columns.
 */
import { matches } from '../../model/k8s.js';
import type { EniClass } from '../../model/types.js';
import { Bracket, INTERNET, rangeToCidrs } from '../../model/packets.js';
import type { Diagram, DiagramEdge, DiagramGroup, DiagramNode, NodeKind } from '../types.js';
import { Describer } from './describe.js';
import { buildEdges, mergeFlows, type NodeFlow, type PlacedVerdict } from './edges.js';
import type { FlowEnd } from './flows.js';
import type { Analysis, DiagramInput } from './input.js';
import { rulesUsed } from './notes.js';
import { placeVerdicts } from './placement.js';
import type { ManifestWorkload } from './manifests.js';
import { balancerTitle, ingressesOf, nodeKindOf } from './network.js';

/** More workloads than this and the view draws namespaces, not workloads (no bundled example comes close). */
export const NAMESPACE_SUMMARY_ABOVE = 40;

const WORKLOAD_KIND: Readonly<Record<string, NodeKind>> = {
  Deployment: 'deployment', StatefulSet: 'statefulset', DaemonSet: 'daemonset', Job: 'job', CronJob: 'job',
};

export class KubernetesView {
  private readonly groups = new Map<string, DiagramGroup>();
  private readonly nodes = new Map<string, DiagramNode>();
  private readonly describer: Describer;

  public constructor(private readonly input: DiagramInput, private readonly analysis: Analysis) {
    this.describer = new Describer(input.templates);
  }

  public build(): Diagram {
    const manifests = this.input.manifests;
    const cluster = this.describer.resources('AWS::EKS::Cluster')[0];
    const clusterName = cluster ? this.describer.text(cluster, 'Name') ?? cluster.logicalId : undefined;
    this.group({ id: 'outside', kind: 'outside', label: 'Clients', sublabel: undefined, parent: undefined });
    this.group({ id: 'lbs', kind: 'load-balancers', label: 'Load balancers', sublabel: 'created by the AWS Load Balancer Controller', parent: undefined });
    this.group({ id: 'cluster', kind: 'cluster', label: clusterName ? `EKS cluster ${clusterName}` : 'Kubernetes cluster', sublabel: undefined, parent: undefined });
    this.group({ id: 'aws', kind: 'aws', label: 'Reached from pods', sublabel: undefined, parent: undefined });
    const references: DiagramEdge[] = [];
    const policies = this.input.model.k8s?.policies ?? [];
    const summary = (manifests?.workloads.length ?? 0) > NAMESPACE_SUMMARY_ABOVE;
    // team2 before team10: a large view's columns read in the order people number things.
    const namespaces = summary ? [...manifests!.namespaces].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) : manifests?.namespaces ?? [];
    for (const [i, ns] of namespaces.entries()) {
      const isolated = policies.some((p) => p.namespace === ns && p.ingress !== undefined);
      if (summary) this.addNamespace(ns, isolated, i, namespaces.length);
      else this.group({ id: `ns:${ns}`, kind: 'namespace', label: `namespace ${ns}`, sublabel: isolated ? 'NetworkPolicies isolate its pods' : 'no NetworkPolicy: pods accept any pod', parent: 'cluster' });
    }
    for (const w of summary ? [] : manifests?.workloads ?? []) this.addWorkload(w);
    for (const svc of summary ? [] : manifests?.services ?? []) {
      const id = `svc:${svc.namespace}/${svc.name}`;
      const ports = svc.ports.map((p) => `${p.port}${String(p.targetPort) !== String(p.port) ? `→${p.targetPort}` : ''}/${p.protocol.toLowerCase()}`).join(', ');
      this.node({ id, kind: 'service', group: `ns:${svc.namespace}`, title: svc.name, lines: [`Service ${svc.type}`, ...(ports ? [ports] : [])], count: undefined, refs: [] });
      for (const w of manifests?.workloads ?? []) {
        if (w.namespace !== svc.namespace || !svc.selector || !matches({ matchLabels: svc.selector, matchExpressions: [] }, w.labels)) continue;
        references.push(reference(id, workloadId(w), `Service ${svc.name} selects the pods of ${w.name}`));
      }
    }
    for (const ing of summary ? [] : manifests?.ingresses ?? []) {
      const id = `ing:${ing.namespace}/${ing.name}`;
      const routes = ing.rules.map((r) => `${r.host ?? '*'}${r.path === '/' ? '/' : r.path}`);
      this.node({ id, kind: 'ingress', group: `ns:${ing.namespace}`, title: ing.name, lines: ['Ingress', ...routes.slice(0, 3), ...(routes.length > 3 ? [`and ${routes.length - 3} more`] : [])], count: undefined, refs: [] });
      for (const r of ing.rules) {
        const target = `svc:${ing.namespace}/${r.service}`;
        if (this.nodes.has(target)) references.push(reference(id, target, `${ing.name} routes ${r.host ?? '*'}${r.path} to ${r.service}:${r.port}`));
      }
    }
    const classNode = this.mapClasses(summary);
    for (const cls of this.input.model.classes.filter((c) => c.key.startsWith('k8s:'))) {
      const lb = classNode.get(cls.key);
      for (const ingress of ingressesOf(cls)) {
        if (lb && this.nodes.has(`ing:${ingress}`)) references.push(reference(lb, `ing:${ingress}`, `Ingress ${ingress} is served by ${cls.name}`));
      }
    }
    const flows = summary ? this.anyPod(this.inside(this.flows(classNode)), 'n:') : this.anyPod(this.flows(classNode), 'w:');
    const { placed } = placeVerdicts(this.analysis.verdicts, {
      model: this.input.model, nodes: this.nodes, flows, nodeOfClass: (key) => classNode.get(key),
    });
    if (summary) this.insideFindings(placed);
    const edges = this.onChains([...buildEdges(flows, this.nodes, placed), ...dedupe(references)]);
    const used = new Set(edges.flatMap((e) => [e.from, e.to]));
    for (const n of [...this.nodes.values()]) if ((n.group === 'outside' || n.group === 'aws' || n.group === 'lbs') && !used.has(n.id)) this.nodes.delete(n.id);
    const notes = manifests && manifests.workloads.length > 0 ? [] : ['The manifests hold no workloads.'];
    return {
      view: 'k8s', title: this.input.title, groups: [...this.groups.values()], nodes: [...this.nodes.values()], edges, notes,
      rules: rulesUsed(edges, notes, this.analysis.rules),
    };
  }

  /**
   * An allowed flow from a load balancer to pods its own Ingress → Service chain leads to is written
   * on the workload (`← ALB x: 8080/tcp`) instead of drawn: the chain already shows the way, and a
   * second long edge beside every chain would make the view unreadable. Red edges stay drawn.
   */
  private onChains(edges: readonly DiagramEdge[]): DiagramEdge[] {
    const refs = edges.filter((e) => e.kind === 'reference');
    const next = (id: string) => refs.filter((r) => r.from === id).map((r) => r.to);
    const reaches = (lb: string, workload: string) => next(lb).some((ing) => next(ing).some((svc) => next(svc).includes(workload)));
    const out: DiagramEdge[] = [];
    for (const e of edges) {
      const lb = this.nodes.get(e.from);
      const target = this.nodes.get(e.to);
      if (e.kind === 'flow' && !e.back && lb?.group === 'lbs' && target && reaches(e.from, e.to)) {
        const line = `← ${lb.kind === 'nlb' ? 'NLB' : 'ALB'} ${e.label.replace(/\n/g, ', ')}${e.certainty === 'maybe' ? ' (maybe)' : ''}`;
        this.nodes.set(target.id, { ...target, lines: [...target.lines, line] });
        continue;
      }
      out.push(e);
    }
    return out;
  }

  private group(g: DiagramGroup): void {
    this.groups.set(g.id, g);
  }

  private node(n: DiagramNode): void {
    this.nodes.set(n.id, n);
  }

  private addWorkload(w: ManifestWorkload): void {
    const hpa = this.input.manifests?.autoscalers.find((a) => a.namespace === w.namespace && a.target.name === w.name && a.target.kind === w.kind);
    const lines = [`${w.kind}${w.replicas !== undefined && !hpa ? ` · ${w.replicas} replica${w.replicas === 1 ? '' : 's'}` : ''}`];
    if (hpa) lines.push(`HPA ${hpa.min}–${hpa.max} pods${hpa.cpuPercent !== undefined ? ` at CPU ${hpa.cpuPercent}%` : ''}`);
    const image = w.images[0]?.replace(/^.*\//, '');
    if (image) lines.push(image.length > 34 ? `${image.slice(0, 33)}…` : image);
    const count = hpa ? undefined : w.replicas !== undefined && w.replicas > 1 ? w.replicas : undefined;
    this.node({
      id: workloadId(w), kind: WORKLOAD_KIND[w.kind] ?? 'pods', group: `ns:${w.namespace}`, title: w.name, lines, count,
      refs: [`apps/${w.name}`, `apps/${w.namespace}/${w.name}`],
    });
  }

  /** One node for a namespace of a large view: what it holds; its flows inside are added by `inside`. */
  private addNamespace(ns: string, isolated: boolean, index: number, total: number): void {
    const m = this.input.manifests!;
    const workloads = m.workloads.filter((w) => w.namespace === ns);
    const pods = workloads.reduce((n, w) => n + (w.replicas ?? 1), 0);
    const services = m.services.filter((x) => x.namespace === ns).length;
    const ingresses = m.ingresses.filter((x) => x.namespace === ns).length;
    const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : what.endsWith('s') ? 'es' : 's'}`;
    // About three namespaces down for each one across keeps the picture near a page's shape.
    const lanes = Math.max(1, Math.round(Math.sqrt(total / 3)));
    this.node({
      id: `n:${ns}`, kind: 'pods', group: 'cluster', title: `namespace ${ns}`,
      lines: [
        `${plural(workloads.length, 'workload')} · ${plural(pods, 'pod')}`,
        ...(services + ingresses > 0 ? [`${plural(services, 'Service')} · ${plural(ingresses, 'Ingress')}`] : []),
        isolated ? 'NetworkPolicies isolate its pods' : 'no NetworkPolicy: pods accept any pod',
      ],
      count: undefined, refs: workloads.flatMap((w) => [`apps/${w.name}`, `apps/${w.namespace}/${w.name}`]),
      lane: Math.floor(index / Math.ceil(total / lanes)),
    });
  }

  /** Flows between workloads of one namespace: counted on its node, not drawn (they would loop on it). */
  private inside(flows: readonly NodeFlow[]): NodeFlow[] {
    const counts = new Map<string, number>();
    const out: NodeFlow[] = [];
    for (const f of flows) {
      if (f.from === f.to && f.from.startsWith('n:') && !f.set.isEmpty()) counts.set(f.from, (counts.get(f.from) ?? 0) + 1);
      else out.push(f);
    }
    for (const [id, n] of counts) this.addLines(id, [`${n} flow${n === 1 ? '' : 's'} between its workloads`]);
    return out;
  }

  /** A finding inside one namespace has no edge of its own: its node says so, with the rule ids. */
  private insideFindings(placed: readonly PlacedVerdict[]): void {
    const rules = new Map<string, Set<string>>();
    for (const p of placed) if (p.from === p.to && p.from.startsWith('n:')) rules.set(p.from, (rules.get(p.from) ?? new Set()).add(p.verdict.ruleId));
    for (const [id, ids] of rules) this.addLines(id, [`a flow inside breaks ${[...ids].sort().join(', ')}`]);
  }

  private addLines(id: string, lines: readonly string[]): void {
    const n = this.nodes.get(id);
    if (n) this.nodes.set(id, { ...n, lines: [...n.lines, ...lines] });
  }

  /** Pods classes → their workload (their namespace, in a large view); load balancers → the ALB of their IngressGroup; the rest drawn when reached. */
  private mapClasses(summary: boolean): Map<string, string> {
    const model = this.input.model;
    const out = new Map<string, string>();
    for (const cls of model.classes) {
      if (cls.kind === 'pods' && cls.workload) {
        const id = summary ? `n:${cls.workload.namespace}` : `w:${cls.workload.namespace}/${cls.workload.name}`;
        if (!summary && !this.nodes.has(id) && /^services\/[^/]+$/.test(cls.refs[0] ?? '')) this.operatedNode(id, cls);
        if (this.nodes.has(id)) out.set(cls.key, id);
        continue;
      }
      if (cls.key.startsWith('k8s:')) {
        const id = `c:${cls.key}`;
        out.set(cls.key, id);
        const lb = cls.loadBalancer;
        const type = lb?.type === 'network' ? 'NLB' : 'ALB';
        this.node({
          id, kind: nodeKindOf(cls), group: 'lbs', title: balancerTitle(cls),
          lines: [`${lb?.scheme ?? ''} ${type}`.trim(), lb?.listeners.map((l) => `${l.protocolName} ${l.port}`).join(', ') ?? ''].filter(Boolean), count: undefined, refs: cls.refs,
        });
        continue;
      }
      out.set(cls.key, `c:${cls.key}`);
    }
    return out;
  }

  /**
   * A catalogued service's pods, which an operator or chart creates (no manifest holds them): drawn in
   * their namespace under the service's name, with what they listen on (model/build/services). Only
   * the pods `services/KIND` names (what clients reach); helpers such as Airflow's scheduler are left out
   * of the picture to keep it readable.
   */
  private operatedNode(id: string, cls: EniClass): void {
    const ns = cls.workload!.namespace;
    if (!this.groups.has(`ns:${ns}`)) this.group({ id: `ns:${ns}`, kind: 'namespace', label: `namespace ${ns}`, sublabel: undefined, parent: 'cluster' });
    const kind = cls.resources[0]?.type.replace(/^Kubernetes /, '') ?? 'pods';
    this.node({
      id, kind: /StatefulSet|PodSet|Elasticsearch/.test(kind) ? 'statefulset' : kind === 'Deployment' || kind === 'Kibana' ? 'deployment' : 'pods', group: `ns:${ns}`,
      title: cls.refs[0]!, lines: [`${cls.workload!.name} · made by its operator or chart`, cls.acceptsText], count: undefined, refs: cls.refs,
    });
  }

  /** A node for an AWS class reached from pods, created when first needed. */
  private awsNode(cls: EniClass): string {
    const id = `c:${cls.key}`;
    if (!this.nodes.has(id)) {
      this.node({ id, kind: nodeKindOf(cls), group: 'aws', title: cls.name, lines: this.describer.classLines(cls).slice(0, 1), count: cls.count > 1 ? cls.count : undefined, refs: cls.refs });
    }
    return id;
  }

  private flows(classNode: ReadonlyMap<string, string>): NodeFlow[] {
    const out: NodeFlow[] = [];
    const end = (e: FlowEnd, other: FlowEnd, reached: boolean): string | undefined => {
      switch (e.type) {
        case 'class': {
          const id = classNode.get(e.cls.key);
          if (!id) return undefined;
          if (id.startsWith('c:') && !e.cls.key.startsWith('k8s:')) {
            // AWS classes appear only where pods meet them (a load balancer's own clients are drawn as clients).
            return other.type === 'class' && other.cls.kind === 'pods' ? this.awsNode(e.cls) : undefined;
          }
          return id;
        }
        case 'internet': return this.outside('internet', 'internet', 'Internet', ['every public address'], ['internet']);
        case 'vpn-clients': return this.outside(`vpn-clients:${e.endpoint.key}`, 'vpn-clients', 'VPN users', [e.endpoint.clientVpn ? `pool ${e.endpoint.clientVpn.clientCidr}` : 'Client VPN'], ['vpn']);
        case 'site': {
          if (other.type !== 'class' || other.cls.kind !== 'pods') return undefined;
          // A site the pods call is drawn on the right, with what else they reach; one that calls them, with the clients.
          const id = `${reached ? 'site-out' : 'site'}:${e.gateway.key}`;
          const networks = e.gateway.remote.peerRanges().map(([lo, hi]) => rangeToCidrs(lo, hi).join(', ')).join(', ') || 'learned by BGP';
          return reached ? this.beyond(id, 'site', `Networks behind ${e.gateway.name}`, [networks], ['site'])
            : this.outside(id, 'site', `Networks behind ${e.gateway.name}`, [networks], ['site']);
        }
        case 'egress': return other.type === 'class' && other.cls.kind === 'pods' ? this.beyond('internet-out', 'internet', 'Internet', ['through the NAT gateway'], []) : undefined;
        default: return undefined;
      }
    };
    for (const f of this.analysis.facts) {
      // Only flows touching Kubernetes objects belong here.
      const k8sEnd = (e: FlowEnd) => e.type === 'class' && (e.cls.kind === 'pods' || e.cls.key.startsWith('k8s:'));
      if (!k8sEnd(f.from) && !k8sEnd(f.to)) continue;
      if (f.from.type === 'vpc') continue;
      const from = end(f.from, f.to, false);
      const to = end(f.to, f.from, true);
      if (!from || !to) continue;
      const set = f.from.type === 'internet' || f.to.type === 'egress' ? f.set.restrict(INTERNET) : f.set;
      out.push({ from, to, set });
    }
    return out;
  }

  private beyond(id: string, kind: NodeKind, title: string, lines: string[], refs: string[]): string {
    if (!this.nodes.has(id)) this.node({ id, kind, group: 'aws', title, lines, count: undefined, refs });
    return id;
  }

  private outside(id: string, kind: NodeKind, title: string, lines: string[], refs: string[]): string {
    if (!this.nodes.has(id)) this.node({ id, kind, group: 'outside', title, lines, count: undefined, refs });
    return id;
  }

  /** Replaces "every workload (every namespace, in a large view) → X on the same ports" by one edge from "any pod". */
  private anyPod(flows: readonly NodeFlow[], prefix: 'w:' | 'n:'): NodeFlow[] {
    const merged = mergeFlows(flows);
    const workloads = [...this.nodes.values()].filter((n) => n.id.startsWith(prefix)).map((n) => n.id);
    if (workloads.length < 3) return merged;
    const out: NodeFlow[] = [];
    const byTarget = new Map<string, NodeFlow[]>();
    for (const f of merged) {
      if (!f.from.startsWith(prefix)) out.push(f);
      else if (byTarget.has(f.to)) byTarget.get(f.to)!.push(f);
      else byTarget.set(f.to, [f]);
    }
    for (const [to, list] of byTarget) {
      const sources = workloads.filter((w) => w !== to);
      let common: Bracket | undefined;
      if (list.length === sources.length) {
        common = list.reduce<Bracket>((acc, f) => acc.intersect(f.set), Bracket.ALL);
        if (common.sure.isEmpty()) common = undefined;
      }
      if (!common) {
        out.push(...list);
        continue;
      }
      const id = 'any-pod';
      // Drawn for namespaces, it says less: some pods of each namespace, not every workload.
      if (!this.nodes.has(id)) {
        this.node(prefix === 'w:'
          ? { id, kind: 'pods', group: 'cluster', title: 'Any pod', lines: ['every workload in the cluster'], count: undefined, refs: [] }
          : { id, kind: 'pods', group: 'cluster', title: 'Every namespace', lines: ['pods of each namespace'], count: undefined, refs: [] });
      }
      out.push({ from: id, to, set: common });
      for (const f of list) {
        const rest = f.set.map((s) => s.minus(common!.sure));
        if (!rest.isEmpty()) out.push({ ...f, set: rest });
      }
    }
    return out;
  }
}

function workloadId(w: { namespace: string; name: string }): string {
  return `w:${w.namespace}/${w.name}`;
}

/** A reference carries no label: the Ingress node lists its paths and the Service node its ports. */
function reference(from: string, to: string, detail: string): DiagramEdge {
  return { id: `${from}->${to}#ref`, from, to, kind: 'reference', label: '', certainty: 'sure', rules: [], detail };
}

function dedupe(edges: readonly DiagramEdge[]): DiagramEdge[] {
  return [...new Map(edges.map((e) => [e.id, e])).values()];
}

