/**
 * Argo CD Image Updater: moves Argo CD Applications to the newest image tag of the platform's ECR
 * repositories that matches the release convention (seed 001: `prod-YYYYMMDD-HHMM`).
 *
 * How the newest tag is picked: `allowTags: regexp:^prod-\d{8}-\d{4}$` keeps only release tags, then
 * `updateStrategy: alphabetical` takes the lexically greatest. The timestamp is fixed-width, zero-padded
 * and most-significant first, so lexical order *is* time order (`prod-20260131-2359` < `prod-20260201-0000`).
 * `newest-build` was rejected: it orders by the image's build date, which it must fetch per tag
 * (one manifest and config-blob pull per candidate, counted against ECR API rates), and which lies for
 * reproducible builds (fixed creation dates) and for an old image re-tagged as a new release. The tag
 * carries the release time the pipeline meant; alphabetical reads it without a registry round-trip.
 *
 * Registry credentials come from an `ext:` script calling `aws ecr get-authorization-token` with the
 * controller's Pod Identity credentials (the token lasts 12 h; credsexpire refreshes it at 10 h).
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ControllerDefinition, HelmChartRef } from '../controller.js';
import { ARGO_CD_NAMESPACE } from './argo-cd.js';
import { ControllerConfigError } from './errors.js';

/**
 * Chart 1.3.1 = controller v1.3.0 (v1.3.0 released 2026-08-13, argocd-image-updater PR #1779; chart
 * pin per github.com/argoproj/argo-helm tag argocd-image-updater-1.3.1). v1.x is configured by
 * `ImageUpdater` resources, not Application annotations.
 */
export const IMAGE_UPDATER_CHART: HelmChartRef = {
  repository: 'https://argoproj.github.io/argo-helm',
  chart: 'argocd-image-updater',
  version: '1.3.1',
};

/** Seed 001's release tags: `prod-` + UTC date + time, e.g. `prod-20260214-0930`. */
export const RELEASE_TAG_PATTERN = '^prod-\\d{8}-\\d{4}$';

const SERVICE_ACCOUNT = 'argocd-image-updater';
const ECR_LOGIN_SCRIPT = 'ecr-login.sh';

export interface EcrRepositoryRef {
  /** Repository name, e.g. `backend`; becomes the image alias. */
  readonly name: string;
  readonly arn: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`; a token is fine. */
  readonly uri: string;
}

export interface ImageUpdaterOptions {
  /** The platform's ECR repositories the updater may read. */
  readonly repositories: readonly EcrRepositoryRef[];
  /**
   * Regular expression a tag must match to be deployed.
   * @default RELEASE_TAG_PATTERN (`^prod-\d{8}-\d{4}$`)
   */
  readonly allowTags?: string;
  /**
   * Whether to add one `ImageUpdater` for every Application. Off when plinth renders its own per-app
   * updaters (apps with a tag pattern): two updaters writing the same image would fight.
   * @default true
   */
  readonly everyApplication?: boolean;
}

export function argoCdImageUpdater(options: ImageUpdaterOptions & { readonly region: string }): ControllerDefinition {
  if (options.repositories.length === 0) {
    throw new ControllerConfigError('E_NO_REPOSITORIES', 'the Argo CD Image Updater was asked for, but no ECR repositories were given for it to watch; '
      + 'add container repositories to the spec or turn the image updater off.');
  }
  const registry = `${Aws.ACCOUNT_ID}.dkr.ecr.${options.region}.${Aws.URL_SUFFIX}`;
  return {
    name: 'argocd-image-updater',
    // The updater only sees Applications in its own namespace.
    namespace: ARGO_CD_NAMESPACE,
    serviceAccount: SERVICE_ACCOUNT,
    chart: IMAGE_UPDATER_CHART,
    purpose: 'Deploys the newest release tag (prod-YYYYMMDD-HHMM) of the platform\'s ECR images to Argo CD Applications.',
    values: {
      serviceAccount: { create: true, name: SERVICE_ACCOUNT },
      extraEnv: [{ name: 'AWS_REGION', value: options.region }],
      authScripts: {
        enabled: true,
        scripts: {
          [ECR_LOGIN_SCRIPT]: [
            '#!/bin/sh',
            'set -e',
            // The root file system is read-only; the AWS CLI may write its cache under HOME.
            'export HOME=/tmp',
            'aws ecr get-authorization-token --region "$AWS_REGION" --output text --query \'authorizationData[].authorizationToken\' | base64 -d',
          ].join('\n') + '\n',
        },
      },
      config: {
        registries: [{
          name: 'ECR',
          prefix: registry,
          api_url: `https://${registry}`,
          credentials: `ext:/scripts/${ECR_LOGIN_SCRIPT}`,
          credsexpire: '10h',
        }],
      },
    },
    statements: [
      new iam.PolicyStatement({
        sid: 'EcrLogin',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'ReadPlatformRepositories',
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:DescribeImages', 'ecr:GetDownloadUrlForLayer', 'ecr:ListImages'],
        resources: options.repositories.map((r) => r.arn),
      }),
    ],
    wildcardReasons: {
      EcrLogin: 'ecr:GetAuthorizationToken supports no resource-level scoping; the token only authenticates, and what it can '
        + 'read is limited by ReadPlatformRepositories to the platform repositories.',
    },
    manifests: options.everyApplication === false ? [] : [{
      apiVersion: 'argocd-image-updater.argoproj.io/v1alpha1',
      kind: 'ImageUpdater',
      metadata: { name: 'platform-images', namespace: ARGO_CD_NAMESPACE },
      spec: {
        commonUpdateSettings: { updateStrategy: 'alphabetical', allowTags: `regexp:${options.allowTags ?? RELEASE_TAG_PATTERN}` },
        // Every Application, but only for images it already runs (forceUpdate stays false), so an app
        // that does not use `backend` is never given it.
        applicationRefs: [{
          namePattern: '*',
          images: options.repositories.map((r) => ({ alias: imageAlias(r.name), imageName: r.uri })),
        }],
      },
    }],
  };
}

/** Aliases must match `^[a-zA-Z0-9][a-zA-Z0-9-._]*$`; ECR names may also contain `/`. */
function imageAlias(repositoryName: string): string {
  return repositoryName.replace(/\//g, '.');
}
