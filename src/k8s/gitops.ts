/**
 * GitOps objects, written next to the manifests so that the cluster's `platform-workloads`
 * Application (an app-of-apps on the spec's repository and path) applies them:
 *
 * - one Application per namespace, syncing `<path>/<namespace>` (a Kustomize directory, because Argo
 *   CD Image Updater can only override images of Kustomize and Helm applications);
 * - one Application per service chart, its Helm source pinned, values inline;
 * - one ImageUpdater per namespace with apps whose image tag is a pattern.
 *
 * Sync waves order the children: operators (1) before the charts that use nothing but Kubernetes
 * (2) before the namespaces, whose manifests hold the operators' custom resources (3).
 */
import type { AppPlan, ChartPlan, NamespacePlan, WorkloadsPlan } from '../plan/workloads.js';
import { podSecurityLabels } from './namespace.js';
import type { GitOpsPlan } from '../plan/types.js';
import { podImage } from './workload.js';

type Json = Record<string, unknown>;

/** Argo CD's namespace and its name for the local cluster (the cluster engineer's controllers use the same). */
export const ARGO_CD_NAMESPACE = 'argocd';
const LOCAL_CLUSTER = 'in-cluster';
const WAVE = 'argocd.argoproj.io/sync-wave';
const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const SYNC = {
  automated: { prune: true, selfHeal: true },
  retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
};
export const NAMESPACE_WAVE = 3;

export function namespaceApplicationName(namespace: string): string {
  return `workloads-${namespace}`;
}

function joinPath(base: string, child: string): string {
  return base === '.' || base === '' ? child : `${base.replace(/\/+$/, '')}/${child}`;
}

/**
 * A namespace's own objects. After the charts (their CRDs), except where a chart in the namespace reads
 * a secret those objects produce (Airflow's metadata connection): then one wave before that chart,
 * with the dry run of not-yet-known kinds skipped, so the secret exists when the chart's pods start.
 */
export function namespaceApplication(namespace: string, gitops: GitOpsPlan, wave = NAMESPACE_WAVE, apps: readonly AppPlan[] = []): Json {
  const ignored = initiallySizedAutoscaled(apps.filter((a) => a.namespace === namespace));
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: namespaceApplicationName(namespace), namespace: ARGO_CD_NAMESPACE, finalizers: [FINALIZER], annotations: { [WAVE]: String(wave) } },
    spec: {
      project: 'default',
      source: { repoURL: gitops.repo, targetRevision: gitops.revision, path: joinPath(gitops.path, namespace) },
      destination: { name: LOCAL_CLUSTER, namespace },
      syncPolicy: { ...SYNC, syncOptions: ['ServerSideApply=true', 'SkipDryRunOnMissingResource=true', ...(ignored.length > 0 ? ['RespectIgnoreDifferences=true'] : [])] },
      ...(ignored.length > 0 ? { ignoreDifferences: ignored } : {}),
    },
  };
}

/**
 * Autoscaled Deployments whose manifest names an initial `replicas`: a sync would set the live count
 * back to it (Kubernetes docs, "Horizontal Pod Autoscaling": remove spec.replicas once an HPA manages
 * the workload). `ignoreDifferences` keeps the field out of the diff, and `RespectIgnoreDifferences=true`
 * makes the sync keep the live value too (Argo CD docs, "Sync Options": Respect Ignore Difference
 * Configs); a Deployment that does not exist yet is still created with the manifest's count.
 */
function initiallySizedAutoscaled(apps: readonly AppPlan[]): Json[] {
  return apps.filter((a) => a.autoscale && a.replicas !== undefined)
    .map((a) => ({ group: 'apps', kind: a.kind, name: a.name, namespace: a.namespace, jsonPointers: ['/spec/replicas'] }));
}

export function namespaceWave(namespace: string, charts: readonly ChartPlan[]): number {
  const readers = charts.filter((c) => c.namespace === namespace && c.needsSecrets.length > 0);
  return readers.length > 0 ? Math.min(...readers.map((c) => c.wave)) - 1 : NAMESPACE_WAVE;
}

function isOci(chart: ChartPlan): boolean {
  return chart.repository.startsWith('oci://');
}

export function chartApplication(chart: ChartPlan, namespace?: NamespacePlan): Json {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: chart.release, namespace: ARGO_CD_NAMESPACE, finalizers: [FINALIZER], annotations: { [WAVE]: String(chart.wave) } },
    spec: {
      project: 'default',
      source: {
        // Argo CD names OCI Helm repositories by registry path, without the scheme.
        repoURL: isOci(chart) ? chart.repository.slice('oci://'.length) : chart.repository,
        chart: chart.chart,
        targetRevision: chart.version,
        helm: { releaseName: chart.release, valuesObject: chart.values },
      },
      destination: { name: LOCAL_CLUSTER, namespace: chart.namespace },
      syncPolicy: {
        ...SYNC,
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        // The namespace the chart creates carries its pod-security level from the start, not after the
        // namespace's own Application relabels it (pods already admitted would hide a rejection).
        ...(namespace?.create ? { managedNamespaceMetadata: { labels: podSecurityLabels(namespace) } } : {}),
      },
    },
  };
}

/** Argo CD pulls OCI charts only from registries declared as OCI Helm repositories (public: no credentials). */
export function ociRepository(chart: ChartPlan): Json {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `helm-oci-${chart.release}`, namespace: ARGO_CD_NAMESPACE, labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
    stringData: { type: 'helm', name: chart.release, url: chart.repository.slice('oci://'.length), enableOCI: 'true' },
  };
}


/**
 * Image Updater (v1, CRD-configured) moves each pattern-tagged app to the greatest matching tag.
 * `alphabetical`: seed 001's tags are `prod-YYYYMMDD-HHMM`, whose lexical order is their time order,
 * and reading the order from the tag needs no per-tag registry call.
 */
export function imageUpdaters(workloads: WorkloadsPlan): Json[] {
  const namespaces = [...new Set(workloads.apps.filter((a) => a.image.kind === 'registry' && a.image.tagPattern).map((a) => a.namespace))].sort();
  return namespaces.map((ns) => ({
    apiVersion: 'argocd-image-updater.argoproj.io/v1alpha1',
    kind: 'ImageUpdater',
    // Its CRD comes with the Image Updater chart of another Application: skip the dry run instead of
    // failing the whole parent sync until that chart is in.
    metadata: { name: namespaceApplicationName(ns), namespace: ARGO_CD_NAMESPACE, annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
    spec: {
      applicationRefs: [{
        namePattern: namespaceApplicationName(ns),
        images: workloads.apps.filter((a) => a.namespace === ns && a.image.kind === 'registry' && a.image.tagPattern).map((a) => ({
          alias: a.name,
          imageName: podImage(a),
          commonUpdateSettings: { updateStrategy: 'alphabetical', allowTags: `regexp:${a.image.kind === 'registry' ? a.image.tagRegex! : ''}` },
          manifestTargets: { kustomize: { name: podImage(a) } },
        })),
      }],
    },
  }));
}

export function gitOpsObjects(workloads: WorkloadsPlan, gitops: GitOpsPlan): { applications: Json[]; imageUpdaters: Json[] } {
  return {
    applications: [
      ...workloads.charts.filter(isOci).map(ociRepository),
      ...workloads.charts.map((c) => chartApplication(c, workloads.namespaces.find((ns) => ns.name === c.namespace))),
      ...workloads.namespaces.map((ns) => namespaceApplication(ns.name, gitops, namespaceWave(ns.name, workloads.charts), workloads.apps)),
    ],
    imageUpdaters: imageUpdaters(workloads),
  };
}
