/**
 * Apache Airflow by its community chart (apache/airflow chart/, 1.22.0 as plinth pins, Airflow 3):
 * every component's pods are labelled `tier: airflow`, `component: COMPONENT`, `release: RELEASE`
 * (chart/templates/*-deployment.yaml). The API server (`component: api-server`, port `ports.apiServer`,
 * 8080) is what clients and the Ingress reach. The scheduler, DAG processor and triggerer run beside
 * it; with the KubernetesExecutor (chart/files/pod-template-file.kubernetes-helm-yaml) every task runs
 * in a pod labelled `component: worker`, and with the CeleryExecutor in a worker StatefulSet. The
 * chart's NetworkPolicies are off by default (`networkPolicies.enabled`).
 */
import type { Workload } from '../../k8s-types.js';
import type { ChartRelease } from './releases.js';
import { valueAt } from './releases.js';
import { clusterIp, emptyOperated, type Operated, tcpPorts } from './operated.js';
import { helmFullname } from './chart-names.js';

export function airflowChart(release: ChartRelease): Operated {
  const out = emptyOperated();
  const v = release.values;
  const fullname = helmFullname(release.release, 'airflow', valueAt(v, 'fullnameOverride'));
  const executor = String(valueAt(v, 'executor') ?? 'CeleryExecutor');
  const num = (key: string, fallback: number) => (typeof valueAt(v, key) === 'number' ? valueAt(v, key) as number : fallback);
  const component = (name: string, kind: string, ports: Workload['ports'], refs: string[]): Workload => ({
    kind, name: `${fullname}-${name}`, namespace: release.namespace, file: release.ref.file, ports,
    labels: { tier: 'airflow', component: name, release: release.release }, refs,
  });
  const api = component('api-server', 'Deployment', tcpPorts([num('ports.apiServer', 8080), 'api-server']), ['services/airflow', 'services/airflow/api-server']);
  out.workloads.push(api);
  out.services.push(clusterIp(`${fullname}-api-server`, release.namespace, release.ref.file, api.labels, [[num('ports.apiServer', 8080), 'api-server']]));
  out.workloads.push(component('scheduler', 'Deployment', [], ['services/airflow/scheduler']));
  if (valueAt(v, 'dagProcessor.enabled') !== false) out.workloads.push(component('dag-processor', 'Deployment', [], ['services/airflow/dag-processor']));
  if (valueAt(v, 'triggerer.enabled') !== false) out.workloads.push(component('triggerer', 'StatefulSet', tcpPorts([num('ports.triggererLogs', 8794), 'triggerer-logs']), ['services/airflow/triggerer']));
  out.workloads.push(component('worker', executor.includes('KubernetesExecutor') ? 'Pod' : 'StatefulSet',
    executor.includes('KubernetesExecutor') ? [] : tcpPorts([num('ports.workerLogs', 8793), 'worker-logs']), ['services/airflow/worker']));
  out.notes.push({ text: `Airflow (chart airflow, release ${release.release}, ${executor}) runs as pods the chart and its scheduler create; verify models them from the chart's labels and ports.`, ref: release.ref });
  return out;
}
