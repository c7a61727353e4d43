/**
 * Prometheus and Grafana by the prometheus-community `kube-prometheus-stack` chart (89.1.0 as plinth
 * pins). The chart's Prometheus custom resource is named `FULLNAME-prometheus`
 * (`kube-prometheus-stack.prometheus.crname`, FULLNAME cut to 26 characters); the Prometheus operator
 * runs it as a StatefulSet whose pods carry `app.kubernetes.io/name: prometheus`,
 * `app.kubernetes.io/instance: CR`, `prometheus: CR` and `operator.prometheus.io/name: CR`, on 9090
 * (prometheus-operator pkg/prometheus/server/statefulset.go). Grafana (the grafana subchart, on unless
 * `grafana.enabled: false`) labels its pods `app.kubernetes.io/name: grafana` and
 * `app.kubernetes.io/instance: RELEASE` (grafana.selectorLabels) and listens on 3000.
 */
import type { ChartRelease } from './releases.js';
import { valueAt } from './releases.js';
import { clusterIp, emptyOperated, type Operated, tcpPorts } from './operated.js';
import { helmFullname } from './chart-names.js';

export function kubePrometheusStack(release: ChartRelease): Operated {
  const out = emptyOperated();
  const v = release.values;
  const fullname = helmFullname(release.release, 'kube-prometheus-stack', valueAt(v, 'fullnameOverride'), 26);
  const cr = valueAt(v, 'cleanPrometheusOperatorObjectNames') === true ? fullname : `${fullname}-prometheus`;
  const file = release.ref.file;
  if (valueAt(v, 'prometheus.enabled') !== false) {
    out.workloads.push({
      kind: 'StatefulSet', name: `prometheus-${cr}`, namespace: release.namespace, file, ports: tcpPorts([9090, 'http-web']),
      labels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': cr, 'app.kubernetes.io/managed-by': 'prometheus-operator', prometheus: cr, 'operator.prometheus.io/name': cr },
      refs: ['services/prometheus', `services/prometheus/${cr}`],
    });
    out.services.push(clusterIp(`${fullname}-prometheus`, release.namespace, file, { 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': cr }, [[9090, 'http-web']]));
  }
  if (valueAt(v, 'grafana.enabled') !== false) {
    const name = (valueAt(v, 'grafana.nameOverride') as string | undefined) ?? 'grafana';
    const grafana = helmFullname(release.release, name, valueAt(v, 'grafana.fullnameOverride'));
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': release.release };
    out.workloads.push({
      kind: 'Deployment', name: grafana, namespace: release.namespace, file, labels, ports: tcpPorts([3000, 'grafana']),
      refs: ['services/grafana', `services/grafana/${release.release}`],
    });
    // The Service listens on `grafana.service.port` (80) and forwards to the container's 3000.
    const port = typeof valueAt(v, 'grafana.service.port') === 'number' ? valueAt(v, 'grafana.service.port') as number : 80;
    out.services.push({ ...clusterIp(grafana, release.namespace, file, labels, [[port, 'http-web']]), ports: [{ port, targetPort: 3000, nodePort: undefined, protocol: 'TCP', name: 'http-web' }] });
  }
  out.notes.push({ text: `Prometheus and Grafana (chart kube-prometheus-stack, release ${release.release}) run as pods the chart and the Prometheus operator create; verify models them from their labels and ports.`, ref: release.ref });
  return out;
}
