/**
 * An autoscaled app may name the count it starts with (seed 004: Tomcat starts with 3 pods, HPA 2–10).
 * The Deployment carries it, the HPA its bounds; because every apply of a manifest with spec.replicas
 * sets the live count back (Kubernetes docs, "Horizontal Pod Autoscaling": Migrating Deployments and
 * StatefulSets to horizontal autoscaling), Argo CD delivery ignores and respects that field, and
 * CloudFormation delivery warns.
 */
import { describe, expect, it } from 'vitest';
import { renderWorkloads } from '../../src/k8s/render.js';
import { gitOpsObjects, namespaceApplicationName } from '../../src/k8s/gitops.js';
import { SpecError } from '../../src/spec/diagnostics.js';
import { planFromYaml } from '../support.js';
import { withReachableCluster } from '../reachable-cluster.js';

type Obj = Record<string, any>;

function spec(app: string, gitops = false): string {
  return withReachableCluster(`platform: { name: demo, region: ap-northeast-2 }
network: { cidr: 10.0.0.0/16, azs: 2 }
cluster:
  nodeGroups: { default: { instanceTypes: [t3.large], size: { min: 2, max: 6 } } }
${gitops ? '  gitops: { repo: https://github.com/example/gitops.git, path: apps, revision: main }\n' : ''}apps:
  api: { image: nginx:1.27, port: 8080, namespace: web, ${app} }
  static: { image: nginx:1.27, port: 8080, namespace: web, autoscale: { min: 2, max: 4 } }
`);
}

function objects(text: string): Obj[] {
  return renderWorkloads(planFromYaml(text))!.files.flatMap((f) => f.objects) as Obj[];
}

const find = (all: readonly Obj[], kind: string, name: string) => all.find((o) => o.kind === kind && o.metadata?.name === name)!;

function codes(text: string): string[] {
  try {
    planFromYaml(text);
    return [];
  } catch (e) {
    if (e instanceof SpecError) return e.diagnostics.map((d) => d.code);
    throw e;
  }
}

describe('compliance: initial replicas next to an autoscaler', () => {
  it('gives the Deployment replicas: 3 and the HPA min 2, max 10', () => {
    // GIVEN replicas 3 with autoscale 2..10 WHEN rendered
    const all = objects(spec('replicas: 3, autoscale: { min: 2, max: 10 }'));
    // THEN the Deployment starts at 3 and the HPA holds the bounds
    expect(find(all, 'Deployment', 'api').spec.replicas).toBe(3);
    expect(find(all, 'HorizontalPodAutoscaler', 'api').spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
    // AND an autoscaled app without a start count still carries none
    expect(find(all, 'Deployment', 'static').spec.replicas).toBeUndefined();
  });

  it.each([2, 10])('accepts the bounds themselves (replicas: %i)', (n) => {
    expect(codes(spec(`replicas: ${n}, autoscale: { min: 2, max: 10 }`))).toEqual([]);
  });

  it('with Argo CD: the namespace Application ignores and respects /spec/replicas of that Deployment only', () => {
    const plan = planFromYaml(spec('replicas: 3, autoscale: { min: 2, max: 10 }', true));
    const app = gitOpsObjects(plan.workloads!, plan.cluster!.gitops!).applications.find((a: Obj) => a.metadata.name === namespaceApplicationName('web')) as Obj;
    expect(app.spec.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', name: 'api', namespace: 'web', jsonPointers: ['/spec/replicas'] }]);
    expect(app.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    // AND no warning: Argo CD keeps the autoscaler's count on every sync
    expect(plan.warnings.map((w) => w.code)).not.toContain('W_AUTOSCALE_INITIAL_REAPPLIED');
  });

  it('without Argo CD: warns that each CloudFormation re-apply resets the count, at apps.api.replicas', () => {
    const plan = planFromYaml(spec('replicas: 3, autoscale: { min: 2, max: 10 }'));
    const w = plan.warnings.find((x) => x.code === 'W_AUTOSCALE_INITIAL_REAPPLIED');
    expect(w?.path).toEqual(['apps', 'api', 'replicas']);
    expect(w?.message).toContain('back to 3');
    // AND an autoscaled app without a start count is not warned about
    expect(plan.warnings.filter((x) => x.code === 'W_AUTOSCALE_INITIAL_REAPPLIED')).toHaveLength(1);
  });

  it('leaves Applications of namespaces without such a Deployment unchanged', () => {
    const plan = planFromYaml(spec('autoscale: { min: 2, max: 10 }', true));
    const app = gitOpsObjects(plan.workloads!, plan.cluster!.gitops!).applications.find((a: Obj) => a.metadata.name === namespaceApplicationName('web')) as Obj;
    expect(app.spec.ignoreDifferences).toBeUndefined();
    expect(app.spec.syncPolicy.syncOptions).not.toContain('RespectIgnoreDifferences=true');
  });
});

describe('noncompliance: initial replicas outside the autoscale range', () => {
  it.each([[1, 'below min'], [11, 'above max']])('refuses replicas: %i (%s) with E_AUTOSCALE_INITIAL_RANGE', (n) => {
    expect(codes(spec(`replicas: ${n}, autoscale: { min: 2, max: 10 }`))).toEqual(['E_AUTOSCALE_INITIAL_RANGE']);
  });

  it('reports only the range error when min > max, not a second one about replicas', () => {
    expect(codes(spec('replicas: 3, autoscale: { min: 5, max: 4 }'))).toEqual(['E_AUTOSCALE_RANGE']);
  });
});
