/** Planning containers, data volumes, permissions and kubeadm: mistakes come back as located codes. */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/diagnostics.js';
import { planFromYaml } from '../support.js';

const HEAD = `platform: { name: demo, region: ap-northeast-2 }
network: { cidr: 10.0.0.0/16, azs: 3 }
`;

/** The codes and spec paths a spec is rejected with. */
function rejection(yaml: string): string[] {
  try {
    planFromYaml(HEAD + yaml);
  } catch (e) {
    if (e instanceof SpecError) return e.diagnostics.map((d) => `${d.code} ${d.path.join('.')}`);
    throw e;
  }
  return [];
}

describe('servers with containers', () => {
  it('plans the repository pull permission from a registry image, volumes with device names, and snapshot removal', () => {
    const plan = planFromYaml(`${HEAD}registry: { repositories: { ai: {} } }
data: { buckets: { out: {} } }
servers:
  ai:
    permissions: ["buckets/out/results/:write"]
    volumes: { models: { sizeGiB: 50, path: /models }, cache: { sizeGiB: 10, path: /cache, removal: retain } }
    containers:
      api: { image: "registry/ai:1.2.3", ports: ["8001:8000"], volumes: { models: /data } }
`);
    const ai = plan.servers[0]!;
    expect(ai.permissions).toEqual([
      { kind: 'bucket', bucket: 'out', prefix: 'results/', access: 'write' },
      { kind: 'repository', repository: 'ai', access: 'pull' },
    ]);
    expect(ai.volumes.map((v) => [v.name, v.deviceName, v.removal])).toEqual([['models', '/dev/sdf', 'snapshot'], ['cache', '/dev/sdg', 'retain']]);
    expect(ai.containers[0]!.ports).toEqual([{ host: 8001, container: 8000 }]);
    expect(ai.containers[0]!.mounts).toEqual([{ hostPath: '/models', containerPath: '/data' }]);
  });

  it.each([
    ['an unpinned public image', 'containers: { a: { image: "vllm/vllm-openai:latest" } }', 'E_IMAGE_TAG servers.s.containers.a.image'],
    ['a registry tag pattern', 'containers: { a: { image: "registry/ai:prod-*" } }', 'E_UNKNOWN_REPOSITORY servers.s.containers.a.image'],
    ['GPUs on a t3', 'containers: { a: { image: "nginx:1.27", gpus: true } }', 'E_CONTAINER_GPU servers.s.containers.a.gpus'],
    ['a volume the server lacks', 'containers: { a: { image: "nginx:1.27", volumes: { data: /d } } }', 'E_UNKNOWN_VOLUME servers.s.containers.a.volumes.data'],
    ['a host port twice', 'containers: { a: { image: "nginx:1.27", ports: [80] }, b: { image: "nginx:1.27", ports: ["80:8080"] } }', 'E_CONTAINER_PORT servers.s.containers.b.ports'],
    ['a bucket that does not exist', 'permissions: ["buckets/nope:read"]', 'E_UNKNOWN_REF servers.s.permissions.0'],
    ['a prefix without a trailing slash', 'permissions: ["buckets/out/x:read"]', 'E_PERMISSION_PREFIX servers.s.permissions.0'],
    ['a user-data script and containers', 'userData: x.sh\n    containers: { a: { image: "nginx:1.27" } }', 'E_USER_DATA_AND_CONTAINERS servers.s.userData'],
  ])('rejects %s', (_what, fields, expected) => {
    const codes = rejection(`registry: { repositories: { ai: {} } }\ndata: { buckets: { out: {} } }\nservers:\n  s:\n    ${fields}\n`);
    expect(codes).toContain(expected);
  });
});

describe('kubeadm', () => {
  const cluster = (preserve: string) => `servers:
  cp: { count: 3, ports: [6443] }
  w: { count: 3 }
loadBalancers:
  k8s:
    type: network
    scheme: internal
    listeners: [{ port: 6443, targetGroup: api }]
    targetGroups: { api: { servers: [cp], port: 6443${preserve} } }
kubeadm: { controlPlane: cp, workers: [w], endpoint: lb/k8s }
`;

  it('refuses an API endpoint whose targets would hairpin, and names the fix', () => {
    expect(rejection(cluster(''))).toEqual(['E_KUBEADM_HAIRPIN loadBalancers.k8s.targetGroups.api.preserveClientIp']);
  });

  it('plans calico and symmetric node flows when client IP preservation is off', () => {
    const plan = planFromYaml(HEAD + cluster(', preserveClientIp: false'));
    expect(plan.kubeadm).toMatchObject({ controlPlane: 'cp', workers: ['w'], cni: 'calico', podCidr: '192.168.0.0/16', endpointLb: 'k8s' });
    const vxlan = plan.flows.filter((f) => f.ports.protocol === 'udp' && f.ports.from === 4789).map((f) => `${f.from}>${f.to}`).sort();
    expect(vxlan).toEqual(['servers/cp>servers/cp', 'servers/cp>servers/w', 'servers/w>servers/cp', 'servers/w>servers/w']);
    expect(plan.flows.some((f) => f.from === 'servers/w' && f.to === 'servers/cp' && f.ports.from === 2379)).toBe(false);
  });

  it('refuses an endpoint that is not an NLB forwarding 6443 to the control plane, and Ubuntu nodes', () => {
    expect(rejection(cluster(', preserveClientIp: false').replace('endpoint: lb/k8s', 'endpoint: lb/nope'))).toEqual(['E_KUBEADM_ENDPOINT kubeadm.endpoint']);
    expect(rejection(cluster(', preserveClientIp: false').replace('w: { count: 3 }', 'w: { count: 3, ami: ubuntu-24.04 }'))).toEqual(['E_KUBEADM_AMI servers.w.ami']);
  });
});
