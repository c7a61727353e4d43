/**
 * The install graph: the steps that put the workloads on the cluster, in order, and the hazards that
 * would make a step wait for ever or fail. One list of steps serves both deliveries:
 *
 * - CDK (no gitops): a prerequisites manifest step (Namespaces with their pod-security labels,
 *   NetworkPolicies, ServiceAccounts, ExternalSecrets), then one Helm step per chart, then every other
 *   object. aws/workloads.ts creates exactly these steps.
 * - Argo CD (gitops): the Applications in applications.yaml, ordered by sync wave.
 *
 * `installHazards` is pure; the tests run it on every example and on one fixture per hazard.
 */
import type { ChartPlan, NamespacePlan } from '../plan/workloads.js';
import type { Manifest, ManifestFile } from './render.js';

export interface InstallStep {
  readonly id: string;
  /** Ordinal: a step may rely on everything in a lower position (CDK dependency or Argo CD wave). */
  readonly position: number;
  readonly objects: readonly Manifest[];
  readonly chart?: ChartPlan;
  /** Argo CD sync options of the Application applying the step (gitops only). */
  readonly syncOptions?: readonly string[];
  /** Labels Argo CD puts on a namespace it creates for the chart (gitops only). */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
}

export interface InstallHazard {
  readonly code: string;
  readonly step: string;
  readonly message: string;
}

/** Kinds applied before any chart: they create nothing that waits, and charts may need them. */
const PREREQUISITE_KINDS = new Set(['Namespace', 'NetworkPolicy', 'ServiceAccount', 'ExternalSecret']);

/** Which chart brings the CRD of a kind plinth renders (controllers' CRDs are installed with the cluster). */
export const CRD_PROVIDERS: Readonly<Record<string, string>> = {
  Kafka: 'strimzi-kafka-operator',
  KafkaNodePool: 'strimzi-kafka-operator',
  Elasticsearch: 'eck-operator',
  Kibana: 'eck-operator',
  ServiceMonitor: 'kube-prometheus-stack',
  PodMonitor: 'kube-prometheus-stack',
  PrometheusRule: 'kube-prometheus-stack',
};

/** The CDK Helm step runs in a Lambda: 15 minutes at most. */
export const MAX_HELM_TIMEOUT_MINUTES = 15;

/** The CDK delivery's steps for the rendered files and the plan's charts. */
export function cdkInstallSteps(files: readonly ManifestFile[], charts: readonly ChartPlan[]): InstallStep[] {
  const objects = files.filter((f) => f.namespace !== undefined).flatMap((f) => f.objects);
  const ordered = [...charts].sort((a, b) => a.wave - b.wave || a.release.localeCompare(b.release));
  return [
    { id: 'Prerequisites', position: 0, objects: objects.filter((o) => PREREQUISITE_KINDS.has(String(o.kind))) },
    ...ordered.map((chart, i) => ({ id: `Chart ${chart.release}`, position: i + 1, objects: [], chart })),
    { id: 'Manifests', position: ordered.length + 1, objects: objects.filter((o) => !PREREQUISITE_KINDS.has(String(o.kind))) },
  ];
}

/**
 * The Argo CD delivery's steps: each chart Application at its wave, each namespace Application at its
 * wave with the objects of that namespace's files, and the top-level files (image updaters) last.
 */
