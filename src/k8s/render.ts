/**
 * plan.workloads → manifest files, one cdk8s Chart per file:
 *
 *   <namespace>/namespace.yaml      the Namespace (unless a team creates it) and its default-deny policy
 *   <namespace>/<app>.yaml          ServiceAccount, ExternalSecrets, workload, Service, HPA, PDB, claims,
 *                                   NetworkPolicy, Ingress of one app
 *   <namespace>/<service>.yaml      a catalogued service's custom resources, secrets, policy, Ingress
 *   <namespace>/kustomization.yaml  (gitops) the directory's file list, for Argo CD and Image Updater
 *   applications.yaml               (gitops) Argo CD Applications: charts and namespaces
 *   image-updaters.yaml             (gitops) ImageUpdater resources for tag patterns
 *
 * Files and the objects in them come out in a fixed order, so identical specs give identical files.
 */
import { App, Chart } from 'cdk8s';
import type { Plan } from '../plan/types.js';
import type { AppPlan, IngressGroupPlan, ServicePlan, WorkloadsPlan } from '../plan/workloads.js';
import { CATALOG } from '../plan/catalog.js';
import { addAutoscaler } from './autoscaler.js';
import { addDisruptionBudget } from './disruption-budget.js';
import { addExternalSecret } from './external-secret.js';
import { gitOpsObjects } from './gitops.js';
import { addIngress } from './ingress.js';
import { MANAGED_BY } from './metadata.js';
import { addNamespace } from './namespace.js';
import { addDefaultDeny, addWorkloadPolicy } from './network-policy.js';
import { addService } from './service.js';
import { addServiceAccount } from './service-account.js';
import { addAirflowMetadata } from './services/airflow.js';
import { addElasticsearch, addKibana } from './services/elastic.js';
import { addKafka } from './services/kafka.js';
import { addEfsClaims } from './volume-claim.js';
import { addWorkload } from './workload.js';

export type Manifest = Record<string, unknown>;

export interface ManifestFile {
  /** Relative to the manifests directory, e.g. `shop/backend.yaml`. */
  readonly path: string;
  readonly namespace: string | undefined;
  readonly objects: readonly Manifest[];
}

export interface RenderedWorkloads {
  /** Kubernetes objects, by file; applied to the cluster (by Argo CD or by the CDK stack). */
  readonly files: readonly ManifestFile[];
  /** Kustomization files (gitops), which are build configuration rather than cluster objects. */
  readonly kustomizations: readonly ManifestFile[];
}

/**
 * Rendered once per plan: a synth without gitops hands the objects to the cluster stack and then writes
 * the same objects to files (rendering is a pure function of the plan, and at 500 apps costs over a
 * second). Callers treat the objects as read-only.
 */
const renderedPlans = new WeakMap<Plan, RenderedWorkloads | undefined>();

export function renderWorkloads(plan: Plan): RenderedWorkloads | undefined {
  if (!renderedPlans.has(plan)) renderedPlans.set(plan, renderPlan(plan));
  return renderedPlans.get(plan);
}

function renderPlan(plan: Plan): RenderedWorkloads | undefined {
  const workloads = plan.workloads;
  if (!workloads) return undefined;
  const partOf = { ...MANAGED_BY, 'app.kubernetes.io/part-of': plan.platform.name };
  const charts: { path: string; namespace: string; chart: Chart }[] = [];
  const chartFor = (namespace: string, file: string) => {
    // One App per chart: cdk8s's Chart.toJson() resolves dependencies and validates the chart's whole App,
    // so charts sharing one App cost O(charts²) (500 apps took seconds here; no chart depends on another).
    const chart = new Chart(new App(), `${namespace}-${file}`, { labels: partOf, disableResourceNameHashes: true });
    charts.push({ path: `${namespace}/${file}.yaml`, namespace, chart });
    return chart;
  };

  for (const ns of workloads.namespaces) {
    const chart = chartFor(ns.name, 'namespace');
    addNamespace(chart, ns);
    addDefaultDeny(chart, ns.name);
  }
  for (const a of workloads.apps) renderApp(chartFor(a.namespace, a.name), a, workloads);
  for (const s of workloads.services) renderService(chartFor(s.namespace, s.kind), s, workloads);

  const files: ManifestFile[] = charts
    // By namespace, its Namespace and default-deny first: an apply in file order then never meets an object
    // whose namespace does not exist yet.
    .sort((x, y) => x.namespace.localeCompare(y.namespace) || Number(y.path.endsWith('/namespace.yaml')) - Number(x.path.endsWith('/namespace.yaml')) || x.path.localeCompare(y.path))
    .map(({ path, namespace, chart }) => ({ path, namespace, objects: chart.toJson() as Manifest[] }))
    .filter((f) => f.objects.length > 0);

  const gitops = plan.cluster?.gitops;
  if (!gitops) return { files, kustomizations: [] };
  const { applications, imageUpdaters } = gitOpsObjects(workloads, gitops);
  const top: ManifestFile[] = [
    { path: 'applications.yaml', namespace: undefined, objects: applications },
    ...(imageUpdaters.length > 0 ? [{ path: 'image-updaters.yaml', namespace: undefined, objects: imageUpdaters }] : []),
  ];
  const kustomizations = workloads.namespaces.map((ns) => ({
    path: `${ns.name}/kustomization.yaml`,
    namespace: ns.name,
    objects: [{
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: files.filter((f) => f.namespace === ns.name).map((f) => f.path.slice(ns.name.length + 1)),
    }],
  }));
  return { files: [...top, ...files], kustomizations };
}

