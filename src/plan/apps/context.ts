/**
 * The context workloads are planned in, and the names and defaults every part of the workload plan shares.
 */
import type { Diagnostics } from '../../spec/diagnostics.js';
import type { PlatformSpec } from '../../spec/schema.js';
import type { FlowBuilder } from '../flows.js';
import type { Plan } from '../types.js';
import type { Labels } from '../workloads.js';

/** The parts of the plan workloads are resolved against, plus the spec and the shared builders. */
export interface WorkloadContext
  extends Pick<Plan, 'network' | 'cluster' | 'databases' | 'fileSystems' | 'buckets' | 'repositories' | 'servers' | 'dns'> {
  readonly spec: PlatformSpec;
  readonly flows: FlowBuilder;
  readonly diags: Diagnostics;
}

/** The ClusterSecretStore the External Secrets controller is installed with (src/aws/cluster/controllers). */
export const SECRET_STORE = 'aws-secrets-manager';
/** The gp3 StorageClass persistent volumes use (EBS CSI driver). */
export const EBS_STORAGE_CLASS = 'gp3';
/** Default non-root user: above the range distributions give system and login users. */
export const DEFAULT_USER = 10001;

/** S3 actions an app with `talksTo: [s3:BUCKET]` gets on that bucket, and nothing else. */
export const S3_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 's3:AbortMultipartUpload'] as const;

/** Where the EKS Pod Identity agent answers on every node. */
export const POD_IDENTITY_AGENT = '169.254.170.23/32';

/** The Secrets Manager name of a database's master credentials; aws/data.ts names the secret so. */
export function databaseSecretName(platform: string, environment: string, database: string): string {
  return `${platform}-${environment}/db/${database}`;
}

/** Labels of an app's pods. */
export function appLabels(name: string): Labels {
  return { 'app.kubernetes.io/name': name };
}
