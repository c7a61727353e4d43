/**
 * Kafka by Strimzi (`kafka.strimzi.io/v1`): one KafkaNodePool whose nodes are both KRaft controllers
 * and brokers, and the Kafka cluster. KRaft keeps the metadata quorum inside Kafka, so there is no
 * ZooKeeper to run (Strimzi dropped ZooKeeper support in 0.46). Listeners: 9092 plain and 9093 TLS
 * inside the cluster; with `externalListener`, a NodePort listener on fixed node ports (bootstrap on
 * the first, broker N on first + 1 + N) advertising node addresses, for clients in the VPC such as
 * seed 001's AI servers. Replication defaults keep acknowledged writes through the loss of one broker.
 */
import { ApiObject, type Chart } from 'cdk8s';
import type { ServicePlan } from '../../plan/workloads.js';
import { namespaced } from '../metadata.js';

const API = 'kafka.strimzi.io/v1';
export const KAFKA_CLUSTER = 'kafka';

export function addKafka(chart: Chart, service: ServicePlan, storageClass: string): void {
  const s = service.settings;
  if (s.kind !== 'kafka') return;
  const replication = Math.min(3, s.brokers);
  new ApiObject(chart, 'kafka-node-pool', {
    apiVersion: API,
    kind: 'KafkaNodePool',
    metadata: namespaced(KAFKA_CLUSTER, service.namespace, { 'strimzi.io/cluster': KAFKA_CLUSTER }),
    spec: {
      replicas: s.brokers,
      roles: ['controller', 'broker'],
      storage: {
        type: 'jbod',
        volumes: [{ id: 0, type: 'persistent-claim', size: `${s.storageGiB}Gi`, class: storageClass, deleteClaim: false, kraftMetadata: 'shared' }],
      },
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '2Gi' } },
    },
  });
  const listeners: Record<string, unknown>[] = [
    { name: 'plain', port: 9092, type: 'internal', tls: false },
    { name: 'tls', port: 9093, type: 'internal', tls: true },
  ];
  if (s.external) {
    listeners.push({
      name: 'external',
      port: s.external.port,
      type: 'nodeport',
      tls: false,
      configuration: {
        bootstrap: { nodePort: s.external.nodePort },
        brokers: Array.from({ length: s.brokers }, (_, i) => ({ broker: i, nodePort: s.external!.nodePort + 1 + i })),
        preferredNodePortAddressType: 'InternalIP',
        externalTrafficPolicy: 'Local',
      },
    });
  }
  new ApiObject(chart, 'kafka-cluster', {
    apiVersion: API,
    kind: 'Kafka',
    metadata: namespaced(KAFKA_CLUSTER, service.namespace),
    spec: {
      kafka: {
        listeners,
        config: {
          'default.replication.factor': replication,
          'min.insync.replicas': Math.max(1, replication - 1),
          'offsets.topic.replication.factor': replication,
          'transaction.state.log.replication.factor': replication,
          'transaction.state.log.min.isr': Math.max(1, replication - 1),
        },
      },
      entityOperator: { topicOperator: {}, userOperator: {} },
    },
  });
}
