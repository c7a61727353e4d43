/**
 * The seeds' workload facts, read from the rendered manifests of each example (what Argo CD or the
 * CDK stack applies), and the schema check of every manifest.
 */
import { describe, expect, it } from 'vitest';
import { renderWorkloads, type Manifest } from '../../src/k8s/render.js';
import { validateManifests } from '../../src/k8s/validate.js';
import { contains, parseCidr } from '../../src/plan/cidr.js';
import { listExamples } from '../../src/cli/examples.js';
import { examplePlan } from '../support.js';

type Obj = Record<string, any>;

function objectsOf(example: string): Obj[] {
  return renderWorkloads(examplePlan(example))!.files.flatMap((f) => f.objects) as Obj[];
}

function find(objects: readonly Obj[], kind: string, name: string, namespace?: string): Obj {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace));
  if (!found) throw new Error(`no ${kind} ${namespace ?? '*'}/${name}`);
  return found;
}

const A = 'alb.ingress.kubernetes.io';

describe('every example with workloads', () => {
  const withWorkloads = listExamples().filter((e) => examplePlan(e).workloads);

  it('has three: seeds 000, 001 and 004', () => {
    expect(withWorkloads).toEqual(expect.arrayContaining(['nemo-v3', 'three-tier-eks', 'video-platform']));
  });

  it.each(withWorkloads)('%s: 0 schema errors and 0 unknown fields', (example) => {
    // GIVEN the rendered objects WHEN validated THEN nothing is wrong
    const report = validateManifests(objectsOf(example) as Manifest[]);
    expect(report.problems).toEqual([]);
    expect(report.checked).toBeGreaterThan(10);
  });

  it.each(withWorkloads)('%s: no plaintext secret anywhere', (example) => {
    const objects = objectsOf(example);
    for (const o of objects.filter((x) => x.kind === 'Secret')) {
      // Only Argo CD repository registrations, which hold a public URL and no credentials.
      expect(o.metadata.labels['argocd.argoproj.io/secret-type']).toBe('repository');
      expect(Object.keys(o.stringData).sort()).toEqual(['enableOCI', 'name', 'type', 'url']);
    }
    const text = JSON.stringify(objects);
    expect(text).not.toMatch(/password"\s*:\s*"[^{]/i);
    for (const o of objects.filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')) {
      for (const c of o.spec.template.spec.containers) {
        for (const e of c.env ?? []) expect(e.name).not.toMatch(/PASSWORD|SECRET|TOKEN/);
      }
    }
  });

  it.each(withWorkloads)('%s: every namespace denies by default, and every pod runs hardened', (example) => {
    const objects = objectsOf(example);
    const namespaces = new Set(objects.map((o) => o.metadata?.namespace).filter((n) => n && n !== 'argocd'));
    for (const ns of namespaces) {
      const deny = find(objects, 'NetworkPolicy', 'default-deny', ns);
      expect(deny.spec.podSelector).toEqual({});
      expect(deny.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(deny.spec.ingress).toBeUndefined();
      expect(deny.spec.egress).toEqual([{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }]);
    }
    for (const o of objects.filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')) {
      const pod = o.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(c.resources.requests.cpu).toBeDefined();
      }
      expect(pod.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    }
  });

  it.each(withWorkloads)('%s: renders identical objects twice', (example) => {
    expect(JSON.stringify(objectsOf(example))).toBe(JSON.stringify(objectsOf(example)));
  });
});

describe('seed 004: three-tier-eks', () => {
  const objects = objectsOf('three-tier-eks');

  it('runs NGINX ×2 behind a ClusterIP service', () => {
    expect(find(objects, 'Deployment', 'frontend').spec.replicas).toBe(2);
    expect(find(objects, 'Service', 'frontend').spec.type).toBe('ClusterIP');
    expect(find(objects, 'PodDisruptionBudget', 'frontend').spec.maxUnavailable).toBe(1);
  });

  it('runs Tomcat ×3 to start with ClientIP affinity, and an HPA min 2, max 10 at 70% CPU', () => {
    const service = find(objects, 'Service', 'backend');
    expect(service.spec.sessionAffinity).toBe('ClientIP');
    expect(service.spec.type).toBe('ClusterIP');
    expect(find(objects, 'Deployment', 'backend').spec.replicas).toBe(3);
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'backend');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10, scaleTargetRef: { kind: 'Deployment', name: 'backend' } });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
  });

  it('routes www.goupang.shop "/" to the frontend and "/api" to the backend rewritten to /simpleapp, on one public ALB', () => {
    const front = find(objects, 'Ingress', 'frontend');
    const back = find(objects, 'Ingress', 'backend');
    for (const i of [front, back]) {
      expect(i.metadata.annotations).toMatchObject({
        [`${A}/group.name`]: 'goupang-prod-public', [`${A}/scheme`]: 'internet-facing', [`${A}/target-type`]: 'ip',
        [`${A}/ssl-redirect`]: '443', [`${A}/listen-ports`]: '[{"HTTP":80},{"HTTPS":443}]',
        'external-dns.alpha.kubernetes.io/hostname': 'www.goupang.shop',
      });
      expect(i.spec.tls).toEqual([{ hosts: ['www.goupang.shop'] }]);
    }
    expect(front.spec.rules).toEqual([{ host: 'www.goupang.shop', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'frontend', port: { number: 8080 } } } }] } }]);
    expect(back.spec.rules[0].http.paths[0]).toMatchObject({ path: '/api', backend: { service: { name: 'backend' } } });
    // The more specific path is evaluated first on the shared ALB.
    expect(Number(back.metadata.annotations[`${A}/group.order`])).toBeLessThan(Number(front.metadata.annotations[`${A}/group.order`]));
    const transform = JSON.parse(back.metadata.annotations[`${A}/transforms.backend`]);
    expect(transform).toEqual([{ type: 'url-rewrite', urlRewriteConfig: { rewrites: [{ regex: '^/api(/.*)?$', replace: '/simpleapp$1' }] } }]);
    expect('/api/test'.replace(new RegExp(transform[0].urlRewriteConfig.rewrites[0].regex), '/simpleapp$1')).toBe('/simpleapp/test');
  });

  it('hands the RDS credentials to Tomcat through External Secrets only', () => {
    const es = find(objects, 'ExternalSecret', 'backend-db-main');
    expect(es.spec).toMatchObject({ secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' }, dataFrom: [{ extract: { key: 'goupang-prod/db/main' } }] });
    const container = find(objects, 'Deployment', 'backend').spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([{ prefix: 'DB_MAIN_', secretRef: { name: 'backend-db-main' } }]);
  });

  it('lets Tomcat reach the database and nothing else, and admits only the ALB subnets', () => {
    const policy = find(objects, 'NetworkPolicy', 'backend');
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.0.11.0/24' } }, { ipBlock: { cidr: '10.0.12.0/24' } }], ports: [{ port: 3306, protocol: 'TCP' }] }]);
    expect(policy.spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: '10.0.1.0/24' } }, { ipBlock: { cidr: '10.0.2.0/24' } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });
});

