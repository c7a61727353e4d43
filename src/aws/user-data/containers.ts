/**
 * User data of a server with containers: mounts its data volumes, installs Docker where the image lacks
 * it, and runs each container as a systemd unit. It runs at every boot (every-boot.ts), so it is
 * idempotent: files are rewritten only when they differ, a changed container is restarted, a volume is
 * formatted only when it has no file system, and a container dropped from the spec is stopped: by the
 * next render when others remain (the list in /etc/plinth/containers), and by its own launcher when none
 * does (see undeclaredCheck).
 * systemd starts the units at every boot and restarts them on failure, and each start logs in to ECR with the instance role (tokens last 12 hours) and
 * reads the container's secrets from Secrets Manager, so nothing secret is in the template or on disk.
 */
import type { ContainerPlan } from '../../plan/types.js';
import { ENSURE_AWS_CLI, HEADER, INSTALL_PACKAGES, MOUNT_VOLUME, type MountedVolume, mountLines, PUT_FILE, putFile, type RenderedFile, shq } from './shell.js';

export interface ContainerHostScript {
  /** `servers/ai-vllm`, for comments and unit descriptions. */
  readonly hostRef: string;
  readonly region: string;
  /** ECR registry host of the account, e.g. 111122223333.dkr.ecr.ap-northeast-2.amazonaws.com. */
  readonly registry: string;
  readonly volumes: readonly MountedVolume[];
  readonly containers: readonly ContainerPlan[];
}

const LAUNCHER_DIR = '/usr/local/lib/plinth';

/** The files the user data writes (launchers and units), exposed so tests can lint each launcher. */
export function containerFiles(input: ContainerHostScript): RenderedFile[] {
  const files: RenderedFile[] = [];
  const usesRegistry = input.containers.some((c) => c.image.kind === 'registry');
  const usesSecrets = input.containers.some((c) => c.secrets.length > 0);
  if (usesRegistry) {
    files.push({
      path: `${LAUNCHER_DIR}/ecr-login.sh`,
      mode: '0755',
      contents: `#!/bin/bash
# Logs Docker in to the account's ECR registry with the instance role.
set -euo pipefail
aws ecr get-login-password --region ${shq(input.region)} | docker login --username AWS --password-stdin ${shq(input.registry)}`,
    });
  }
  if (usesSecrets) {
    files.push({
      path: `${LAUNCHER_DIR}/secret-env.sh`,
      mode: '0755',
      contents: `#!/bin/bash
# Appends a Secrets Manager secret's JSON keys to an env file as PREFIX<KEY>=value.
set -euo pipefail
secret_id="$1" prefix="$2" env_file="$3"
aws secretsmanager get-secret-value --region ${shq(input.region)} --secret-id "$secret_id" --query SecretString --output text \\
  | jq -r --arg prefix "$prefix" 'to_entries[] | "\\($prefix)\\(.key | ascii_upcase)=\\(.value)"' >> "$env_file"`,
    });
  }
  for (const c of input.containers) {
    files.push({ path: `/etc/plinth/${c.name}.env`, mode: '0644', contents: c.env.map(([k, v]) => `${k}=${v}`).join('\n') });
    files.push({ path: `${LAUNCHER_DIR}/run-${c.name}.sh`, mode: '0755', contents: launcher(c, input.registry) });
    files.push({ path: `/etc/systemd/system/plinth-${c.name}.service`, mode: '0644', contents: unit(c, input.hostRef) });
  }
  return files;
}

export function renderContainerHost(input: ContainerHostScript): string {
  const gpus = input.containers.some((c) => c.gpus);
  const needsAwsCli = input.containers.some((c) => c.image.kind === 'registry' || c.secrets.length > 0);
  const needsJq = input.containers.some((c) => c.secrets.length > 0);
  const lines = [
    HEADER,
    `# Rendered by plinth for ${input.hostRef}: data volumes, Docker and ${input.containers.length} container unit(s).`,
    INSTALL_PACKAGES,
    ...(needsAwsCli ? [ENSURE_AWS_CLI] : []),
    ...(input.volumes.length ? [MOUNT_VOLUME, ...mountLines(input.volumes)] : []),
    ...(input.containers.length ? dockerLines(input, gpus, needsAwsCli, needsJq) : [dropUndeclared([])]),
  ];
  return `${lines.join('\n')}\n`;
}

