/**
 * Elasticsearch and Kibana by Elastic's ECK operator (elastic/cloud-on-k8s; labels in
 * pkg/controller/elasticsearch/label and pkg/controller/kibana, Service names in their `*-http`
 * helpers): Elasticsearch `NAME` runs one StatefulSet `NAME-es-SET` per node set, its pods labelled
 * `common.k8s.elastic.co/type: elasticsearch`, `elasticsearch.k8s.elastic.co/cluster-name: NAME` and
 * `elasticsearch.k8s.elastic.co/statefulset-name`, on 9200 (HTTP) and 9300 (transport), behind
 * `NAME-es-http`; Kibana `NAME` runs pods labelled `common.k8s.elastic.co/type: kibana` and
 * `kibana.k8s.elastic.co/name: NAME` on 5601, behind `NAME-kb-http`. ECK writes no NetworkPolicy.
 */
import type { CustomResource } from '../../k8s-types.js';
import { clusterIp, emptyOperated, type Operated, tcpPorts } from './operated.js';

const ELASTICSEARCH = 'elasticsearch.k8s.elastic.co/';
const KIBANA = 'kibana.k8s.elastic.co/';

export function eckStack(resources: readonly CustomResource[]): Operated {
  const out = emptyOperated();
  for (const r of resources) {
    const ref = { stack: 'k8s', logicalId: `${r.kind}/${r.namespace}/${r.name}`, type: `ECK ${r.kind}`, file: r.file };
    if (r.apiVersion.startsWith(KIBANA) && r.kind === 'Kibana') {
      const labels = { 'common.k8s.elastic.co/type': 'kibana', 'kibana.k8s.elastic.co/name': r.name };
      out.workloads.push({ kind: 'Kibana', name: `${r.name}-kb`, namespace: r.namespace, labels, ports: tcpPorts([5601, 'http']), file: r.file, refs: ['services/kibana', `services/kibana/${r.name}`] });
      out.services.push(clusterIp(`${r.name}-kb-http`, r.namespace, r.file, labels, [[5601, 'http']]));
      out.notes.push({ text: `Kibana ${r.namespace}/${r.name} runs as pods the ECK operator creates; verify models them from ECK's labels and port 5601.`, ref });
    }
    if (r.apiVersion.startsWith(ELASTICSEARCH) && r.kind === 'Elasticsearch') {
      const cluster = { 'common.k8s.elastic.co/type': 'elasticsearch', 'elasticsearch.k8s.elastic.co/cluster-name': r.name };
      const sets: { name?: string }[] = r.spec?.nodeSets ?? [];
      for (const set of sets) {
        const name = `${r.name}-es-${set.name ?? 'default'}`;
        out.workloads.push({
          kind: 'Elasticsearch', name, namespace: r.namespace, file: r.file,
          labels: { ...cluster, 'elasticsearch.k8s.elastic.co/statefulset-name': name },
          ports: tcpPorts([9200, 'https'], [9300, 'transport']),
          refs: ['services/elasticsearch', `services/elasticsearch/${r.name}`],
        });
      }
      out.services.push(clusterIp(`${r.name}-es-http`, r.namespace, r.file, cluster, [[9200, 'https']]));
      out.notes.push({ text: `Elasticsearch ${r.namespace}/${r.name} runs as pods the ECK operator creates (${sets.length} node set${sets.length === 1 ? '' : 's'}); verify models them from ECK's labels and ports 9200 and 9300.`, ref });
    }
  }
  return out;
}