describe('seed 001: nemo-v3', () => {
  const plan = examplePlan('nemo-v3');
  const rendered = renderWorkloads(plan)!;
  const objects = rendered.files.flatMap((f) => f.objects) as Obj[];

  it('runs frontend ×3 and backend ×3 from ECR, starting on the initial tag, then following prod-YYYYMMDD-HHMM exactly through Image Updater', () => {
    for (const name of ['frontend', 'backend']) {
      const d = find(objects, 'Deployment', name);
      expect(d.spec.replicas).toBe(3);
      expect(d.spec.template.spec.containers[0].image).toBe(`111122223333.dkr.ecr.ap-northeast-2.amazonaws.com/${name}:prod-20261201-0900`);
    }
    const updater = find(objects, 'ImageUpdater', 'workloads-nemo');
    expect(updater.spec.applicationRefs[0].namePattern).toBe('workloads-nemo');
    expect(updater.spec.applicationRefs[0].images.map((i: Obj) => i.commonUpdateSettings.allowTags)).toEqual(['regexp:^prod-\\d{8}-\\d{4}$', 'regexp:^prod-\\d{8}-\\d{4}$']);
  });

  it('runs Kafka with 3 KRaft brokers and a 9094 NodePort listener', () => {
    const pool = find(objects, 'KafkaNodePool', 'kafka');
    expect(pool.spec).toMatchObject({ replicas: 3, roles: ['controller', 'broker'] });
    const kafka = find(objects, 'Kafka', 'kafka');
    expect(kafka.apiVersion).toBe('kafka.strimzi.io/v1');
    expect(kafka.spec.zookeeper).toBeUndefined();
    const external = kafka.spec.kafka.listeners.find((l: Obj) => l.name === 'external');
    expect(external).toMatchObject({ port: 9094, type: 'nodeport', configuration: { bootstrap: { nodePort: 31094 } } });
    // The AI servers reach the listener and its node ports through the nodes' security group.
    const into = (port: number) => plan.flows.filter((f) => f.to === 'cluster/nodes' && f.ports.from <= port && port <= f.ports.to).map((f) => f.from);
    for (const port of [9094, 31094, 31097]) expect(into(port)).toEqual(expect.arrayContaining(['servers/ai-vllm', 'servers/ai-fastapi']));
  });

  it('installs Redis with Sentinel from a pinned chart through Argo CD', () => {
    const redis = find(objects, 'Application', 'redis');
    expect(redis.spec.source).toMatchObject({ chart: 'redis-ha', targetRevision: '4.35.10' });
    expect(redis.spec.source.helm.valuesObject).toMatchObject({ replicas: 3 });
    const nemo = find(objects, 'Application', 'workloads-nemo');
    expect(nemo.spec.source).toEqual({ repoURL: 'https://github.com/nemo-project/nemo-gitops.git', targetRevision: 'main', path: 'apps/nemo' });
    expect(rendered.kustomizations.map((k) => k.path)).toContain('nemo/kustomization.yaml');
  });

  it('lets the backend reach exactly its declared targets, and the AWS side sees them from cluster/nodes', () => {
    const egress = find(objects, 'NetworkPolicy', 'backend').spec.egress as Obj[];
    expect(egress).toHaveLength(5);
    expect(egress[1]).toEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kafka' } }, podSelector: { matchLabels: { 'strimzi.io/cluster': 'kafka', 'strimzi.io/kind': 'Kafka' } } }], ports: [{ port: 9092, protocol: 'TCP' }] });
    expect(egress[3]).toEqual({ to: [{ ipBlock: { cidr: '10.0.2.0/24' } }], ports: [{ port: 8002, protocol: 'TCP' }] });
    const kafkaIn = find(objects, 'NetworkPolicy', 'kafka', 'kafka').spec.ingress as Obj[];
    expect(kafkaIn).toContainEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'nemo' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'backend' } } }], ports: [{ port: 9092, protocol: 'TCP' }] });
    expect(plan.flows.some((f) => f.from === 'cluster/nodes' && f.to === 'servers/ai-vllm' && f.ports.from === 8002)).toBe(true);
  });
});

