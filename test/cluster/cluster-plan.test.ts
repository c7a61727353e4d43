/**
 * The cluster and schedules plan on plain values: defaults, AMI types derived from instance types,
 * add-on order and the version table, access entries, the flows the cluster implies, cron expressions.
 */
import { describe, expect, it } from 'vitest';
import { classifyInstanceType, defaultAmiType, SUPPORTED_VERSIONS } from '../../src/plan/cluster.js';
import { ADDONS, ADDON_VERSIONS } from '../../src/plan/cluster-addons.js';
import { dailyAt, parseCron } from '../../src/plan/cron.js';
import { formatPorts } from '../../src/plan/refs.js';
import { planFromYaml as planAnyYaml } from '../support.js';
import { withReachableCluster } from '../reachable-cluster.js';

const BASE = `
platform: { name: demo, region: ap-northeast-2 }
network: { cidr: 10.0.0.0/16, azs: 2 }
`;

/** A cluster someone can reach (apiFrom: [vpc] and an admin, unless the spec says otherwise). */
const planFromYaml = (yaml: string) => planAnyYaml(withReachableCluster(yaml));

describe('cluster defaults', () => {
  it('GIVEN cluster: {} THEN the newest version in standard support (1.36 on 2026-12-05), standard support, private endpoint, all logs for 30 days, one default node group', () => {
    const { cluster, network } = planFromYaml(`${BASE}cluster: {}\n`);
    expect(cluster).toMatchObject({
      name: 'demo-prod',
      version: '1.36',
      supportType: 'STANDARD',
      publicAccessCidrs: [],
      secretsEncryption: true,
      logTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
      logRetentionDays: 30,
      tier: 'private',
      autoscaling: 'none',
      argocd: { mode: 'none' },
      gitops: undefined,
      controllers: { loadBalancer: true, externalSecrets: false, externalDns: false, imageUpdater: false, nvidiaDevicePlugin: false },
    });
    expect(cluster!.nodeGroups).toEqual([expect.objectContaining({
      name: 'default', instanceTypes: ['t3.large'], minSize: 2, maxSize: 4, desiredSize: 2, diskGiB: 20, amiType: 'AL2023_x86_64_STANDARD', capacity: 'ON_DEMAND',
    })]);
    expect(network.clusterNames).toEqual(['demo-prod']);
  });

  it('GIVEN gitops THEN Argo CD is installed by Helm, from the repository\'s root at HEAD unless told otherwise', () => {
    const { cluster } = planFromYaml(`${BASE}cluster: { gitops: { repo: "https://github.com/org/platform.git" } }\n`);
    expect(cluster!.argocd).toEqual({ mode: 'helm' });
    expect(cluster!.gitops).toEqual({ repo: 'https://github.com/org/platform.git', path: '.', revision: 'HEAD' });
  });

  it('GIVEN size { min: 0, max: 3 } THEN the group starts with one node, so the add-ons have somewhere to run', () => {
    const { cluster } = planFromYaml(`${BASE}cluster: { nodeGroups: { a: { instanceTypes: [t3.large], size: { min: 0, max: 3 } } } }\n`);
    expect(cluster!.nodeGroups[0]).toMatchObject({ minSize: 0, maxSize: 3, desiredSize: 1 });
  });
});

describe('AMI types from instance types', () => {
  it.each([
    ['t3.large', 'AL2023_x86_64_STANDARD'],
    ['m7g.large', 'AL2023_ARM_64_STANDARD'],
    ['g5.xlarge', 'AL2023_x86_64_NVIDIA'],
    ['g6e.2xlarge', 'AL2023_x86_64_NVIDIA'],
    ['p5.48xlarge', 'AL2023_x86_64_NVIDIA'],
    ['g5g.xlarge', 'AL2023_ARM_64_NVIDIA'],
    ['inf2.xlarge', 'AL2023_x86_64_NEURON'],
    ['trn1.2xlarge', 'AL2023_x86_64_NEURON'],
    // AMD Radeon GPUs: the NVIDIA AMI would not drive them.
    ['g4ad.xlarge', 'AL2023_x86_64_STANDARD'],
  ])('%s → %s', (instanceType, amiType) => {
    expect(defaultAmiType(classifyInstanceType(instanceType))).toBe(amiType);
  });

  it('GIVEN a GPU node group THEN it is marked gpu and the NVIDIA device plugin is planned', () => {
    const { cluster } = planFromYaml(`${BASE}cluster: { nodeGroups: { cpu: { instanceTypes: [t3.large] }, gpu: { instanceTypes: [g5.xlarge], size: 1 } } }\n`);
    expect(cluster!.nodeGroups.map((g) => [g.name, g.gpu])).toEqual([['cpu', false], ['gpu', true]]);
    expect(cluster!.controllers.nvidiaDevicePlugin).toBe(true);
  });
});

