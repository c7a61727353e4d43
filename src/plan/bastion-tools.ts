/**
 * `access.bastion.tools`: which command-line tools the bastion gets, and what they need from the rest
 * of the spec. Nothing is downloaded from the internet at boot (no code fetched at deploy time):
 *
 * - aws-cli comes with the Amazon Linux 2023 image (Amazon Linux "includes packages that enable easy
 *   integration with AWS, including … many popular AWS libraries and tools", EC2 user guide, "Amazon
 *   Linux"; user-data/shell.ts installs the CLI only on the images that lack it), so the bastion must run
 *   that image. The user data only checks that `aws` is there and stops with a message if it is not:
 *   it never fetches it.
 * - kubectl is the binary of the kubectl Lambda layer plinth already pins for the cluster
 *   (aws/cluster/kubectl-layer.ts, within kubectl's one-minor skew of the API server), published as
 *   a CDK asset; the bastion copies that one object from the asset bucket and checks its SHA-256.
 *   The layer's binary is linux/amd64 (its Dockerfile downloads bin/linux/amd64/kubectl).
 *
 * With `egress: vpc` the bastion reaches AWS APIs only through interface endpoints, so kubectl brings
 * `eks` (DescribeCluster for `aws eks update-kubeconfig`) and `s3` (its own copy). `aws eks get-token`
 * needs no endpoint: it presigns an STS GetCallerIdentity URL locally (aws-cli
 * awscli/customizations/eks/get_token.py, TokenGenerator), and the API server, not the bastion, calls STS.
 */
import type { Diagnostics } from '../spec/diagnostics.js';
import type { BASTION_TOOLS, PlatformSpec } from '../spec/schema.js';
import { architectureOf } from './instances.js';

export type BastionTool = (typeof BASTION_TOOLS)[number];

/** Interface endpoints the bastion's tools need: only with `egress: vpc`, where nothing else reaches AWS. */
export function bastionToolEndpoints(spec: Pick<PlatformSpec, 'access'>): string[] {
  const bastion = spec.access?.bastion;
  if (!bastion || bastion.egress !== 'vpc') return [];
  return bastion.tools?.includes('kubectl') ? ['eks', 's3'] : [];
}

/** The bastion's tools, after checking the image, the architecture and the path to the cluster. */
export function planBastionTools(spec: Pick<PlatformSpec, 'access' | 'cluster'>, instanceType: string, diags: Diagnostics): readonly BastionTool[] {
  const bastion = spec.access?.bastion;
  const tools = [...new Set(bastion?.tools ?? [])];
  if (!bastion || tools.length === 0) return [];
  const path = ['access', 'bastion'];
  const at = (tool: BastionTool) => [...path, 'tools', bastion.tools!.indexOf(tool)];
  if (bastion.userData !== undefined) {
    diags.error('E_BASTION_TOOLS_USER_DATA', [...path, 'userData'], 'The bastion has tools, so plinth renders its user data; it cannot also run your own script.', {
      fix: 'remove userData, or remove tools and install them in your script',
    });
  }
  const ami = bastion.ami ?? 'amazon-linux-2023';
  if (ami !== 'amazon-linux-2023') {
    diags.error('E_BASTION_TOOLS_AMI', [...path, 'ami'], `The bastion's tools need the Amazon Linux 2023 image, which ships the AWS CLI v2; this bastion runs ${typeof ami === 'string' ? ami : JSON.stringify(ami)}, and plinth downloads nothing at boot.`, {
      allowed: 'amazon-linux-2023',
      fix: 'set ami: amazon-linux-2023 (or leave it out), or remove tools',
    });
  }
  if (tools.includes('kubectl')) {
    if (!tools.includes('aws-cli')) {
      diags.error('E_BASTION_KUBECTL_NEEDS_AWS_CLI', at('kubectl'), 'kubectl signs in to EKS through `aws eks get-token`, and the bastion copies it with the AWS CLI.', {
        fix: 'list both: tools: [aws-cli, kubectl]',
      });
    }
    if (!spec.cluster) {
      diags.error('E_BASTION_KUBECTL_NO_CLUSTER', at('kubectl'), 'kubectl is installed in the version of the spec\'s EKS cluster, and this spec has no cluster section.', {
        fix: 'remove kubectl from tools, or add a cluster section',
      });
    } else if (!(spec.cluster.apiFrom ?? []).includes('bastion')) {
      diags.error('E_BASTION_KUBECTL_NO_API_PATH', at('kubectl'), 'kubectl on the bastion could not reach the Kubernetes API: the cluster\'s security group does not admit the bastion on 443.', {
        fix: 'add bastion to cluster.apiFrom (and to cluster.admins if it should administer the cluster)',
      });
    }
    if (architectureOf(instanceType) !== 'x86_64') {
      diags.error('E_BASTION_TOOLS_ARCH', [...path, 'instanceType'], `${instanceType} is arm64; the kubectl plinth pins (the kubectl layer's binary) is built for x86_64 only.`, {
        fix: 'use an x86_64 instance type such as t3.micro, or remove kubectl from tools',
      });
    }
  }
  return tools;
}
