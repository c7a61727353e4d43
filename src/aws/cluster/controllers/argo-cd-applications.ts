/**
 * The GitOps install path as data: the Argo CD objects that make Argo CD install every controller
 * that is not bootstrapped by Helm, and then the workloads.
 *
 * Semantics. Sync waves only order the children of a parent Application, so the controllers are the
 * children of one parent (`platform-controllers`) rendered by the argocd-apps chart from inline values;
 * no Git repository is needed for them. Each controller is a Helm-sourced child Application (chart,
 * pinned version, values inline) in its wave: the load balancer controller first, then the others,
 * then, one wave later, the objects their CRDs define (ClusterSecretStore, NodePool, ImageUpdater).
 * A wave starts when the previous one is Healthy, which needs the Application health check the argo-cd
 * chart is given (argo-cd.ts); with the EKS capability, which plinth cannot configure that way, waves
 * order creation only and the retries below let later waves converge.
 *
 * The workloads are a separate app-of-apps on the spec's gitops repository, applied by a separate
 * step that depends on this one, so on deletion CloudFormation removes them (and Argo CD their
 * Ingresses) while the load balancer controller still runs to delete their load balancers.
 */
import type { ControllerDefinition, HelmChartRef } from '../controller.js';
import { ControllerConfigError } from './errors.js';

/**
 * argocd-apps 2.0.7: argoproj/argo-helm charts/argocd-apps/Chart.yaml (stored copy, commit 06644e71);
 * 2.0.4 was current on 2026-02-03 (adfinis/helm-charts PR #1672). Values are maps keyed by name (2.x).
 */
export const ARGOCD_APPS_CHART: HelmChartRef = {
  repository: 'https://argoproj.github.io/argo-helm',
  chart: 'argocd-apps',
  version: '2.0.7',
};

/** The local cluster as Argo CD names it; the capability gets a cluster Secret of that name. */
export const LOCAL_CLUSTER = 'in-cluster';
export const CONTROLLERS_APPLICATION = 'platform-controllers';
export const WORKLOADS_APPLICATION = 'platform-workloads';

const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const WAVE = 'argocd.argoproj.io/sync-wave';
const RETRY = { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } };
const AUTOMATED = { automated: { prune: true, selfHeal: true } };

export interface GitOpsSource {
  /** Git repository URL of the workloads (an app-of-apps). */
  readonly repo: string;
  /** Directory in the repository holding the workload Applications. */
  readonly path: string;
  /** Branch, tag or commit. */
  readonly revision: string;
}

export interface ControllerApplicationsInput {
  /** The controllers Argo CD installs (not the bootstrapped ones). */
  readonly definitions: readonly ControllerDefinition[];
  /** The namespace Argo CD watches for Applications. */
  readonly namespace: string;
  /** Set when Argo CD is the EKS capability: its local cluster must be registered and authorized. */
  readonly capability?: { readonly clusterArn: string; readonly roleArn: string };
}

/** Every object of the controllers step: repository and cluster registrations, then the parent Application. */
export function controllerApplications(input: ControllerApplicationsInput): Record<string, unknown>[] {
  const { definitions, namespace } = input;
  const lastWave = Math.max(1, ...definitions.map(waveOf));
  const children = Object.fromEntries(definitions.map((d) => [d.name, childApplication(d, namespace)]));
  const crs = definitions.flatMap((d) => d.manifests ?? []).map((m) => ({ items: [{}], template: inLaterWave(m, lastWave + 1) }));
  const parent = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: CONTROLLERS_APPLICATION, namespace, finalizers: [FINALIZER] },
    spec: {
      project: 'default',
      source: {
        repoURL: ARGOCD_APPS_CHART.repository,
        chart: ARGOCD_APPS_CHART.chart,
        targetRevision: ARGOCD_APPS_CHART.version,
        helm: { releaseName: CONTROLLERS_APPLICATION, valuesObject: { applications: children, itemTemplates: crs } },
      },
      destination: { name: LOCAL_CLUSTER, namespace },
      syncPolicy: { ...AUTOMATED, retry: RETRY },
    },
  };
  return [...ociRepositories(definitions, namespace), ...(input.capability ? localClusterForCapability(input.capability, namespace) : []), parent];
}

