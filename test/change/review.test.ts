/**
 * The change review on pairs of versions, one per kind of change a reviewer meets: each must land in
 * the right section with the right evidence (witness or blocker) and the right cost delta.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMarkdown, reviewChange, toJson, type ChangeReview } from '../../src/analyse/change/index.js';
import { ROOT } from '../support.js';
import { edited, editJson, sides, version, type Version } from './support.js';

const EXAMPLE = 'three-tier-eks';
/** The seed's two apps, plus a developer tool on an internal load balancer. */
const withKibana = (expose: 'internal' | 'public') => (spec: any) => { // eslint-disable-line @typescript-eslint/no-explicit-any
  spec.apps.kibana = { image: 'docker.elastic.co/kibana/kibana:8.19.0', namespace: 'app', replicas: 1, port: 5601, expose: { ingress: expose, host: 'kibana.goupang.shop' } };
};

function review(before: Version, after: Version): ChangeReview {
  const [b, a] = sides(before, after);
  return reviewChange(b, a);
}

const base = () => version(EXAMPLE, 'base', withKibana('internal'));
const prices = JSON.parse(readFileSync(join(ROOT, 'data/prices/ap-northeast-2.json'), 'utf8')).prices as Record<string, { usd: number }>;

describe('plinth plan: a version against itself', () => {
  it('reports nothing and exits 0', () => {
    const r = review(base(), base());
    expect(r.reachability.opened).toEqual([]);
    expect(r.reachability.closed).toEqual([]);
    expect(r.cost?.delta).toEqual({ low: 0, base: 0, high: 0 });
    expect(r.kubernetes.changes).toEqual([]);
    expect(r.verdict).toMatchObject({ risky: false, exitCode: 0 });
    expect(r.verdict.headline).toMatch(/^✅ Nothing risky/);
  });
});

describe('an internal app made public', () => {
  it('says the internet can now reach it through the public load balancer, with the path', () => {
    const r = review(base(), version(EXAMPLE, 'kibana-public', withKibana('public')));
    const exposed = r.reachability.opened.find((f) => f.via !== undefined);
    expect(exposed?.sentence).toBe('internet can now reach apps/kibana:5601 through lb/public');
    expect(exposed?.outside).toBe(true);
    // Witness: the client reaches the balancer, the balancer its new target.
    expect(exposed?.witness.map((w) => w.path)).toEqual([
      expect.stringMatching(/^internet → goupang-igw → ingress-group\/goupang-prod-public in subnet/),
      expect.stringMatching(/→ apps\/kibana in subnet/),
    ]);
    expect(exposed?.witness[1]?.steps.join('\n')).toMatch(/opens a new connection to its target apps\/kibana on port 5601/);
    // And the internal balancer no longer forwards to it.
    const lost = r.reachability.closed.find((f) => f.from === 'lb/internal' && f.to === 'apps/kibana');
    expect(lost?.sentence).toBe('lb/internal can no longer reach apps/kibana:5601');
    expect(lost?.blockers.join('\n')).toMatch(/does not forward to apps\/kibana|no longer in the templates/);
    expect(r.verdict.exitCode).toBe(1);
    expect(r.verdict.risks.map((x) => x.code)).toContain('R_EXPOSED');
    // The Ingress moved from one IngressGroup to the other: a Kubernetes change CloudFormation shows only as a string.
    expect(r.kubernetes.changes.find((c) => c.kind === 'Ingress' && c.name === 'kibana')?.change).toBe('changed');
  });
});

describe('a database allowFrom widened', () => {
  it('opens the database to the new source, breaks the intent, and names the path', () => {
    const r = review(base(), version(EXAMPLE, 'db-widened', (spec) => {
      withKibana('internal')(spec);
      spec.data.databases.main.allowFrom = ['cluster/nodes', 'mgmt/mgmt'];
    }));
    const opened = r.reachability.opened.find((f) => f.to === 'db/main');
    expect(opened?.sentence).toBe('mgmt/mgmt can now reach db/main:3306');
    expect(opened?.witness[0]?.steps.join('\n')).toMatch(/security group.*3306|3306.*security group/i);
    const intent = r.findings.intents.find((i) => i.name.startsWith('RDS only from the EKS nodes'));
    expect(intent).toMatchObject({ before: 'holds', after: 'violation' });
    expect(intent?.witness[0]).toMatch(/mgmt\/mgmt .*→ db\/main/);
    expect(r.verdict.risks.map((x) => x.code).sort()).toEqual(['R_DATA_REACHABLE', 'R_INTENT_BROKEN']);
    expect(r.cost?.delta.base).toBe(0);
  });
});

