/**
 * The Kubernetes layer: rendered manifests → workloads, services, ingresses and network policies,
 * and the classes they add to the network model. Pods run on the cluster's nodes (VPC CNI: pod
 * addresses come from the node subnets and the node's security groups apply); an Ingress or a
 * LoadBalancer Service becomes the load balancer the AWS Load Balancer Controller creates for it at
 * deploy time, modelled from its annotations.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Assumptions } from '../assumptions.js';
import { cidrRange, PacketSet, PROTOCOL, type Range } from '../packets.js';
import type {
  ContainerPort, Ingress, K8sModel, LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule, Service, Workload,
} from './k8s-types.js';
import type { EniClass, LoadBalancer, Model, Placement, SecurityGroup, SgRule, Subnet, TargetGroup } from './types.js';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

/** Reads every `*.yaml` / `*.yml` / `*.json` under `dir` (recursively); undefined when there is none. */
export function readManifests(dir: string): K8sModel | undefined {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  const files = walk(dir).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort();
  if (files.length === 0) return undefined;
  const namespaces = new Map<string, Record<string, string>>();
  const workloads: Workload[] = [];
  const services: Service[] = [];
  const ingresses: Ingress[] = [];
  const policies: NetworkPolicy[] = [];
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const root = doc.toJS() as K8sObject | null;
      for (const o of root?.kind === 'List' ? root.items ?? [] : root ? [root] : []) {
        const ns = o.metadata?.namespace ?? 'default';
        const name = o.metadata?.name ?? '(unnamed)';
        if (o.kind === 'Namespace') namespaces.set(name, o.metadata?.labels ?? {});
        else if (WORKLOAD_KINDS.has(o.kind ?? '')) workloads.push(workloadOf(o, ns, name, shown));
        else if (o.kind === 'Service') services.push(serviceOf(o, ns, name, shown));
        else if (o.kind === 'Ingress') ingresses.push(ingressOf(o, ns, name, shown));
        else if (o.kind === 'NetworkPolicy') policies.push(policyOf(o, ns, name, shown));
      }
    }
  }
  for (const ns of [...workloads, ...services, ...policies].map((x) => x.namespace)) {
    if (!namespaces.has(ns)) namespaces.set(ns, {});
  }
  // Kubernetes labels every namespace with its own name, which namespaceSelectors often rely on.
  for (const [ns, labels] of namespaces) namespaces.set(ns, { 'kubernetes.io/metadata.name': ns, ...labels });
  return { namespaces, workloads, services, ingresses, policies, files };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

// The manifests are untyped input: each reader takes what it needs and defaults the rest.
/* eslint-disable @typescript-eslint/no-explicit-any */
interface K8sObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  items?: K8sObject[];
}

function workloadOf(o: K8sObject, namespace: string, name: string, file: string): Workload {
  const podSpec = o.kind === 'Pod' ? o.spec : o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template?.spec : o.spec?.template?.spec;
  const labels = o.kind === 'Pod' ? o.metadata?.labels : o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template?.metadata?.labels : o.spec?.template?.metadata?.labels;
  const ports: ContainerPort[] = [];
  for (const c of [...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])]) {
    for (const p of c?.ports ?? []) {
      if (typeof p?.containerPort === 'number') ports.push({ port: p.containerPort, protocol: p.protocol ?? 'TCP', name: p.name });
    }
  }
  return { kind: o.kind!, name, namespace, labels: labels ?? {}, ports, file };
}

function serviceOf(o: K8sObject, namespace: string, name: string, file: string): Service {
  return {
    name, namespace, file, type: o.spec?.type ?? 'ClusterIP', selector: o.spec?.selector, annotations: o.metadata?.annotations ?? {},
    sourceRanges: o.spec?.loadBalancerSourceRanges ?? [],
    ports: (o.spec?.ports ?? []).map((p: any) => ({
      port: p.port, targetPort: p.targetPort ?? p.port, nodePort: p.nodePort, protocol: p.protocol ?? 'TCP', name: p.name,
    })),
  };
}

