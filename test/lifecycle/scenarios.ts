/**
 * Edits a user makes over a platform's life, applied to an example's spec: remove each named element
 * in turn (with the references to it), change a host's disk, add an AZ, bump the cluster version,
 * switch an app's ingress. Each yields the spec before and after.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CATALOG } from '../../src/plan/catalog.js';
import { ROOT } from '../support.js';

export type Spec = Record<string, any>;

export interface Scenario {
  readonly name: string;
  readonly before: Spec;
  readonly after: Spec;
  /** What the plan must show: a stateful replacement (refused without --allow-replace) of this path prefix. */
  readonly replaces?: string;
  /** Whether the edit must change CloudFormation (workloads of a GitOps cluster live in Git instead; others are manifests in the cluster template). */
  readonly changesCloudFormation: boolean;
  /** A resource type the edit must show as changed (e.g. the manifest custom resource holding an Ingress). */
  readonly changesType?: string;
}

export function exampleSpec(name: string): Spec {
  return parse(readFileSync(join(ROOT, 'examples', name, 'plinth.yaml'), 'utf8')) as Spec;
}

/** Named sections: where they live in the spec and how references name them (see src/plan/refs.ts). */
const SECTIONS: readonly { readonly at: readonly string[]; readonly ref: (n: string) => readonly string[] }[] = [
  { at: ['servers'], ref: (n) => [`servers/${n}`] },
  { at: ['data', 'databases'], ref: (n) => [`db/${n}`] },
  { at: ['data', 'fileSystems'], ref: (n) => [`efs/${n}`] },
  { at: ['data', 'buckets'], ref: (n) => [`s3:${n}`, `buckets/${n}`] },
  { at: ['registry', 'repositories'], ref: (n) => [`registry/${n}`, `repositories/${n}`] },
  { at: ['loadBalancers'], ref: (n) => [`lb/${n}`] },
  { at: ['apps'], ref: (n) => [`apps/${n}`, `app/${n}`] },
  { at: ['services'], ref: (n) => [`services/${n}`] },
  { at: ['cluster', 'nodeGroups'], ref: (n) => [`cluster/nodeGroups/${n}`] },
];

const clone = (s: Spec): Spec => structuredClone(s);

function get(spec: Spec, at: readonly string[]): Record<string, unknown> | undefined {
  let v: any = spec;
  for (const k of at) v = v?.[k];
  return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

const mentions = (value: string, refs: readonly string[]) => refs.some((r) => value === r || value.startsWith(`${r}:`) || value.startsWith(`${r}/`));

/** Drops every list item naming one of `refs` (a reference, or an object holding one). */
function stripReferences(v: any, refs: readonly string[]): any {
  if (Array.isArray(v)) {
    const names = (x: unknown) => (typeof x === 'string' && mentions(x, refs))
      || (!!x && typeof x === 'object' && Object.values(x).some((y) => typeof y === 'string' && mentions(y, refs)));
    return v.filter((x) => !names(x)).map((x) => stripReferences(x, refs));
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = stripReferences(x, refs);
    }
    return out;
  }
  return v;
}

function removal(spec: Spec, at: readonly string[], name: string, ref: readonly string[]): Spec {
  let after = clone(spec);
  delete get(after, at)![name];
  // Intents describe the whole platform; an edit that removes an element rewrites them.
  delete after.intents;
  const key = at.join('.');
  if (key === 'servers') {
    // Target groups list servers by bare name; a load balancer left without targets goes too.
    for (const [lb, body] of Object.entries<any>(after.loadBalancers ?? {})) {
      for (const [tg, group] of Object.entries<any>(body.targetGroups ?? {})) {
        group.servers = (group.servers ?? []).filter((x: string) => x !== name);
        if (group.servers.length === 0) delete body.targetGroups[tg];
      }
      body.listeners = (body.listeners ?? []).filter((l: any) => !l.targetGroup || l.targetGroup in (body.targetGroups ?? {}));
      if (Object.keys(body.targetGroups ?? {}).length === 0 || body.listeners.length === 0) after = removal(after, ['loadBalancers'], lb, [`lb/${lb}`]);
    }
  }
  // Self-managed Kubernetes names its groups by bare name and its endpoint by reference.
  if (after.kubeadm && ((key === 'servers' && (after.kubeadm.controlPlane === name)) || mentions(String(after.kubeadm.endpoint), ref))) delete after.kubeadm;
  if (after.kubeadm && key === 'servers') after.kubeadm.workers = (after.kubeadm.workers ?? []).filter((w: string) => w !== name);
  // A server's container built from a removed repository goes with it.
  for (const server of Object.values<any>(after.servers ?? {})) {
    for (const [c, body] of Object.entries<any>(server.containers ?? {})) if (typeof body.image === 'string' && mentions(body.image, ref)) delete server.containers[c];
  }
  if (key === 'data.fileSystems') {
    for (const w of workloads(after)) for (const [v, vol] of Object.entries<any>(w.volumes ?? {})) if (vol?.efs === name) delete w.volumes[v];
  }
  // Workloads that cannot exist without the element (an app built from the repository, a service on
  // the database) go with it, and so do the references to them.
  for (const section of ['apps', 'services']) {
    for (const [n, w] of Object.entries<any>(after[section] ?? {})) {
      const needs = [w.image, w.database].some((x) => typeof x === 'string' && mentions(x, ref));
      const requires = section === 'services' && key === 'services' && ((CATALOG as any)[n]?.requires ?? []).includes(name);
      if ((needs || requires) && after[section]?.[n]) after = removal(after, [section], n, [`${section}/${n}`]);
    }
  }
  after = stripReferences(after, ref);
  // An outside machine left with no permission has no reason to exist (permissions needs one).
  for (const [n, e] of Object.entries<any>(after.access?.external ?? {})) if ((e.permissions ?? []).length === 0) delete after.access.external[n];
  for (const [k, s] of Object.entries<any>(after.schedules ?? {})) if ((s.targets ?? []).length === 0) delete after.schedules[k];
  if (Object.keys(after.data?.databases ?? {}).length === 0 && after.cluster?.controllers?.externalSecrets) {
    // External Secrets has nothing to read without a database (E_EXTERNAL_SECRETS_NOTHING).
    after.cluster.controllers.externalSecrets = false;
  }
  return after;
}

