/**
 * EKS versions plinth can create: when each leaves standard and extended support, the exact managed
 * add-on builds pinned for it, and the kubectl/Helm layer its kubectl Lambda uses. Pins are in code
 * so the same spec gives the same cluster next year; refresh them with
 * `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>` (defaultVersion: true
 * marks the recommended build) and move the source's date.
 */
import type { KubernetesVersion } from '../types.js';
import type { SourceKey } from './sources.js';
import type { SupportWindow } from './support.js';

export interface EksVersionEntry extends SupportWindow {
  readonly version: KubernetesVersion;
  readonly released: string;
  readonly source: SourceKey;
  /**
   * The kubectl layer package (`@aws-cdk/lambda-layer-kubectl-vNN`): one minor newer than the
   * cluster where npm has it, so a cluster EKS upgrades at the end of standard support stays in
   * kubectl's ±1 skew; the same minor for the newest version (no newer layer is published).
   */
  readonly kubectlLayer: 'v33' | 'v34' | 'v35' | 'v36';
}

/** Oldest first. Each minor: 14 months of standard support, then 12 of extended (eks-kubernetes-versions). */
export const EKS_VERSIONS: readonly EksVersionEntry[] = [
  { version: '1.32', released: '2025-01-25', standardSupportEnds: '2026-03-23', extendedSupportEnds: '2027-03-23', source: 'eol-eks', kubectlLayer: 'v33' },
  { version: '1.33', released: '2025-05-28', standardSupportEnds: '2026-07-29', extendedSupportEnds: '2027-07-29', source: 'eol-eks', kubectlLayer: 'v34' },
  { version: '1.34', released: '2025-10-06', standardSupportEnds: '2026-12-02', extendedSupportEnds: '2027-12-02', source: 'eol-eks', kubectlLayer: 'v35' },
  { version: '1.35', released: '2026-01-28', standardSupportEnds: '2027-03-27', extendedSupportEnds: '2028-03-27', source: 'eol-eks', kubectlLayer: 'v36' },
  { version: '1.36', released: '2026-06-02', standardSupportEnds: '2027-08-02', extendedSupportEnds: '2028-08-02', source: 'eol-eks-1.36', kubectlLayer: 'v36' },
];

export type AddonName =
  | 'vpc-cni' | 'eks-pod-identity-agent' | 'kube-proxy'
  | 'coredns' | 'aws-ebs-csi-driver' | 'aws-efs-csi-driver' | 'metrics-server';

export interface AddonPin {
  readonly version: string;
  readonly source: SourceKey;
}

const pin = (version: string, source: SourceKey): AddonPin => ({ version, source });
const every = (version: string, source: SourceKey): Record<KubernetesVersion, AddonPin> => ({
  '1.32': pin(version, source), '1.33': pin(version, source), '1.34': pin(version, source), '1.35': pin(version, source), '1.36': pin(version, source),
});

/**
 * The build of each add-on per Kubernetes version. Where one build is used for every version, the
 * add-on is published as one build for all supported versions (the choice is AWS's, not ours).
 * A missing entry makes that version unusable with the add-on (E_ADDON_VERSION).
 */
export const ADDON_PINS: Readonly<Record<AddonName, Partial<Record<KubernetesVersion, AddonPin>>>> = {
  'vpc-cni': every('v1.22.3-eksbuild.1', 'vpc-cni-moj-4678'),
  'kube-proxy': {
    '1.32': pin('v1.32.13-eksbuild.16', 'eks-kube-proxy-table'),
    '1.33': pin('v1.33.10-eksbuild.13', 'eks-kube-proxy-table'),
    '1.34': pin('v1.34.6-eksbuild.13', 'eks-kube-proxy-table'),
    '1.35': pin('v1.35.3-eksbuild.13', 'eks-kube-proxy-table'),
    '1.36': pin('v1.36.0-eksbuild.14', 'eks-kube-proxy-table'),
  },
  // The agent does not depend on the Kubernetes minor; v1.3.10-eksbuild.3 is pinned from 1.30 to 1.35.
  'eks-pod-identity-agent': every('v1.3.10-eksbuild.3', 'aws-eks-v2-addon-pins'),
  coredns: {
    '1.32': pin('v1.11.4-eksbuild.40', 'eks-coredns-table'),
    '1.33': pin('v1.12.4-eksbuild.18', 'eks-coredns-table'),
    '1.34': pin('v1.13.2-eksbuild.11', 'eks-coredns-table'),
    '1.35': pin('v1.14.3-eksbuild.3', 'eks-coredns-table'),
    '1.36': pin('v1.14.3-eksbuild.3', 'eks-coredns-table'),
  },
  'aws-ebs-csi-driver': every('v1.66.0-eksbuild.1', 'csi-ol-5959'),
  'aws-efs-csi-driver': every('v3.4.2-eksbuild.1', 'csi-ol-5959'),
  // Pinned for 1.31-1.35 in public aws-eks-v2 code; 1.36 rests on upstream's matrix (0.8.x: 1.31+).
  'metrics-server': {
    '1.32': pin('v0.8.1-eksbuild.5', 'aws-eks-v2-addon-pins'),
    '1.33': pin('v0.8.1-eksbuild.5', 'aws-eks-v2-addon-pins'),
    '1.34': pin('v0.8.1-eksbuild.5', 'aws-eks-v2-addon-pins'),
    '1.35': pin('v0.8.1-eksbuild.5', 'aws-eks-v2-addon-pins'),
    '1.36': pin('v0.8.1-eksbuild.5', 'metrics-server-compat'),
  },
};

export function eksVersion(version: string): EksVersionEntry | undefined {
  return EKS_VERSIONS.find((e) => e.version === version);
}
