/**
 * The kubectl/Helm Lambda layer for a cluster version: one minor version NEWER than the cluster.
 * kubectl works within one minor version of the API server, so a cluster EKS upgrades automatically
 * at the end of standard support (upgrade policy STANDARD) stays drivable by the same layer.
 */
import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { KubernetesVersion } from '../../plan/types.js';

const LAYER_FOR_VERSION: Readonly<Record<KubernetesVersion, new (scope: Construct, id: string) => lambda.ILayerVersion>> = {
  '1.32': KubectlV33Layer,
  '1.33': KubectlV34Layer,
  '1.34': KubectlV35Layer,
};

export function kubectlLayer(scope: Construct, id: string, version: KubernetesVersion): lambda.ILayerVersion {
  return new LAYER_FOR_VERSION[version](scope, id);
}