function workloads(spec: Spec): any[] {
  return [...Object.values(spec.apps ?? {}), ...Object.values(spec.services ?? {})];
}

export function scenarios(example: Spec): Scenario[] {
  // Intents are checked by verify, not deployed; edits below would invalidate some of them.
  const spec = clone(example);
  delete spec.intents;
  const out: Scenario[] = [];
  for (const section of SECTIONS) {
    const names = Object.keys(get(spec, section.at) ?? {});
    // A cluster keeps at least one node group; removing the last one is not an edit the schema allows.
    if (section.at.join('.') === 'cluster.nodeGroups' && names.length < 2) continue;
    for (const n of names) out.push({
      name: `remove ${section.at.join('.')}.${n}`, before: spec, after: removal(spec, section.at, n, section.ref(n)),
      changesCloudFormation: !spec.cluster?.gitops || !['apps', 'services'].includes(section.at[0]!),
    });
  }
  const server = Object.keys(spec.servers ?? {})[0];
  if (server) {
    const after = clone(spec);
    after.servers[server].diskGiB = (after.servers[server].diskGiB ?? 20) + 10;
    out.push({ name: `grow servers.${server}'s disk`, before: spec, after, replaces: `Hosts/Servers/${server}`, changesCloudFormation: true });
  }
  const azs: string[] | undefined = spec.network?.azs;
  // In an existing VPC (network.vpcId) the AZs are those of the stated subnets; naming one more adds nothing.
  if (azs && azs.length < 3 && !spec.network?.vpcId) {
    const after = clone(spec);
    const next = ['a', 'b', 'c', 'd'].map((l) => `${spec.platform.region}${l}`).find((z) => !azs.includes(z))!;
    after.network.azs = [...azs, next];
    let third = 240;
    for (const tier of Object.values(after.network.subnets ?? {}) as any[]) {
      if (Array.isArray(tier?.cidrs)) tier.cidrs = [...tier.cidrs, spec.network.cidr.replace(/^(\d+\.\d+)\..*$/, `$1.${third++}.0/24`)];
    }
    out.push({ name: `add AZ ${next}`, before: spec, after, changesCloudFormation: true });
  }
  if (spec.cluster) {
    const version = spec.cluster.version ?? '1.33';
    const [major, minor] = version.split('.').map(Number);
    const before = clone(spec);
    before.cluster.version = `${major}.${minor - 1}`;
    out.push({ name: `upgrade the cluster ${before.cluster.version} → ${version}`, before, after: spec, changesCloudFormation: true });
  }
  const app = Object.entries(spec.apps ?? {}).find(([, a]: [string, any]) => a?.expose?.ingress);
  if (app) {
    const after = clone(spec);
    after.apps[app[0]].expose.ingress = (app[1] as any).expose.ingress === 'public' ? 'internal' : 'public';
    // Without GitOps the Ingress is a manifest in the cluster template (a custom resource): the template changes.
    out.push({ name: `switch apps.${app[0]} to the ${after.apps[app[0]].expose.ingress} ingress`, before: spec, after, changesCloudFormation: !spec.cluster?.gitops,
      ...(spec.cluster?.gitops ? {} : { changesType: 'Custom::AWSCDK-EKS-KubernetesResource' }) });
  }
  return out;
}