/** The app-of-apps for the workloads in the spec's GitOps repository. */
export function workloadsApplication(source: GitOpsSource, namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: WORKLOADS_APPLICATION, namespace, finalizers: [FINALIZER] },
    spec: {
      project: 'default',
      source: { repoURL: source.repo, path: source.path, targetRevision: source.revision },
      destination: { name: LOCAL_CLUSTER, namespace },
      syncPolicy: { ...AUTOMATED, retry: RETRY },
    },
  };
}

function waveOf(definition: ControllerDefinition): number {
  return definition.wave ?? 1;
}

function childApplication(definition: ControllerDefinition, namespace: string): Record<string, unknown> {
  return {
    namespace,
    project: 'default',
    additionalAnnotations: { [WAVE]: String(waveOf(definition)) },
    finalizers: [FINALIZER],
    source: { ...helmSource(definition.chart), helm: { releaseName: definition.name, valuesObject: definition.values } },
    destination: { name: LOCAL_CLUSTER, namespace: definition.namespace },
    syncPolicy: {
      ...AUTOMATED,
      // Server-side apply: some CRDs (External Secrets') exceed the client-side last-applied annotation limit.
      // RespectIgnoreDifferences: self-heal leaves the ignored fields alone instead of rewriting them.
      syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', ...(definition.ignoreDifferences ? ['RespectIgnoreDifferences=true'] : [])],
      retry: RETRY,
    },
    ...(definition.ignoreDifferences ? { ignoreDifferences: definition.ignoreDifferences } : {}),
  };
}

/**
 * Argo CD names an OCI chart by registry path without the scheme and chart (`public.ecr.aws/karpenter`
 * + chart `karpenter`), and needs that path registered as an OCI Helm repository.
 */
function helmSource(chart: HelmChartRef): { repoURL: string; chart: string; targetRevision: string } {
  return { repoURL: isOci(chart) ? ociPath(chart) : chart.repository, chart: chart.chart, targetRevision: chart.version };
}

function isOci(chart: HelmChartRef): boolean {
  return chart.repository.startsWith('oci://');
}

function ociPath(chart: HelmChartRef): string {
  const path = chart.repository.slice('oci://'.length);
  return path.endsWith(`/${chart.chart}`) ? path.slice(0, -(chart.chart.length + 1)) : path;
}

function ociRepositories(definitions: readonly ControllerDefinition[], namespace: string): Record<string, unknown>[] {
  return definitions.filter((d) => isOci(d.chart)).map((d) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `helm-oci-${d.name}`, namespace, labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
    stringData: { name: d.chart.chart, url: ociPath(d.chart), type: 'helm', enableOCI: 'true' },
  }));
}

/**
 * The capability deploys only to registered clusters, by ARN, and its access entry starts without
 * Kubernetes permissions. It is bound to cluster-admin because what it installs here is controllers:
 * CRDs, cluster roles and webhooks in several namespaces, which the namespace-scoped recipe of the EKS
 * guide cannot create.
 */
function localClusterForCapability(capability: { clusterArn: string; roleArn: string }, namespace: string): Record<string, unknown>[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: LOCAL_CLUSTER, namespace, labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
      stringData: { name: LOCAL_CLUSTER, server: capability.clusterArn, project: 'default' },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'argocd-capability-cluster-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `eks-access-entry:${capability.roleArn}` }],
    },
  ];
}

/**
 * A CR rendered by the parent (through argocd-apps' itemTemplates, which pass it through Helm's
 * `tpl`), one wave after the controllers, and skipped by the dry run while its CRD does not exist yet.
 */
function inLaterWave(manifest: Readonly<Record<string, unknown>>, wave: number): Record<string, unknown> {
  if (JSON.stringify(manifest).includes('{{')) {
    throw new ControllerConfigError('E_MANIFEST_TEMPLATE', `the ${String(manifest.kind)} "${String((manifest.metadata as { name?: string } | undefined)?.name)}" contains "{{", `
      + 'which Helm would read as a template when Argo CD renders it; remove the braces from its values.');
  }
  const metadata = (manifest.metadata ?? {}) as Record<string, unknown>;
  return {
    ...manifest,
    metadata: {
      ...metadata,
      annotations: {
        ...(metadata.annotations as Record<string, string> | undefined),
        [WAVE]: String(wave),
        'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
      },
    },
  };
}
