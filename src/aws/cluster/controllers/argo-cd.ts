/**
 * Argo CD, self-hosted from the argo-helm chart. With `gitops` it is the one controller CDK installs
 * itself (bootstrap); every other controller then becomes an Argo CD Application. The alternative is
 * the EKS-managed capability (argo-cd-capability.ts), which needs IAM Identity Center.
 */
import type { ControllerDefinition, HelmChartRef } from '../controller.js';

/** 10.9.0: github.com/entigolabs/entigo-infralib PR #1729, 2026-09-14 (docs/research/cluster-facts.md §4). */
export const ARGO_CD_CHART: HelmChartRef = {
  repository: 'https://argoproj.github.io/argo-helm',
  chart: 'argo-cd',
  version: '10.9.0',
};

/** Where Argo CD and its Applications live; the Image Updater only sees Applications in this namespace. */
export const ARGO_CD_NAMESPACE = 'argocd';

/**
 * Argo CD stopped assessing the health of Application resources in 1.8, so an app-of-apps moves to the
 * next sync wave as soon as the previous child is *created*. This check (from the Argo CD 1.7→1.8
 * upgrade notes) makes a wave wait until its child Applications are Healthy, which is what lets the
 * load balancer controller be ready before anything that creates Services.
 */
export const APPLICATION_HEALTH_CHECK = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil then',
  '  if obj.status.health ~= nil then',
  '    hs.status = obj.status.health.status',
  '    if obj.status.health.message ~= nil then',
  '      hs.message = obj.status.health.message',
  '    end',
  '  end',
  'end',
  'return hs',
].join('\n');

export function argoCd(): ControllerDefinition {
  return {
    // Release `argocd` + the chart's nameOverride `argocd` give the canonical names (argocd-server, ...).
    name: 'argocd',
    namespace: ARGO_CD_NAMESPACE,
    serviceAccount: 'argocd-application-controller',
    chart: ARGO_CD_CHART,
    purpose: 'GitOps: syncs workloads (and, with gitops, the other controllers) from Git and Helm repositories.',
    bootstrap: true,
    // Its CRDs and controller must run before Applications are applied.
    wait: true,
    values: {
      configs: { cm: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_CHECK } },
    },
    statements: [],
  };
}