export function gitOpsInstallSteps(files: readonly ManifestFile[], charts: readonly ChartPlan[]): InstallStep[] {
  const applications = files.find((f) => f.path === 'applications.yaml')?.objects ?? [];
  const steps: InstallStep[] = [];
  for (const app of applications) {
    if (app.kind !== 'Application') continue;
    const meta = app.metadata as { name: string; annotations?: Record<string, string> };
    const spec = app.spec as { destination: { namespace: string }; syncPolicy?: { syncOptions?: string[]; managedNamespaceMetadata?: { labels?: Record<string, string> } } };
    const wave = Number(meta.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
    const chart = charts.find((c) => c.release === meta.name);
    const namespace = spec.destination.namespace;
    steps.push({
      id: `Application ${meta.name}`,
      position: wave,
      objects: chart ? [] : files.filter((f) => f.namespace === namespace).flatMap((f) => f.objects),
      chart,
      syncOptions: spec.syncPolicy?.syncOptions ?? [],
      namespaceLabels: spec.syncPolicy?.managedNamespaceMetadata?.labels,
    });
  }
  const last = Math.max(0, ...steps.map((s) => s.position)) + 1;
  for (const f of files.filter((file) => file.namespace === undefined && file.path !== 'applications.yaml')) {
    steps.push({ id: f.path, position: last, objects: f.objects });
  }
  return steps.sort((a, b) => a.position - b.position);
}

/** Every hazard of a step list; an empty list means the steps can finish in order. */
export function installHazards(steps: readonly InstallStep[], namespaces: readonly NamespacePlan[]): InstallHazard[] {
  const hazards: InstallHazard[] = [];
  const before = (step: InstallStep) => steps.filter((s) => s.position < step.position);
  for (const step of steps) {
    const chart = step.chart;
    if (chart) {
      const earlier = before(step).flatMap((s) => s.objects);
      const ns = namespaces.find((n) => n.name === chart.namespace);
      const nsObject = earlier.find((o) => o.kind === 'Namespace' && name(o) === chart.namespace);
      const enforce = step.namespaceLabels?.['pod-security.kubernetes.io/enforce']
        ?? (nsObject?.metadata as { labels?: Record<string, string> } | undefined)?.labels?.['pod-security.kubernetes.io/enforce'];
      if (ns?.create && enforce === undefined) {
        hazards.push({ code: 'NAMESPACE_AFTER_CHART', step: step.id, message: `${chart.release} installs into ${chart.namespace} before the namespace exists with its pod-security labels; relabelling it later hides rejections until pods are replaced.` });
      }
      if (chart.podSecurity === 'privileged' && enforce !== undefined && enforce !== 'privileged') {
        hazards.push({ code: 'PSA_REJECTS_CHART', step: step.id, message: `${chart.release} runs pods that need host access, and ${chart.namespace} enforces pod security "${enforce}": they are rejected.` });
      }
      for (const secret of chart.needsSecrets) {
        const made = earlier.some((o) => producesSecret(o, secret, chart.namespace));
        if (!made) hazards.push({ code: 'SECRET_AFTER_CHART', step: step.id, message: `${chart.release} reads Secret ${chart.namespace}/${secret}, which no earlier step creates: its pods cannot start.` });
      }
      const hooks = hooksPodsWaitFor(chart);
      if (hooks.length > 0) {
        hazards.push({ code: 'HOOK_DEADLOCK', step: step.id, message: `${chart.release} runs ${hooks.join(', ')} as post-install hooks, which start only once the pods are ready, and the pods wait for them.` });
      }
      if (chart.wait && !(chart.timeoutMinutes > 0 && chart.timeoutMinutes <= MAX_HELM_TIMEOUT_MINUTES)) {
        hazards.push({ code: 'NO_TIMEOUT', step: step.id, message: `${chart.release} waits with ${chart.timeoutMinutes ? `a ${chart.timeoutMinutes}-minute timeout` : "Helm's 5-minute default timeout"}; give it an explicit one of at most ${MAX_HELM_TIMEOUT_MINUTES} minutes, sized to the chart.` });
      }
      continue;
    }
    for (const o of step.objects) {
      const provider = CRD_PROVIDERS[String(o.kind)];
      const skipsDryRun = step.syncOptions?.includes('SkipDryRunOnMissingResource=true')
        || String((o.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.['argocd.argoproj.io/sync-options'] ?? '').includes('SkipDryRunOnMissingResource=true');
      if (provider) {
        const installed = before(step).some((s) => s.chart?.chart === provider && s.chart.wait);
        if (!installed && !skipsDryRun) {
          hazards.push({ code: 'CRD_AFTER_RESOURCE', step: step.id, message: `${String(o.kind)} ${name(o)} is applied before ${provider}, which brings its CRD.` });
        }
      }
      if (o.kind === 'ImageUpdater' && !skipsDryRun) {
        hazards.push({ code: 'CRD_AFTER_RESOURCE', step: step.id, message: `ImageUpdater ${name(o)} is synced by a parent that does not install its CRD; without SkipDryRunOnMissingResource the whole sync fails until it exists.` });
      }
    }
  }
  return hazards;
}

/** Charts whose post-install hooks the chart's own pods wait for (Airflow's migration and user Jobs). */
function hooksPodsWaitFor(chart: ChartPlan): string[] {
  if (chart.chart !== 'airflow') return [];
  const values = chart.values as { migrateDatabaseJob?: { useHelmHooks?: boolean }; createUserJob?: { useHelmHooks?: boolean } };
  return [
    ...(values.migrateDatabaseJob?.useHelmHooks === false ? [] : ['the database migration Job']),
    ...(values.createUserJob?.useHelmHooks === false ? [] : ['the admin user Job']),
  ];
}

function producesSecret(o: Manifest, secret: string, namespace: string): boolean {
  const meta = o.metadata as { name?: string; namespace?: string } | undefined;
  if (meta?.namespace !== namespace) return false;
  if (o.kind === 'Secret') return meta.name === secret;
  if (o.kind === 'ExternalSecret') return ((o.spec as { target?: { name?: string } }).target?.name ?? meta.name) === secret;
  return false;
}

function name(o: Manifest): string {
  return String((o.metadata as { name?: string } | undefined)?.name ?? '?');
}
