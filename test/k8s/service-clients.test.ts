/**
 * Who may open a catalogued service: Kafka's listeners name exactly the clients plinth's policy admits
 * (Strimzi's own NetworkPolicy opens a listener without networkPolicyPeers to every namespace), and
 * Airflow's talksTo admits every Airflow pod (tasks run in worker pods), not only its API server.
 */
import { describe, expect, it } from 'vitest';
import { renderWorkloads } from '../../src/k8s/render.js';
import { withReachableCluster } from '../reachable-cluster.js';
import { planFromYaml } from '../support.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const spec = (body: string) => withReachableCluster(`platform: { name: demo, region: ap-northeast-2 }
network: { cidr: 10.0.0.0/16, azs: 2 }
cluster:
  nodeGroups: { default: { instanceTypes: [t3.large] } }
  controllers: { externalSecrets: true }
data:
  databases:
    meta: { engine: postgres, version: "16", databaseName: airflow, allowFrom: [cluster/nodes] }
${body}`);

function objects(body: string): Obj[] {
  return renderWorkloads(planFromYaml(spec(body)))!.files.flatMap((f) => f.objects) as Obj[];
}

const kafkaOf = (objs: Obj[]) => objs.find((o) => o.kind === 'Kafka')!;
const listener = (objs: Obj[], name: string) => kafkaOf(objs).spec.kafka.listeners.find((l: Obj) => l.name === name);

describe('Kafka listeners name their clients', () => {
  it('Compliance: the plain listener admits the namespace and exactly the apps whose talksTo names Kafka', () => {
    const objs = objects(`apps:
  api: { image: nginx:1.27, port: 8080, talksTo: [services/kafka] }
  web: { image: nginx:1.27, port: 8080 }
services:
  kafka: {}`);
    const peers = listener(objs, 'plain').networkPolicyPeers;
    expect(peers[0]).toEqual({ podSelector: {} });
    expect(peers.slice(1).map((p: Obj) => p.podSelector.matchLabels['app.kubernetes.io/name'])).toEqual(['api']);
  });

  it('Noncompliance guard: a listener no client uses is never left open (an empty list would admit everyone)', () => {
    const objs = objects('services:\n  kafka: {}');
    expect(listener(objs, 'plain').networkPolicyPeers).toEqual([{ podSelector: {} }]);
    expect(listener(objs, 'tls').networkPolicyPeers).toEqual([{ podSelector: {} }]);
  });
});

describe('Airflow\'s client pods', () => {
  it('the service Airflow talks to admits tier: airflow (workers, scheduler), not only component: api-server', () => {
    const objs = objects(`services:
  kafka: {}
  airflow: { database: db/meta, talksTo: [services/kafka] }`);
    const policy = objs.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'kafka' && o.metadata.namespace === 'kafka')!;
    const fromAirflow = policy.spec.ingress.flatMap((r: Obj) => r.from ?? []).find((p: Obj) => p.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === 'airflow');
    expect(fromAirflow.podSelector.matchLabels).toEqual({ release: 'airflow', tier: 'airflow' });
  });
});
