/**
 * Pods that work under default-deny: the API server is reachable where operators run, reserved
 * namespaces are refused, pod security never rejects a chart's own pods, and secret keys come out
 * as the docs promise. Each with a Noncompliance and a Compliance case.
 */
import { describe, expect, it } from 'vitest';
import { renderWorkloads } from '../../src/k8s/render.js';
import { SpecError } from '../../src/spec/diagnostics.js';
import { planFromYaml } from '../support.js';
import { withReachableCluster } from '../reachable-cluster.js';

type Obj = Record<string, any>;

const spec = (body: string, cidr = '10.0.0.0/16') => withReachableCluster(`platform: { name: demo, region: ap-northeast-2 }
network: { cidr: ${cidr}, azs: 2 }
cluster:
  nodeGroups: { default: { instanceTypes: [t3.large] } }
  controllers: { externalSecrets: true }
data:
  databases:
    main: { engine: postgres, version: "16", databaseName: app, allowFrom: [cluster/nodes] }
${body}`);

function objects(body: string, cidr?: string): Obj[] {
  return renderWorkloads(planFromYaml(spec(body, cidr)))!.files.flatMap((f) => f.objects) as Obj[];
}

function codes(body: string): string[] {
  try {
    planFromYaml(spec(body));
    return [];
  } catch (e) {
    if (e instanceof SpecError) return e.diagnostics.map((d) => d.code);
    throw e;
  }
}

const egressCidrs = (policy: Obj) => (policy.spec.egress ?? []).flatMap((r: Obj) => (r.to ?? []).flatMap((t: Obj) => (t.ipBlock ? [`${t.ipBlock.cidr}:${(r.ports ?? []).map((p: Obj) => p.port).join(',')}`] : [])));

describe('the API server under default-deny', () => {
  it('pins the Service CIDR away from the VPC: 172.20.0.0/16 for a 10.x VPC', () => {
    const p = planFromYaml(spec(''));
    expect(p.cluster).toMatchObject({ serviceIpv4Cidr: '172.20.0.0/16', apiServiceIp: '172.20.0.1' });
  });

  it('Noncompliance avoided: a VPC inside 172.20.0.0/16 gets 10.100.0.0/16 instead of an overlapping Service CIDR', () => {
    const p = planFromYaml(spec('', '172.20.0.0/16'));
    expect(p.cluster).toMatchObject({ serviceIpv4Cidr: '10.100.0.0/16', apiServiceIp: '10.100.0.1' });
  });

  it('Compliance: an operator namespace may reach the kubernetes Service IP and the endpoint ENIs on 443, and DNS', () => {
    const kafka = objects('services:\n  kafka: {}\n').find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'kafka' && o.metadata.name !== 'default-deny')!;
    expect(egressCidrs(kafka)).toEqual(expect.arrayContaining(['172.20.0.1/32:443', '10.0.0.0/16:443']));
    const deny = objects('services:\n  kafka: {}\n').find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'kafka' && o.metadata.name === 'default-deny')!;
    expect(JSON.stringify(deny.spec.egress)).toContain('kube-dns');
  });

  it('Noncompliance: an app that talks to nothing gets no API server egress', () => {
    const app = objects('apps:\n  web: { image: nginx:1.27, port: 8080 }\n').filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'web');
    expect(app.flatMap(egressCidrs).filter((c) => c.startsWith('172.20.'))).toEqual([]);
  });
});

describe('reserved namespaces', () => {
  it.each(['kube-system', 'kube-public', 'kube-node-lease'])('Noncompliance: an app in %s is a located error', (ns) => {
    expect(codes(`apps:\n  web: { image: nginx:1.27, port: 8080, namespace: ${ns} }\n`)).toEqual(['E_APP_RESERVED_NAMESPACE']);
  });

  it('Compliance: an app in a namespace of its own', () => {
    expect(codes('apps:\n  web: { image: nginx:1.27, port: 8080, namespace: web }\n')).toEqual([]);
  });
});