function groupOf(workloads: WorkloadsPlan, scheme: string): IngressGroupPlan {
  return workloads.ingressGroups.find((g) => g.scheme === scheme)!;
}

function renderApp(chart: Chart, a: AppPlan, workloads: WorkloadsPlan): void {
  addServiceAccount(chart, a);
  for (const s of a.secrets) addExternalSecret(chart, s, a.namespace, a.labels, workloads.secretStore);
  addEfsClaims(chart, a, workloads);
  addWorkload(chart, a, workloads.ebsStorageClass);
  addService(chart, a);
  addAutoscaler(chart, a);
  addDisruptionBudget(chart, a);
  addWorkloadPolicy(chart, { name: a.name, namespace: a.namespace, labels: a.labels, podLabels: a.labels, ingress: a.ingress, egress: a.egress });
  if (a.exposure) addIngress(chart, a.name, a.namespace, a.labels, a.exposure, groupOf(workloads, a.exposure.scheme));
}

/** What a catalogued service needs beyond its declared flows: its operator's API calls and webhooks. */
const SERVICE_EXTRAS: Readonly<Record<ServicePlan['kind'], { apiServer: boolean; webhookPort?: number; scrapesVpc?: boolean }>> = {
  kafka: { apiServer: true },
  redis: { apiServer: true },
  elasticsearch: { apiServer: true, webhookPort: 9443 },
  kibana: { apiServer: false },
  airflow: { apiServer: true },
  prometheus: { apiServer: true, webhookPort: 10250, scrapesVpc: true },
  grafana: { apiServer: true },
};

function renderService(chart: Chart, s: ServicePlan, workloads: WorkloadsPlan): void {
  const labels = { 'app.kubernetes.io/name': s.kind };
  const storage = workloads.ebsStorageClass;
  addKafka(chart, s, storage);
  addElasticsearch(chart, s, storage);
  addKibana(chart, s);
  addAirflowMetadata(chart, s, workloads.secretStore);
  const extras = SERVICE_EXTRAS[s.kind];
  const vpc = { kind: 'cidrs' as const, cidrs: [workloads.vpcCidr], except: [] };
  addWorkloadPolicy(chart, {
    name: s.kind,
    namespace: s.namespace,
    labels,
    podLabels: s.labels,
    sameNamespace: true,
    ingress: [
      ...s.ingress,
      ...(extras.webhookPort ? [{ peer: vpc, ports: [{ protocol: 'tcp' as const, from: extras.webhookPort, to: extras.webhookPort }], ref: 'cluster/controlPlane', origin: [] }] : []),
    ],
    egress: [
      ...s.egress,
      // The API server twice: the network policy agent sees the `kubernetes` Service IP before kube-proxy
      // translates it (aws-network-policy-agent#549), and the endpoint ENIs' VPC addresses after.
      ...(extras.apiServer ? [
        { peer: { kind: 'cidrs' as const, cidrs: [`${workloads.apiServiceIp}/32`], except: [] }, ports: [{ protocol: 'tcp' as const, from: 443, to: 443 }], ref: 'cluster/controlPlane', origin: [] },
        { peer: vpc, ports: [{ protocol: 'tcp' as const, from: 443, to: 443 }], ref: 'cluster/controlPlane', origin: [] },
      ] : []),
      ...(extras.scrapesVpc ? [{ peer: vpc, ports: [], ref: 'vpc', origin: [] }] : []),
    ],
  });
  const http = CATALOG[s.kind].http;
  if (s.exposure && http) addIngress(chart, s.kind, s.namespace, labels, s.exposure, groupOf(workloads, s.exposure.scheme));
}