describe('a node group resized', () => {
  it('costs the new nodes and their disks, and changes no flow', () => {
    const after = version(EXAMPLE, 'nodes-4', (spec) => {
      withKibana('internal')(spec);
      spec.cluster.nodeGroups.app.size = { min: 4, max: 6 };
    });
    const r = review(base(), after);
    expect(r.reachability.opened).toEqual([]);
    expect(r.reachability.closed).toEqual([]);
    const line = r.cost!.lines.find((l) => l.type === 'AWS::EKS::Nodegroup')!;
    // Two more t3.large for 730 hours, and two more 20 GiB gp3 root volumes (the node group's default disk).
    const expected = 2 * (prices['ec2.instance.t3.large']!.usd * 730 + 20 * prices['ebs.gp3.storage']!.usd);
    expect(line.delta.base).toBeCloseTo(expected, 1);
    expect(line.details.join('\n')).toMatch(/Nodes × 4 \(t3\.large, on-demand\): 1,460 → 2,920 hours/);
    expect(r.cost!.delta.base).toBeCloseTo(expected, 1);
    expect(r.cost!.delta.low).toBeCloseTo(expected, 1);
    expect(r.verdict.exitCode).toBe(0);
    expect(reviewChange(...sides(base(), after), { maxCostIncreasePercent: 5 }).verdict.risks.map((x) => x.code)).toEqual(['R_COST']);
  });
});

describe('a chart version bumped', () => {
  it('shows the Helm release inside the template, version and values', () => {
    const after = edited(base(), (dir) => editJson(join(dir, 'Cluster.template.json'), (t) => {
      const chart = t.Resources.ClusterControllersExternalSecretsChart31D1DE0E.Properties;
      chart.Version = '2.11.0';
      const values = JSON.parse(chart.Values);
      values.replicaCount = 2;
      chart.Values = JSON.stringify(values);
    }));
    const r = review(base(), after);
    const release = r.kubernetes.changes.find((c) => c.kind === 'HelmRelease');
    expect(release).toMatchObject({ namespace: 'external-secrets', name: 'external-secrets', change: 'changed', delivery: 'cloudformation-helm' });
    expect(release?.summary).toBe('chart external-secrets 2.10.0 → 2.11.0, 1 value changed');
    expect(release?.fields).toEqual(['values.replicaCount: (none) → 2', 'version: 2.10.0 → 2.11.0']);
    expect(r.reachability.opened).toEqual([]);
  });

  it('shows an Argo CD Application bumped in git, which CloudFormation never sees', () => {
    const nemo = version('nemo-v3', 'base');
    const after = edited(nemo, (dir) => {
      const file = join(dir, 'k8s/applications.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('targetRevision: 1.2.0', 'targetRevision: 1.3.0'));
    });
    const r = review(nemo, after);
    const app = r.kubernetes.changes.find((c) => c.kind === 'Application' && c.name === 'strimzi');
    expect(app).toMatchObject({ namespace: 'argocd', change: 'changed', delivery: 'argo-cd', summary: 'chart strimzi-kafka-operator 1.2.0 → 1.3.0' });
    expect(r.kubernetes.invisibleToCloudFormation).toBe(1);
    expect(formatMarkdown(r)).toContain('Application **strimzi**: chart strimzi-kafka-operator 1.2.0 → 1.3.0 <sub>(Argo CD (git), not in CloudFormation)</sub>');
  });
});

describe('an app removed', () => {
  it('closes its flows with the reason, removes its objects per namespace', () => {
    const r = review(base(), version(EXAMPLE, 'no-frontend', (spec) => {
      withKibana('internal')(spec);
      delete spec.apps.frontend;
    }));
    const lost = r.reachability.closed.find((f) => f.to === 'apps/frontend' && f.via === undefined);
    expect(lost?.sentence).toBe('lb/public can no longer reach apps/frontend:8080');
    expect(lost?.blockers).toEqual(['apps/frontend is no longer in the templates']);
    expect(r.reachability.closed.some((f) => f.sentence === 'internet can no longer reach apps/frontend:8080 through lb/public')).toBe(true);
    const removed = r.kubernetes.changes.filter((c) => c.change === 'removed').map((c) => `${c.namespace}/${c.kind}/${c.name}`);
    expect(removed).toEqual(expect.arrayContaining(['app/Deployment/frontend', 'app/Service/frontend', 'app/Ingress/frontend']));
    expect(r.reachability.opened).toEqual([]);
    // Closing flows and removing a stateless app is not risky.
    expect(r.verdict.exitCode).toBe(0);
    expect(JSON.stringify(toJson(r))).not.toContain('"sample"');
  });
});
