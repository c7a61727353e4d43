/**
 * Karpenter's nodes are in no template: they are estimated from the NodePool's requirements, the apps'
 * CPU requests beyond the managed node groups, and the region's sourced on-demand and Spot prices.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimatePaths } from '../../src/analyse/cost/index.js';
import { loadPriceTable } from '../../src/analyse/cost/prices.js';
import type { CostComponent, Estimate } from '../../src/analyse/cost/types.js';
import { resource, templateFile } from './support.js';

const H = 730;
const NOW = new Date('2026-12-05T00:00:00Z');
const FRANKFURT = loadPriceTable('eu-central-1');
const price = (key: string) => FRANKFURT.prices[key]!.usd;

function nodePool(capacity: string[], extra: object[] = [], limits: object = { cpu: '64' }) {
  return {
    apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'default' },
    spec: {
      template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [
        { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
        { key: 'karpenter.sh/capacity-type', operator: 'In', values: capacity },
        { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['c5.large', 'm6i.large'] },
        ...extra,
      ] } },
      limits,
    },
  };
}

// 4 replicas × 1 CPU, an HPA from 2 to 8: 2 / 4 / 8 vCPU for the low / base / high profiles.
const APP = [
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'app' }, spec: { replicas: 4, template: { spec: { containers: [{ name: 'api', resources: { requests: { cpu: '1' } } }] } } } },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'app' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 8 } },
];

/** A template directory with the manifests in DIR/k8s, as synth writes them. */
function platform(manifests: object[], resources: Record<string, unknown> = {}, region = 'eu-central-1'): Estimate {
  const dir = dirname(templateFile(resources));
  mkdirSync(join(dir, 'k8s', 'app'), { recursive: true });
  writeFileSync(join(dir, 'k8s', 'app', 'all.yaml'), manifests.map((m) => JSON.stringify(m)).join('\n---\n'));
  return estimatePaths([dir], { region, now: NOW });
}

const nodes = (e: Estimate): CostComponent => resource(e, 'k8s/karpenter/default').components[0]!;

describe('Karpenter nodes', () => {
  it('on-demand: the cheapest allowed type with a price, one node per 94% of its vCPUs, for each profile', () => {
    const line = nodes(platform([nodePool(['on-demand']), ...APP]));
    // c5.large (2 vCPU, 1.88 allocatable) is the cheaper of the two per allocatable vCPU in Frankfurt
    expect(line.name).toBe('Karpenter nodes (c5.large, on-demand)');
    expect(line.quantity).toEqual({ low: 2 * H, base: 3 * H, high: 5 * H });
    expect(line.monthly!.base).toBeCloseTo(3 * H * price('ec2.instance.c5.large'), 6);
    expect(line.notes.join(' ')).toMatch(/estimated: Karpenter launches these nodes at run time/);
    expect(line.notes.join(' ')).toMatch(/the apps request 2 \/ 4 \/ 8 vCPU/);
  });

  it('Spot is priced as Spot, from the sourced snapshot, below on-demand', () => {
    const spot = nodes(platform([nodePool(['spot']), ...APP]));
    expect(spot.name).toBe('Karpenter nodes (c5.large, spot)');
    expect(spot.monthly!.low).toBeCloseTo(2 * H * price('ec2.spot.c5.large.low'), 6);
    expect(spot.monthly!.base).toBeCloseTo(3 * H * price('ec2.spot.c5.large.high'), 6);
    expect(spot.monthly!.high).toBeCloseTo(5 * H * price('ec2.spot.c5.large.high'), 6);
    const onDemand = nodes(platform([nodePool(['on-demand']), ...APP]));
    expect(spot.monthly!.base).toBeLessThan(onDemand.monthly!.base);
    // with both allowed, Karpenter prefers Spot and falls back to on-demand: the high end is on-demand
    const both = nodes(platform([nodePool(['spot', 'on-demand']), ...APP]));
    expect(both.monthly!.low).toBeCloseTo(spot.monthly!.low, 6);
    expect(both.monthly!.high).toBeCloseTo(5 * H * price('ec2.instance.c5.large'), 6);
    expect(both.notes.join(' ')).toMatch(/high at on-demand/);
  });

  it('says Spot is unpriced when no allowed type has a sourced Spot price, and lists it as unpriced', () => {
    // us-east-1 prices c6i.large on-demand (Karpenter's generated list) but has no Spot snapshot for it
    const pool = nodePool(['spot']);
    (pool.spec.template.spec.requirements[2] as { values: string[] }).values = ['c6i.large'];
    const e = platform([pool, ...APP], {}, 'us-east-1');
    const line = nodes(e);
    expect(line.monthly).toBeUndefined();
    expect(line.notes.at(-1)).toBe('no instance type the NodePool allows has a sourced spot price in the us-east-1 table (Spot is unpriced without a sourced Spot snapshot)');
    expect(e.unpriced.some((u) => u.address === 'k8s/karpenter/default' && u.reason.includes('Spot is unpriced'))).toBe(true);
  });

  it('counts only what the managed node groups do not hold, and stops at the NodePool CPU limit', () => {
    const group = { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: 'c', InstanceTypes: ['c5.large'], ScalingConfig: { DesiredSize: 2, MinSize: 2, MaxSize: 2 }, NodeRole: 'arn', Subnets: [] } };
    // 2 × c5.large hold 3.76 vCPU: Karpenter adds 0 / 1 / 3 nodes; a 4-vCPU limit stops it at 2 c5.large
    const line = nodes(platform([nodePool(['on-demand'], [], { cpu: '4' }), ...APP], { Group: group }));
    expect(line.quantity).toEqual({ low: 0, base: 1 * H, high: 2 * H });
    const e = platform([nodePool(['on-demand'], [], { cpu: '4' }), ...APP], { Group: group });
    expect(resource(e, 'k8s/karpenter/default').flags[0]).toMatch(/CPU limit \(4 vCPU\) stops Karpenter at 2 c5\.large nodes/);
  });

  it('reads the NodePool from a CDK manifest custom resource whose ids are CloudFormation tokens', () => {
    const json = JSON.stringify([{ apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', metadata: { name: 'default' }, spec: { subnetSelectorTerms: [{ id: '@@' }], blockDeviceMappings: [{ ebs: { volumeSize: '50Gi' } }] } }, nodePool(['on-demand'])]);
    const [before, after] = json.split('@@');
    const manifest = { Type: 'Custom::AWSCDK-EKS-KubernetesResource', Properties: { Manifest: { 'Fn::Join': ['', [before, { 'Fn::ImportValue': 'net:Subnet' }, after]] } } };
    const e = platform(APP, { Objects: manifest });
    expect(nodes(e).quantity.base).toBe(3 * H);
    expect(resource(e, 'k8s/karpenter/default').components[1]!.quantity.base).toBe(3 * 50);
  });
});
