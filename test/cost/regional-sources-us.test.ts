/**
 * The Ohio and Oregon RDS (and Oregon Secrets Manager) prices, each from a dated Price List reading in a
 * public repository at a fixed commit: a Single-AZ PostgreSQL db.t4g.micro with gp3 is priced in both
 * regions, while the Multi-AZ and MySQL variants, which neither source gives, stay unpriced by name.
 */
import { describe, expect, it } from 'vitest';
import { estimatePaths } from '../../src/analyse/cost/index.js';
import { loadPriceTable } from '../../src/analyse/cost/prices.js';
import { resource, templateFile } from './support.js';

const NOW = new Date('2026-12-05T00:00:00Z');
const H = 730;
const pg = { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', EngineVersion: '17.4', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: '20', StorageType: 'gp3', MultiAZ: false } };
const my = { ...pg, Properties: { ...pg.Properties, Engine: 'mysql', EngineVersion: '8.4.3' } };
const pgHa = { ...pg, Properties: { ...pg.Properties, MultiAZ: true } };

function line(region: string, id: string, key: string, e = estimatePaths([templateFile({ Pg: pg, My: my, PgHa: pgHa })], { region, now: NOW })) {
  return resource(e, id).components.find((c) => c.priceKey === key);
}

describe('us-east-2 and us-west-2 RDS prices', () => {
  it.each([
    ['us-east-2', 'jbolous/kartoush/blob/1ba170fb3e9128016aba96ec98af103f8190f6e8/', '2026-10-05'],
    ['us-west-2', 'ryancicak/lakebase-anti-demo/blob/eb8ae7da0673d1d5ed3f24904e7ec3245e1b6b49/', '2026-08-20'],
  ])('%s prices a Single-AZ PostgreSQL db.t4g.micro ($0.016) and its gp3 ($0.115) from its own dated source', (region, repo, date) => {
    expect(line(region, 'Pg', 'rds.instance.postgres.db.t4g.micro.singleAz')!.monthly!.base).toBeCloseTo(H * 0.016, 6);
    expect(line(region, 'Pg', 'rds.storage.gp3.singleAz')!.monthly!.base).toBeCloseTo(20 * 0.115, 6);
    const table = loadPriceTable(region);
    const source = table.sources[table.prices['rds.instance.postgres.db.t4g.micro.singleAz']!.source]!;
    expect(source.url).toContain(repo);
    expect(source.retrieved).toBe(date);
  });

  it.each(['us-east-2', 'us-west-2'])('%s lists the MySQL and Multi-AZ variants as unpriced rather than reusing the PostgreSQL Single-AZ rate', (region) => {
    const e = estimatePaths([templateFile({ Pg: pg, My: my, PgHa: pgHa })], { region, now: NOW });
    const reasons = e.unpriced.map((u) => u.reason);
    expect(reasons.some((r) => r.includes(`no sourced price for rds.instance.mysql.db.t4g.micro.singleAz in the ${region} table`))).toBe(true);
    expect(reasons.some((r) => r.includes(`no sourced price for rds.instance.postgres.db.t4g.micro.multiAz in the ${region} table`))).toBe(true);
    expect(reasons.some((r) => r.includes(`no sourced price for rds.storage.gp3.multiAz in the ${region} table`))).toBe(true);
  });

  it('prices Oregon RDS backup and Secrets Manager secrets from the 2026-08-20 rate audit; Ohio has no source for them', () => {
    const oregon = loadPriceTable('us-west-2');
    expect(oregon.prices['rds.backup.gb']!.usd).toBe(0.095);
    expect(oregon.prices['secretsmanager.secret']!.usd).toBe(0.4);
    expect(oregon.sources[oregon.prices['secretsmanager.secret']!.source]!.title).toContain('2025-08-28');
    const ohio = loadPriceTable('us-east-2');
    expect(ohio.prices['rds.backup.gb']).toBeUndefined();
    expect(ohio.prices['secretsmanager.secret']).toBeUndefined();
  });

  it('prices Oregon gp3 IOPS/throughput, EFS, S3 PUTs and interface endpoints from their dated us-west-2 sources; Ohio keeps them unpriced', () => {
    const oregon = loadPriceTable('us-west-2');
    const from = (key: string) => oregon.sources[oregon.prices[key]!.source]!;
    expect([oregon.prices['ebs.gp3.iops']!.usd, oregon.prices['ebs.gp3.throughput']!.usd, oregon.prices['efs.standard.storage']!.usd]).toEqual([0.005, 0.04, 0.3]);
    expect(from('efs.standard.storage').url).toContain('tylerschloesser/dst-server-manager/blob/1f59ad980e1313c3278fed46df1d813d0d1808ac/');
    expect(from('efs.standard.storage').retrieved).toBe('2026-09-19');
    expect(oregon.prices['s3.requests.tier1']!.usd).toBe(0.005);
    expect([oregon.prices['vpc.interfaceEndpoint.hour']!.usd, oregon.prices['vpc.interfaceEndpoint.gb']!.usd]).toEqual([0.01, 0.01]);
    expect(from('vpc.interfaceEndpoint.hour').retrieved).toBe('2026-10-06');
    const ohio = loadPriceTable('us-east-2');
    for (const key of ['ebs.gp3.iops', 'efs.standard.storage', 'vpc.interfaceEndpoint.hour']) expect(ohio.prices[key], key).toBeUndefined();
  });
});
