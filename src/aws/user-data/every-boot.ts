/**
 * Wraps a rendered script so cloud-init runs it at every boot, not only at the first.
 *
 * Why: a changed image tag or env changes the instance's UserData, and CloudFormation applies a UserData
 * change to an EBS-backed instance by stopping and starting it ("Update requires: Some interruptions",
 * AWS::EC2::Instance UserData, CloudFormation template reference,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-instance.html#cfn-ec2-instance-userdata).
 * The instance id stays, so cloud-init's scripts_user module, which runs once per instance, would skip
 * the new script. cloud-init documents changing a module's frequency by listing it as [name, frequency]
 * ("How to change a module's run frequency", docs.cloud-init.io/en/latest/howto/module_run_frequency.html),
 * and a text/cloud-config part of a MIME multi-part user data sets that list
 * ("User data formats: MIME multi-part archive", docs.cloud-init.io/en/latest/explanation/format.html);
 * AWS's knowledge-center answer "run user data with every restart" uses this exact archive. The list
 * replaces the image's final-stage list, so it keeps upstream cloud.cfg's other final modules.
 * The scripts therefore have to be idempotent: see containers.ts and kubeadm.ts.
 */

const BOUNDARY = 'PLINTH_MIME_BOUNDARY';

/** The final-stage modules of upstream cloud.cfg, with scripts-user raised to every boot. */
export const EVERY_BOOT_CLOUD_CONFIG = `#cloud-config
cloud_final_modules:
  - scripts-vendor
  - scripts-per-once
  - scripts-per-boot
  - scripts-per-instance
  - [scripts-user, always]
  - ssh-authkey-fingerprints
  - keys-to-console
  - final-message
  - power-state-change`;

function part(contentType: string, filename: string, body: string): string {
  return `--${BOUNDARY}
Content-Type: ${contentType}; charset="us-ascii"
MIME-Version: 1.0
Content-Transfer-Encoding: 7bit
Content-Disposition: attachment; filename="${filename}"

${body.replace(/\n?$/, '\n')}`;
}

/** A MIME multi-part user data: the cloud-config part, then the script, which cloud-init runs at every boot. */
export function everyBoot(script: string): string {
  if (script.includes(`--${BOUNDARY}`)) throw new Error(`E_MIME_BOUNDARY: the script contains the MIME boundary ${BOUNDARY}`);
  return `Content-Type: multipart/mixed; boundary="${BOUNDARY}"
MIME-Version: 1.0

${part('text/cloud-config', 'every-boot.cfg', EVERY_BOOT_CLOUD_CONFIG)}
${part('text/x-shellscript', 'plinth.sh', script)}
--${BOUNDARY}--
`;
}

/** The script part of a user data made by everyBoot, for tests and tools. */
export function scriptOf(userData: string): string {
  const start = userData.indexOf('#!/bin/bash');
  const end = userData.lastIndexOf(`\n--${BOUNDARY}--`);
  if (start < 0 || end < start) throw new Error('E_NOT_EVERY_BOOT: no plinth script part in this user data');
  return userData.slice(start, end);
}
