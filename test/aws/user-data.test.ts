/** The rendered user-data scripts: what they do, in which order, and that shellcheck finds nothing. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerFiles, renderContainerHost, type ContainerHostScript } from '../../src/aws/user-data/containers.js';
import { kubeadmFiles, renderKubeadmNode, type KubeadmNodeScript } from '../../src/aws/user-data/kubeadm.js';

const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'plinth-user-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs shellcheck on a script; returns its findings (empty when clean). */
function shellcheck(name: string, script: string): string {
  const file = join(dir, name);
  writeFileSync(file, script);
  try {
    execFileSync('shellcheck', ['--shell=bash', file], { encoding: 'utf8' });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

const lintIt = hasShellcheck ? it : it.skip;
if (!hasShellcheck) console.warn('shellcheck is not installed (apt-get install -y shellcheck): the user-data lint tests are skipped.');

const vllmHost: ContainerHostScript = {
  hostRef: 'servers/ai-vllm',
  region: 'ap-northeast-2',
  registry: '111122223333.dkr.ecr.ap-northeast-2.amazonaws.com',
  volumes: [{ volumeId: 'vol-0123456789abcdef0', path: '/models', deviceName: '/dev/sdf' }],
  containers: [
    {
      name: 'vllm', image: { kind: 'public', reference: 'vllm/vllm-openai:v0.11.0' }, ports: [{ host: 8002, container: 8002 }],
      command: [], args: ['--model', "it's-a-model", '--port', '8002'], env: [['HF_HOME', '/models']], secrets: [],
      mounts: [{ hostPath: '/models', containerPath: '/models' }], gpus: true, restart: 'always',
    },
    {
      name: 'api', image: { kind: 'registry', repository: 'ai', tag: 'prod-1' }, ports: [{ host: 8001, container: 8000 }],
      command: [], args: [], env: [], secrets: [{ ref: 'db/main', secretName: 'nemo-prod/db/main', envPrefix: 'DB_MAIN_' }],
      mounts: [], gpus: false, restart: 'on-failure',
    },
  ],
};

describe('containers on a server', () => {
  const script = renderContainerHost(vllmHost);
  const files = containerFiles(vllmHost);
  const file = (path: string) => files.find((f) => f.path === path)!.contents;

  it('mounts the data volume before Docker starts the containers, and enables one unit per container', () => {
    // GIVEN a GPU host with a models volume and two containers  WHEN its user data is rendered
    // THEN the volume is mounted by its id, then Docker is configured, then the units are enabled
    const mount = script.indexOf("mount_volume 'vol-0123456789abcdef0' '/models' '/dev/xvdf'");
    const docker = script.indexOf('systemctl restart docker');
    const units = script.indexOf("systemctl enable --now --no-block 'plinth-vllm.service'");
    expect(mount).toBeGreaterThan(0);
    expect(docker).toBeGreaterThan(mount);
    expect(units).toBeGreaterThan(docker);
    expect(script).toContain("systemctl enable --now --no-block 'plinth-api.service'");
    expect(script).toContain('nvidia-ctk runtime configure --runtime=docker');
  });

  it('runs the GPU container with its port, volume and arguments, restarted by systemd and after the mount', () => {
    const run = file('/usr/local/lib/plinth/run-vllm.sh').replaceAll(' \\\n  ', ' ');
    expect(run).toContain('--publish 8002:8002');
    expect(run).toContain("--volume '/models:/models'");
    expect(run).toContain('--gpus all');
    expect(run).toContain("'vllm/vllm-openai:v0.11.0' '--model' 'it'\\''s-a-model' '--port' '8002'");
    expect(run).not.toContain('ecr-login');
    const unit = file('/etc/systemd/system/plinth-vllm.service');
    expect(unit).toContain('Restart=always');
    expect(unit).toContain('RequiresMountsFor=/models');
    expect(unit).toContain('WantedBy=multi-user.target');
  });

  it('logs in to ECR with the instance role and reads the secrets at every start, never writing them into the script', () => {
    const run = file('/usr/local/lib/plinth/run-api.sh');
    const login = run.indexOf('/usr/local/lib/plinth/ecr-login.sh');
    const secret = run.indexOf("secret-env.sh 'nemo-prod/db/main' 'DB_MAIN_' '/run/plinth/api.env'");
    const start = run.indexOf('exec docker run');
    expect(login).toBeGreaterThan(0);
    expect(secret).toBeGreaterThan(login);
    expect(start).toBeGreaterThan(secret);
    expect(run).toContain("'111122223333.dkr.ecr.ap-northeast-2.amazonaws.com/ai:prod-1'");
    expect(run).toContain('--publish 8001:8000');
    expect(file('/usr/local/lib/plinth/ecr-login.sh')).toContain("docker login --username AWS --password-stdin '111122223333.dkr.ecr.ap-northeast-2.amazonaws.com'");
    expect(file('/etc/systemd/system/plinth-api.service')).toContain('Restart=on-failure');
  });

  it('only mounts the volumes of a server without containers: no Docker, no units', () => {
    const volumesOnly = renderContainerHost({ ...vllmHost, containers: [] });
    expect(volumesOnly).toContain("mount_volume 'vol-0123456789abcdef0' '/models' '/dev/xvdf'");
    expect(volumesOnly).not.toContain('docker');
    expect(volumesOnly).not.toContain('systemctl');
  });

  lintIt('passes shellcheck, with every launcher it writes', () => {
    expect(shellcheck('containers.sh', script)).toBe('');
    for (const [i, f] of files.filter((x) => x.path.endsWith('.sh')).entries()) expect(shellcheck(`launcher-${i}.sh`, f.contents), f.path).toBe('');
  });
});

describe('kubeadm nodes', () => {
  const base: Omit<KubeadmNodeScript, 'role' | 'index'> = {
    plan: { version: '1.33', podCidr: '192.168.0.0/16', ingressNginx: { httpNodePort: 30080, httpsNodePort: 30443 } },
    region: 'ap-northeast-2',
    endpointHost: 'k8s-internal-0123.elb.ap-northeast-2.amazonaws.com',
    joinSecretArn: 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:join-AbCdEf',
  };
  const first = renderKubeadmNode({ ...base, role: 'control-plane', index: 1 });
  const second = renderKubeadmNode({ ...base, role: 'control-plane', index: 2 });
  const third = renderKubeadmNode({ ...base, role: 'control-plane', index: 3 });
  const worker = renderKubeadmNode({ ...base, role: 'worker', index: 2 });

  it('lets only the first control-plane node initialise, against the NLB endpoint, then publish, then install the CNI and ingress', () => {
    const init = first.indexOf('kubeadm init --control-plane-endpoint "$ENDPOINT" --upload-certs');
    const publish = first.indexOf('/usr/local/lib/plinth/kubeadm-publish.sh\nsystemctl enable --now plinth-kubeadm-publish.timer');
    const calico = first.indexOf('tigera-operator.yaml');
    const ingress = first.indexOf('"nodePort":30080');
    expect(first).toContain("ENDPOINT='k8s-internal-0123.elb.ap-northeast-2.amazonaws.com:6443'");
    expect(init).toBeGreaterThan(0);
    expect(publish).toBeGreaterThan(init);
    expect(calico).toBeGreaterThan(publish);
    expect(ingress).toBeGreaterThan(calico);
    expect(first).toContain('encapsulation: VXLAN');
    expect(first).toContain('bgp: Disabled');
    for (const other of [second, third, worker]) expect(other).not.toContain('kubeadm init --control-plane-endpoint');
  });

  it('joins control-plane node N only after N-1 have joined, and only once the endpoint answers', () => {
    for (const [script, before] of [[second, 1], [third, 2]] as const) {
      const waitTurn = script.indexOf(`control_planes_joined_at_least ${before}\n`);
      const waitEndpoint = script.indexOf('endpoint_answers\n', waitTurn);
      const join = script.indexOf('kubeadm join "$ENDPOINT" "${args[@]}" --control-plane --certificate-key');
      expect(waitTurn).toBeGreaterThan(0);
      expect(waitEndpoint).toBeGreaterThan(waitTurn);
      expect(join).toBeGreaterThan(waitEndpoint);
      expect(script.indexOf(`--argjson n ${before + 1}`)).toBeGreaterThan(join);
    }
  });

  it('joins a worker after the material is published and the endpoint answers /livez', () => {
    const material = worker.indexOf('wait_for "the join material" material_published');
    const endpoint = worker.indexOf('wait_for "the API endpoint $ENDPOINT" endpoint_answers');
    const join = worker.indexOf('kubeadm join "$ENDPOINT" "${args[@]}"');
    expect(material).toBeGreaterThan(0);
    expect(endpoint).toBeGreaterThan(material);
    expect(join).toBeGreaterThan(endpoint);
    expect(worker).not.toContain('--control-plane');
    expect(worker).not.toContain('put-secret-value');
    expect(worker).toContain('curl -fsk --max-time 5 "https://$ENDPOINT/livez"');
  });

  it('keeps join material out of the script: it is read from the secret at run time', () => {
    for (const script of [first, second, worker]) {
      expect(script).not.toMatch(/--token [a-z0-9]{6}\.[a-z0-9]{16}/);
      expect(script).toContain("JOIN_SECRET='arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:join-AbCdEf'");
    }
    expect(kubeadmFiles({ ...base, role: 'worker', index: 1 })).toEqual([]);
  });

  lintIt('passes shellcheck on every node and on the publisher', () => {
    for (const [name, script] of Object.entries({ first, second, third, worker })) expect(shellcheck(`${name}.sh`, script), name).toBe('');
    for (const f of kubeadmFiles({ ...base, role: 'control-plane', index: 1 }).filter((x) => x.path.endsWith('.sh'))) {
      expect(shellcheck('publish.sh', f.contents), f.path).toBe('');
    }
  });
});
