/**
 * Kubernetes diff: objects added, removed and changed per namespace, from everything that puts
 * objects in the cluster — the rendered manifests (DIR/k8s, delivered by Argo CD from git, which
 * CloudFormation never sees), and, inside the templates, the Helm releases and manifests that
 * aws-eks-v2's kubectl provider applies (`Custom::AWSCDK-EKS-HelmChart` / `-KubernetesResource`),
 * whose values CloudFormation sees only as one opaque string.
 */
import type { K8sObject } from '../cost/model.js';
import type { AnalysedSide } from './side.js';

export type Delivery = 'argo-cd' | 'manifests' | 'cloudformation-helm' | 'cloudformation-manifest';

export interface ObjectChange {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly delivery: Delivery;
  /** One line for a reader: `chart argo-cd 10.9.0 → 10.10.0`, `replicas 3 → 5`. */
  readonly summary: string;
  /** Changed fields, `path: before → after` (at most MAX_FIELDS, then a count). */
  readonly fields: readonly string[];
}

export interface KubernetesDiff {
  readonly changes: readonly ObjectChange[];
  /**
   * Changes CloudFormation's diff does not show at all: manifests delivered through Argo CD (or applied
   * apart). Helm values and kubectl manifests inside the templates show there only as one changed string.
   */
  readonly invisibleToCloudFormation: number;
  readonly objectsBefore: number;
  readonly objectsAfter: number;
}

interface Item {
  readonly key: string;
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly delivery: Delivery;
  readonly body: unknown;
}

const MAX_FIELDS = 12;
const HELM = 'Custom::AWSCDK-EKS-HelmChart';
const MANIFEST = 'Custom::AWSCDK-EKS-KubernetesResource';

/** An intrinsic function as stable text, so a token reads the same on both sides (`${Ref ClusterC2E21B66}`). */
function literal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(literal);
  if (!value || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) {
    const fn = keys[0]!;
    if (fn === 'Fn::Join' && Array.isArray(v[fn])) {
      const [sep, parts] = v[fn] as [string, unknown[]];
      return (parts ?? []).map((p) => (typeof p === 'string' ? p : `\${${JSON.stringify(literal(p))}}`)).join(sep);
    }
    return `\${${fn} ${JSON.stringify(v[fn])}}`;
  }
  return Object.fromEntries(keys.map((k) => [k, literal(v[k])]));
}

