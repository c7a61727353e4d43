/**
 * User data of a kubeadm node (seed 002). The order is carried by one Secrets Manager secret, never by
 * the template: the first control-plane instance runs `kubeadm init` with the NLB as
 * controlPlaneEndpoint and publishes the join material (a 2-hour bootstrap token, the CA hash and the
 * certificate key of `upload-certs`) into the secret, and refreshes it hourly; control-plane instance N
 * joins once N-1 have joined (etcd members are added one at a time); workers join once the material
 * exists and the endpoint answers /livez. kubernetes.io: "Creating Highly Available Clusters with
 * kubeadm" (init --control-plane-endpoint --upload-certs, join --control-plane --certificate-key) and
 * "Installing kubeadm" (pkgs.k8s.io repositories, swap off, SELinux permissive). The script runs at
 * every boot; ALREADY_MEMBER ends it on a node that has joined.
 */
import type { KubeadmPlan } from '../../plan/types.js';
import { ENSURE_AWS_CLI, HEADER, INSTALL_PACKAGES, type RenderedFile, shq, writeFile } from './shell.js';

/** Calico by the Tigera operator, and ingress-nginx's bare-metal (NodePort) manifest, pinned. */
export const CALICO_VERSION = 'v3.30.2';
export const INGRESS_NGINX_VERSION = 'controller-v1.13.3';

export interface KubeadmNodeScript {
  readonly plan: Pick<KubeadmPlan, 'version' | 'podCidr' | 'ingressNginx'>;
  readonly role: 'control-plane' | 'worker';
  /** 1-based position in its group; control-plane instance 1 initialises the cluster. */
  readonly index: number;
  readonly region: string;
  /** DNS name of the NLB (a token at synth time). */
  readonly endpointHost: string;
  /** ARN of the join secret (a token at synth time). */
  readonly joinSecretArn: string;
}

const LIB = '/usr/local/lib/plinth';

const COMMON_FUNCTIONS = `join_state() {
  aws secretsmanager get-secret-value --region "$REGION" --secret-id "$JOIN_SECRET" --query SecretString --output text
}
wait_for() {
  local what="$1"
  shift
  for _ in $(seq 1 240); do
    if "$@"; then return 0; fi
    sleep 15
  done
  echo "plinth: gave up waiting for $what after an hour" >&2
  exit 1
}
material_published() {
  [ "$(join_state | jq -r .state)" = ready ]
}
endpoint_answers() {
  curl -fsk --max-time 5 "https://$ENDPOINT/livez" >/dev/null
}
join_args() {
  join_state | jq -r '"--token", .token, "--discovery-token-ca-cert-hash", .caCertHash'
}`;

function nodeSetup(version: string): string {
  return `# Kernel, runtime and packages (kubernetes.io "Installing kubeadm", "Container runtimes").
# shellcheck source=/dev/null
. /etc/os-release
swapoff -a
sed -i '/\\sswap\\s/s/^/#/' /etc/fstab
printf 'overlay\\nbr_netfilter\\n' > /etc/modules-load.d/k8s.conf
modprobe overlay
modprobe br_netfilter
printf 'net.bridge.bridge-nf-call-iptables = 1\\nnet.bridge.bridge-nf-call-ip6tables = 1\\nnet.ipv4.ip_forward = 1\\n' > /etc/sysctl.d/k8s.conf
sysctl --system
case "$ID" in
  rhel|centos|rocky|almalinux)
    setenforce 0 || true
    sed -i 's/^SELINUX=enforcing$/SELINUX=permissive/' /etc/selinux/config
    systemctl disable --now firewalld || true
    install_packages dnf-plugins-core
    dnf config-manager --add-repo https://download.docker.com/linux/rhel/docker-ce.repo
    install_packages containerd.io jq curl tar
    ;;
  *)
    # Amazon Linux 2023 ships curl-minimal, which conflicts with the curl package.
    install_packages containerd jq tar
    ;;
esac
mkdir -p /etc/containerd
containerd config default > /etc/containerd/config.toml
sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' /etc/containerd/config.toml
systemctl enable containerd
systemctl restart containerd
cat > /etc/yum.repos.d/kubernetes.repo <<'REPO'
[kubernetes]
name=Kubernetes
baseurl=https://pkgs.k8s.io/core:/stable:/v${version}/rpm/
enabled=1
gpgcheck=1
gpgkey=https://pkgs.k8s.io/core:/stable:/v${version}/rpm/repodata/repomd.xml.key
exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
REPO
dnf install -y kubelet kubeadm kubectl --disableexcludes=kubernetes
systemctl enable --now kubelet
ensure_aws_cli`;
}

