/** PlatformCluster from its narrow props: a cluster section and a few ids from the data stack in a bare stack, no Plan. */
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { describe, expect, it } from 'vitest';
import { PlatformCluster, type PlatformClusterProps } from '../../../src/aws/cluster/platform-cluster.js';
import type { ClusterPlan } from '../../../src/plan/types.js';
import { bareNetwork, bareStack } from './bare.js';

const cluster: ClusterPlan = {
  ref: 'cluster', name: 'shop-prod', version: '1.34', supportType: 'STANDARD', publicAccessCidrs: [], secretsEncryption: true,
  logTypes: ['api', 'audit'], logRetentionDays: 30, tier: 'private', subnets: ['private-a', 'private-b'],
  nodeGroups: [{
    ref: 'cluster/nodeGroups/general', name: 'general', instanceTypes: ['m7g.large'], capacity: 'ON_DEMAND', minSize: 1, maxSize: 3,
    desiredSize: 2, diskGiB: 50, labels: {}, taints: [], amiType: 'AL2023_ARM_64_STANDARD', architecture: 'arm64', gpu: false,
    tier: 'private', subnets: ['private-a', 'private-b'], keyPair: undefined, nodegroupName: undefined,
  }],
  addons: [], access: [], teams: [],
  controllers: { loadBalancer: false, externalSecrets: true, externalDns: true, imageUpdater: false, nvidiaDevicePlugin: false },
  autoscaling: 'none', karpenterCapacity: [], gitops: undefined, argocd: { mode: 'none' },
  serviceIpv4Cidr: '172.20.0.0/16', apiServiceIp: '172.20.0.1',
};

function synth(props: Partial<PlatformClusterProps> | ((stack: Stack) => Partial<PlatformClusterProps>)) {
  const stack = bareStack('Cluster');
  const given = typeof props === 'function' ? props(stack) : props;
  new PlatformCluster(stack, 'Cluster', { cluster, label: 'plinth shop/prod', region: 'eu-west-1', network: bareNetwork(stack), ...given });
  return Template.fromStack(stack);
}

const SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:shop-prod/db/orders-AbCdEf';
const charts = (template: Template) => Object.values(template.findResources('Custom::AWSCDK-EKS-HelmChart')).map((r) => JSON.stringify(r.Properties));

describe('PlatformCluster', () => {
  it('GIVEN a file system id and a database secret WHEN synthesized THEN a StorageClass holds the id, External Secrets may read the secret, and the kubeconfig command names the region', () => {
    const template = synth({ fileSystemIds: { shared: 'fs-0123456789abcdef0' }, secretArns: [SECRET] });
    const baseline = JSON.stringify(Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).map((r) => r.Properties.Manifest));
    expect(baseline).toContain('efs-shared');
    expect(baseline).toContain('fs-0123456789abcdef0');
    const readers = Object.values(template.toJSON().Resources as Record<string, { Type: string }>)
      .filter((r) => r.Type.startsWith('AWS::IAM::') && JSON.stringify(r).includes('secretsmanager:GetSecretValue'));
    expect(readers).toHaveLength(1);
    expect(JSON.stringify(readers[0])).toContain(SECRET);
    template.hasOutput('*', { Value: 'aws eks update-kubeconfig --name shop-prod --region eu-west-1' });
    // external-dns is asked for, but without a zone there is nothing for it to write to.
    expect(charts(template).filter((c) => c.includes('external-dns'))).toEqual([]);
  });

  it('GIVEN a zone THEN external-dns is installed for that zone only', () => {
    const template = synth((stack) => ({
      secretArns: [SECRET],
      zone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0SHOP', zoneName: 'shop.example' }),
    }));
    const externalDns = charts(template).filter((c) => c.includes('external-dns'));
    expect(externalDns).toHaveLength(1);
    expect(externalDns[0]).toContain('shop.example');
    expect(externalDns[0]).toContain('--zone-id-filter=Z0SHOP');
    expect(JSON.stringify(template.toJSON())).toContain(':route53:::hostedzone/Z0SHOP');
  });
});
