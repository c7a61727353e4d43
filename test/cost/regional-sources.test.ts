/**
 * The hand-transcribed regional prices (data/prices/sources/entries/<region>.json): each one quotes
 * the number it stores and names a dated https source, and each prices only its own region — a
 * region whose sources lack a price still reports it as unpriced, by name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimatePaths } from '../../src/analyse/cost/index.js';
import { loadPriceTable, PRICES_DIR } from '../../src/analyse/cost/prices.js';
import type { PriceTable } from '../../src/analyse/cost/types.js';
import { resource, templateFile } from './support.js';

const ENTRIES = join(PRICES_DIR, 'sources', 'entries');
const NOW = new Date('2026-12-05T00:00:00Z');
const H = 730;
const files = readdirSync(ENTRIES).filter((f) => f.endsWith('.json')).sort();

/** The numbers a quote states ("1,488" is 1488); a rate is quoted per unit, per 1,000, per 10,000 or per million. */
function quotedNumbers(quote: string): number[] {
  return (quote.replace(/(\d),(\d{3})/g, '$1$2').match(/\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);
}
function quotes(usd: number, quote: string): boolean {
  return quotedNumbers(quote).some((n) => [1, 10, 1000, 10_000, 1_000_000].some((s) => Math.abs(n - usd * s) <= 1e-9 * Math.max(1, n)));
}

describe('hand-transcribed regional prices', () => {
  it.each(files)('%s: every price states its number in its quote and names a dated https source', (file) => {
    const patch = JSON.parse(readFileSync(join(ENTRIES, file), 'utf8')) as Pick<PriceTable, 'sources' | 'prices'>;
    for (const [key, p] of Object.entries(patch.prices)) {
      expect(quotes(p.usd, p.quote), `${file} ${key}: ${p.usd} is not in "${p.quote}"`).toBe(true);
      const source = patch.sources[p.source];
      expect(source?.url, `${file} ${key}`).toMatch(/^https:\/\//);
      expect(source?.retrieved, `${file} ${key}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('the quote check fails on a transcription slip', () => {
    expect(quotes(0.005, '$0.05 per 10000 API Requests')).toBe(true);
    expect(quotes(0.0004, '$0.004 per 10,000 GET and all other requests')).toBe(true);
    expect(quotes(0.05, '$0.05 per 10000 API Requests')).toBe(true);
    expect(quotes(0.0055, '$0.05 per 10000 API Requests')).toBe(false);
    expect(quotes(0.127, '| GP2 | $0.172/GB |')).toBe(false);
  });

  it('prices eu-west-1 Multi-AZ MySQL and its storage from the eu-west-1 Price List results', () => {
    // GIVEN a Multi-AZ MySQL db.t3.medium with 20 GB gp3 in Ireland
    const db = { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'mysql', EngineVersion: '8.4.3', DBInstanceClass: 'db.t3.medium', AllocatedStorage: '20', StorageType: 'gp3', MultiAZ: true } };
    const e = estimatePaths([templateFile({ Db: db })], { region: 'eu-west-1', now: NOW });
    const lines = resource(e, 'Db').components;
    // THEN the instance and the storage carry the Multi-AZ rates of that region's source
    expect(lines.find((c) => c.priceKey === 'rds.instance.mysql.db.t3.medium.multiAz')!.monthly!.base).toBeCloseTo(H * 0.144, 6);
    expect(lines.find((c) => c.priceKey === 'rds.storage.gp3.multiAz')!.monthly!.base).toBeCloseTo(20 * 0.254, 6);
    const table = loadPriceTable('eu-west-1');
    expect(table.sources[table.prices['rds.storage.gp3.multiAz']!.source]!.retrieved).toBe('2026-05-01');
    expect(e.unpriced.filter((u) => u.address.endsWith('Db'))).toEqual([]);
  });

  it('prices a classic load balancer where a source gives its rate, and lists it by name where none does', () => {
    const file = templateFile({ Elb: { Type: 'AWS::ElasticLoadBalancing::LoadBalancer', Properties: { Listeners: [{ LoadBalancerPort: '80', InstancePort: '80', Protocol: 'HTTP' }] } } });
    const ireland = estimatePaths([file], { region: 'eu-west-1', now: NOW });
    expect(resource(ireland, 'Elb').components.find((c) => c.priceKey === 'elb.classic.hour')!.monthly!.base).toBeCloseTo(H * 0.028, 6);
    const ohio = estimatePaths([file], { region: 'us-east-2', now: NOW });
    expect(ohio.unpriced.map((u) => u.reason).some((r) => r.includes('no sourced price for elb.classic.hour in the us-east-2 table'))).toBe(true);
  });

  it('prices Tokyo ALB, RDS db.t4g.micro (PostgreSQL, MySQL) and gp3 from its offer-file quotes, and leaves Multi-AZ unpriced', () => {
    // GIVEN an internal ALB, Single-AZ PostgreSQL and MySQL db.t4g.micro with 20 GB gp3, and a Multi-AZ MySQL one, in Tokyo
    const pg = { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', EngineVersion: '17.4', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: '20', StorageType: 'gp3', MultiAZ: false } };
    const my = { ...pg, Properties: { ...pg.Properties, Engine: 'mysql', EngineVersion: '8.4.3' } };
    const file = templateFile({
      Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'application', Scheme: 'internal', Subnets: [] } },
      Pg: pg,
      My: my,
      MyHa: { ...my, Properties: { ...my.Properties, MultiAZ: true } },
    });
    const e = estimatePaths([file], { region: 'ap-northeast-1', now: NOW });
    // THEN the ALB hour, both instances and their storage carry Tokyo's Price List rates
    expect(resource(e, 'Alb').components.find((c) => c.priceKey === 'elb.alb.hour')!.monthly!.base).toBeCloseTo(H * 0.0243, 6);
    expect(resource(e, 'Pg').components.find((c) => c.priceKey === 'rds.instance.postgres.db.t4g.micro.singleAz')!.monthly!.base).toBeCloseTo(H * 0.025, 6);
    expect(resource(e, 'My').components.find((c) => c.priceKey === 'rds.instance.mysql.db.t4g.micro.singleAz')!.monthly!.base).toBeCloseTo(H * 0.025, 6);
    expect(resource(e, 'Pg').components.find((c) => c.priceKey === 'rds.storage.gp3.singleAz')!.monthly!.base).toBeCloseTo(20 * 0.138, 6);
    const table = loadPriceTable('ap-northeast-1');
    expect(table.sources[table.prices['elb.alb.hour']!.source]!.url).toContain('koichi2426/Shoppie/blob/779fc7576c2223572d1ff33624fdc9028abf23ed/');
    expect(table.sources[table.prices['ebs.gp3.storage']!.source]!.url).toContain('mamezou/redis-demo/blob/851ba30874971f767c33b716d672e66089d3486d/');
    expect(table.effectiveDate).toBe('2026-09-11');
    expect(table.prices['s3.requests.tier1']!.usd).toBe(0.0047);
    expect(table.prices['scheduler.invocations']!.usd).toBe(0.00000125);
    expect(table.sources[table.prices['kms.key']!.source]!.url).toContain('moruku36/cloud-validation-level3-astra-light/blob/63a57766e1a6f66a06b8fd9989152b8da37e9ceb/');
    // AND the Multi-AZ class, which no Tokyo source gives, is listed by name rather than priced at a Single-AZ rate
    const reasons = e.unpriced.map((u) => u.reason);
    expect(reasons.some((r) => r.includes('no sourced price for rds.instance.mysql.db.t4g.micro.multiAz in the ap-northeast-1 table'))).toBe(true);
    expect(reasons.some((r) => r.includes('no sourced price for rds.storage.gp3.multiAz in the ap-northeast-1 table'))).toBe(true);
  });

  it('prices a Frankfurt PostgreSQL db.t4g.micro and its gp3 storage from the eu-central-1 RDS price-list quote', () => {
    const db = { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', EngineVersion: '17.4', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: '20', StorageType: 'gp3', MultiAZ: false } };
    const lines = resource(estimatePaths([templateFile({ Db: db })], { region: 'eu-central-1', now: NOW }), 'Db').components;
    expect(lines.find((c) => c.priceKey === 'rds.instance.postgres.db.t4g.micro.singleAz')!.monthly!.base).toBeCloseTo(H * 0.019, 6);
    expect(lines.find((c) => c.priceKey === 'rds.storage.gp3.singleAz')!.monthly!.base).toBeCloseTo(20 * 0.137, 6);
    const table = loadPriceTable('eu-central-1');
    expect(table.sources[table.prices['rds.storage.gp3.singleAz']!.source]!.url).toContain('jonas-srd/ai_sports_prediction/blob/b919a491bb0b21aa7e25c280f98246798e96b940/');
  });

  it('prices the EKS control plane in Singapore from its Cost Explorer source, and its extended-support surcharge', () => {
    const table = loadPriceTable('ap-southeast-1');
    expect(table.prices['eks.cluster.hour']!.quote).toContain('APS1-AmazonEKS-Hours:perCluster');
    expect(table.prices['eks.cluster.extendedSupport.hour']!.quote).toContain('APS1-AmazonEKS-Hours:extendedSupport');
    const cluster = { Type: 'AWS::EKS::Cluster', Properties: { Version: '1.34', RoleArn: 'arn:aws:iam::111111111111:role/eks', ResourcesVpcConfig: { SubnetIds: [] } } };
    const e = estimatePaths([templateFile({ Cluster: cluster })], { region: 'ap-southeast-1', now: NOW });
    expect(resource(e, 'Cluster').components.find((c) => c.priceKey === 'eks.cluster.hour')!.monthly!.base).toBeCloseTo(H * 0.1, 6);
  });
});