function dockerLines(input: ContainerHostScript, gpus: boolean, needsAwsCli: boolean, needsJq: boolean): string[] {
  const files = containerFiles(input);
  const shared = files.filter((f) => !input.containers.some((c) => f.path.endsWith(`/run-${c.name}.sh`) || f.path.endsWith(`/${c.name}.env`) || f.path.endsWith(`/plinth-${c.name}.service`)));
  const names = input.containers.map((c) => shq(c.name)).join(' ');
  return [
    `if ! command -v docker >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then install_packages docker.io; else install_packages docker; fi
fi`,
    ...(needsJq ? ['command -v jq >/dev/null 2>&1 || install_packages jq'] : []),
    ...(needsAwsCli ? ['ensure_aws_cli'] : []),
    'systemctl enable --now docker',
    // The GPU images ship the NVIDIA Container Toolkit; nvidia-ctk registers its runtime with Docker
    // (NVIDIA Container Toolkit install guide, "Configuring Docker"). Docker restarts only when that
    // changed its daemon.json, so a reboot's re-run does not stop the running containers.
    ...(gpus ? [`if ! command -v nvidia-ctk >/dev/null 2>&1; then
  echo "plinth: a container asks for GPUs but the NVIDIA Container Toolkit is missing; use the amazon-linux-2023-gpu AMI" >&2
  exit 1
fi
daemon_before=$(cat /etc/docker/daemon.json 2>/dev/null || true)
nvidia-ctk runtime configure --runtime=docker
if [ "$daemon_before" != "$(cat /etc/docker/daemon.json 2>/dev/null || true)" ]; then systemctl restart docker; fi`] : []),
    PUT_FILE,
    ...files.map((f) => putFile(f.path, f.contents, f.mode)),
    dropUndeclared(input.containers.map((c) => c.name)),
    `printf '%s\\n' ${names} > /etc/plinth/containers`,
    'systemctl daemon-reload',
    // At every boot: restart a container whose unit, launcher, env or shared helper changed since the
    // last run, start the others (a no-op when systemd already started them). --no-block: a first pull
    // of a large image (vLLM is several GB) must not hold up cloud-init.
    ...input.containers.map((c) => {
      const own = [`/etc/plinth/${c.name}.env`, `${LAUNCHER_DIR}/run-${c.name}.sh`, `/etc/systemd/system/plinth-${c.name}.service`, ...shared.map((f) => f.path)];
      const unitName = shq(`plinth-${c.name}.service`);
      return `systemctl enable ${unitName}
if changed ${own.map(shq).join(' ')}; then
  systemctl restart --no-block ${unitName}
else
  systemctl start --no-block ${unitName}
fi`;
    }),
  ];
}

/** Stops the containers of an earlier run that are not in `kept`, and removes their files. */
function dropUndeclared(kept: readonly string[]): string {
  const remove = `systemctl disable --now "plinth-$old.service" || true
    rm -f "/etc/systemd/system/plinth-$old.service" "${LAUNCHER_DIR}/run-$old.sh" "/etc/plinth/$old.env"`;
  const body = kept.length === 0 ? `    ${remove}` : `    case "$old" in
      ${kept.map(shq).join('|')}) ;;
      *)
        ${remove.replace('\n    ', '\n        ')}
        ;;
    esac`;
  return `# Containers dropped from the spec since the last run: stop them and remove their files.
if [ -f /etc/plinth/containers ]; then
  while read -r old; do
${body}
  done < /etc/plinth/containers
${kept.length === 0 ? '  rm -f /etc/plinth/containers\n  systemctl daemon-reload\n' : ''}fi`;
}

