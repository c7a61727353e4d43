/**
 * AWS Load Balancer Controller: turns Ingresses into ALBs and LoadBalancer Services into NLBs, in the
 * cluster's VPC. It is wave 0: everything that can create an Ingress or a Service is installed after
 * it and removed before it, so the controller is still there to delete the load balancers it made.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ControllerDefinition, HelmChartRef } from '../controller.js';
import { ControllerConfigError } from './errors.js';

/**
 * Chart 3.2.2 = controller v3.2.2 (chart and app versions are equal since v3;
 * https://github.com/aws/eks-charts/issues/1312). 3.4.2 is newer (eks-charts PR #1347, 2026-07-13),
 * but aws-cdk-lib 2.276 vendors the IAM policy only up to v3.2.2 (`aws-eks-v2/lib/addons/`,
 * `AlbControllerVersion.V3_2_2`), and the policy must match the controller it is for. URL rewrite
 * (`alb.ingress.kubernetes.io/transforms.*`) needs ≥ v2.14.1 (eks-charts PR #1261, 2025-10-17).
 * Bump chart and policy together: synth fails if the policy file for the pinned version is missing.
 */
export const LOAD_BALANCER_CONTROLLER_CHART: HelmChartRef = {
  repository: 'https://aws.github.io/eks-charts',
  chart: 'aws-load-balancer-controller',
  version: '3.2.2',
};

const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'aws-load-balancer-controller';

export interface LoadBalancerControllerOptions {
  readonly clusterName: string;
  readonly region: string;
  /** The cluster's VPC; given explicitly so the controller never depends on IMDS to find it. */
  readonly vpcId: string;
}

export function loadBalancerController(options: LoadBalancerControllerOptions): ControllerDefinition {
  return {
    name: 'aws-load-balancer-controller',
    namespace: NAMESPACE,
    serviceAccount: SERVICE_ACCOUNT,
    chart: LOAD_BALANCER_CONTROLLER_CHART,
    purpose: 'Provisions ALBs for Ingresses (IngressGroups share one ALB; URL rewrite needs ≥ v2.14.1) and NLBs for LoadBalancer Services.',
    wave: 0,
    // Its webhooks admit every Service and Ingress created after it.
    wait: true,
    // The chart generates a new webhook certificate and caBundle on every render
    // (aws-load-balancer-controller#1828, eks-charts#347); compared, they flap OutOfSync for ever.
    ignoreDifferences: [
      { group: '', kind: 'Secret', name: 'aws-load-balancer-tls', jsonPointers: ['/data'] },
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', name: 'aws-load-balancer-webhook', jqPathExpressions: ['.webhooks[].clientConfig.caBundle'] },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', name: 'aws-load-balancer-webhook', jqPathExpressions: ['.webhooks[].clientConfig.caBundle'] },
    ],
    values: {
      clusterName: options.clusterName,
      region: options.region,
      vpcId: options.vpcId,
      serviceAccount: { create: true, name: SERVICE_ACCOUNT },
      // Two replicas behind a PDB: a drained node never leaves Ingresses unreconciled or the webhook down.
      replicaCount: 2,
      podDisruptionBudget: { maxUnavailable: 1 },
      // IngressGroups (alb.ingress.kubernetes.io/group.name) work per IngressClass: create the `alb`
      // class and its IngressClassParams so Ingresses select it by ingressClassName instead of the
      // deprecated annotation; it is not made the cluster default, so other controllers can coexist.
      createIngressClassResource: true,
      ingressClass: 'alb',
      ingressClassParams: { create: true },
      ingressClassConfig: { default: false },
    },
    // Also enough for the Ingresses' own security groups (k8s/ingress.ts): the controller finds them with
    // ec2:DescribeSecurityGroups (by Name tag) and attaches them with elasticloadbalancing:CreateLoadBalancer
    // and SetSecurityGroups, which the policy grants for the load balancers it tags.
    statements: albControllerStatements(controllerVersionOf(LOAD_BALANCER_CONTROLLER_CHART)),
    wildcardReasons: {
      default: 'this is AWS\'s official policy for the controller version (vendored in aws-cdk-lib): EC2/ELB Describe and '
        + 'certificate/WAF/Shield lookups support no resource-level scoping, load balancers, target groups and security groups '
        + 'get generated names when created, and every modify or delete is conditioned on the elbv2.k8s.aws/cluster tag the '
        + 'controller puts on what it creates.',
    },
  };
}

/** Since v3 the chart version is the controller version; before, chart 1.x.y shipped controller 2.x.y. */
function controllerVersionOf(chart: HelmChartRef): string {
  const [major, ...rest] = chart.version.split('.');
  return major === '1' ? `2.${rest.join('.')}` : chart.version;
}

/**
 * The controller's official policy, as vendored in the installed aws-cdk-lib (read at synth, no
 * network), with `arn:aws:` made partition-neutral the way aws-eks-v2's own AlbController does.
 */
export function albControllerStatements(controllerVersion: string): iam.PolicyStatement[] {
  const file = join(dirname(createRequire(import.meta.url).resolve('aws-cdk-lib/package.json')),
    'aws-eks-v2', 'lib', 'addons', `alb-iam_policy-v${controllerVersion}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ControllerConfigError('E_ALB_POLICY_MISSING', `the installed aws-cdk-lib has no IAM policy for AWS Load Balancer Controller v${controllerVersion} (${file}); `
      + 'pin a controller version aws-cdk-lib vendors (aws-eks-v2 AlbControllerVersion) or upgrade aws-cdk-lib.');
  }
  const document = JSON.parse(text) as { Statement: Record<string, unknown>[] };
  return document.Statement.map((statement) => iam.PolicyStatement.fromJson({
    ...statement,
    Resource: partitionNeutral(statement.Resource as string | string[]),
  }));
}

function partitionNeutral(resource: string | string[]): string | string[] {
  const rewrite = (arn: string): string => arn.replace(/^arn:aws:/, `arn:${Aws.PARTITION}:`);
  return Array.isArray(resource) ? resource.map(rewrite) : rewrite(resource);
}
