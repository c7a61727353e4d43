/**
 * The eight regional price tables: every one loads and validates, prices what its sources price, dates
 * every price by its source, and a price a region's sources do not give is reported as unpriced for
 * that region, never borrowed from another region or taken as zero.
 */
import { describe, expect, it } from 'vitest';
import { estimatePaths, formatTable } from '../../src/analyse/cost/index.js';
import { loadPriceTable, tableAgeDays } from '../../src/analyse/cost/prices.js';
import { tableAgeSentence } from '../../src/analyse/cost/format.js';
import { resource, templateFile } from './support.js';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1'];
const H = 730;
const NOW = new Date('2026-12-05T00:00:00Z');

describe('regional price tables', () => {
  it.each(REGIONS)('%s: loads, and dates the table by its oldest source', (region) => {
    const table = loadPriceTable(region);
    const dates = [...new Set(Object.values(table.prices).map((p) => table.sources[p.source]!.retrieved))].sort();
    expect(table.effectiveDate).toBe(dates[0]);
    // the instance types the examples and Karpenter's default NodePool use, on-demand and Spot
    for (const type of ['t3.micro', 't3.medium', 't3.large', 'm6i.large', 'c5.large']) {
      expect(table.prices[`ec2.instance.${type}`]?.usd).toBeGreaterThan(0);
      expect(table.prices[`ec2.spot.${type}.low`]!.usd).toBeLessThanOrEqual(table.prices[`ec2.spot.${type}.high`]!.usd);
    }
  });

  it('looks a price up in the region the input says, with that region\'s source', () => {
    // GIVEN the same t3.medium in Frankfurt and in Singapore
    const file = templateFile({ A: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.medium' } } });
    const frankfurt = estimatePaths([file], { region: 'eu-central-1', now: NOW });
    const singapore = estimatePaths([file], { region: 'ap-southeast-1', now: NOW });
    // THEN each is priced from its own table: the SkyPilot catalog rows of that region
    expect(resource(frankfurt, 'A').components[0]!.monthly!.base).toBeCloseTo(H * 0.048, 6);
    expect(resource(singapore, 'A').components[0]!.monthly!.base).toBeCloseTo(H * 0.0528, 6);
    expect(loadPriceTable('eu-central-1').prices['ec2.instance.t3.medium']!.quote).toBe('t3.medium,,,2.0,4.0,,0.048,0.017300,eu-central-1,euc1-az1');
  });

  it('reports what a region does not price, by name, instead of borrowing another region\'s price', () => {
    // GIVEN an ALB and a Client VPN subnet association in eu-central-1, whose sources give neither price
    const file = templateFile({
      Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'application', Scheme: 'internal', Subnets: [] } },
      Vpn: { Type: 'AWS::EC2::ClientVpnTargetNetworkAssociation', Properties: { ClientVpnEndpointId: 'cvpn-1', SubnetId: 'subnet-1' } },
    });
    const e = estimatePaths([file], { region: 'eu-central-1', now: NOW });
    // THEN both charges are listed as unpriced in that region, and the total leaves them out (a lower bound)
    const reasons = e.unpriced.map((u) => u.reason);
    expect(reasons.some((r) => r.includes('no sourced price for elb.alb.hour in the eu-central-1 table'))).toBe(true);
    expect(reasons.some((r) => r.includes('no sourced price for clientVpn.association.hour in the eu-central-1 table'))).toBe(true);
    expect(e.totals.base).toBe(0);
    expect(formatTable(e)).toMatch(/Not priced \(\d+\), so the total is a lower bound:/);
    // while Singapore, whose sources give both, prices them
    expect(estimatePaths([file], { region: 'ap-southeast-1', now: NOW }).unpriced.filter((u) => /elb\.alb\.hour|clientVpn\.association\.hour/.test(u.reason))).toEqual([]);
  });

  it('states how old the table is on "today"', () => {
    const e = estimatePaths([templateFile({})], { region: 'ap-northeast-1', now: NOW });
    const table = loadPriceTable('ap-northeast-1');
    expect(e.table).toEqual({ region: 'ap-northeast-1', effectiveDate: table.effectiveDate, ageDays: tableAgeDays(table, NOW), today: '2026-12-05' });
    expect(tableAgeSentence(e)).toBe(`Prices: the ap-northeast-1 table dated ${table.effectiveDate} (its oldest source), ${tableAgeDays(table, NOW)} days old on 2026-12-05; plinth warns after 120 days.`);
    expect(formatTable(e).split('\n')[1]).toBe(tableAgeSentence(e));
  });

  it('prices Seoul RDS Extended Support per vCPU-hour from its source', () => {
    const seoul = loadPriceTable('ap-northeast-2');
    const es = seoul.prices['rds.extendedSupport.vcpu.hour']!;
    expect(es.usd).toBe(0.12);
    expect(seoul.sources[es.source]!.url).toBe('https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonRDS/current/ap-northeast-2/index.json');
    const db = { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'mysql', EngineVersion: '8.0.40', DBInstanceClass: 'db.m6g.xlarge', AllocatedStorage: '20', StorageType: 'gp3', MultiAZ: false } };
    const e = estimatePaths([templateFile({ Db: db })], { region: 'ap-northeast-2', now: NOW });
    const surcharge = resource(e, 'Db').components.find((c) => c.priceKey === 'rds.extendedSupport.vcpu.hour')!;
    expect(surcharge.monthly!.base).toBeCloseTo(4 * H * 0.12, 6); // db.m6g.xlarge: 4 vCPU
  });
});
