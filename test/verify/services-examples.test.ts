/**
 * The examples with services: every catalogued service is pods in verify's model, and an intent to
 * each kind holds where the spec's talksTo allows it and is violated where it does not.
 */
import { describe, expect, it } from 'vitest';
import { loadInputs, verifyTemplates } from '../../src/analyse/verify/index.js';
import { buildModel } from '../../src/analyse/model/build.js';
import { exampleAssembly } from '../shared-assemblies.js';
import { intent } from './intent-support.js';

/** [kind, a client its spec allows, a pod it does not, the port] in video-platform. */
const VIDEO: readonly (readonly [string, string, string, number])[] = [
  ['kafka', 'apps/backend', 'apps/frontend', 9092],
  ['redis', 'apps/backend', 'apps/frontend', 6379],
  ['elasticsearch', 'apps/fastapi', 'apps/frontend', 9200],
  ['kibana', 'lb/internal', 'apps/backend', 5601],
  ['airflow', 'services/airflow/scheduler', 'apps/frontend', 8080],
  ['prometheus', 'services/grafana', 'apps/frontend', 9090],
  ['grafana', 'lb/internal', 'apps/backend', 3000],
];

describe('video-platform: services in the model', () => {
  const loaded = loadInputs([exampleAssembly('video-platform')]);
  const check = (intents: ReturnType<typeof intent>[]) => verifyTemplates(loaded.templates, { k8s: loaded.k8s, intents });

  it('every service of the spec is pods on the nodes, named services/KIND', () => {
    const model = buildModel(loaded.templates, { k8s: loaded.k8s });
    for (const [kind] of VIDEO) {
      const pods = model.classes.filter((c) => c.refs.includes(`services/${kind}`));
      expect(pods.length, kind).toBeGreaterThan(0);
      expect(pods.every((c) => c.kind === 'pods' && c.placements.length > 0), kind).toBe(true);
    }
  });

  it('Compliance: each service is reached by the client its spec names, and not by another app', () => {
    const intents = VIDEO.flatMap(([kind, allowed, other, port]) => [
      intent(`${allowed} reaches ${kind}`, { from: allowed, to: `services/${kind}:${port}`, reach: true }),
      intent(`${other} never reaches ${kind}`, { from: other, to: `services/${kind}:${port}`, deny: true }),
    ]);
    const r = check(intents);
    expect(r.findings.filter((f) => f.ruleId.startsWith('PI')).map((f) => f.message)).toEqual([]);
    expect(r.checks.filter((c) => c.id === 'PI2' || c.id === 'PI4').map((c) => c.status)).toEqual(['holds', 'holds']);
  });

  it('Noncompliance: the inverse of each statement is violated, with a witness or the hop that blocks it', () => {
    const intents = VIDEO.flatMap(([kind, allowed, other, port]) => [
      intent(`${allowed} never reaches ${kind}`, { from: allowed, to: `services/${kind}:${port}`, deny: true }),
      intent(`${other} reaches ${kind}`, { from: other, to: `services/${kind}:${port}`, reach: true }),
    ]);
    const r = check(intents);
    for (const [kind, allowed, other] of VIDEO) {
      const deny = r.findings.find((f) => f.status === 'violation' && f.message.includes(`${allowed} never reaches ${kind} `));
      expect(deny?.witness, `${allowed} → ${kind}`).toBeDefined();
      const reach = r.findings.find((f) => f.status === 'violation' && f.message.includes(`${other} reaches ${kind} `));
      expect(reach?.blocked?.paths.length, `${other} → ${kind}`).toBeGreaterThan(0);
    }
  });

  it('Airflow\'s task pods reach Kafka and Elasticsearch, as its talksTo says (not only its API server)', () => {
    const r = check([
      intent('workers to kafka', { from: 'services/airflow/worker', to: 'services/kafka:9092', reach: true }),
      intent('workers to elasticsearch', { from: 'services/airflow/worker', to: 'services/elasticsearch:9200', reach: true }),
    ]);
    expect(r.findings.filter((f) => f.ruleId.startsWith('PI')).map((f) => f.message)).toEqual([]);
  });

  it('the spec\'s own flows and intents still all hold with the services modelled', () => {
    expect(check([]).ok).toBe(true);
  });
});

describe('nemo-v3 (GitOps): services installed by Argo CD Applications are modelled too', () => {
  it('Kafka (Strimzi custom resources) and Redis (an Application with the redis-ha chart) are pods', () => {
    const loaded = loadInputs([exampleAssembly('nemo-v3')]);
    const model = buildModel(loaded.templates, { k8s: loaded.k8s });
    for (const kind of ['kafka', 'redis']) expect(model.classes.some((c) => c.refs.includes(`services/${kind}`)), kind).toBe(true);
    const r = verifyTemplates(loaded.templates, { k8s: loaded.k8s, intents: [intent('nothing else reaches redis', { from: 'apps/frontend', to: 'services/redis:6379', deny: true })] });
    expect(r.findings.filter((f) => f.ruleId === 'PI2')).toEqual([]);
  });
});
