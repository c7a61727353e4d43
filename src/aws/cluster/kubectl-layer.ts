/**
 * The kubectl/Helm Lambda layer the version calendar names for a cluster version (calendar/eks.ts):
 * one minor newer than the cluster where npm publishes it, so a cluster EKS upgrades automatically
 * at the end of standard support stays within kubectl's one-minor skew.
 */
import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { eksVersion, type EksVersionEntry } from '../../plan/calendar/eks.js';
import type { KubernetesVersion } from '../../plan/types.js';

const LAYERS: Readonly<Record<EksVersionEntry['kubectlLayer'], new (scope: Construct, id: string) => lambda.ILayerVersion>> = {
  v33: KubectlV33Layer,
  v34: KubectlV34Layer,
  v35: KubectlV35Layer,
  v36: KubectlV36Layer,
};

export function kubectlLayer(scope: Construct, id: string, version: KubernetesVersion): lambda.ILayerVersion {
  const entry = eksVersion(version);
  if (!entry) throw new Error(`Kubernetes ${version} is not in the version calendar; the plan should have refused it.`);
  return new LAYERS[entry.kubectlLayer](scope, id);
}
