/**
 * EC2 prices from SkyPilot's catalog (on-demand and Spot by zone), and the regional tables as
 * refresh.ts writes them: the committed tables of the regions added from the catalog excerpt and the
 * sourced entry files are exactly what the transform produces from those committed sources.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRICES_DIR, validateTable } from '../../src/analyse/cost/prices.js';
import { parseCatalog, pricesFromCatalog } from '../../src/analyse/cost/refresh-catalog.js';
import { catalogSource, mergeSourced } from '../../src/analyse/cost/refresh.js';
import type { PriceTable } from '../../src/analyse/cost/types.js';

const SOURCES = join(PRICES_DIR, 'sources');
const EXCERPT = readFileSync(join(SOURCES, 'skypilot-vms-excerpt.csv'), 'utf8');
const HEADER = 'InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone';

describe('pricesFromCatalog', () => {
  it('takes the on-demand price once and the Spot range across the zones, skipping zones without a Spot price', () => {
    const rows = parseCatalog([HEADER,
      'm6i.large,,,2.0,8.0,,0.096,0.037800,us-west-2,usw2-az1',
      'm6i.large,,,2.0,8.0,,0.096,0.034800,us-west-2,usw2-az2',
      'm6i.large,,,2.0,8.0,,0.096,,us-west-2,usw2-az4',
      'm6i.large,,,2.0,8.0,,0.118,0.031000,ap-northeast-2,apne2-az4'].join('\n'));
    expect(pricesFromCatalog(rows, 'us-west-2')).toEqual({
      'ec2.instance.m6i.large': { usd: 0.096, unit: 'hour', quote: 'm6i.large,,,2.0,8.0,,0.096,0.037800,us-west-2,usw2-az1' },
      'ec2.spot.m6i.large.low': { usd: 0.0348, unit: 'hour', quote: 'SpotPrice by zone: usw2-az2 0.034800, usw2-az1 0.037800' },
      'ec2.spot.m6i.large.high': { usd: 0.0378, unit: 'hour', quote: 'SpotPrice by zone: usw2-az2 0.034800, usw2-az1 0.037800' },
    });
  });

  it('reads accelerator rows, whose GPU description contains commas, from the end', () => {
    const gpu = 'g6.2xlarge,L4,1.0,8.0,32.0,"{\'Gpus\': [{\'Name\': \'L4\', \'Count\': 1}], \'TotalGpuMemoryInMiB\': 22888}",0.9776,0.426500,us-east-1,use1-az1';
    expect(pricesFromCatalog(parseCatalog(`${HEADER}\n${gpu}`), 'us-east-1')['ec2.instance.g6.2xlarge']!.usd).toBe(0.9776);
  });

  it('refuses zones that disagree on the on-demand price, and a file that is not the catalog', () => {
    const rows = parseCatalog(`${HEADER}\nt3.micro,,,2.0,1.0,,0.0104,,us-east-1,use1-az1\nt3.micro,,,2.0,1.0,,0.0110,,us-east-1,use1-az2`);
    expect(() => pricesFromCatalog(rows, 'us-east-1')).toThrow(/t3\.micro in us-east-1: zones disagree on the on-demand price \(0\.0104, 0\.011\)/);
    expect(() => parseCatalog('type,price\nt3.micro,1')).toThrow(/not a SkyPilot AWS catalog/);
  });

  it('keeps an on-demand price from an offer file over the catalog\'s, and adds the Spot range beside it', () => {
    const table: PriceTable = { region: 'ap-northeast-2', currency: 'USD', effectiveDate: '2026-10-01',
      sources: { 'pl-ec2': { url: 'https://pricing.us-east-1.amazonaws.com/x', title: 'offer', retrieved: '2026-10-01' } },
      prices: { 'ec2.instance.m6i.large': { usd: 0.118, unit: 'hour', source: 'pl-ec2', quote: '$0.118 per On Demand Linux m6i.large Instance Hour' } } };
    const found = pricesFromCatalog(parseCatalog(EXCERPT), 'ap-northeast-2');
    const merged = mergeSourced(table, { 'skypilot-ec2': catalogSource('001367d22a0033fac286a8c71aeac7109e431bcb', '2026-11-21') },
      Object.fromEntries(Object.entries(found).map(([k, p]) => [k, { ...p, source: 'skypilot-ec2' }])), /^ec2\.instance\./);
    expect(merged.prices['ec2.instance.m6i.large']!.source).toBe('pl-ec2');
    expect(merged.prices['ec2.spot.m6i.large.low']!.source).toBe('skypilot-ec2');
    expect(merged.effectiveDate).toBe('2026-10-01');
    expect(() => validateTable(merged)).not.toThrow();
  });
});

describe('the committed regional tables', () => {
  it.each(['us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-1'])('%s is what refresh.ts writes from the committed sources', (region) => {
    const entries = JSON.parse(readFileSync(join(SOURCES, 'entries', `${region}.json`), 'utf8')) as Pick<PriceTable, 'sources' | 'prices'>;
    const found = pricesFromCatalog(parseCatalog(EXCERPT), region);
    let table: PriceTable = { region, currency: 'USD', effectiveDate: '2026-11-21', sources: {}, prices: {} };
    table = mergeSourced(table, { 'skypilot-ec2': catalogSource('001367d22a0033fac286a8c71aeac7109e431bcb', '2026-11-21') },
      Object.fromEntries(Object.entries(found).map(([k, p]) => [k, { ...p, source: 'skypilot-ec2' }])), /^ec2\.instance\./);
    table = mergeSourced(table, entries.sources, entries.prices);
    expect(JSON.parse(readFileSync(join(PRICES_DIR, `${region}.json`), 'utf8'))).toEqual(table);
  });
});