describe('add-ons', () => {
  it('has a pinned version of every add-on for every supported Kubernetes version', () => {
    for (const addon of ADDONS) {
      for (const version of SUPPORTED_VERSIONS) expect(ADDON_VERSIONS[addon.name][version], `${addon.name} ${version}`).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    }
  });

  it('orders the networking add-ons before the nodes and adds EFS CSI only with file systems', () => {
    const without = planFromYaml(`${BASE}cluster: {}\n`).cluster!.addons;
    expect(without.map((a) => `${a.phase}:${a.name}`)).toEqual([
      'beforeNodes:vpc-cni', 'beforeNodes:kube-proxy', 'beforeNodes:eks-pod-identity-agent',
      'afterNodes:coredns', 'afterNodes:aws-ebs-csi-driver', 'afterNodes:metrics-server',
    ]);
    const withEfs = planFromYaml(`${BASE}data: { fileSystems: { shared: {} } }\ncluster: {}\n`).cluster!.addons;
    expect(withEfs.find((a) => a.name === 'aws-efs-csi-driver')).toMatchObject({
      phase: 'afterNodes', podIdentity: { serviceAccount: 'efs-csi-controller-sa', managedPolicy: 'service-role/AmazonEFSCSIDriverPolicy' },
    });
  });

  it('follows the Kubernetes version for kube-proxy and coredns', () => {
    const versions = (v: string) => Object.fromEntries(planFromYaml(`${BASE}cluster: { version: "${v}", supportType: extended }\n`).cluster!.addons.map((a) => [a.name, a.version]));
    expect(versions('1.32')).toMatchObject({ 'kube-proxy': 'v1.32.13-eksbuild.16', coredns: 'v1.11.4-eksbuild.40' });
    expect(versions('1.34')).toMatchObject({ 'kube-proxy': 'v1.34.6-eksbuild.13', coredns: 'v1.13.2-eksbuild.11' });
    expect(versions('1.35')).toMatchObject({ 'kube-proxy': 'v1.35.3-eksbuild.13', coredns: 'v1.14.3-eksbuild.3' });
    expect(versions('1.36')).toMatchObject({ 'kube-proxy': 'v1.36.0-eksbuild.14', coredns: 'v1.14.3-eksbuild.3' });
  });
});

describe('access entries', () => {
  it('GIVEN one principal as admin and team member THEN one entry with both the admin policy and the team group', () => {
    const { cluster } = planFromYaml(`${BASE}cluster:
  admins: ["arn:aws:iam::111122223333:role/Ops"]
  teams:
    web: { members: ["arn:aws:iam::111122223333:role/Ops", "arn:aws:iam::111122223333:user/dev/jimin"] }
    api: { members: ["arn:aws:iam::111122223333:user/dev/jimin"], access: view }
`);
    expect(cluster!.access).toEqual([
      { principal: { kind: 'arn', arn: 'arn:aws:iam::111122223333:role/Ops' }, clusterAdmin: true, kubernetesGroups: ['plinth:team:web'], id: 'role-ops' },
      { principal: { kind: 'arn', arn: 'arn:aws:iam::111122223333:user/dev/jimin' }, clusterAdmin: false, kubernetesGroups: ['plinth:team:web', 'plinth:team:api'], id: 'user-dev-jimin' },
    ]);
    expect(cluster!.teams.map((t) => [t.name, t.namespaces, t.access])).toEqual([['web', ['web'], 'develop'], ['api', ['api'], 'view']]);
  });
});

