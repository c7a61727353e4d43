/** The kubectl layer is one minor version newer than the cluster (the same minor for 1.36: npm has no v37), so EKS auto-upgrades stay drivable. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { kubectlLayer } from '../../src/aws/cluster/kubectl-layer.js';

describe('kubectlLayer', () => {
  it.each([['1.32', 'kubectl 1.33'], ['1.33', 'kubectl 1.34'], ['1.34', 'kubectl 1.35'], ['1.35', 'kubectl 1.36'], ['1.36', 'kubectl 1.36']] as const)('GIVEN a %s cluster THEN the layer holds kubectl %s', (version, kubectl) => {
    const stack = new Stack(new App(), 'S');
    kubectlLayer(stack, 'Layer', version);
    const [layer] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::LayerVersion'));
    expect(String(layer!.Properties.Description)).toContain(kubectl);
  });
});
