/**
 * Catalogued services as the model sees them: the pods operators and charts create at run time
 * (Strimzi Kafka, ECK Elasticsearch and Kibana, redis-ha, Airflow, kube-prometheus-stack), added to
 * the Kubernetes objects read from the manifests, so that NetworkPolicies select them and intents
 * naming `services/NAME` evaluate. What each reader relies on is recorded as an assumption.
 */
import type { StackTemplate } from '../../../input/templates.js';
import type { K8sModel } from '../../k8s-types.js';
import { ModelBuilder } from '../builder.js';
import { airflowChart } from './airflow.js';
import { eckStack } from './eck.js';
import { kubePrometheusStack } from './kube-prometheus-stack.js';
import type { Operated } from './operated.js';
import { redisHa } from './redis-ha.js';
import { chartReleases, type ChartRelease, valueAt } from './releases.js';
import { strimziKafka } from './strimzi.js';

/** Chart name → what its release runs. Operators' own charts add nothing here: their custom resources do. */
const CHARTS: Readonly<Record<string, (release: ChartRelease) => Operated>> = {
  'redis-ha': redisHa,
  airflow: airflowChart,
  'kube-prometheus-stack': kubePrometheusStack,
};

export function withOperatedWorkloads(k8s: K8sModel | undefined, b: ModelBuilder): K8sModel | undefined {
  const resources = k8s?.customResources ?? [];
  const releases = chartReleases(b, resources);
  const strimzi = releases.find((r) => r.chart === 'strimzi-kafka-operator');
  const made: Operated[] = [
    strimziKafka(resources, { namespace: strimzi?.namespace, generatesPolicies: valueAt(strimzi?.values, 'generateNetworkPolicy') !== false }),
    eckStack(resources),
  ];
  for (const release of releases) {
    const read = CHARTS[release.chart];
    if (!read) continue;
    if (release.values === undefined) {
      b.assume(`The values of the Helm release ${release.release} (chart ${release.chart}) cannot be read before deployment; verify models its pods from the chart's defaults.`, release.ref);
    }
    made.push(read(release));
  }
  const workloads = made.flatMap((m) => m.workloads);
  if (workloads.length === 0) return k8s;
  for (const m of made) for (const note of m.notes) b.assume(note.text, note.ref);
  const namespaces = new Map(k8s?.namespaces ?? []);
  for (const w of workloads) if (!namespaces.has(w.namespace)) namespaces.set(w.namespace, { 'kubernetes.io/metadata.name': w.namespace });
  return {
    namespaces,
    workloads: [...(k8s?.workloads ?? []), ...workloads],
    services: [...(k8s?.services ?? []), ...made.flatMap((m) => m.services)],
    ingresses: k8s?.ingresses ?? [],
    policies: [...(k8s?.policies ?? []), ...made.flatMap((m) => m.policies)],
    files: k8s?.files ?? [],
    customResources: resources,
  };
}

/**
 * The references the manifests' pods answer to (`apps/NAME`, `services/NAME`), for intents written
 * without a spec: what an intents file may name besides the templates' resources.
 */
export function workloadRefs(templates: readonly StackTemplate[], k8s: K8sModel | undefined): string[] {
  const workloads = withOperatedWorkloads(k8s, new ModelBuilder(templates, {}))?.workloads ?? [];
  return [...new Set(workloads.flatMap((w) => w.refs ?? [`apps/${w.name}`, `apps/${w.namespace}/${w.name}`]))].sort();
}
