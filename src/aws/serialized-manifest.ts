/**
 * A KubernetesManifest for rendered objects (plain JSON from cdk8s, no CDK tokens), with its `Manifest`
 * property written once by JSON.stringify instead of by the token-aware serializer.
 *
 * aws-eks-v2 passes the objects through `stack.toJsonString`, a lazy value that resolves and re-serializes
 * the whole document every time the template is resolved: once to find cross-stack references and once
 * to write the template. At 500 apps (3,000 objects in one property) that was over a second of a synth,
 * for a value with nothing to resolve. The construct is still aws-eks-v2's own (its provider, its prune
 * label, its custom resource and path); only the property's text is supplied, through the documented
 * escape hatch (`addPropertyOverride`), and it is the same text (test/aws/serialized-manifest.test.ts).
 */
import { Token, type CfnResource } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';

type Manifest = Record<string, unknown>;

export function serializedManifest(scope: Construct, id: string, cluster: eks.ICluster, objects: readonly Manifest[]): eks.KubernetesManifest {
  const manifest = objects.map(ownCopy);
  const resource = new eks.KubernetesManifest(scope, id, { cluster, manifest });
  // Objects that carry a token (none that plinth renders) keep the library's serializer, which resolves it.
  if (manifest.some(carriesToken)) return resource;
  // After construction: the construct has added its prune label to each object's labels.
  (resource.node.defaultChild as CfnResource).addPropertyOverride('Manifest', JSON.stringify(manifest));
  // The library's lazy value still serializes this array at every resolution; left empty, that is "[]",
  // which the override replaces.
  manifest.length = 0;
  return resource;
}

/**
 * KubernetesManifest adds its prune label by replacing `metadata.labels` on the objects it is given;
 * the rendered objects are also written to files (k8s/write.ts), so it gets its own object and metadata.
 */
function ownCopy(o: Manifest): Manifest {
  return o.metadata ? { ...o, metadata: { ...(o.metadata as Manifest) } } : { ...o };
}

/** Any CDK token (encoded string, list or number, or a resolvable object) in keys or values. */
function carriesToken(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (value === null || typeof value !== 'object') return false;
  if (Token.isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(carriesToken);
  return Object.entries(value).some(([k, v]) => Token.isUnresolved(k) || carriesToken(v));
}
