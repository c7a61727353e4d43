/**
 * The Kubernetes layer: rendered manifests → workloads, services, ingresses and network policies,
 * and the classes they add to the network model. Pods run on the cluster's nodes (VPC CNI: pod
 * addresses come from the node subnets and the node's security groups apply); an Ingress or a
 * LoadBalancer Service becomes the load balancer the AWS Load Balancer Controller creates for it at
 * deploy time, modelled from its annotations.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { manifestFileDocuments } from '../input/manifest-documents.js';
import type { Assumptions, ResourceRef } from './assumptions.js';
import { cidrRange, PacketSet, PROTOCOL, type Range } from './packets.js';
import type {
  ContainerPort, CustomResource, Ingress, K8sModel, LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule, Service, Workload,
} from './k8s-types.js';
import type { EniClass, LoadBalancer, Model, Placement, SgRule, Subnet, TargetGroup } from './types.js';

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
  const customResources: CustomResource[] = [];
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    for (const document of manifestFileDocuments(file)) {
      const root = document as K8sObject | null;
      for (const o of root?.kind === 'List' ? root.items ?? [] : root ? [root] : []) {
        const ns = o.metadata?.namespace ?? 'default';
        const name = o.metadata?.name ?? '(unnamed)';
        if (o.kind === 'Namespace') namespaces.set(name, o.metadata?.labels ?? {});
        else if (WORKLOAD_KINDS.has(o.kind ?? '')) workloads.push(workloadOf(o, ns, name, shown));
        else if (o.kind === 'Service') services.push(serviceOf(o, ns, name, shown));
        else if (o.kind === 'Ingress') ingresses.push(ingressOf(o, ns, name, shown));
        else if (o.kind === 'NetworkPolicy') policies.push(policyOf(o, ns, name, shown));
        else if (o.kind && o.apiVersion && isCustom(o.apiVersion)) {
          customResources.push({ apiVersion: o.apiVersion, kind: o.kind, name, namespace: ns, labels: o.metadata?.labels ?? {}, spec: o.spec, file: shown });
        }
      }
    }
  }
  for (const ns of [...workloads, ...services, ...policies].map((x) => x.namespace)) {
    if (!namespaces.has(ns)) namespaces.set(ns, {});
  }
  // Kubernetes labels every namespace with its own name, which namespaceSelectors often rely on.
  for (const [ns, labels] of namespaces) namespaces.set(ns, { 'kubernetes.io/metadata.name': ns, ...labels });
  return { namespaces, workloads, services, ingresses, policies, files, customResources };
}

/** API groups of operators and tools (`kafka.strimzi.io/v1`), not Kubernetes' own (`apps/v1`, `policy/v1`, `*.k8s.io`). */
function isCustom(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  return group.includes('.') && !group.endsWith('.k8s.io');
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

// The manifests are untyped input: each reader takes what it needs and defaults the rest.
/* eslint-disable @typescript-eslint/no-explicit-any */
interface K8sObject {
  apiVersion?: string;
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

export function peerOf(p: any): PolicyPeer {
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

/** Where a load balancer sends traffic: the pods classes of one workload, on their port. */
interface Backend {
  readonly pods: readonly EniClass[];
  readonly port: number;
  /** The assumption saying the target port is not known (`port` is the Service's). */
  readonly portUnknown?: string;
}

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
      name: `${w.refs?.[0] ?? `apps/${w.name}`}${nodes.length > 1 && n ? ` (on ${n.name})` : ''}`, refs: [...(w.refs ?? [`apps/${w.name}`, `apps/${w.namespace}/${w.name}`])],
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

  /**
   * The pods behind a Service the manifests do not hold, which an operator or chart creates when it
   * runs (kube-prometheus-stack's `grafana`): they run on the nodes with their groups, but their labels
   * and ports are not known, so a NetworkPolicy with a selector may or may not apply to them.
   */
  const hiddenPods = new Map<string, { classes: EniClass[]; assumption: string }>();
  const podsBehind = (ing: Ingress, service: string, port: number | string): { classes: EniClass[]; assumption: string } => {
    const id = `${ing.namespace}/${service}`;
    let found = hiddenPods.get(id);
    if (!found) {
      const ref: ResourceRef = { stack: 'k8s', logicalId: `Service/${id}`, type: 'Kubernetes Service (not in the manifests)', file: ing.file };
      const assumption = assumptions.add(`Ingress ${ing.namespace}/${ing.name} routes to the Service ${service} (port ${port}), which the manifests do not hold: an operator or a chart creates it when it runs. Its pods run on the cluster's nodes, but their labels and the port they listen on are not known.`, ref);
      const classes = (nodes.length > 0 ? nodes : [undefined]).map((n): EniClass => ({
        key: `k8s:${id}#service-pods${n ? `@${n.key}` : ''}`, kind: 'pods', name: `pods of Service ${id}${nodes.length > 1 && n ? ` (on ${n.name})` : ''}`, refs: [],
        resources: [ref], placements: (n?.placements ?? []).map((p): Placement => ({ subnet: p.subnet, publicIp: 'no', publicIpBy: undefined })),
        groups: [...(n?.groups ?? [])], count: 1, accepts: PacketSet.ALL, acceptsText: 'a port the manifests do not give',
        loadBalancer: undefined, clientVpn: undefined, publicEndpoint: undefined, explicitPublicIp: false,
        workload: { namespace: ing.namespace, name: service, labels: undefined }, assumptions: [assumption], runsOn: n?.key,
      }));
      found = { classes, assumption };
      hiddenPods.set(id, found);
      model.classes.push(...classes);
    }
    return found;
  };

  const selected = (svc: Service): Workload[] => (svc.selector
    ? k8s.workloads.filter((w) => w.namespace === svc.namespace && matches({ matchLabels: svc.selector!, matchExpressions: [] }, w.labels))
    : []);
  const subnetsTagged = (tag: string): Subnet[] => {
    const vpcs = new Set(nodes.flatMap((n) => n.placements.map((p) => p.subnet.vpc.key)));
    return [...model.subnets.values()].filter((s) => vpcs.has(s.vpc.key) && s.tags[tag] === '1');
  };

  const vpcKeys = new Set(nodes.flatMap((n) => n.placements.map((p) => p.subnet.vpc.key)));
  const templateGroups = [...model.groups.values()].filter((g) => !g.synthetic && (g.vpcKey === undefined || vpcKeys.size === 0 || vpcKeys.has(g.vpcKey)));

  /**
   * Security groups a manifest names (`alb.ingress.kubernetes.io/security-groups`, or the Service
   * annotation), looked up as the controller does: a value starting with `sg-` is an id, anything
   * else a Name tag in the cluster's VPC, where every group with that tag is used. A group of the
   * templates brings its own rules; any other is outside what verify can see.
   */
  const namedGroups = (id: string, values: readonly string[], ref: ResourceRef): string[] => {
    const keys: string[] = [];
    const missing: string[] = [];
    for (const v of values) {
      const found = v.startsWith('sg-') ? [] : templateGroups.filter((g) => g.nameTag === v);
      if (found.length > 0) keys.push(...found.map((g) => g.key));
      else missing.push(v);
    }
    if (missing.length > 0) {
      const key = `k8s:${id}#named-sg`;
      const opaque = assumptions.add(`${id} names the security group${missing.length === 1 ? '' : 's'} ${missing.join(', ')}, which the templates do not hold; verify cannot see ${missing.length === 1 ? 'its' : 'their'} rules and assumes they may allow anything.`, ref);
      model.groups.set(key, { key, name: missing.join(', '), refs: [], rules: [], resource: ref, synthetic: 'named by annotation, outside the templates', opaque });
      keys.push(key);
    }
    return [...new Set(keys)];
  };

  /**
   * The controller's shared backend security group: attached to every load balancer whose backend
   * rules it manages, and the only peer of the rules it adds to the targets' groups.
   */
  const BACKEND_GROUP = 'k8s:backend-sg';
  const backendGroup = (ref: ResourceRef): string => {
    if (!model.groups.has(BACKEND_GROUP)) {
      model.groups.set(BACKEND_GROUP, {
        key: BACKEND_GROUP, name: 'shared backend group of the AWS Load Balancer Controller', refs: [], resource: ref,
        synthetic: 'created by the AWS Load Balancer Controller for the load balancers whose backend rules it manages', opaque: undefined,
        rules: [{ direction: 'out', peer: { kind: 'cidr', range: [0, 0xffffffff], text: '0.0.0.0/0' }, protocol: [0, 255], ports: [0, 65535], description: 'controller-managed: all egress', resource: ref, index: 0, assumption: undefined }],
      });
    }
    return BACKEND_GROUP;
  };

  const addBalancer = (args: {
    id: string; file: string; type: 'application' | 'network'; scheme: 'internet-facing' | 'internal'; ingresses?: string[];
    listeners: { port: number; protocol: Range; name: string }[]; backends: readonly Backend[];
    inboundCidrs: readonly string[]; preserveClientIp: boolean;
    /** Security groups the manifest names; empty when the controller creates the load balancer's group. */
    securityGroups: readonly string[];
    manageBackendRules: boolean;
    /** Subnets the manifest names (`alb.ingress.kubernetes.io/subnets`, ids): they replace discovery by tag. */
    pinnedSubnets?: readonly string[];
  }) => {
    const ref: ResourceRef = { stack: 'k8s', logicalId: args.id, type: 'Kubernetes load balancer (AWS Load Balancer Controller)', file: args.file };
    const pinned = (args.pinnedSubnets ?? []).map((id) => [...model.subnets.values()].find((s) => s.key === `stated:${id}`));
    if (pinned.some((s) => s === undefined)) assumptions.add(`The load balancer for ${args.id} names subnets (${args.pinnedSubnets!.join(', ')}) that are neither in the templates nor stated by the spec; it is placed only in those verify knows.`, ref);
    const subnets = args.pinnedSubnets?.length ? pinned.filter((s): s is Subnet => s !== undefined)
      : subnetsTagged(args.scheme === 'internet-facing' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb');
    if (subnets.length === 0 && !args.pinnedSubnets?.length) assumptions.add(`No subnet carries the ${args.scheme === 'internet-facing' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb'} tag the controller needs; the load balancer for ${args.id} has no place in the model.`, ref);
    const groups: string[] = [];
    if (args.securityGroups.length > 0) {
      // The controller creates no group of its own and ignores inbound-cidrs.
      groups.push(...namedGroups(args.id, args.securityGroups, ref));
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
      const groupKey = `k8s:${args.id}#frontend-sg`;
      model.groups.set(groupKey, { key: groupKey, name: `frontend group of ${args.id}`, refs: [], rules, resource: ref, synthetic: 'created by the AWS Load Balancer Controller', opaque: undefined });
      groups.push(groupKey);
    }
    if (args.manageBackendRules) {
      // The controller admits its shared backend group on the target ports, in the targets' groups.
      const backend = backendGroup(ref);
      groups.push(backend);
      const ruleKey = `k8s:${args.id}#backend-rule`;
      const rules: SgRule[] = args.backends.map((b, i) => ({
        direction: 'in', peer: { kind: 'group', key: backend }, protocol: TCP, ports: b.portUnknown ? [0, 65535] : [b.port, b.port],
        description: `controller-managed: ${args.id} to its targets`, resource: ref, index: i, assumption: b.portUnknown,
      }));
      model.groups.set(ruleKey, { key: ruleKey, name: `backend rule of ${args.id}`, refs: [], rules, resource: ref, synthetic: 'added to the node security group by the AWS Load Balancer Controller', opaque: undefined });
      for (const b of args.backends) for (const c of b.pods) if (!c.groups.includes(ruleKey)) c.groups.push(ruleKey);
    }
    const tg: TargetGroup = {
      key: `k8s:${args.id}#targets`, name: `targets of ${args.id}`, targetType: 'ip', protocols: [TCP], preserveClientIp: args.preserveClientIp,
      healthCheckPort: undefined, resource: ref,
      targets: args.backends.flatMap((b) => b.pods.map((c) => ({ classKey: c.key, port: b.port, ...(b.portUnknown ? { portUnknown: b.portUnknown } : {}) }))),
    };
    const lb: LoadBalancer = {
      key: `k8s:${args.id}`, type: args.type, scheme: args.scheme, targetGroups: [tg], ingresses: args.ingresses ?? [],
      listeners: args.listeners.map((l) => ({ port: l.port, protocols: [l.protocol], protocolName: l.name, targetGroups: [tg.key], resource: ref })),
    };
    let accepts = PacketSet.EMPTY;
    for (const l of args.listeners) accepts = accepts.union(PacketSet.box({ protocol: l.protocol, port: [l.port, l.port] }));
    // Spec references come with plinth's groups (`lb/public`): the load balancer is that endpoint.
    const refs = [...new Set([args.id, ...groups.flatMap((g) => model.groups.get(g)?.refs ?? [])])];
    model.classes.push({
      key: lb.key, kind: 'load-balancer', name: args.id, refs, resources: [ref], groups, count: 1, accepts,
      acceptsText: `listeners ${args.listeners.map((l) => `${l.name} ${l.port}`).join(', ')}`, loadBalancer: lb, clientVpn: undefined,
      publicEndpoint: undefined, explicitPublicIp: args.scheme === 'internet-facing', workload: undefined,
      assumptions: [assumptions.add(`${args.id} is created by the AWS Load Balancer Controller at deploy time; verify models it from the manifest's annotations (scheme ${args.scheme}).`, ref)],
      placements: subnets.map((subnet) => ({ subnet, publicIp: args.scheme === 'internet-facing' ? 'yes' as const : 'no' as const, publicIpBy: args.scheme === 'internet-facing' ? `scheme internet-facing (${args.id})` : undefined })),
    });
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
    const backends = members.flatMap((ing) => ing.backends.flatMap((b): Backend[] => {
      const svc = k8s.services.find((x) => x.namespace === ing.namespace && x.name === b.service);
      if (!svc) {
        const pods = podsBehind(ing, b.service, b.port);
        return [{ pods: pods.classes, port: typeof b.port === 'number' ? b.port : 0, portUnknown: pods.assumption }];
      }
      const sp = svc.ports.find((p) => p.port === b.port || p.name === b.port);
      if (!sp) return [];
      return selected(svc).flatMap((workload) => {
        const port = resolveTargetPort(workload, sp.targetPort);
        return port === undefined ? [] : [{ pods: podClasses.get(workload) ?? [], port }];
      });
    }));
    const cidrs = [...new Set(members.flatMap((m) => (m.annotations['alb.ingress.kubernetes.io/inbound-cidrs'] ?? '0.0.0.0/0').split(',').map((x) => x.trim())))];
    const securityGroups = listOf(annotation('security-groups'));
    addBalancer({
      id, file: members[0]!.file, type: 'application', ingresses: members.map((m) => `${m.namespace}/${m.name}`),
      scheme: annotation('scheme') === 'internet-facing' ? 'internet-facing' : 'internal',
      listeners: [...listeners.values()], backends, inboundCidrs: cidrs, preserveClientIp: false, securityGroups,
      // With groups of its own, the controller leaves the targets' groups alone unless told otherwise.
      manageBackendRules: securityGroups.length === 0 || annotation('manage-backend-security-group-rules') === 'true',
      pinnedSubnets: listOf(annotation('subnets')),
    });
  }
  for (const svc of k8s.services.filter((s) => s.type === 'LoadBalancer')) {
    const a = svc.annotations;
    const lbc = ['external', 'nlb-ip'].includes(a['service.beta.kubernetes.io/aws-load-balancer-type'] ?? '');
    const scheme = a['service.beta.kubernetes.io/aws-load-balancer-scheme'] === 'internet-facing' ? 'internet-facing'
      : a['service.beta.kubernetes.io/aws-load-balancer-internal'] === 'true' || lbc ? 'internal' : 'internet-facing';
    const ipTargets = a['service.beta.kubernetes.io/aws-load-balancer-nlb-target-type'] === 'ip' || a['service.beta.kubernetes.io/aws-load-balancer-type'] === 'nlb-ip';
    const securityGroups = listOf(a['service.beta.kubernetes.io/aws-load-balancer-security-groups']);
    addBalancer({
      id: `service/${svc.namespace}/${svc.name}`, file: svc.file, type: 'network', scheme,
      listeners: svc.ports.map((p) => ({ port: p.port, protocol: protocolOf(p.protocol), name: p.protocol })),
      backends: selected(svc).flatMap((workload) => svc.ports.flatMap((p): Backend[] => {
        const port = resolveTargetPort(workload, p.targetPort);
        return port === undefined ? [] : [{ pods: podClasses.get(workload) ?? [], port }];
      })),
      inboundCidrs: svc.sourceRanges.length > 0 ? svc.sourceRanges : ['0.0.0.0/0'], preserveClientIp: !ipTargets, securityGroups,
      manageBackendRules: securityGroups.length === 0 || a['service.beta.kubernetes.io/aws-load-balancer-manage-backend-security-group-rules'] === 'true',
    });
  }
}

/** A comma-separated annotation value as a list. */
function listOf(value: string | undefined): string[] {
  return (value ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
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
