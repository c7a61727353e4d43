/**
 * Frankfurt, Ireland and Singapore prices added from identified public sources (repository, path and
 * commit in data/prices/sources/entries/<region>.json): each is priced from its own region's source,
 * and what those sources do not give stays unpriced there, by name.
 */
import { describe, expect, it } from 'vitest';
import { estimatePaths } from '../../src/analyse/cost/index.js';
import { loadPriceTable } from '../../src/analyse/cost/prices.js';
import { resource, templateFile } from './support.js';

const NOW = new Date('2026-12-05T00:00:00Z');
const H = 730;

function sourceOf(region: string, key: string): { url: string; retrieved: string } {
  const table = loadPriceTable(region);
  const price = table.prices[key];
  expect(price, `${region} ${key}`).toBeDefined();
  return table.sources[price!.source]!;
}

describe('Frankfurt, Ireland and Singapore sources', () => {
  it('prices a Frankfurt NAT gateway, interface endpoint, NLB, KMS key and RDS db.t3.micro from eu-central-1 sources', () => {
    // GIVEN the resources whose Frankfurt rates the simple-rag CUR registry and the infracanvas snapshot give
    const file = templateFile({
      Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-1' } },
      Vpce: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Interface', SubnetIds: ['a', 'b'] } },
      Nlb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network', Scheme: 'internal', Subnets: [] } },
      Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
      Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', EngineVersion: '17.4', DBInstanceClass: 'db.t3.micro', AllocatedStorage: '20', StorageType: 'gp3', MultiAZ: false } },
    });
    const e = estimatePaths([file], { region: 'eu-central-1', now: NOW });
    const base = (address: string, key: string): number | undefined => resource(e, address).components.find((c) => c.priceKey === key)?.monthly?.base;
    // THEN each carries the eu-central-1 rate
    expect(base('Nat', 'vpc.natGateway.hour')).toBeCloseTo(H * 0.052, 6);
    expect(base('Vpce', 'vpc.interfaceEndpoint.hour')).toBeCloseTo(2 * H * 0.012, 6);
    expect(base('Nlb', 'elb.nlb.hour')).toBeCloseTo(H * 0.027, 6);
    expect(base('Key', 'kms.key')).toBeCloseTo(1, 6);
    expect(base('Db', 'rds.instance.postgres.db.t3.micro.singleAz')).toBeCloseTo(H * 0.021, 6);
    // AND each names the repository file at a commit, with its date
    expect(sourceOf('eu-central-1', 'vpc.natGateway.hour')).toMatchObject({ url: expect.stringContaining('maksimillian1/simple-rag/blob/4784344a'), retrieved: '2026-09-04' });
    expect(sourceOf('eu-central-1', 'rds.instance.postgres.db.t3.micro.singleAz')).toMatchObject({ url: expect.stringContaining('johnbekele/infracanvas/blob/c6c2aaab'), retrieved: '2026-08-10' });
    // AND the endpoint's data charge, which no Frankfurt source gives, is not borrowed from Singapore
    expect(loadPriceTable('eu-central-1').prices['vpc.interfaceEndpoint.gb']).toBeUndefined();
  });

  it('keeps the Frankfurt ALB unpriced: no eu-central-1 source gives its hour or LCU', () => {
    const file = templateFile({ Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'application', Scheme: 'internal', Subnets: [] } } });
    const e = estimatePaths([file], { region: 'eu-central-1', now: NOW });
    expect(e.unpriced.map((u) => u.reason).some((r) => r.includes('no sourced price for elb.alb.hour in the eu-central-1 table'))).toBe(true);
    expect(loadPriceTable('eu-central-1').prices['elb.alb.lcu']).toBeUndefined();
  });

  it('prices the Ireland ALB LCU from the eu-west-1 AWSELB offer rows, while its hour stays unpriced', () => {
    const table = loadPriceTable('eu-west-1');
    expect(table.prices['elb.alb.lcu']).toMatchObject({ usd: 0.008, unit: 'LCU-hour' });
    expect(table.prices['elb.alb.lcu']!.quote).toContain('EU-LCUUsage');
    expect(sourceOf('eu-west-1', 'elb.alb.lcu')).toMatchObject({ url: expect.stringContaining('Elvis2131/preflight/blob/e90a838f'), retrieved: '2026-10-02' });
    expect(table.prices['elb.alb.hour']).toBeUndefined();
  });

  it('prices Singapore interface-endpoint data and log storage from the ap-southeast-1 price reference, not vended logs', () => {
    const table = loadPriceTable('ap-southeast-1');
    expect(table.prices['vpc.interfaceEndpoint.gb']).toMatchObject({ usd: 0.01, unit: 'GB' });
    expect(table.prices['logs.storage.gb']).toMatchObject({ usd: 0.03, unit: 'GB-month' });
    expect(sourceOf('ap-southeast-1', 'logs.storage.gb')).toMatchObject({ url: expect.stringContaining('con0097275/aws-cdc-lakehouse-data-platform/blob/5f46e6f3'), retrieved: '2026-08-12' });
    // its vended-logs row ($0.07/GB, a tenth of the region's $0.70 standard ingestion) is not used
    expect(table.prices['logs.vendedIngest.gb']).toBeUndefined();
  });
});