function ingressOf(o: K8sObject, namespace: string, name: string, file: string): Ingress {
  const backends: { service: string; port: number | string }[] = [];
  const add = (b: any) => {
    const svc = b?.service;
    if (svc?.name) backends.push({ service: svc.name, port: svc.port?.number ?? svc.port?.name ?? 80 });
  };
  add(o.spec?.defaultBackend);
  for (const rule of o.spec?.rules ?? []) for (const path of rule?.http?.paths ?? []) add(path?.backend);
  return { name, namespace, file, className: o.spec?.ingressClassName, annotations: o.metadata?.annotations ?? {}, backends };
}

function policyOf(o: K8sObject, namespace: string, name: string, file: string): NetworkPolicy {
  const types: string[] = o.spec?.policyTypes ?? (o.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
  const rules = (list: any[] | undefined, peersKey: 'from' | 'to'): PolicyRule[] => (list ?? []).map((r: any) => ({
    peers: r?.[peersKey] === undefined ? undefined : (r[peersKey] as any[]).map(peerOf),
    ports: r?.ports === undefined ? undefined : (r.ports as any[]).map((p): PolicyPort => ({ protocol: p?.protocol ?? 'TCP', port: p?.port, endPort: p?.endPort })),
  }));
  return {
    name, namespace, file, podSelector: selectorOf(o.spec?.podSelector) ?? { matchLabels: {}, matchExpressions: [] },
    ingress: types.includes('Ingress') ? rules(o.spec?.ingress, 'from') : undefined,
    egress: types.includes('Egress') ? rules(o.spec?.egress, 'to') : undefined,
  };
}

function peerOf(p: any): PolicyPeer {
  return {
    podSelector: selectorOf(p?.podSelector),
    namespaceSelector: selectorOf(p?.namespaceSelector),
    ipBlock: p?.ipBlock ? { cidr: p.ipBlock.cidr, except: p.ipBlock.except ?? [] } : undefined,
  };
}

function selectorOf(s: any): LabelSelector | undefined {
  if (s === undefined || s === null) return undefined;
  return { matchLabels: s.matchLabels ?? {}, matchExpressions: s.matchExpressions ?? [] };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export function matches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels)) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions) {
    const has = e.key in labels;
    const value = labels[e.key];
    switch (e.operator) {
      case 'In': if (!has || !e.values.includes(value!)) return false; break;
      case 'NotIn': if (has && e.values.includes(value!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Adding the Kubernetes layer to the network model

const TCP: Range = [PROTOCOL.tcp, PROTOCOL.tcp];

function protocolOf(p: string): Range {
  return p === 'UDP' ? [PROTOCOL.udp, PROTOCOL.udp] : p === 'SCTP' ? [132, 132] : TCP;
}

export function addKubernetes(model: Model, k8s: K8sModel, assumptions: Assumptions): void {
  const nodes = model.classes.filter((c) => c.kind === 'eks-nodes');
  if (nodes.length === 0) {
    assumptions.add('Kubernetes manifests were given but the templates hold no EKS managed node group; pods have no place in the VPC model and every question about them is unknown.');
  }
  const podClasses = new Map<Workload, EniClass[]>();
  for (const w of k8s.workloads) {
    let accepts = PacketSet.EMPTY;
    for (const p of w.ports) accepts = accepts.union(PacketSet.box({ protocol: protocolOf(p.protocol), port: [p.port, p.port] }));
    const declared = w.ports.length > 0;
    const classes = (nodes.length > 0 ? nodes : [undefined]).map((n): EniClass => ({
      key: `k8s:${w.namespace}/${w.name}${n ? `@${n.key}` : ''}`, kind: 'pods',
      name: `apps/${w.name}${nodes.length > 1 && n ? ` (on ${n.name})` : ''}`, refs: [`apps/${w.name}`, `apps/${w.namespace}/${w.name}`],
      resources: [{ stack: 'k8s', logicalId: `${w.kind}/${w.namespace}/${w.name}`, type: `Kubernetes ${w.kind}`, file: w.file }],
      placements: (n?.placements ?? []).map((p): Placement => ({ subnet: p.subnet, publicIp: 'no', publicIpBy: undefined })),
      groups: [...(n?.groups ?? [])], count: 1, accepts: declared ? accepts : PacketSet.ALL,
      acceptsText: declared ? w.ports.map((p) => `${p.protocol.toLowerCase()}/${p.port}`).join(', ') : 'any port (no containerPort declared)',
      loadBalancer: undefined, clientVpn: undefined, publicEndpoint: undefined, explicitPublicIp: false,
      workload: { namespace: w.namespace, name: w.name, labels: w.labels }, assumptions: [], runsOn: n?.key,
    }));
    podClasses.set(w, classes);
    model.classes.push(...classes);
  }

  const selected = (svc: Service): Workload[] => (svc.selector
    ? k8s.workloads.filter((w) => w.namespace === svc.namespace && matches({ matchLabels: svc.selector!, matchExpressions: [] }, w.labels))
    : []);
  const subnetsTagged = (tag: string): Subnet[] => {
    const vpcs = new Set(nodes.flatMap((n) => n.placements.map((p) => p.subnet.vpc.key)));
    return [...model.subnets.values()].filter((s) => vpcs.has(s.vpc.key) && s.tags[tag] === '1');
  };

  const addBalancer = (args: {
    id: string; file: string; type: 'application' | 'network'; scheme: 'internet-facing' | 'internal'; refs?: string[];
    listeners: { port: number; protocol: Range; name: string }[]; backends: { workload: Workload; port: number }[];
    inboundCidrs: readonly string[]; preserveClientIp: boolean; annotatedGroups: boolean; manageBackendRules: boolean;
  }) => {
    const ref = { stack: 'k8s', logicalId: args.id, type: 'Kubernetes load balancer (AWS Load Balancer Controller)', file: args.file };
    const subnets = subnetsTagged(args.scheme === 'internet-facing' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb');
    if (subnets.length === 0) assumptions.add(`No subnet carries the ${args.scheme === 'internet-facing' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb'} tag the controller needs; the load balancer for ${args.id} has no place in the model.`, ref);
    const groupKey = `k8s:${args.id}#frontend-sg`;
    const groups: string[] = [];
    if (args.annotatedGroups) {
      const opaque = assumptions.add(`${args.id} names its own security groups by annotation; verify cannot see their rules and assumes they may allow anything.`, ref);
      model.groups.set(groupKey, { key: groupKey, name: `annotated groups of ${args.id}`, refs: [], rules: [], resource: ref, synthetic: 'annotation', opaque });
      groups.push(groupKey);
    } else {
      const rules: SgRule[] = [];
      for (const cidr of args.inboundCidrs) {
        const range = cidrRange(cidr);
        if (!range) continue;
        for (const l of args.listeners) {
          rules.push({ direction: 'in', peer: { kind: 'cidr', range, text: cidr }, protocol: l.protocol, ports: [l.port, l.port], description: `controller-managed: inbound-cidrs ${cidr} on ${l.name}`, resource: ref, index: rules.length, assumption: undefined });
        }
      }
      rules.push({ direction: 'out', peer: { kind: 'cidr', range: [0, 0xffffffff], text: '0.0.0.0/0' }, protocol: [0, 255], ports: [0, 65535], description: 'controller-managed: all egress', resource: ref, index: rules.length, assumption: undefined });
      const group: SecurityGroup = { key: groupKey, name: `frontend group of ${args.id}`, refs: [], rules, resource: ref, synthetic: 'created by the AWS Load Balancer Controller', opaque: undefined };
      model.groups.set(groupKey, group);
      groups.push(groupKey);
    }
    const tg: TargetGroup = {
      key: `k8s:${args.id}#targets`, name: `targets of ${args.id}`, targetType: 'ip', protocols: [TCP], preserveClientIp: args.preserveClientIp,
      healthCheckPort: undefined, resource: ref,
      targets: args.backends.flatMap((b) => (podClasses.get(b.workload) ?? []).map((c) => ({ classKey: c.key, port: b.port }))),
    };
    const lb: LoadBalancer = {
      key: `k8s:${args.id}`, type: args.type, scheme: args.scheme, targetGroups: [tg],
      listeners: args.listeners.map((l) => ({ port: l.port, protocols: [l.protocol], protocolName: l.name, targetGroups: [tg.key], resource: ref })),
    };
    let accepts = PacketSet.EMPTY;
    for (const l of args.listeners) accepts = accepts.union(PacketSet.box({ protocol: l.protocol, port: [l.port, l.port] }));
    model.classes.push({
      key: lb.key, kind: 'load-balancer', name: args.id, refs: [args.id, ...(args.refs ?? [])], resources: [ref], groups, count: 1, accepts,
      acceptsText: `listeners ${args.listeners.map((l) => `${l.name} ${l.port}`).join(', ')}`, loadBalancer: lb, clientVpn: undefined,
      publicEndpoint: undefined, explicitPublicIp: args.scheme === 'internet-facing', workload: undefined,
      assumptions: [assumptions.add(`${args.id} is created by the AWS Load Balancer Controller at deploy time; verify models it from the manifest's annotations (scheme ${args.scheme}).`, ref)],
      placements: subnets.map((subnet) => ({ subnet, publicIp: args.scheme === 'internet-facing' ? 'yes' as const : 'no' as const, publicIpBy: args.scheme === 'internet-facing' ? `scheme internet-facing (${args.id})` : undefined })),
    });
    if (args.manageBackendRules && !args.annotatedGroups) {
      // The controller adds a rule to the nodes' group admitting its load balancer on the target ports.
      const backendKey = `k8s:${args.id}#backend-rule`;
      const rules: SgRule[] = args.backends.map((b, i) => ({
        direction: 'in', peer: { kind: 'group', key: groupKey }, protocol: TCP, ports: [b.port, b.port],
        description: `controller-managed: ${args.id} to its targets`, resource: ref, index: i, assumption: undefined,
      }));
      model.groups.set(backendKey, { key: backendKey, name: `backend rule of ${args.id}`, refs: [], rules, resource: ref, synthetic: 'added to the node security group by the AWS Load Balancer Controller', opaque: undefined });
      for (const b of args.backends) for (const c of podClasses.get(b.workload) ?? []) if (!c.groups.includes(backendKey)) c.groups.push(backendKey);
    }
  };

  // Ingresses of one IngressGroup (alb.ingress.kubernetes.io/group.name) share one load balancer.
  const groups = new Map<string, Ingress[]>();
  for (const ing of k8s.ingresses) {
    const a = ing.annotations;
    const controller = ing.className ?? a['kubernetes.io/ingress.class'];
    if (controller !== undefined && controller !== 'alb') {
      assumptions.add(`Ingress ${ing.namespace}/${ing.name} uses the ingress class "${controller}", which verify does not model.`, { stack: 'k8s', logicalId: `Ingress/${ing.namespace}/${ing.name}`, type: 'Kubernetes Ingress', file: ing.file });
      continue;
    }
    const group = a['alb.ingress.kubernetes.io/group.name'];
    const id = group ? `ingress-group/${group}` : `ingress/${ing.namespace}/${ing.name}`;
    groups.set(id, [...(groups.get(id) ?? []), ing]);
  }
  for (const [id, members] of groups) {
    const annotation = (key: string) => members.map((m) => m.annotations[`alb.ingress.kubernetes.io/${key}`]).find((v) => v !== undefined);
    const listeners = new Map<string, { port: number; protocol: Range; name: string }>();
    for (const m of members) {
      for (const l of parseListenPorts(m.annotations['alb.ingress.kubernetes.io/listen-ports'], m.annotations['alb.ingress.kubernetes.io/certificate-arn'] !== undefined)) listeners.set(`${l.name}${l.port}`, l);
    }
    const backends = members.flatMap((ing) => ing.backends.flatMap((b) => {
      const svc = k8s.services.find((x) => x.namespace === ing.namespace && x.name === b.service);
      const sp = svc?.ports.find((p) => p.port === b.port || p.name === b.port);
      if (!svc || !sp) return [];
      return selected(svc).map((workload) => ({ workload, port: resolveTargetPort(workload, sp.targetPort) })).filter((x): x is { workload: Workload; port: number } => x.port !== undefined);
    }));
    const cidrs = [...new Set(members.flatMap((m) => (m.annotations['alb.ingress.kubernetes.io/inbound-cidrs'] ?? '0.0.0.0/0').split(',').map((x) => x.trim())))];
    const ownGroups = annotation('security-groups') !== undefined;
    addBalancer({
      id, file: members[0]!.file, type: 'application', refs: members.map((m) => `ingress/${m.namespace}/${m.name}`),
      scheme: annotation('scheme') === 'internet-facing' ? 'internet-facing' : 'internal',
      listeners: [...listeners.values()], backends, inboundCidrs: cidrs, preserveClientIp: false, annotatedGroups: ownGroups,
      manageBackendRules: !ownGroups || annotation('manage-backend-security-group-rules') === 'true',
    });
  }
  for (const svc of k8s.services.filter((s) => s.type === 'LoadBalancer')) {
    const a = svc.annotations;
    const lbc = ['external', 'nlb-ip'].includes(a['service.beta.kubernetes.io/aws-load-balancer-type'] ?? '');
    const scheme = a['service.beta.kubernetes.io/aws-load-balancer-scheme'] === 'internet-facing' ? 'internet-facing'
      : a['service.beta.kubernetes.io/aws-load-balancer-internal'] === 'true' || lbc ? 'internal' : 'internet-facing';
    const ipTargets = a['service.beta.kubernetes.io/aws-load-balancer-nlb-target-type'] === 'ip' || a['service.beta.kubernetes.io/aws-load-balancer-type'] === 'nlb-ip';
    addBalancer({
      id: `service/${svc.namespace}/${svc.name}`, file: svc.file, type: 'network', scheme,
      listeners: svc.ports.map((p) => ({ port: p.port, protocol: protocolOf(p.protocol), name: p.protocol })),
      backends: selected(svc).flatMap((workload) => svc.ports.map((p) => ({ workload, port: resolveTargetPort(workload, p.targetPort) }))).filter((x): x is { workload: Workload; port: number } => x.port !== undefined),
      inboundCidrs: svc.sourceRanges.length > 0 ? svc.sourceRanges : ['0.0.0.0/0'], preserveClientIp: !ipTargets,
      annotatedGroups: a['service.beta.kubernetes.io/aws-load-balancer-security-groups'] !== undefined, manageBackendRules: true,
    });
  }
}

function resolveTargetPort(w: Workload, target: number | string): number | undefined {
  if (typeof target === 'number') return target;
  const n = Number(target);
  if (Number.isInteger(n)) return n;
  return w.ports.find((p) => p.name === target)?.port;
}

function parseListenPorts(text: string | undefined, https: boolean): { port: number; protocol: Range; name: string }[] {
  if (text) {
    try {
      const parsed = JSON.parse(text) as Record<string, number>[];
      return parsed.flatMap((o) => Object.entries(o).map(([name, port]) => ({ port, protocol: TCP, name })));
    } catch {
      // fall through to the controller's default
    }
  }
  return https ? [{ port: 443, protocol: TCP, name: 'HTTPS' }] : [{ port: 80, protocol: TCP, name: 'HTTP' }];
}
