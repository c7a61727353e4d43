/**
 * Kafka by Strimzi (`kafka.strimzi.io/v1`): one KafkaNodePool whose nodes are both KRaft controllers
 * and brokers, and the Kafka cluster. KRaft keeps the metadata quorum inside Kafka, so there is no
 * ZooKeeper to run (Strimzi dropped ZooKeeper support in 0.46). Listeners: 9092 plain and 9093 TLS
 * inside the cluster; with `externalListener`, a NodePort listener on fixed node ports (bootstrap on
 * the first, broker N on first + 1 + N) advertising node addresses, for clients in the VPC such as
 * seed 001's AI servers. Replication defaults keep acknowledged writes through the loss of one broker.
 *
 * Strimzi writes a NetworkPolicy of its own for the brokers, which opens every listener to every pod of
 * every namespace unless the listener names `networkPolicyPeers` (Strimzi 1.2.0
 * KafkaCluster.generateNetworkPolicy; docs, "Restricting access to listeners using network policies").
 * Policies add up, so each listener names exactly the clients plinth's own policy admits on its port,
 * plus the Kafka namespace's own pods; never an empty list, which would mean everyone.
 */
import { ApiObject, type Chart } from 'cdk8s';
import type { PeerRulePlan, ServicePlan } from '../../plan/workloads.js';
import { policyPeers } from '../network-policy.js';
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
    { name: 'plain', port: 9092, type: 'internal', tls: false, networkPolicyPeers: listenerPeers(service.ingress, 9092) },
    { name: 'tls', port: 9093, type: 'internal', tls: true, networkPolicyPeers: listenerPeers(service.ingress, 9093) },
  ];
  if (s.external) {
    listeners.push({
      name: 'external',
      port: s.external.port,
      type: 'nodeport',
      tls: false,
      networkPolicyPeers: listenerPeers(service.ingress, s.external.port),
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

/** Who may open a listener: the namespace's own pods and every client plinth admits on its port. */
function listenerPeers(ingress: readonly PeerRulePlan[], port: number): unknown[] {
  const clients = ingress.filter((r) => r.ports.length === 0 || r.ports.some((p) => p.protocol === 'all' || (p.protocol === 'tcp' && p.from <= port && port <= p.to)));
  return [{ podSelector: {} }, ...clients.flatMap((r) => policyPeers(r.peer))];
}
