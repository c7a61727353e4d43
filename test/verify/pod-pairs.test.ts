/**
 * Pod-to-pod answers from the NetworkPolicies' selectors (src/analyse/model/engine/pod-pairs.ts) are
 * the engine's own answers: compared pair by pair, for every pod pair, on every bundled example,
 * the generated stress model (selectors across namespaces, ipBlocks, egress rules without peers)
 * and a cluster with named ports, pods of unknown labels and a namespace without policies.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/analyse/model/build.js';
import { Engine, type Reach } from '../../src/analyse/model/engine/reach.js';
import type { K8sModel, NetworkPolicy, Workload } from '../../src/analyse/model/k8s-types.js';
import { Bracket } from '../../src/analyse/model/packets.js';
import type { Model } from '../../src/analyse/model/types.js';
import { readAnalysisInput } from '../../src/analyse/input/index.js';
import { withManifests } from '../../src/analyse/verify/index.js';
import { stressModel } from '../../bench/verify-stress.js';
import { exampleAssembly } from '../shared-assemblies.js';

function directOf(reach: Reach): Bracket {
  return reach.paths.filter((p) => p.via === undefined).reduce((acc, p) => acc.union(p.allowed), Bracket.NONE);
}

/** Every pod pair: the index's answer against the engine's, in both modes; returns how many pairs were compared. */
function compareAll(model: Model): { pairs: number; nonEmpty: number } {
  const engine = new Engine(model);
  const pairs = engine.podPairs();
  const pods = model.classes.filter((c) => c.kind === 'pods');
  let count = 0;
  let nonEmpty = 0;
  for (const mode of ['may', 'must'] as const) {
    for (const s of pods) {
      for (const d of pods) {
        if (s === d) continue;
        const reach = engine.reach({ kind: 'class', cls: s }, { kind: 'class', cls: d }, mode);
        const direct = pairs.direct(s, d, mode);
        const expected = directOf(reach);
        expect(direct, `${s.name} → ${d.name} (${mode})`).toBeDefined();
        expect(direct!.sure.equals(expected.sure) && direct!.maybe.equals(expected.maybe), `${s.name} → ${d.name} (${mode}): ${direct!.maybe.toString()} vs ${expected.maybe.toString()}`).toBe(true);
        const allowed = pairs.allowed(s, d, mode);
        if (allowed) expect(allowed.sure.equals(reach.allowed.sure) && allowed.maybe.equals(reach.allowed.maybe), `${s.name} → ${d.name} allowed`).toBe(true);
        count++;
        if (!expected.isEmpty()) nonEmpty++;
      }
    }
  }
  return { pairs: count, nonEmpty };
}

describe('pod pairs from NetworkPolicy selectors', () => {
  for (const example of ['nemo-v3', 'three-tier-eks', 'video-platform']) {
    it(`give the engine's answer for every pod pair of ${example}`, () => {
      const { templates, k8s } = withManifests(readAnalysisInput([exampleAssembly(example)]));
      expect(compareAll(buildModel(templates, { k8s })).pairs).toBeGreaterThan(0);
    });
  }

  it('give the engine\'s answer on the generated stress model (selectors across namespaces, ipBlocks, rules without peers)', () => {
    const stress = stressModel({ resources: 150, groups: 15, rules: 300, workloads: 20, policies: 40 });
    const { pairs, nonEmpty } = compareAll(buildModel(stress.templates, { k8s: stress.k8s }));
    expect(pairs).toBe(2 * 20 * 19);
    expect(nonEmpty).toBeGreaterThan(0);
  });

  it('give the engine\'s answer with named ports, pods of unknown labels and a namespace without policies', () => {
    const stress = stressModel({ resources: 120, groups: 10, rules: 100, workloads: 2, policies: 2 });
    const workload = (name: string, namespace: string, labels: Record<string, string> | undefined): Workload => ({
      kind: 'Deployment', name, namespace, labels: labels as Record<string, string>, ports: [{ port: 9000, protocol: 'TCP', name: 'metrics' }, { port: 8080, protocol: 'TCP', name: 'http' }], file: 'k8s/x.yaml',
    });
    const workloads = [
      workload('api', 'shop', { app: 'api' }), workload('web', 'shop', { app: 'web' }), workload('worker', 'shop', { app: 'worker', tier: 'back' }),
      workload('grafana', 'monitoring', undefined), workload('prometheus', 'monitoring', { app: 'prometheus' }), workload('free', 'open', { app: 'free' }),
    ];
    const any = { matchLabels: {}, matchExpressions: [] };
    const policies: NetworkPolicy[] = [
      // api: ingress from web on the named port http, from monitoring on metrics; egress by name to worker, DNS anywhere.
      {
        name: 'api', namespace: 'shop', file: 'k8s/x.yaml', podSelector: { matchLabels: { app: 'api' }, matchExpressions: [] },
        ingress: [
          { peers: [{ podSelector: { matchLabels: { app: 'web' }, matchExpressions: [] }, namespaceSelector: undefined, ipBlock: undefined }], ports: [{ protocol: 'TCP', port: 'http', endPort: undefined }] },
          { peers: [{ podSelector: undefined, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' }, matchExpressions: [] }, ipBlock: undefined }], ports: [{ protocol: 'TCP', port: 'metrics', endPort: undefined }] },
        ],
        egress: [
          { peers: [{ podSelector: { matchLabels: { tier: 'back' }, matchExpressions: [] }, namespaceSelector: undefined, ipBlock: undefined }], ports: [{ protocol: 'TCP', port: 'http', endPort: undefined }] },
          { peers: undefined, ports: [{ protocol: 'UDP', port: 53, endPort: undefined }] },
        ],
      },
      // Default deny in shop, with an ipBlock exception for the node subnets.
      { name: 'deny', namespace: 'shop', file: 'k8s/x.yaml', podSelector: any, ingress: [{ peers: [{ podSelector: undefined, namespaceSelector: undefined, ipBlock: { cidr: '10.0.3.0/24', except: ['10.0.3.128/25'] } }], ports: undefined }], egress: undefined },
      // A selector that may or may not match grafana (labels unknown).
      { name: 'grafana', namespace: 'monitoring', file: 'k8s/x.yaml', podSelector: { matchLabels: { app: 'grafana' }, matchExpressions: [] }, ingress: [{ peers: [{ podSelector: { matchLabels: { app: 'prometheus' }, matchExpressions: [] }, namespaceSelector: undefined, ipBlock: undefined }], ports: undefined }], egress: [] },
    ];
    const k8s: K8sModel = {
      ...stress.k8s, workloads, policies,
      namespaces: new Map([['shop', { 'kubernetes.io/metadata.name': 'shop' }], ['monitoring', { 'kubernetes.io/metadata.name': 'monitoring' }], ['open', { 'kubernetes.io/metadata.name': 'open' }]]),
    };
    const { pairs, nonEmpty } = compareAll(buildModel(stress.templates, { k8s }));
    expect(pairs).toBe(2 * 6 * 5);
    expect(nonEmpty).toBeGreaterThan(0);
  });

  it('leave pairs that are not both pods to the engine', () => {
    const { templates, k8s } = withManifests(readAnalysisInput([exampleAssembly('three-tier-eks')]));
    const model = buildModel(templates, { k8s });
    const engine = new Engine(model);
    const pods = model.classes.find((c) => c.kind === 'pods')!;
    const nodes = model.classes.find((c) => c.kind === 'eks-nodes')!;
    expect(engine.podPairs().direct(nodes, pods)).toBeUndefined();
    expect(engine.podPairs().direct(pods, pods)).toBeUndefined();
  });
});