describe('seed 000: video-platform', () => {
  const plan = examplePlan('video-platform');
  const objects = objectsOf('video-platform');
  const ingresses = objects.filter((o) => o.kind === 'Ingress');

  it('puts only the frontend on the internet-facing ALB', () => {
    const publicOnes = ingresses.filter((i) => i.metadata.annotations[`${A}/scheme`] === 'internet-facing');
    expect(publicOnes.map((i) => i.metadata.name)).toEqual(['frontend']);
  });

  it('serves Kibana, Grafana, Adminer, Kafka UI, Redmine and Portainer on one internal ALB open to Client VPN users only', () => {
    const internal = ingresses.filter((i) => i.metadata.annotations[`${A}/scheme`] === 'internal');
    expect(internal.map((i) => i.metadata.name).sort()).toEqual(['adminer', 'grafana', 'kafka-ui', 'kibana', 'portainer', 'redmine']);
    for (const i of internal) {
      expect(i.metadata.annotations[`${A}/group.name`]).toBe('vidgen-prod-internal');
      // plinth's own group, found by its Name tag; it admits the Client VPN endpoint's security group.
      expect(i.metadata.annotations[`${A}/security-groups`]).toBe('vidgen-prod-ingress-internal');
    }
    const admitted = plan.flows.filter((f) => f.to === 'lb/internal').map((f) => `${f.from} ${f.ports.from}`);
    expect(admitted).toEqual(['vpn 443', 'vpn 80']);
  });

  it('lets plinth, not the controller, own the ALBs\' security groups and the rules to the pods', () => {
    for (const i of ingresses) {
      const a = i.metadata.annotations;
      // Client VPN source-NATs clients to its interfaces in the VPC, so a rule for the client pool never matched.
      expect(a[`${A}/inbound-cidrs`]).toBeUndefined();
      expect(a[`${A}/manage-backend-security-group-rules`]).toBe('false');
      expect(a[`${A}/security-groups`]).toBe(a[`${A}/scheme`] === 'internet-facing' ? 'vidgen-prod-ingress-public' : 'vidgen-prod-ingress-internal');
    }
    const toPods = (ref: string) => plan.flows.filter((f) => f.from === ref && f.to === 'cluster/nodes').map((f) => f.ports.from).sort((x, y) => x - y);
    expect(toPods('lb/public')).toEqual([8080]);
    expect(toPods('lb/internal')).toEqual([3000, 5601, 8080, 9000]);
  });

  it('lets only the bridge leave for the AI network, over the site-to-site VPN', () => {
    // An egress peer reaches the site when its block covers it and no exception takes it out (S3 and internet leave it out).
    const site = parseCidr('192.168.100.0/24')!;
    const covers = (block: { cidr: string; except?: string[] }) => contains(parseCidr(block.cidr)!, site) && !(block.except ?? []).some((e) => contains(parseCidr(e)!, site));
    const reachesSite = objects.filter((o) => o.kind === 'NetworkPolicy' && (o.spec.egress ?? []).some((r: Obj) => (r.to ?? []).some((peer: Obj) => peer.ipBlock && covers(peer.ipBlock))));
    expect(reachesSite.map((p) => p.metadata.name)).toEqual(['bridge']);
    expect(plan.flows.filter((f) => f.to === 'sites/ai').map((f) => f.origin.join('.'))).toEqual(['apps.bridge.talksTo.0']);
  });

  it('gives S3 access to the bridge and the backend only, through Pod Identity', () => {
    const withAccess = plan.workloads!.apps.filter((a) => a.awsAccess.length > 0);
    expect(withAccess.map((a) => a.name).sort()).toEqual(['backend', 'bridge']);
    for (const a of withAccess) expect(a.awsAccess).toEqual([expect.objectContaining({ ref: 's3:videos', resource: 'videos' })]);
  });

  it('mounts the shared EFS and gives Portainer its own EBS volume', () => {
    expect(find(objects, 'PersistentVolumeClaim', 'redmine-files').spec).toMatchObject({ accessModes: ['ReadWriteMany'], storageClassName: 'efs-shared' });
    expect(plan.flows.some((f) => f.from === 'cluster/nodes' && f.to === 'efs/shared' && f.ports.from === 2049)).toBe(true);
    const portainer = find(objects, 'StatefulSet', 'portainer');
    expect(portainer.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'gp3', resources: { requests: { storage: '5Gi' } } });
  });

  it('runs Kafka, Elasticsearch, Redis, Airflow (on RDS) and Prometheus from pinned charts and operators', () => {
    const charts = plan.workloads!.charts.map((c) => `${c.chart}@${c.version}`).sort();
    expect(charts).toEqual(['airflow@1.22.0', 'eck-operator@3.5.0', 'kube-prometheus-stack@89.1.0', 'redis-ha@4.35.10', 'strimzi-kafka-operator@1.2.0']);
    expect(plan.workloads!.charts.find((c) => c.chart === 'airflow')!.values).toMatchObject({ postgresql: { enabled: false }, data: { metadataSecretName: 'airflow-metadata' } });
    expect(find(objects, 'Elasticsearch', 'elasticsearch').spec.nodeSets[0].count).toBe(3);
    expect(find(objects, 'ExternalSecret', 'airflow-metadata').spec.target.template.data.connection).toMatch(/^postgresql:\/\/\{\{ \.username/);
  });
});
