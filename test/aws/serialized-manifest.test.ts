/**
 * serializedManifest against aws-eks-v2's KubernetesManifest given the same objects: the same template,
 * byte for byte, and the rendered objects left as they were (they are also written to files).
 */
import { Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { serializedManifest } from '../../src/aws/serialized-manifest.js';
import { bareStack } from './props/bare.js';

type Manifest = Record<string, unknown>;

function clusterIn(stack: Stack, prune = true): eks.ICluster {
  return eks.Cluster.fromClusterAttributes(stack, 'Eks', {
    clusterName: 'shop-prod',
    prune,
    kubectlProvider: eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'Kubectl', {
      serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:kubectl',
      role: iam.Role.fromRoleArn(stack, 'KubectlRole', 'arn:aws:iam::111111111111:role/kubectl'),
    }),
  });
}

/** The same objects through the library's construct and through serializedManifest, in identical stacks. */
function both(objects: (stack: Stack) => Manifest[], prune = true): { library: string; serialized: string } {
  const library = bareStack('Cluster');
  new eks.KubernetesManifest(library, 'Manifests', { cluster: clusterIn(library, prune), manifest: structuredClone(objects(library)) });
  const serialized = bareStack('Cluster');
  serializedManifest(serialized, 'Manifests', clusterIn(serialized, prune), objects(serialized));
  return { library: JSON.stringify(Template.fromStack(library).toJSON()), serialized: JSON.stringify(Template.fromStack(serialized).toJSON()) };
}

const deployment = (): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'api' }, annotations: { note: 'quotes " \\ and \u2028, é, 😀, <tag> & \'' } },
  spec: { replicas: 2, paused: false, minReadySeconds: 0.5, selector: { matchLabels: { app: 'api' } }, template: { spec: { containers: [{ name: 'api', args: ['--port', '8080', ''], env: [] }], tolerations: [null] } } },
});

describe('serializedManifest', () => {
  it('GIVEN rendered objects (metadata, escapes, numbers, empty and null entries) THEN the template is the library construct\'s, byte for byte', () => {
    const { library, serialized } = both(() => [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, deployment(), { apiVersion: 'v1', kind: 'List', items: [] }]);
    expect(serialized).toBe(library);
    expect(serialized).toContain('aws.cdk.eks/prune-');
  });

  it('GIVEN a cluster without pruning THEN the same template too', () => {
    const { library, serialized } = both(() => [deployment()], false);
    expect(serialized).toBe(library);
    expect(serialized).not.toContain('aws.cdk.eks/prune-');
  });

  it('GIVEN an object carrying a CDK token THEN the library serializes it and resolves the token', () => {
    const withToken = (stack: Stack): Manifest[] => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { account: stack.account } }];
    const { library, serialized } = both(withToken);
    expect(serialized).toBe(library);
    expect(serialized).toContain('AWS::AccountId');
  });

  it.each([
    ['a number token', () => ({ spec: { replicas: Lazy.number({ produce: () => 3 }) } }), '\\"replicas\\":3'],
    ['a list token', () => ({ spec: { args: Lazy.list({ produce: () => ['--x'] }) } }), '\\"args\\":[\\"--x\\"]'],
    ['a token in a key', () => ({ data: { [Lazy.string({ produce: () => 'k' })]: 'v' } }), '\\"k\\":\\"v\\"'],
  ])('GIVEN %s THEN the library resolves it too', (_, extra, resolved) => {
    const { library, serialized } = both(() => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, ...extra() }]);
    expect(serialized).toBe(library);
    expect(serialized).toContain(resolved);
  });

  it('GIVEN rendered objects THEN they are left as they were: the prune label goes on copies', () => {
    const objects = [deployment()];
    const before = structuredClone(objects);
    const stack = bareStack('Cluster');
    serializedManifest(stack, 'Manifests', clusterIn(stack), objects);
    expect(objects).toEqual(before);
  });
});