describe('pod security never rejects a chart\'s own pods', () => {
  const enforce = (objs: Obj[], ns: string) => objs.find((o) => o.kind === 'Namespace' && o.metadata.name === ns)?.metadata.labels['pod-security.kubernetes.io/enforce'];

  it('Compliance: monitoring, where node-exporter needs the host, is privileged', () => {
    expect(enforce(objects('services:\n  prometheus: {}\n'), 'monitoring')).toBe('privileged');
  });

  it('Noncompliance guarded: every other namespace stays baseline', () => {
    const objs = objects('services:\n  kafka: {}\napps:\n  web: { image: nginx:1.27, port: 8080 }\n');
    expect([enforce(objs, 'kafka'), enforce(objs, 'demo')]).toEqual(['baseline', 'baseline']);
  });
});

describe('secrets: produce the documented variable names', () => {
  it('Compliance: an app\'s database secret keys are upper-cased, so envFrom with DB_MAIN_ gives DB_MAIN_USERNAME', () => {
    const objs = objects('apps:\n  api: { image: nginx:1.27, port: 8080, secrets: [db/main] }\n');
    const es = objs.find((o) => o.kind === 'ExternalSecret')!;
    expect(es.spec.dataFrom).toEqual([{ extract: { key: expect.any(String) }, rewrite: [{ transform: { template: '{{ .value | upper }}' } }] }]);
    const deployment = objs.find((o) => o.kind === 'Deployment')!;
    expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([expect.objectContaining({ prefix: 'DB_MAIN_' })]);
  });

  it('Noncompliance guarded: a templated secret (Airflow\'s connection) keeps the original keys its template reads', () => {
    const objs = objects('services:\n  airflow: { database: db/main }\n');
    const es = objs.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'airflow-metadata')!;
    expect(es.spec.dataFrom[0].rewrite).toBeUndefined();
    expect(JSON.stringify(es.spec.target.template)).toContain('.username');
  });
});

describe('Image Updater tag filters and the initial tag', () => {
  const gitopsSpec = (image: string, extra = '') => withReachableCluster(`platform: { name: demo, region: ap-northeast-2, account: "111122223333" }
network: { cidr: 10.0.0.0/16, azs: 2 }
registry: { repositories: { backend: {} } }
cluster:
  nodeGroups: { default: { instanceTypes: [t3.large] } }
  gitops: { repo: https://github.com/example/gitops.git }
  controllers: { imageUpdater: true }
apps:
  api: { image: "${image}", port: 8080${extra} }
`);
  const attempt = (text: string): { codes: string[]; warnings: string[] } => {
    try {
      const p = planFromYaml(text);
      return { codes: [], warnings: p.warnings.map((w) => w.code) };
    } catch (e) {
      if (e instanceof SpecError) return { codes: e.diagnostics.map((d) => d.code), warnings: [] };
      throw e;
    }
  };

  it('Noncompliance: a pattern without initialTag would start on :latest', () => {
    expect(attempt(gitopsSpec('registry/backend:prod-YYYYMMDD-HHMM')).codes).toEqual(['E_IMAGE_INITIAL_TAG']);
  });

  it('Noncompliance: an initialTag of another convention', () => {
    expect(attempt(gitopsSpec('registry/backend:prod-YYYYMMDD-HHMM', ', initialTag: latest')).codes).toEqual(['E_IMAGE_INITIAL_TAG']);
  });

  it('Noncompliance: a free-form * is accepted with a warning that prod-hotfix would win', () => {
    expect(attempt(gitopsSpec('registry/backend:prod-*', ', initialTag: prod-20261201-0900')).warnings).toContain('W_IMAGE_PATTERN_WILDCARD');
  });

  it('Compliance: the convention spelled out filters exactly, and the pods start on the initial tag', () => {
    const p = planFromYaml(gitopsSpec('registry/backend:prod-YYYYMMDD-HHMM', ', initialTag: prod-20261201-0900'));
    expect(p.warnings.map((w) => w.code)).not.toContain('W_IMAGE_PATTERN_WILDCARD');
    const objs = renderWorkloads(p)!.files.flatMap((f) => f.objects) as Obj[];
    expect(objs.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0].image).toMatch(/\/backend:prod-20261201-0900$/);
    const allow = objs.find((o) => o.kind === 'ImageUpdater')!.spec.applicationRefs[0].images[0].commonUpdateSettings.allowTags;
    expect(allow).toBe('regexp:^prod-\\d{8}-\\d{4}$');
    const regex = new RegExp(allow.slice('regexp:'.length));
    expect(['prod-20261205-0930', 'prod-hotfix', 'prod-rc1'].filter((t) => regex.test(t))).toEqual(['prod-20261205-0930']);
  });
});
