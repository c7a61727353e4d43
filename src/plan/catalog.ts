/**
 * The services catalog: which chart or operator runs each service, at which pinned version, in which
 * namespace, and how clients find its pods. Versions are exact so a synth today and a synth next
 * month install the same software; raising one is a deliberate change in this file.
 *
 * Chart choices (docs/workloads.md explains them at more length):
 * - Kafka: Strimzi (CNCF), KRaft only since 0.46, `kafka.strimzi.io/v1` API since 1.0. No ZooKeeper.
 * - Redis: DandyDeveloper `redis-ha` (the chart Argo CD itself depends on) on the official `redis`
 *   image. Bitnami's free images stopped being published in August 2025, so its chart is not used.
 * - Elasticsearch + Kibana: Elastic's ECK operator, images from Elastic's own registry.
 * - Airflow: the Apache Airflow community chart, its bundled (Bitnami) PostgreSQL disabled: the
 *   metadata database is an RDS instance of the spec.
 * - Prometheus + Grafana: kube-prometheus-stack (prometheus-community).
 */
import type { ChartPlan, Labels, ServiceKind } from './workloads.js';

export interface PinnedChart {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  /**
   * Helm's wait, sized to what the release starts (Helm's own default is 5 minutes; the CDK Helm
   * step allows at most 15): an operator is one Deployment; redis-ha starts its StatefulSet pods one
   * after another, each with a new EBS volume; Airflow waits for its database migration.
   */
  readonly timeoutMinutes: number;
  /** Pods of the chart that Pod Security baseline rejects (host network, PID or paths). */
  readonly podSecurity?: 'privileged';
}

export const CHARTS = {
  strimzi: { repository: 'oci://quay.io/strimzi-helm', chart: 'strimzi-kafka-operator', version: '1.2.0', timeoutMinutes: 10 },
  redisHa: { repository: 'https://dandydeveloper.github.io/charts', chart: 'redis-ha', version: '4.35.10', timeoutMinutes: 15 },
  eck: { repository: 'https://helm.elastic.co', chart: 'eck-operator', version: '3.5.0', timeoutMinutes: 10 },
  airflow: { repository: 'https://airflow.apache.org', chart: 'airflow', version: '1.22.0', timeoutMinutes: 15 },
  // node-exporter (on by default) mounts the host's /proc, /sys and / and uses hostNetwork and hostPID.
  kubePrometheusStack: { repository: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '89.1.0', timeoutMinutes: 15, podSecurity: 'privileged' },
} as const satisfies Record<string, PinnedChart>;

/** Elastic Stack version run by ECK (Elasticsearch and Kibana must match). */
export const ELASTIC_STACK_VERSION = '9.1.0';

export interface CatalogEntry {
  readonly namespace: string;
  /** Labels of the pods clients connect to. */
  readonly labels: Labels;
  /**
   * Labels of the service's pods that open connections (to what its talksTo names), when they are not
   * only those clients connect to. @default labels
   */
  readonly clientLabels?: Labels;
  /** Ports clients use. */
  readonly ports: readonly number[];
  /** In-cluster address of the service. */
  readonly endpoint: string;
  /** Service and port an Ingress targets when the service is exposed. */
  readonly http: { readonly service: string; readonly port: number; readonly podPort: number } | undefined;
  /** Services it needs in the spec. */
  readonly requires: readonly ServiceKind[];
}

/** Release and cluster names are fixed: other services, apps and docs name them. */
export const CATALOG: Readonly<Record<ServiceKind, CatalogEntry>> = {
  kafka: {
    namespace: 'kafka',
    labels: { 'strimzi.io/cluster': 'kafka', 'strimzi.io/kind': 'Kafka' },
    ports: [9092],
    endpoint: 'kafka-kafka-bootstrap.kafka.svc:9092',
    http: undefined,
    requires: [],
  },
  redis: {
    namespace: 'redis',
    labels: { app: 'redis-ha', release: 'redis' },
    ports: [6379, 26379],
    endpoint: 'redis-redis-ha.redis.svc:26379 (Sentinel, master set "mymaster")',
    http: undefined,
    requires: [],
  },
  elasticsearch: {
    namespace: 'elastic',
    labels: { 'elasticsearch.k8s.elastic.co/cluster-name': 'elasticsearch' },
    ports: [9200],
    endpoint: 'https://elasticsearch-es-http.elastic.svc:9200',
    http: undefined,
    requires: [],
  },
  kibana: {
    namespace: 'elastic',
    labels: { 'kibana.k8s.elastic.co/name': 'kibana' },
    ports: [5601],
    endpoint: 'http://kibana-kb-http.elastic.svc:5601',
    http: { service: 'kibana-kb-http', port: 5601, podPort: 5601 },
    requires: ['elasticsearch'],
  },
  airflow: {
    namespace: 'airflow',
    labels: { release: 'airflow', component: 'api-server' },
    // Tasks run in worker pods (KubernetesExecutor), and the scheduler, DAG processor and triggerer
    // connect too: every Airflow pod carries tier: airflow (chart/templates, pod-template-file).
    clientLabels: { release: 'airflow', tier: 'airflow' },
    ports: [8080],
    endpoint: 'http://airflow-api-server.airflow.svc:8080',
    http: { service: 'airflow-api-server', port: 8080, podPort: 8080 },
    requires: [],
  },
  prometheus: {
    namespace: 'monitoring',
    labels: { 'app.kubernetes.io/name': 'prometheus' },
    ports: [9090],
    endpoint: 'http://monitoring-prometheus.monitoring.svc:9090',
    http: { service: 'monitoring-prometheus', port: 9090, podPort: 9090 },
    requires: [],
  },
  grafana: {
    namespace: 'monitoring',
    labels: { 'app.kubernetes.io/name': 'grafana' },
    ports: [3000],
    endpoint: 'http://grafana.monitoring.svc:80',
    http: { service: 'grafana', port: 80, podPort: 3000 },
    requires: ['prometheus'],
  },
};

/** Install order of charts: operators (whose CRDs services need) before everything else. */
export const OPERATOR_WAVE = 1;
export const SERVICE_WAVE = 2;

export function chartOf(pinned: PinnedChart, release: string, namespace: string, wave: number, values: Record<string, unknown>, needsSecrets: readonly string[] = []): ChartPlan {
  return {
    release, namespace, repository: pinned.repository, chart: pinned.chart, version: pinned.version, values, wave,
    podSecurity: pinned.podSecurity ?? 'baseline', timeoutMinutes: pinned.timeoutMinutes, wait: true, needsSecrets,
  };
}
