/**
 * A large platform's Kubernetes view (issue 14): above NAMESPACE_SUMMARY_ABOVE workloads one node per
 * namespace, flows between namespaces, flows inside counted; the examples stay drawn workload by workload.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDiagrams, readDiagramInput } from '../../src/analyse/diagram/draw.js';
import { NAMESPACE_SUMMARY_ABOVE } from '../../src/analyse/diagram/model/kubernetes.js';
import { toDot } from '../../src/analyse/diagram/layout/dot.js';
import { synthesizePlatform } from '../../src/aws/synth.js';
import { loadPlan } from '../../src/plan/load.js';
import { scaleSpec } from '../../bench/scale-spec.js';
import { bothWays } from './flow-facts.js';
import { inputOf } from './support.js';
import type { DiagramInput } from '../../src/analyse/diagram/model/input.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

let seventy: Promise<DiagramInput> | undefined;
/** The scale bench's platform with 70 apps in namespaces of ten (app i talks to app i+1), synthesized once for this file. */
function seventyApps(): Promise<DiagramInput> {
  seventy ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-scale-diagram-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'spec'));
    writeFileSync(join(dir, 'spec', 'plinth.yaml'), scaleSpec(70));
    const { plan } = await loadPlan(join(dir, 'spec'));
    synthesizePlatform(plan, { outdir: join(dir, 'out') });
    return readDiagramInput([join(dir, 'out')], plan);
  })();
  return seventy;
}

describe('Kubernetes view of a large platform', () => {
  it('draws namespaces, not workloads, above the threshold: flows between namespaces, flows inside counted, several columns', async () => {
    // GIVEN the scale bench's platform with 70 apps in namespaces of ten (app i talks to app i+1)
    const input = await seventyApps();
    // WHEN its Kubernetes view is built
    const k8s = buildDiagrams(input, 'k8s')[0]!;
    // THEN each namespace is one node and no workload is drawn on its own
    const namespaces = k8s.nodes.filter((n) => n.id.startsWith('n:'));
    expect(namespaces.map((n) => n.title)).toEqual(['team0', 'team1', 'team2', 'team3', 'team4', 'team5', 'team6'].map((t) => `namespace ${t}`));
    expect(k8s.nodes.some((n) => n.id.startsWith('w:'))).toBe(false);
    // AND it says what it holds and how many flows stay inside (app0 → app1 ... app8 → app9)
    expect(namespaces[0]!.lines).toEqual(['10 workloads · 20 pods', '10 Services · 0 Ingresses', 'NetworkPolicies isolate its pods', '9 flows between its workloads']);
    // AND app9 → app10 is one edge from team0 to team1 on the app port, app69 → app0 one from team6 to team0
    const flow = (from: string, to: string) => k8s.edges.find((e) => e.from === `n:${from}` && e.to === `n:${to}`);
    expect(flow('team0', 'team1')?.label).toBe('8080/tcp');
    expect(flow('team6', 'team0')?.label).toBe('8080/tcp');
    expect(flow('team0', 'team2')).toBeUndefined();
    // AND every namespace reaching the database is one edge, from "every namespace"
    expect(k8s.edges.filter((e) => e.to.includes('db') || k8s.nodes.find((n) => n.id === e.to)?.title === 'db/main').map((e) => e.from)).toEqual(['any-pod']);
    // AND the namespaces stand in more than one column
    expect(new Set(namespaces.map((n) => n.lane)).size).toBeGreaterThan(1);
    expect(toDot(k8s, { rankdir: 'LR' }).match(/rank=same/g)!.length).toBeGreaterThan(1);
  });

  it('asks the engine only what the NetworkPolicies leave open: the same flows, a tenth of the questions', async () => {
    // GIVEN the 70-app platform, whose apps' policies deny by default and open one peer each
    const { pruned, every, asked } = bothWays((await seventyApps()).model);
    // THEN its flows are exactly those of asking every question
    expect(pruned.length).toBeGreaterThan(70);
    expect(pruned).toEqual(every);
    // AND hosts, Lambda functions and the management host to each app, each app to the database, the
    // host and the internet are asked only where a policy opens a way (every tenth app, to the database)
    expect(asked.pruned * 10).toBeLessThan(asked.every);
  });

  it('never summarises the bundled examples: each draws its workloads', () => {
    for (const name of ['nemo-v3', 'three-tier-eks', 'video-platform']) {
      const input = inputOf(name);
      expect(input.manifests!.workloads.length).toBeLessThanOrEqual(NAMESPACE_SUMMARY_ABOVE);
      const k8s = buildDiagrams(input, 'k8s')[0]!;
      expect(k8s.nodes.some((n) => n.id.startsWith('w:'))).toBe(true);
      expect(k8s.nodes.some((n) => n.id.startsWith('n:'))).toBe(false);
    }
  });
});