/**
 * The user data runs at every boot (every-boot.ts). kubeadm init writes admin.conf and kubelet.conf,
 * kubeadm join writes kubelet.conf (kubernetes.io, "kubeadm init" / "kubeadm join" reference), so either
 * file means the node is a member: a reboot or a stop/start must neither re-init nor re-join, nor
 * rewrite containerd's config under a running kubelet.
 */
export const ALREADY_MEMBER = `if [ -f /etc/kubernetes/kubelet.conf ] || [ -f /etc/kubernetes/admin.conf ]; then
  echo "plinth: this node is already a cluster member; nothing to initialise or join"
  exit 0
fi`;

/** The hourly publisher of join material on the first control-plane instance. */
function publishFiles(region: string, joinSecretArn: string): RenderedFile[] {
  return [{
    path: `${LIB}/kubeadm-publish.sh`,
    mode: '0700',
    contents: `#!/bin/bash
# Publishes fresh join material (token valid 2 h, certificate key valid 2 h) into the join secret.
set -euo pipefail
export KUBECONFIG=/etc/kubernetes/admin.conf
token=$(kubeadm token create --ttl 2h)
ca_hash="sha256:$(openssl x509 -pubkey -in /etc/kubernetes/pki/ca.crt | openssl rsa -pubin -outform der 2>/dev/null | openssl dgst -sha256 -hex | sed 's/^.* //')"
certificate_key=$(kubeadm init phase upload-certs --upload-certs | tail -n 1)
current=$(aws secretsmanager get-secret-value --region ${shq(region)} --secret-id ${shq(joinSecretArn)} --query SecretString --output text)
next=$(jq -c --arg token "$token" --arg hash "$ca_hash" --arg key "$certificate_key" \\
  '.state = "ready" | .token = $token | .caCertHash = $hash | .certificateKey = $key | .controlPlanesJoined = (.controlPlanesJoined // 1)' <<<"$current")
aws secretsmanager put-secret-value --region ${shq(region)} --secret-id ${shq(joinSecretArn)} --secret-string "$next" >/dev/null`,
  }, {
    path: '/etc/systemd/system/plinth-kubeadm-publish.service',
    mode: '0644',
    contents: `[Unit]
Description=plinth: refresh the kubeadm join material in Secrets Manager
After=kubelet.service

[Service]
Type=oneshot
ExecStart=${LIB}/kubeadm-publish.sh`,
  }, {
    path: '/etc/systemd/system/plinth-kubeadm-publish.timer',
    mode: '0644',
    contents: `[Unit]
Description=plinth: refresh the kubeadm join material hourly

[Timer]
OnBootSec=5min
OnUnitActiveSec=1h

[Install]
WantedBy=timers.target`,
  }];
}

