/** Workloads from its narrow props: an imported cluster, two apps, a role and a chart in a bare stack, no Plan. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { Workloads, type WorkloadsProps } from '../../../src/aws/workloads.js';
import type { ChartPlan } from '../../../src/plan/workloads.js';
import { bareStack } from './bare.js';

const redis: ChartPlan = {
  release: 'redis', namespace: 'data', repository: 'oci://registry-1.docker.io/bitnamicharts', chart: 'redis', version: '20.1.0',
  values: { architecture: 'standalone' }, wave: 1, podSecurity: 'baseline', timeoutMinutes: 10, wait: true, needsSecrets: [],
};
const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' } };

function synth(props: Partial<WorkloadsProps>) {
  const stack = bareStack('Cluster');
  const cluster = eks.Cluster.fromClusterAttributes(stack, 'Eks', {
    clusterName: 'shop-prod',
    kubectlProvider: eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'Kubectl', {
      serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:kubectl',
      role: iam.Role.fromRoleArn(stack, 'KubectlRole', 'arn:aws:iam::111111111111:role/kubectl'),
    }),
  });
  const after = new Construct(stack, 'Controllers');
  const role = iam.Role.fromRoleArn(stack, 'ApiRole', 'arn:aws:iam::111111111111:role/api');
  new Workloads(stack, 'Workloads', { cluster, clusterName: 'shop-prod', roles: { api: role }, after, ...props });
  return Template.fromStack(stack);
}

describe('Workloads', () => {
  it('GIVEN two apps and a role for one WHEN synthesized THEN only that app gets a Pod Identity association, for its namespace and service account', () => {
    const template = synth({ apps: [{ name: 'api', namespace: 'shop' }, { name: 'web', namespace: 'shop' }] });
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: 'shop-prod', Namespace: 'shop', ServiceAccount: 'api', RoleArn: 'arn:aws:iam::111111111111:role/api',
    });
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
  });

  it('GIVEN manifests and a chart THEN prerequisites, the chart, then the rest, each step after every earlier one', () => {
    const template = synth({ manifests: [{ path: 'shop/api.yaml', namespace: 'shop', objects: [namespace, deployment] }], charts: [redis] });
    const manifests = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
    const charts = template.findResources('Custom::AWSCDK-EKS-HelmChart');
    expect(Object.keys(charts)).toHaveLength(1);
    const [chartId, chart] = Object.entries(charts)[0]!;
    expect(chart.Properties).toMatchObject({ Release: 'redis', Namespace: 'data', Version: '20.1.0', Wait: true, Timeout: '600s',
      Repository: 'oci://registry-1.docker.io/bitnamicharts/redis' });
    const byKind = (kind: string) => Object.entries(manifests).find(([, r]) => JSON.stringify(r.Properties.Manifest).includes(`\\"kind\\":\\"${kind}\\"`))!;
    const [prerequisitesId] = byKind('Namespace');
    const [restId, rest] = byKind('Deployment');
    expect(prerequisitesId).not.toBe(restId);
    expect(chart.DependsOn).toContain(prerequisitesId);
    expect(rest.DependsOn).toEqual(expect.arrayContaining([prerequisitesId, chartId]));
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Values: Match.serializedJson({ architecture: 'standalone' }) });
  });
});
