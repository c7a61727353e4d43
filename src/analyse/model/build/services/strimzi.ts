/**
 * Kafka by the Strimzi operator (strimzi/strimzi-kafka-operator 1.2.0, the version plinth pins). From a
 * `Kafka` custom resource and its `KafkaNodePool`s (label `strimzi.io/cluster`), the operator runs, per
 * pool, pods named `CLUSTER-POOL-N` labelled (cluster-operator KafkaPool.java, Labels.java):
 *
 *   strimzi.io/cluster: CLUSTER      strimzi.io/kind: Kafka        strimzi.io/name: CLUSTER-kafka
 *   strimzi.io/pool-name: POOL       strimzi.io/component-type: kafka
 *   strimzi.io/broker-role / strimzi.io/controller-role: "true" | "false"
 *   app.kubernetes.io/name: kafka    app.kubernetes.io/instance: CLUSTER
 *
 * and listening (KafkaCluster.getContainerPortList) on 8443 (agent), 9090 (KRaft control plane, with the
 * controller role), 9091 (replication, with the broker role) and every listener's port (broker role).
 * The bootstrap Service is `CLUSTER-kafka-bootstrap`. The entity operator runs as `CLUSTER-entity-operator`
 * (health checks 8080 topic, 8081 user).
 *
 * Unless the operator runs with `generateNetworkPolicy: false`, it also writes a NetworkPolicy
 * `CLUSTER-network-policy-kafka` (KafkaCluster.generateNetworkPolicy): 9090 from the brokers and the
 * cluster operator, 9091 from those and the entity operator, exporter and Cruise Control, 8443 from the
 * cluster operator, and each listener's port from its `networkPolicyPeers`, which, when absent, admit
 * every pod of every namespace ("By default, Strimzi automatically creates a NetworkPolicy resource for
 * every enabled Kafka listener, allowing connections from all namespaces", Strimzi docs, "Restricting
 * access to listeners using network policies"). Policies add up, so that policy widens any other.
 */
import type { CustomResource, PolicyPeer, Workload } from '../../k8s-types.js';
import { peerOf } from '../../k8s.js';
import { clusterIp, emptyOperated, ingressRule, type Operated, podPeer, tcpPorts } from './operated.js';

export interface StrimziOperator {
  /** Namespace the cluster operator runs in, when the templates or manifests install it. */
  readonly namespace: string | undefined;
  /** The operator writes its NetworkPolicies (chart value `generateNetworkPolicy`, default true). */
  readonly generatesPolicies: boolean;
}

const API = 'kafka.strimzi.io/';

export function strimziKafka(resources: readonly CustomResource[], operator: StrimziOperator): Operated {
  const out = emptyOperated();
  const kafkas = resources.filter((r) => r.apiVersion.startsWith(API) && r.kind === 'Kafka');
  for (const kafka of kafkas) {
    const cluster = kafka.name;
    const ns = kafka.namespace;
    const listeners: { name?: string; port?: number; networkPolicyPeers?: unknown[] }[] = kafka.spec?.kafka?.listeners ?? [];
    const listenerPorts = listeners.filter((l) => typeof l.port === 'number').map((l) => [l.port!, l.name ?? 'listener'] as const);
    const selectorLabels = { 'strimzi.io/cluster': cluster, 'strimzi.io/name': `${cluster}-kafka`, 'strimzi.io/kind': 'Kafka' };
    const pools = resources.filter((r) => r.apiVersion.startsWith(API) && r.kind === 'KafkaNodePool' && r.namespace === ns && r.labels['strimzi.io/cluster'] === cluster);
    for (const pool of pools) {
      const roles: string[] = pool.spec?.roles ?? [];
      const broker = roles.includes('broker');
      const controller = roles.includes('controller');
      const ports = tcpPorts([8443, 'tcp-kafkaagent'], ...(controller ? [[9090, 'tcp-ctrlplane'] as const] : []),
        ...(broker ? [[9091, 'tcp-replication'] as const, ...listenerPorts] : []));
      const workload: Workload = {
        kind: 'StrimziPodSet', name: `${cluster}-${pool.name}`, namespace: ns, file: pool.file, ports,
        labels: {
          ...pool.labels, ...selectorLabels, 'strimzi.io/pool-name': pool.name, 'strimzi.io/component-type': 'kafka',
          'strimzi.io/broker-role': String(broker), 'strimzi.io/controller-role': String(controller),
          'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': cluster, 'app.kubernetes.io/managed-by': 'strimzi-cluster-operator',
        },
        // Clients connect to brokers; a controller-only pool is part of the service but not what `services/kafka` reaches.
        refs: broker ? ['services/kafka', `services/kafka/${cluster}`] : [`services/kafka/${cluster}/${pool.name}`],
      };
      out.workloads.push(workload);
    }
    if (kafka.spec?.entityOperator) {
      out.workloads.push({
        kind: 'Deployment', name: `${cluster}-entity-operator`, namespace: ns, file: kafka.file,
        labels: { 'strimzi.io/cluster': cluster, 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${cluster}-entity-operator`, 'strimzi.io/component-type': 'entity-operator' },
        ports: tcpPorts(...(kafka.spec.entityOperator.topicOperator ? [[8080, 'healthcheck'] as const] : []), ...(kafka.spec.entityOperator.userOperator ? [[8081, 'healthcheck'] as const] : [])),
        refs: [`services/kafka/${cluster}/entity-operator`],
      });
    }
    out.services.push(clusterIp(`${cluster}-kafka-bootstrap`, ns, kafka.file, selectorLabels, listenerPorts));
    out.notes.push({
      text: `The Kafka cluster ${ns}/${cluster} runs as pods the Strimzi operator creates (one set per KafkaNodePool: ${pools.map((p) => p.name).join(', ') || 'none found'}); verify models them from Strimzi's labels and ports${operator.generatesPolicies ? `, and includes the NetworkPolicy ${cluster}-network-policy-kafka the operator writes` : ''}.`,
      ref: { stack: 'k8s', logicalId: `Kafka/${ns}/${cluster}`, type: 'Strimzi Kafka', file: kafka.file },
    });
    if (!operator.generatesPolicies) continue;
    // The cluster operator in another namespace is admitted from every namespace (no operator namespace labels given).
    const clusterOperator = podPeer({ 'strimzi.io/kind': 'cluster-operator' }, operator.namespace === ns ? undefined : {});
    const brokers = podPeer(selectorLabels);
    const named = (name: string) => podPeer({ 'strimzi.io/name': name });
    out.policies.push({
      name: `${cluster}-network-policy-kafka`, namespace: ns, file: kafka.file,
      podSelector: { matchLabels: selectorLabels, matchExpressions: [] },
      ingress: [
        ingressRule(9090, [brokers, clusterOperator]),
        ingressRule(9091, [clusterOperator, brokers, named(`${cluster}-entity-operator`), named(`${cluster}-kafka-exporter`), named(`${cluster}-cruise-control`)]),
        ingressRule(8443, [clusterOperator]),
        ...listeners.filter((l) => typeof l.port === 'number').map((l) => ingressRule(l.port!, (l.networkPolicyPeers ?? []).map(peerOf) as PolicyPeer[])),
      ],
      egress: undefined,
    });
  }
  return out;
}