function addons(plan: KubeadmNodeScript['plan']): string {
  const calico = `https://raw.githubusercontent.com/projectcalico/calico/${CALICO_VERSION}/manifests`;
  const lines = [
    `# Calico (Tigera operator), VXLAN with BGP off: only 4789/udp between nodes, no source/destination check changes.
kubectl create -f ${shq(`${calico}/operator-crds.yaml`)}
kubectl create -f ${shq(`${calico}/tigera-operator.yaml`)}
kubectl wait --for condition=established --timeout=300s crd/installations.operator.tigera.io
kubectl create -f - <<'CALICO'
apiVersion: operator.tigera.io/v1
kind: Installation
metadata:
  name: default
spec:
  calicoNetwork:
    bgp: Disabled
    ipPools:
      - name: default-ipv4-ippool
        cidr: ${plan.podCidr}
        encapsulation: VXLAN
        natOutgoing: Enabled
        nodeSelector: all()
CALICO`,
  ];
  if (plan.ingressNginx) {
    lines.push(`# ingress-nginx as a NodePort service on fixed ports, behind the NLB's 80/443 listeners.
kubectl apply -f ${shq(`https://raw.githubusercontent.com/kubernetes/ingress-nginx/${INGRESS_NGINX_VERSION}/deploy/static/provider/baremetal/deploy.yaml`)}
kubectl -n ingress-nginx patch service ingress-nginx-controller --type=strategic \\
  -p '{"spec":{"ports":[{"port":80,"nodePort":${plan.ingressNginx.httpNodePort}},{"port":443,"nodePort":${plan.ingressNginx.httpsNodePort}}]}}'`);
  }
  return lines.join('\n');
}

/** The files written by a node's user data (the publisher, on control-plane nodes), for linting. */
export function kubeadmFiles(input: KubeadmNodeScript): RenderedFile[] {
  return input.role === 'control-plane' ? publishFiles(input.region, input.joinSecretArn) : [];
}

export function renderKubeadmNode(input: KubeadmNodeScript): string {
  const { plan, role, index } = input;
  const first = role === 'control-plane' && index === 1;
  const joinControlPlane = `wait_for "control-plane node ${index - 1} to join" control_planes_joined_at_least ${Math.max(index - 1, 1)}
wait_for "the API endpoint $ENDPOINT" endpoint_answers
mapfile -t args < <(join_args)
kubeadm join "$ENDPOINT" "\${args[@]}" --control-plane --certificate-key "$(join_state | jq -r .certificateKey)"
next=$(join_state | jq -c --argjson n ${index} '.controlPlanesJoined = ([.controlPlanesJoined, $n] | max)')
aws secretsmanager put-secret-value --region "$REGION" --secret-id "$JOIN_SECRET" --secret-string "$next" >/dev/null
systemctl enable --now plinth-kubeadm-publish.timer`;
  const lines = [
    HEADER,
    `# Rendered by plinth: kubeadm ${role} node ${index} (Kubernetes ${plan.version}).`,
    `REGION=${shq(input.region)}`,
    `ENDPOINT=${shq(`${input.endpointHost}:6443`)}`,
    `JOIN_SECRET=${shq(input.joinSecretArn)}`,
    INSTALL_PACKAGES,
    ENSURE_AWS_CLI,
    COMMON_FUNCTIONS,
    `control_planes_joined_at_least() {
  material_published && [ "$(join_state | jq -r '.controlPlanesJoined // 0')" -ge "$1" ]
}`,
    ...kubeadmFiles(input).map((f) => writeFile(f.path, f.contents, f.mode)),
    'systemctl daemon-reload',
    ALREADY_MEMBER,
    nodeSetup(plan.version),
  ];
  if (first) {
    lines.push(`if [ "$(join_state | jq -r .state)" = ready ]; then
  # A replacement of the first instance: the cluster exists, so it joins like the others.
${joinControlPlane.split('\n').map((l) => `  ${l}`).join('\n')}
  exit 0
fi
kubeadm init --control-plane-endpoint "$ENDPOINT" --upload-certs --pod-network-cidr ${shq(plan.podCidr)}
export KUBECONFIG=/etc/kubernetes/admin.conf
${LIB}/kubeadm-publish.sh
systemctl enable --now plinth-kubeadm-publish.timer
${addons(plan)}`);
  } else if (role === 'control-plane') {
    lines.push(joinControlPlane);
  } else {
    lines.push(`wait_for "the join material" material_published
wait_for "the API endpoint $ENDPOINT" endpoint_answers
mapfile -t args < <(join_args)
kubeadm join "$ENDPOINT" "\${args[@]}"`);
  }
  return `${lines.join('\n')}\n`;
}