/**
 * A server whose spec drops every container and volume has no rendered user data left, so nothing of
 * plinth runs at its next boot, and systemd would start the old units again. Each launcher therefore
 * checks, before starting, that the instance's user data still names its unit: EC2 returns the user
 * data as given, and 404 when the instance has none ("Work with instance user data", EC2 user guide).
 * A changed UserData reaches the instance through a stop and start (every-boot.ts), so the check sees
 * the new one. If IMDS does not answer, the container starts as before: a metadata hiccup never stops it.
 */
function undeclaredCheck(c: ContainerPlan): string {
  const unit = `plinth-${c.name}.service`;
  return `imds=http://169.254.169.254/latest
if token=$(curl -fsS --max-time 5 -X PUT "$imds/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 60'); then
  status=$(curl -sS --max-time 5 -o /run/plinth/user-data -w '%{http_code}' -H "X-aws-ec2-metadata-token: $token" "$imds/user-data" || true)
  if [ "$status" = 404 ] || { [ "$status" = 200 ] && ! grep -qF ${shq(unit)} /run/plinth/user-data; }; then
    echo "plinth: the instance's user data no longer declares container ${c.name}; disabling ${unit}" >&2
    systemctl disable ${shq(unit)} || true
    systemctl stop --no-block ${shq(unit)}
    rm -f ${shq(`/etc/systemd/system/${unit}`)} ${shq(`${LAUNCHER_DIR}/run-${c.name}.sh`)} ${shq(`/etc/plinth/${c.name}.env`)}
    exit 0
  fi
fi`;
}

function imageOf(c: ContainerPlan, registry: string): string {
  return c.image.kind === 'registry' ? `${registry}/${c.image.repository}:${c.image.tag}` : c.image.reference;
}

function launcher(c: ContainerPlan, registry: string): string {
  const secretsFile = `/run/plinth/${c.name}.env`;
  const run = [
    'exec docker run --rm', `--name ${shq(c.name)}`,
    `--env-file ${shq(`/etc/plinth/${c.name}.env`)}`, `--env-file ${shq(secretsFile)}`,
    ...c.ports.map((p) => `--publish ${p.host}:${p.container}`),
    ...c.mounts.map((m) => `--volume ${shq(`${m.hostPath}:${m.containerPath}`)}`),
    ...(c.gpus ? ['--gpus all'] : []),
    ...(c.command.length ? [`--entrypoint ${shq(c.command[0]!)}`] : []),
    shq(imageOf(c, registry)),
    ...c.command.slice(1).map(shq),
    ...c.args.map(shq),
  ];
  return [
    '#!/bin/bash',
    `# Starts container ${c.name}; run by plinth-${c.name}.service at every (re)start.`,
    'set -euo pipefail',
    'install -d -m 0700 /run/plinth',
    undeclaredCheck(c),
    `install -m 0600 /dev/null ${shq(secretsFile)}`,
    ...(c.image.kind === 'registry' ? [`${LAUNCHER_DIR}/ecr-login.sh`] : []),
    ...c.secrets.map((s) => `${LAUNCHER_DIR}/secret-env.sh ${shq(s.secretName)} ${shq(s.envPrefix)} ${shq(secretsFile)}`),
    `docker rm --force ${shq(c.name)} >/dev/null 2>&1 || true`,
    run.join(' \\\n  '),
  ].join('\n');
}

function unit(c: ContainerPlan, hostRef: string): string {
  const mounts = [...new Set(c.mounts.map((m) => m.hostPath))];
  return `[Unit]
Description=plinth container ${c.name} on ${hostRef}
Wants=network-online.target
After=network-online.target docker.service
Requires=docker.service
${mounts.length ? `RequiresMountsFor=${mounts.join(' ')}\n` : ''}
[Service]
ExecStart=${LAUNCHER_DIR}/run-${c.name}.sh
ExecStop=/usr/bin/env docker stop ${c.name}
Restart=${c.restart}
RestartSec=10
TimeoutStartSec=0

[Install]
WantedBy=multi-user.target`;
}