function parseJson(value: unknown): unknown {
  const text = literal(value);
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function itemsOf(side: AnalysedSide): Item[] {
  const out: Item[] = [];
  const viaArgo = side.resources.k8s.some((o) => o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/'));
  for (const o of side.resources.k8s) out.push(fromObject(o, viaArgo ? 'argo-cd' : 'manifests'));
  for (const t of side.templates) {
    for (const [id, r] of Object.entries(t.body.Resources ?? {})) {
      const p = r.Properties ?? {};
      if (r.Type === HELM) {
        const namespace = typeof p.Namespace === 'string' ? p.Namespace : 'default';
        const name = typeof p.Release === 'string' ? p.Release : id;
        out.push({
          key: `${namespace}/HelmRelease/${name}`, namespace, kind: 'HelmRelease', name, delivery: 'cloudformation-helm',
          body: { chart: literal(p.Chart), version: literal(p.Version), repository: literal(p.Repository), values: parseJson(p.Values ?? '{}') },
        });
      } else if (r.Type === MANIFEST) {
        const manifest = parseJson(p.Manifest);
        for (const o of Array.isArray(manifest) ? manifest : [manifest]) {
          if (o && typeof o === 'object' && typeof (o as K8sObject).kind === 'string') out.push(fromObject({ ...(o as K8sObject), metadata: (o as K8sObject).metadata ?? {}, file: t.file }, 'cloudformation-manifest'));
        }
      }
    }
  }
  return out;
}

function fromObject(o: K8sObject, delivery: Delivery): Item {
  const namespace = o.metadata.namespace ?? (o.kind === 'Namespace' ? o.metadata.name ?? 'default' : 'default');
  const name = o.metadata.name ?? '(unnamed)';
  const { file: _file, ...body } = o;
  return { key: `${namespace}/${o.kind}/${name}`, namespace, kind: o.kind, name, delivery, body };
}

/** Leaf differences between two JSON values, as `path: before → after`. */
export function fieldChanges(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (isObj(a) && isObj(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    return [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort().flatMap((k) => fieldChanges(ra[k], rb[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((x, i) => fieldChanges(x, b[i], `${path}[${i}]`));
  return [`${path || '(whole)'}: ${show(a)} → ${show(b)}`];
}

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function get(body: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), body);
}

/** The line a reviewer reads first: chart and version for releases and Argo CD Applications, replicas and images for workloads. */
function summaryOf(item: Item, other: Item | undefined, fields: readonly string[]): string {
  const chartOf = (i: Item) => (i.kind === 'HelmRelease'
    ? { chart: get(i.body, 'chart'), version: get(i.body, 'version') }
    : i.kind === 'Application' ? { chart: get(i.body, 'spec.source.chart') ?? get(i.body, 'spec.source.path'), version: get(i.body, 'spec.source.targetRevision') } : undefined);
  const now = chartOf(item);
  if (now) {
    const was = other ? chartOf(other) : undefined;
    const version = was && was.version !== now.version ? `${String(was.version)} → ${String(now.version)}` : String(now.version ?? '');
    const values = fields.filter((f) => /^(values|spec\.source\.helm)/.test(f)).length;
    return `chart ${String(now.chart)} ${version}${values ? `, ${values} value${values === 1 ? '' : 's'} changed` : ''}`.trim();
  }
  if (!other) return '';
  const replicas = fields.find((f) => f.startsWith('spec.replicas:'));
  const images = fields.filter((f) => /\.image:/.test(f));
  return [replicas?.replace('spec.replicas:', 'replicas'), ...images.map((f) => `image ${f.split(': ')[1]}`)].filter(Boolean).join('; ') || `${fields.length} field${fields.length === 1 ? '' : 's'} changed`;
}

export function diffKubernetes(before: AnalysedSide, after: AnalysedSide): KubernetesDiff {
  const old = new Map(itemsOf(before).map((i) => [i.key, i]));
  const neu = new Map(itemsOf(after).map((i) => [i.key, i]));
  const changes: ObjectChange[] = [];
  for (const [key, a] of neu) {
    const b = old.get(key);
    if (!b) {
      changes.push({ namespace: a.namespace, kind: a.kind, name: a.name, change: 'added', delivery: a.delivery, summary: summaryOf(a, undefined, []), fields: [] });
      continue;
    }
    const all = fieldChanges(b.body, a.body);
    if (all.length === 0) continue;
    const fields = all.length > MAX_FIELDS ? [...all.slice(0, MAX_FIELDS), `... and ${all.length - MAX_FIELDS} more`] : all;
    changes.push({ namespace: a.namespace, kind: a.kind, name: a.name, change: 'changed', delivery: a.delivery, summary: summaryOf(a, b, all), fields });
  }
  for (const [key, b] of old) {
    if (!neu.has(key)) changes.push({ namespace: b.namespace, kind: b.kind, name: b.name, change: 'removed', delivery: b.delivery, summary: summaryOf(b, undefined, []), fields: [] });
  }
  changes.sort((x, y) => x.namespace.localeCompare(y.namespace) || x.kind.localeCompare(y.kind) || x.name.localeCompare(y.name));
  return {
    changes,
    invisibleToCloudFormation: changes.filter((c) => c.delivery === 'argo-cd' || c.delivery === 'manifests').length,
    objectsBefore: old.size, objectsAfter: neu.size,
  };
}
