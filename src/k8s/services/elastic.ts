/**
 * Elasticsearch and Kibana by Elastic's ECK operator. Elasticsearch runs as one node set of
 * `nodes` members (each master-eligible and data), with a gp3 volume per node; `allow_mmap: false`
 * avoids raising vm.max_map_count on the nodes. Kibana connects through ECK's elasticsearchRef (ECK
 * provisions its credentials) and serves plain HTTP inside the cluster: TLS ends at the ALB.
 */
import { ApiObject, type Chart } from 'cdk8s';
import type { ServicePlan } from '../../plan/workloads.js';
import { namespaced } from '../metadata.js';

export const ELASTICSEARCH_CLUSTER = 'elasticsearch';

export function addElasticsearch(chart: Chart, service: ServicePlan, storageClass: string): void {
  const s = service.settings;
  if (s.kind !== 'elasticsearch') return;
  new ApiObject(chart, 'elasticsearch', {
    apiVersion: 'elasticsearch.k8s.elastic.co/v1',
    kind: 'Elasticsearch',
    metadata: namespaced(ELASTICSEARCH_CLUSTER, service.namespace),
    spec: {
      version: s.version,
      nodeSets: [{
        name: 'default',
        count: s.nodes,
        config: { 'node.store.allow_mmap': false },
        volumeClaimTemplates: [{
          metadata: { name: 'elasticsearch-data' },
          spec: { accessModes: ['ReadWriteOnce'], storageClassName: storageClass, resources: { requests: { storage: `${s.storageGiB}Gi` } } },
        }],
      }],
    },
  });
}

export function addKibana(chart: Chart, service: ServicePlan): void {
  const s = service.settings;
  if (s.kind !== 'kibana') return;
  new ApiObject(chart, 'kibana', {
    apiVersion: 'kibana.k8s.elastic.co/v1',
    kind: 'Kibana',
    metadata: namespaced('kibana', service.namespace),
    spec: {
      version: s.version,
      count: 1,
      elasticsearchRef: { name: ELASTICSEARCH_CLUSTER },
      http: { tls: { selfSignedCertificate: { disabled: true } } },
    },
  });
}
