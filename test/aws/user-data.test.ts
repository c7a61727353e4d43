/** The rendered user-data scripts: what they do, in which order, and that shellcheck finds nothing. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerFiles, renderContainerHost, type ContainerHostScript } from '../../src/aws/user-data/containers.js';
import { everyBoot, scriptOf } from '../../src/aws/user-data/every-boot.js';
import { kubeadmFiles, renderKubeadmNode, type KubeadmNodeScript } from '../../src/aws/user-data/kubeadm.js';
import { PUT_FILE } from '../../src/aws/user-data/shell.js';
import { hasShellcheck, lintIt, shellcheck } from '../shellcheck.js';

const dir = mkdtempSync(join(tmpdir(), 'plinth-user-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    const docker = script.indexOf('systemctl enable --now docker');
    const units = script.indexOf("systemctl enable 'plinth-vllm.service'");
    expect(mount).toBeGreaterThan(0);
    expect(docker).toBeGreaterThan(mount);
    expect(units).toBeGreaterThan(docker);
    expect(script).toContain("systemctl start --no-block 'plinth-api.service'");
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

  it('only mounts the volumes of a server without containers: no Docker, no units, and stops the units of earlier runs', () => {
    const volumesOnly = renderContainerHost({ ...vllmHost, containers: [] });
    expect(volumesOnly).toContain("mount_volume 'vol-0123456789abcdef0' '/models' '/dev/xvdf'");
    expect(volumesOnly).not.toContain('docker');
    expect(volumesOnly).not.toMatch(/systemctl (enable|start|restart) /);
    // Every container the last run recorded is stopped, disabled and removed, and the record goes with them.
    expect(volumesOnly).toContain(`while read -r old; do
    systemctl disable --now "plinth-$old.service" || true
    rm -f "/etc/systemd/system/plinth-$old.service" "/usr/local/lib/plinth/run-$old.sh" "/etc/plinth/$old.env"
  done < /etc/plinth/containers
  rm -f /etc/plinth/containers`);
  });

  it('stops every old unit when the spec drops all containers (run in bash against a fake systemctl)', () => {
    // GIVEN a host whose last run recorded two containers, and a systemctl that logs what it is asked
    const root = mkdtempSync(join(dir, 'drop-'));
    const script = renderContainerHost({ ...vllmHost, containers: [] })
      .replace(/^exec > .*$/m, '')
      .replace(/^mount_volume .*$/m, '')
      .replaceAll('/etc/plinth/containers', `${root}/containers`);
    writeFileSync(join(root, 'containers'), 'vllm\napi\n');
    const fake = `systemctl() { echo "systemctl $*" >> ${JSON.stringify(join(root, 'log'))}; }\nrm() { :; }\nexport -f systemctl rm\n`;
    // WHEN the script runs
    execFileSync('bash', ['-c', fake + script.replace('#!/bin/bash', '')], { encoding: 'utf8' });
    // THEN both units are disabled and stopped, systemd reloads, and the record is gone
    expect(readFileSync(join(root, 'log'), 'utf8').trim().split('\n')).toEqual([
      'systemctl disable --now plinth-vllm.service', 'systemctl disable --now plinth-api.service', 'systemctl daemon-reload',
    ]);
  });

  it('has each launcher disable its own unit when the instance\'s user data no longer names it, and only then', () => {
    const run = file('/usr/local/lib/plinth/run-vllm.sh');
    const check = run.indexOf('"$imds/user-data"');
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(run.indexOf('exec docker run'));
    expect(run).toContain(`if [ "$status" = 404 ] || { [ "$status" = 200 ] && ! grep -qF 'plinth-vllm.service' /run/plinth/user-data; }; then`);
    // The rendered user data of this host names both units, so neither launcher would disable itself.
    for (const c of vllmHost.containers) expect(everyBoot(script)).toContain(`plinth-${c.name}.service`);
  });

  it('is idempotent at every boot: rewrites only changed files, restarts only changed containers, never reformats', () => {
    // GIVEN the rendered script  WHEN it runs again at a later boot
    // THEN files go through put_file, each container restarts only when its own or a shared file changed
    expect(script).toContain("put_file '/usr/local/lib/plinth/run-vllm.sh' 0755 <<'PLINTH_EOF'");
    expect(script).not.toMatch(/^cat > /m);
    expect(script).toContain(`if changed '/etc/plinth/api.env' '/usr/local/lib/plinth/run-api.sh' '/etc/systemd/system/plinth-api.service' '/usr/local/lib/plinth/ecr-login.sh' '/usr/local/lib/plinth/secret-env.sh'; then
  systemctl restart --no-block 'plinth-api.service'
else
  systemctl start --no-block 'plinth-api.service'
fi`);
    // Docker restarts only when nvidia-ctk changed its daemon.json, never unconditionally under running containers.
    expect(script).not.toMatch(/^systemctl restart docker$/m);
    expect(script).toContain('if [ "$daemon_before" != "$(cat /etc/docker/daemon.json 2>/dev/null || true)" ]; then systemctl restart docker; fi');
    // The data volume is formatted only when blkid finds no file system on it.
    expect(script).toContain('if [ -z "$(blkid -o value -s TYPE "$device" || true)" ]; then\n    mkfs -t ext4 "$device"');
    expect(script.match(/mkfs/g)).toHaveLength(1);
    // A container dropped from the spec is stopped and its files removed; the others are kept.
    expect(script).toContain(`case "$old" in
      'vllm'|'api') ;;`);
    expect(script).toContain('systemctl disable --now "plinth-$old.service" || true');
    expect(script).toContain("printf '%s\\n' 'vllm' 'api' > /etc/plinth/containers");
  });

  it('differs only in the launcher line of the changed image when a new tag is rendered', () => {
    // GIVEN the same host with a new tag for the api image  WHEN both are rendered (as user data)
    // THEN exactly one line differs: the image reference in run-api.sh
    const retagged: ContainerHostScript = { ...vllmHost, containers: vllmHost.containers.map((c) => c.name === 'api' ? { ...c, image: { kind: 'registry', repository: 'ai', tag: 'prod-2' } } : c) };
    const before = everyBoot(script).split('\n');
    const after = everyBoot(renderContainerHost(retagged)).split('\n');
    expect(after).toHaveLength(before.length);
    const diff = before.flatMap((line, i) => (line === after[i] ? [] : [[line, after[i]]]));
    expect(diff).toEqual([["  '111122223333.dkr.ecr.ap-northeast-2.amazonaws.com/ai:prod-1'", "  '111122223333.dkr.ecr.ap-northeast-2.amazonaws.com/ai:prod-2'"]]);
  });

  it('put_file marks a file changed only when its contents differ (run in bash)', () => {
    // GIVEN put_file and changed  WHEN a file is written, rewritten unchanged, then changed
    const target = join(dir, 'unit.service');
    const probe = `set -euo pipefail
${PUT_FILE}
put_file ${JSON.stringify(target)} 0644 <<'TXT'
a
TXT
if changed ${JSON.stringify(target)}; then echo first=changed; else echo first=same; fi
CHANGED=""
put_file ${JSON.stringify(target)} 0644 <<'TXT'
a
TXT
if changed ${JSON.stringify(target)}; then echo second=changed; else echo second=same; fi
put_file ${JSON.stringify(target)} 0644 <<'TXT'
b
TXT
if changed /elsewhere ${JSON.stringify(target)}; then echo third=changed; else echo third=same; fi
cat ${JSON.stringify(target)}`;
    const out = execFileSync('bash', ['-c', probe], { encoding: 'utf8' });
    // THEN only the first write and the real change count, and the file holds the new contents
    expect(out).toBe('first=changed\nsecond=same\nthird=changed\nb\n');
  });

  lintIt('passes shellcheck, with every launcher it writes', () => {
    expect(shellcheck('containers.sh', script)).toBe('');
    expect(shellcheck('volumes-only.sh', renderContainerHost({ ...vllmHost, containers: [] }))).toBe('');
    for (const [i, f] of files.filter((x) => x.path.endsWith('.sh')).entries()) expect(shellcheck(`launcher-${i}.sh`, f.contents), f.path).toBe('');
  });
});

describe('user data that runs at every boot', () => {
  const script = renderContainerHost(vllmHost);
  const userData = everyBoot(script);

  it('is a MIME multi-part archive whose cloud-config raises scripts-user to always, then the unchanged script', () => {
    // GIVEN a rendered script  WHEN it is wrapped  THEN cloud-init reads a cloud-config part first
    expect(userData.startsWith('Content-Type: multipart/mixed; boundary="PLINTH_MIME_BOUNDARY"\nMIME-Version: 1.0\n')).toBe(true);
    const config = userData.indexOf('Content-Type: text/cloud-config');
    const shell = userData.indexOf('Content-Type: text/x-shellscript');
    expect(config).toBeGreaterThan(0);
    expect(shell).toBeGreaterThan(config);
    expect(userData).toContain('#cloud-config\ncloud_final_modules:\n');
    expect(userData).toContain('  - [scripts-user, always]\n');
    // the other final modules stay (the list replaces the image's), once each
    for (const m of ['scripts-per-boot', 'scripts-per-instance', 'final-message']) expect(userData.match(new RegExp(`  - ${m}\n`, 'g'))).toHaveLength(1);
    expect(userData.trimEnd().endsWith('--PLINTH_MIME_BOUNDARY--')).toBe(true);
    expect(scriptOf(userData)).toBe(script);
  });

  it('stays under EC2\'s 16 KiB and refuses a script that contains its boundary', () => {
    expect(Buffer.byteLength(userData)).toBeLessThan(16 * 1024);
    expect(Buffer.byteLength(userData) - Buffer.byteLength(script)).toBeLessThan(800);
    expect(() => everyBoot('#!/bin/bash\necho --PLINTH_MIME_BOUNDARY\n')).toThrow(/E_MIME_BOUNDARY/);
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

  it('never re-initialises or re-joins at a later boot: a member node stops before setup, init and join', () => {
    // GIVEN the scripts run at every boot  WHEN kubelet.conf or admin.conf exists  THEN the script exits first
    const guard = 'if [ -f /etc/kubernetes/kubelet.conf ] || [ -f /etc/kubernetes/admin.conf ]; then';
    for (const [name, script] of Object.entries({ first, second, third, worker })) {
      const at = script.indexOf(guard);
      expect(at, name).toBeGreaterThan(0);
      expect(script.indexOf('exit 0', at), name).toBeLessThan(script.indexOf('containerd config default'));
      expect(script.indexOf('containerd config default'), name).toBeGreaterThan(at);
      const init = script.indexOf('kubeadm init --control-plane-endpoint');
      const join = script.indexOf('kubeadm join "$ENDPOINT"');
      for (const step of [init, join].filter((x) => x >= 0)) expect(step, name).toBeGreaterThan(at);
    }
  });

  lintIt('passes shellcheck on every node and on the publisher', () => {
    for (const [name, script] of Object.entries({ first, second, third, worker })) expect(shellcheck(`${name}.sh`, script), name).toBe('');
    expect(Buffer.byteLength(everyBoot(first))).toBeLessThan(16 * 1024);
    for (const f of kubeadmFiles({ ...base, role: 'control-plane', index: 1 }).filter((x) => x.path.endsWith('.sh'))) {
      expect(shellcheck('publish.sh', f.contents), f.path).toBe('');
    }
  });
});
