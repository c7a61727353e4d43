/**
 * The Kubernetes objects the Kubernetes view draws, read from rendered manifests (`DIR/k8s/**`):
 * what verify's reader keeps (workloads, services, ingresses) plus what only a picture needs —
 * replicas, autoscaler bounds, ingress hosts and paths, the IngressGroup an Ingress joins.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { manifestDocuments } from '../../input/manifest-documents.js';

export interface ManifestWorkload {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly images: readonly string[];
}

export interface ManifestService {
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  readonly selector: Readonly<Record<string, string>> | undefined;
  readonly ports: readonly { readonly port: number; readonly targetPort: number | string; readonly protocol: string }[];
}

export interface ManifestIngress {
  readonly namespace: string;
  readonly name: string;
  readonly className: string | undefined;
  /** `alb.ingress.kubernetes.io/group.name`: Ingresses of one group share one ALB. */
  readonly group: string | undefined;
  readonly scheme: 'internet-facing' | 'internal';
  readonly rules: readonly { readonly host: string | undefined; readonly path: string; readonly service: string; readonly port: number | string }[];
}

export interface ManifestAutoscaler {
  readonly namespace: string;
  readonly name: string;
  readonly target: { readonly kind: string; readonly name: string };
  readonly min: number;
  readonly max: number;
  readonly cpuPercent: number | undefined;
}

export interface Manifests {
  readonly namespaces: readonly string[];
  readonly workloads: readonly ManifestWorkload[];
  readonly services: readonly ManifestService[];
  readonly ingresses: readonly ManifestIngress[];
  readonly autoscalers: readonly ManifestAutoscaler[];
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/** Every `*.yaml` / `*.yml` under `dir`, in path order; undefined when there is none. */
export function readDiagramManifests(dir: string): Manifests | undefined {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  const files = walk(dir).filter((f) => /\.ya?ml$/i.test(f) && !/kustomization\.ya?ml$/i.test(f)).sort();
  if (files.length === 0) return undefined;
  return parseManifests(files.map((f) => readFileSync(f, 'utf8')));
}

// Manifests are untyped input: each reader takes what it needs and defaults the rest.
/* eslint-disable @typescript-eslint/no-explicit-any */
export function parseManifests(texts: readonly string[]): Manifests {
  const namespaces = new Set<string>();
  const workloads: ManifestWorkload[] = [];
  const services: ManifestService[] = [];
  const ingresses: ManifestIngress[] = [];
  const autoscalers: ManifestAutoscaler[] = [];
  for (const text of texts) {
    for (const doc of manifestDocuments(text)) {
      const root = doc as any;
      for (const o of root?.kind === 'List' ? root.items ?? [] : root ? [root] : []) {
        const namespace: string = o.metadata?.namespace ?? 'default';
        const name: string = o.metadata?.name ?? '(unnamed)';
        if (o.kind === 'Namespace') {
          namespaces.add(name);
          continue;
        }
        if (WORKLOADS.has(o.kind)) {
          const template = o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template : o.spec?.template;
          workloads.push({
            kind: o.kind, namespace, name, replicas: typeof o.spec?.replicas === 'number' ? o.spec.replicas : undefined,
            labels: template?.metadata?.labels ?? {}, images: (template?.spec?.containers ?? []).map((c: any) => String(c?.image ?? '')),
          });
        } else if (o.kind === 'Service') {
          services.push({
            namespace, name, type: o.spec?.type ?? 'ClusterIP', selector: o.spec?.selector,
            ports: (o.spec?.ports ?? []).map((p: any) => ({ port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' })),
          });
        } else if (o.kind === 'Ingress') {
          const a = o.metadata?.annotations ?? {};
          const rules: ManifestIngress['rules'][number][] = [];
          const backend = (b: any) => ({ service: String(b?.service?.name ?? ''), port: b?.service?.port?.number ?? b?.service?.port?.name ?? 80 });
          if (o.spec?.defaultBackend) rules.push({ host: undefined, path: '*', ...backend(o.spec.defaultBackend) });
          for (const r of o.spec?.rules ?? []) {
            for (const p of r?.http?.paths ?? []) rules.push({ host: r.host, path: String(p?.path ?? '/'), ...backend(p?.backend) });
          }
          ingresses.push({
            namespace, name, className: o.spec?.ingressClassName ?? a['kubernetes.io/ingress.class'], group: a['alb.ingress.kubernetes.io/group.name'],
            scheme: a['alb.ingress.kubernetes.io/scheme'] === 'internet-facing' ? 'internet-facing' : 'internal', rules,
          });
        } else if (o.kind === 'HorizontalPodAutoscaler') {
          const cpu = (o.spec?.metrics ?? []).find((m: any) => m?.resource?.name === 'cpu');
          autoscalers.push({
            namespace, name, target: { kind: String(o.spec?.scaleTargetRef?.kind ?? ''), name: String(o.spec?.scaleTargetRef?.name ?? '') },
            min: o.spec?.minReplicas ?? 1, max: o.spec?.maxReplicas ?? 1,
            cpuPercent: cpu?.resource?.target?.averageUtilization ?? o.spec?.targetCPUUtilizationPercentage,
          });
        }
      }
    }
  }
  for (const x of [...workloads, ...services, ...ingresses]) namespaces.add(x.namespace);
  return { namespaces: [...namespaces].sort(), workloads, services, ingresses, autoscalers };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