describe('the cluster in the reference language', () => {
  it('GIVEN a cluster THEN the nodes reach the API, the control plane reaches the kubelet and webhooks, nodes reach each other, and apiFrom reaches the API', () => {
    const { flows, endpoints } = planFromYaml(`${BASE}cluster: {}\n`);
    expect(endpoints['cluster/nodes']).toMatchObject({ kind: 'clusterNodes', hasSecurityGroup: true });
    expect(endpoints['cluster/controlPlane']).toMatchObject({ kind: 'clusterControlPlane', hasSecurityGroup: true });
    expect(flows.map((f) => `${f.from} -> ${f.to} ${formatPorts(f.ports)}`)).toEqual([
      'cluster/nodes -> cluster/controlPlane 443',
      'cluster/controlPlane -> cluster/nodes 443',
      'cluster/controlPlane -> cluster/nodes 4443',
      'cluster/controlPlane -> cluster/nodes 8443',
      'cluster/controlPlane -> cluster/nodes 9443',
      'cluster/controlPlane -> cluster/nodes 10250',
      'cluster/controlPlane -> cluster/nodes 10251',
      'cluster/nodes -> cluster/nodes all',
      'vpc -> cluster/controlPlane 443',
    ]);
  });

  it('GIVEN no cluster THEN cluster/nodes is an unknown reference', () => {
    expect(() => planFromYaml(`${BASE}servers: { web: { ports: [80], allowFrom: [cluster/nodes] } }\n`)).toThrow(/E_UNKNOWN_REF/);
  });
});

describe('cron expressions', () => {
  it.each([
    ['0 20 ? * MON-FRI *', 'cron(0 20 ? * MON-FRI *)'],
    ['cron(0 8 ? * MON-FRI *)', 'cron(0 8 ? * MON-FRI *)'],
    ['*/15 9-17 ? * 2-6 *', 'cron(*/15 9-17 ? * 2-6 *)'],
    ['0 0 L * ? *', 'cron(0 0 L * ? *)'],
    ['0 3 ? * 6#3 2027', 'cron(0 3 ? * 6#3 2027)'],
  ])('accepts %s', (text, expression) => {
    const parsed = parseCron(text);
    expect(parsed.ok && parsed.cron.expression).toBe(expression);
  });

  it.each([
    ['0 20 * * MON-FRI', /5 fields/],
    ['0 24 ? * * *', /hours field "24" is outside 0-23/],
    ['60 1 ? * * *', /minutes field "60"/],
    ['0 20 * * MON-FRI *', /both day-of-month and day-of-week/],
    ['0 20 ? * ? *', /both day fields open/],
    ['0 20 ? JANUARY * *', /month field "JANUARY"/],
    ['0 20 ? * MON-FRY *', /"FRY"/],
    ['0 20 ? * * 1900', /year field "1900" is outside 1970-2199/],
  ])('rejects %s', (text, problem) => {
    const parsed = parseCron(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });

  it('re-stops at the stop time every day', () => {
    const parsed = parseCron('30 19 ? * MON-FRI *');
    expect(parsed.ok && dailyAt(parsed.cron).expression).toBe('cron(30 19 ? * * *)');
  });
});

describe('schedules', () => {
  it('GIVEN no time zone THEN UTC; GIVEN a database THEN a daily re-stop at the stop time', () => {
    const { schedules } = planFromYaml(`${BASE}data: { databases: { main: { engine: postgres, version: "16" } } }
schedules:
  nightly: { stop: "0 19 ? * MON-FRI *", start: "0 7 ? * MON-FRI *", targets: [db/main] }
`);
    expect(schedules).toEqual([expect.objectContaining({
      name: 'nightly',
      timezone: 'UTC',
      targets: [{ kind: 'db', ref: 'db/main', name: 'main' }],
      restop: expect.objectContaining({ expression: 'cron(0 19 ? * * *)' }),
    })]);
  });
});

describe('Karpenter capacity type', () => {
  it('Compliance: the spec\'s capacity types reach the plan (spot, with on-demand fallback)', () => {
    const { cluster } = planFromYaml(`${BASE}cluster: { autoscaling: karpenter, karpenterCapacity: [spot, on-demand] }\n`);
    expect(cluster!.karpenterCapacity).toEqual(['spot', 'on-demand']);
    expect(planFromYaml(`${BASE}cluster: { autoscaling: karpenter }\n`).cluster!.karpenterCapacity).toEqual(['on-demand']);
  });

  it('Noncompliance: karpenterCapacity without Karpenter is a located error', () => {
    expect(() => planFromYaml(`${BASE}cluster: { karpenterCapacity: [spot] }\n`)).toThrow(/E_KARPENTER_CAPACITY/);
  });
});
