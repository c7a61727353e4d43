/**
 * Catalogued services in verify's model: the pods Strimzi, ECK and the redis-ha, Airflow and
 * kube-prometheus-stack charts create, which no manifest holds. An intent naming services/NAME holds
 * when the NetworkPolicies allow it and is violated, with a witness, when they do not.
 */
import { describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../src/analyse/verify/findings.js';
import { verifyTemplates } from '../../src/analyse/verify/index.js';
import { intent } from './intent-support.js';
import { readManifestsFromObjects } from './k8s-support.js';
import { twoTier } from './net.js';

/** GIVEN a cluster whose templates install the charts, and manifests holding the operators' resources. */
function platform(o: { strimziPolicies?: boolean; kafkaPeers?: boolean } = {}) {
  const helm = (id: string, chart: string, release: string, namespace: string, values: unknown) => ({
    Type: 'Custom::AWSCDK-EKS-HelmChart', Properties: { Chart: chart, Release: release, Namespace: namespace, Values: JSON.stringify(values) },
  });
  const net = twoTier()
    .add('Cluster', { Type: 'AWS::EKS::Cluster', Properties: { ResourcesVpcConfig: { SubnetIds: [{ Ref: 'PrivateA' }] } } })
    .add('Nodes', { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: { Ref: 'Cluster' }, Subnets: [{ Ref: 'PrivateA' }] } })
    .add('Strimzi', helm('Strimzi', 'strimzi-kafka-operator', 'strimzi', 'kafka', o.strimziPolicies === false ? { generateNetworkPolicy: false } : {}))
    .add('Redis', helm('Redis', 'redis-ha', 'redis', 'redis', { replicas: 3 }))
    .add('Airflow', helm('Airflow', 'airflow', 'airflow', 'airflow', { executor: 'KubernetesExecutor' }))
    .add('Monitoring', helm('Monitoring', 'kube-prometheus-stack', 'kube-prometheus-stack', 'monitoring', { fullnameOverride: 'monitoring', grafana: { fullnameOverride: 'grafana' } }));
  const client = { podSelector: { matchLabels: { app: 'client' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } };
  const onlyClient = (namespace: string, ports: number[]) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'only-client', namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [client], ports: ports.map((port) => ({ port, protocol: 'TCP' })) }] },
  });
  const deploy = (name: string) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' },
    spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, ports: [{ containerPort: 8080 }] }] } } },
  });
  const objects = [
    deploy('client'), deploy('other'),
    { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaNodePool', metadata: { name: 'kafka', namespace: 'kafka', labels: { 'strimzi.io/cluster': 'kafka' } }, spec: { replicas: 3, roles: ['controller', 'broker'] } },
    {
      apiVersion: 'kafka.strimzi.io/v1', kind: 'Kafka', metadata: { name: 'kafka', namespace: 'kafka' },
      spec: { kafka: { listeners: [{ name: 'plain', port: 9092, type: 'internal', tls: false, ...(o.kafkaPeers ? { networkPolicyPeers: [client] } : {}) }] }, entityOperator: { topicOperator: {} } },
    },
    { apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', metadata: { name: 'elasticsearch', namespace: 'elastic' }, spec: { nodeSets: [{ name: 'default', count: 3 }] } },
    { apiVersion: 'kibana.k8s.elastic.co/v1', kind: 'Kibana', metadata: { name: 'kibana', namespace: 'elastic' }, spec: { count: 1 } },
    onlyClient('kafka', [9092]), onlyClient('redis', [6379]), onlyClient('elastic', [9200, 5601]), onlyClient('airflow', [8080]), onlyClient('monitoring', [9090, 3000]),
  ];
  return { templates: [net.template()], k8s: readManifestsFromObjects(objects) };
}

const SERVICES = [
  ['kafka', 9092], ['redis', 6379], ['elasticsearch', 9200], ['kibana', 5601], ['airflow', 8080], ['prometheus', 9090], ['grafana', 3000],
] as const;

function run(p: ReturnType<typeof platform>, intents: ReturnType<typeof intent>[]): VerifyReport {
  return verifyTemplates(p.templates, { k8s: p.k8s, intents });
}

const violated = (r: VerifyReport, name: string) => r.findings.filter((f) => f.status === 'violation' && f.message.includes(name));

describe('services in the model: an intent to each kind evaluates', () => {
  for (const [kind, port] of SERVICES) {
    it(`Compliance: services/${kind}:${port} is reached from the client the policies allow, and not from another pod`, () => {
      const r = run(platform({ kafkaPeers: true }), [
        intent(`client reaches ${kind}`, { from: 'apps/client', to: `services/${kind}:${port}`, reach: true }),
        intent(`other never reaches ${kind}`, { from: 'apps/other', to: `services/${kind}:${port}`, deny: true }),
      ]);
      expect(r.findings.filter((f) => f.ruleId.startsWith('PI'))).toEqual([]);
      expect(r.checks.filter((c) => c.id === 'PI2' || c.id === 'PI4').map((c) => c.status)).toEqual(['holds', 'holds']);
    });

    it(`Noncompliance: services/${kind}:${port} denied to the allowed client, required of a pod the policies block (witness and blocker)`, () => {
      const r = run(platform({ kafkaPeers: true }), [
        intent(`client never reaches ${kind}`, { from: 'apps/client', to: `services/${kind}:${port}`, deny: true }),
        intent(`other reaches ${kind}`, { from: 'apps/other', to: `services/${kind}:${port}`, reach: true }),
      ]);
      const deny = violated(r, `client never reaches ${kind}`)[0];
      expect(deny?.ruleId).toBe('PI2');
      expect(deny?.witness?.packet).toContain(`tcp/${port}`);
      expect(deny?.witness?.hops.some((h) => h.step === 'NetworkPolicy (ingress)')).toBe(true);
      const reach = violated(r, `other reaches ${kind}`)[0];
      expect(reach?.ruleId).toBe('PI4');
      expect(reach?.blocked?.paths[0]?.blockers.length).toBeGreaterThan(0);
    });
  }
});

describe('what the operators write themselves', () => {
  it('Noncompliance: Strimzi\'s own NetworkPolicy opens a listener without networkPolicyPeers to every pod', () => {
    const r = run(platform(), [intent('other never reaches kafka', { from: 'apps/other', to: 'services/kafka:9092', deny: true })]);
    const f = violated(r, 'other never reaches kafka')[0];
    expect(f?.witness?.hops.map((h) => h.verdict.text).join('\n')).toMatch(/kafka-network-policy-kafka ingress rule #4/);
  });

  it('Compliance: with generateNetworkPolicy false the operator writes none, and only the namespace policy counts', () => {
    const r = run(platform({ strimziPolicies: false }), [intent('other never reaches kafka', { from: 'apps/other', to: 'services/kafka:9092', deny: true })]);
    expect(r.findings.filter((f) => f.ruleId === 'PI2')).toEqual([]);
  });

  it('the brokers carry Strimzi\'s labels and ports, and verify says what it relied on', () => {
    const r = run(platform(), []);
    expect(r.assumptions.some((a) => /Strimzi operator creates .*kafka-network-policy-kafka/.test(a.text))).toBe(true);
    expect(r.assumptions.some((a) => /chart redis-ha, release redis/.test(a.text))).toBe(true);
    expect(r.assumptions.some((a) => /KubernetesExecutor/.test(a.text))).toBe(true);
  });
});
