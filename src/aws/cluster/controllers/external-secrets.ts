/**
 * External Secrets Operator and one ClusterSecretStore for AWS Secrets Manager. The store has no
 * `auth` block: the operator reads with its own Pod Identity credentials, whose policy names the
 * platform's secrets one by one, so an ExternalSecret can reach those secrets and nothing else.
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ControllerDefinition, HelmChartRef } from '../controller.js';
import { ControllerConfigError } from './errors.js';
import { SECRET_STORE } from '../../../plan/apps/context.js';

/** 2.10.0 (app v2.10.0): github.com/shaman007/home-k3s PR #682, 2026-08-28 (docs/research/cluster-facts.md §4). */
export const EXTERNAL_SECRETS_CHART: HelmChartRef = {
  repository: 'https://charts.external-secrets.io',
  chart: 'external-secrets',
  version: '2.10.0',
};

/**
 * The store ExternalSecrets reference: `secretStoreRef: { kind: ClusterSecretStore, name: aws-secrets-manager }`;
 * one name with the plan's ExternalSecrets (plan/apps/context.ts).
 */
export const SECRETS_MANAGER_STORE = SECRET_STORE;

const NAMESPACE = 'external-secrets';
const SERVICE_ACCOUNT = 'external-secrets';

export interface ExternalSecretsOptions {
  /** Full ARNs of the secrets workloads may read (e.g. the RDS credentials secret); tokens are fine. */
  readonly secretArns: readonly string[];
  /**
   * Customer managed KMS keys the secrets are encrypted with; the operator may decrypt with them only
   * through Secrets Manager (kms:ViaService).
   * @default - none: the secrets use the AWS managed key, which needs no grant
   */
  readonly kmsKeyArns?: readonly string[];
  /**
   * Namespaces whose ExternalSecrets may use the store.
   * @default - every namespace
   */
  readonly namespaces?: readonly string[];
}

export function externalSecrets(options: ExternalSecretsOptions & { readonly region: string }): ControllerDefinition {
  if (options.secretArns.length === 0) {
    throw new ControllerConfigError('E_NO_SECRETS', 'externalSecrets names no secret ARNs, so the store could read nothing; '
      + 'pass the platform secrets (e.g. the database credentials) or leave External Secrets out.');
  }
  const statements = [new iam.PolicyStatement({
    sid: 'ReadPlatformSecrets',
    actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    resources: [...options.secretArns],
  })];
  if (options.kmsKeyArns?.length) {
    statements.push(new iam.PolicyStatement({
      sid: 'DecryptThroughSecretsManager',
      actions: ['kms:Decrypt'],
      resources: [...options.kmsKeyArns],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${options.region}.${Aws.URL_SUFFIX}` } },
    }));
  }
  return {
    name: 'external-secrets',
    namespace: NAMESPACE,
    serviceAccount: SERVICE_ACCOUNT,
    chart: EXTERNAL_SECRETS_CHART,
    purpose: 'Copies the platform\'s Secrets Manager secrets (e.g. database credentials) into Kubernetes Secrets through one ClusterSecretStore.',
    // The store is admitted by the operator's webhook.
    wait: true,
    values: {
      installCRDs: true,
      serviceAccount: { create: true, name: SERVICE_ACCOUNT },
    },
    statements,
    wildcardReasons: {
      ReadPlatformSecrets: 'a secret ARN given as a name pattern (`name-*`) names one secret whatever the random suffix Secrets Manager appends.',
    },
    manifests: [{
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: SECRETS_MANAGER_STORE },
      spec: {
        provider: { aws: { service: 'SecretsManager', region: options.region } },
        ...(options.namespaces ? { conditions: [{ namespaces: [...options.namespaces] }] } : {}),
      },
    }],
  };
}
