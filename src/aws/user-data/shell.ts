/**
 * Pieces every rendered user-data script shares: quoting and the package, AWS CLI and data-volume
 * functions. Scripts are plain strings (CloudFormation tokens such as an ARN may sit inside quoted
 * words); tests run them through shellcheck with literal values.
 */

/** A file the user data writes, exposed so tests can lint the scripts among them. */
export interface RenderedFile {
  readonly path: string;
  readonly contents: string;
  readonly mode: string;
}

/** One shell word, single-quoted: nothing inside is expanded. */
export function shq(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A file written by the user data: a quoted heredoc, so its contents reach the disk unexpanded. */
export function writeFile(path: string, contents: string, mode: string): string {
  const marker = 'PLINTH_EOF';
  if (contents.split('\n').includes(marker)) throw new Error(`E_HEREDOC: ${path} contains the line ${marker}`);
  return [`install -d -m 0755 ${shq(path.replace(/\/[^/]+$/, ''))}`, `cat > ${shq(path)} <<'${marker}'`, contents.replace(/\n?$/, ''), marker, `chmod ${mode} ${shq(path)}`].join('\n');
}

/**
 * Writes stdin to a file only when its contents differ, and records the path in CHANGED, so a re-run at
 * boot restarts only what a new render changed. Every-boot user data (every-boot.ts) uses it.
 */
export const PUT_FILE = `CHANGED=""
put_file() {
  local path="$1" mode="$2" tmp
  install -d -m 0755 "$(dirname "$path")"
  tmp=$(mktemp)
  cat > "$tmp"
  if cmp -s "$tmp" "$path"; then
    rm -f "$tmp"
  else
    install -m "$mode" "$tmp" "$path"
    rm -f "$tmp"
    CHANGED="$CHANGED $path "
  fi
}
changed() {
  local path
  for path in "$@"; do
    case "$CHANGED" in *" $path "*) return 0 ;; esac
  done
  return 1
}`;

/** A file written through put_file (PUT_FILE): rewritten, and marked changed, only when it differs. */
export function putFile(path: string, contents: string, mode: string): string {
  const marker = 'PLINTH_EOF';
  if (contents.split('\n').includes(marker)) throw new Error(`E_HEREDOC: ${path} contains the line ${marker}`);
  return [`put_file ${shq(path)} ${mode} <<'${marker}'`, contents.replace(/\n?$/, ''), marker].join('\n');
}

export const HEADER = `#!/bin/bash
set -euo pipefail
exec > >(tee -a /var/log/plinth-user-data.log) 2>&1`;

/** Installs packages with the distribution's manager (dnf on Amazon Linux 2023 and RHEL, apt on Ubuntu/Debian). */
export const INSTALL_PACKAGES = `install_packages() {
  if command -v dnf >/dev/null 2>&1; then
    dnf install -y "$@"
  elif command -v yum >/dev/null 2>&1; then
    yum install -y "$@"
  else
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
  fi
}`;

/**
 * AWS CLI v2 where the image lacks it (RHEL, Debian, Ubuntu 24.04): the official bundle from
 * awscli.amazonaws.com ("Installing or updating to the latest version of the AWS CLI", AWS CLI user guide).
 */
export const ENSURE_AWS_CLI = `ensure_aws_cli() {
  if command -v aws >/dev/null 2>&1; then return; fi
  install_packages unzip curl
  local tmp
  tmp=$(mktemp -d)
  curl -fsSL "https://awscli.amazonaws.com/awscli-exe-linux-$(uname -m).zip" -o "$tmp/awscliv2.zip"
  unzip -q "$tmp/awscliv2.zip" -d "$tmp"
  "$tmp/aws/install"
  rm -rf "$tmp"
}`;

/**
 * Formats a data volume once (never over an existing file system) and mounts it by UUID with nofail, so
 * a reboot or a re-run keeps the data. Nitro instances expose an EBS volume as an NVMe device whose
 * serial is the volume id (/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol...); Xen instances (t2)
 * under the attachment's name with xvd instead of sd (EC2 user guide, "Device names on Linux instances").
 */
export const MOUNT_VOLUME = `mount_volume() {
  local volume_id="$1" mount_path="$2" xen_device="$3" device="" fs_uuid
  local nvme_device="/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_\${volume_id//-/}"
  for _ in $(seq 1 120); do
    if [ -e "$nvme_device" ]; then device="$nvme_device"; break; fi
    if [ -e "$xen_device" ]; then device="$xen_device"; break; fi
    sleep 5
  done
  if [ -z "$device" ]; then
    echo "plinth: volume $volume_id was not attached after 10 minutes" >&2
    exit 1
  fi
  if [ -z "$(blkid -o value -s TYPE "$device" || true)" ]; then
    mkfs -t ext4 "$device"
  fi
  fs_uuid=$(blkid -o value -s UUID "$device")
  mkdir -p "$mount_path"
  if ! grep -q "UUID=$fs_uuid " /etc/fstab; then
    echo "UUID=$fs_uuid $mount_path ext4 defaults,nofail 0 2" >> /etc/fstab
  fi
  mountpoint -q "$mount_path" || mount "$mount_path"
}`;

export interface MountedVolume {
  /** The EBS volume id (a token at synth time). */
  readonly volumeId: string;
  readonly path: string;
  /** The attachment's device name, e.g. /dev/sdf. */
  readonly deviceName: string;
}

export function mountLines(volumes: readonly MountedVolume[]): string[] {
  return volumes.map((v) => `mount_volume ${shq(v.volumeId)} ${shq(v.path)} ${shq(v.deviceName.replace('/dev/sd', '/dev/xvd'))}`);
}
