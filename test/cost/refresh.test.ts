/** The table refresh: an AWS Price List offer file (tiny fixture) → price entries with their quotes. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateTable } from '../../src/analyse/cost/prices.js';
import { mergeIntoTable, pricesFromOffer, type OfferFile } from '../../src/analyse/cost/refresh.js';
import type { PriceTable } from '../../src/analyse/cost/types.js';

const offer = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'offer-ec2-tiny.json'), 'utf8')) as OfferFile;

describe('pricesFromOffer', () => {
  const found = pricesFromOffer(offer);

  it('keeps Linux, shared-tenancy, on-demand instance hours and the usage types plinth prices', () => {
    expect(found.prices).toEqual({
      'ec2.instance.t3.medium': { usd: 0.052, unit: 'hour', quote: '$0.052 per On Demand Linux t3.medium Instance Hour' },
      'vpc.natGateway.hour': { usd: 0.059, unit: 'hour', quote: '$0.059 per NAT Gateway Hour' },
      'vpc.natGateway.gb': { usd: 0.059, unit: 'GB', quote: '$0.059 per GB Data Processed by NAT Gateways' },
      'ebs.gp3.storage': { usd: 0.0912, unit: 'GB-month', quote: '$0.0912 per GB-month of General Purpose (gp3) provisioned storage - Asia Pacific (Seoul)' },
    });
    expect(found.publicationDate).toBe('2026-09-25');
  });

  it('merges into a table with the offer file as the source, and the result validates', () => {
    const empty: PriceTable = { region: 'ap-northeast-2', currency: 'USD', effectiveDate: '2026-01-01', sources: {}, prices: {} };
    const table = mergeIntoTable(empty, 'AmazonEC2', 'ap-northeast-2', found, '2026-11-20');
    expect(table.sources['pl-amazonec2']!.url).toBe('https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/ap-northeast-2/index.json');
    expect(table.prices['ec2.instance.t3.medium']!.source).toBe('pl-amazonec2');
    expect(table.effectiveDate).toBe('2026-11-20');
    expect(() => validateTable(table)).not.toThrow();
  });
});

describe('refresh.ts command line', () => {
  it('answers an --offer without "=FILE" with its usage line and exit code 2, not a stack trace', () => {
    // GIVEN an offer code with no file
    const root = join(__dirname, '..', '..');

    // WHEN
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'analyse', 'cost', 'refresh.ts'), '--region', 'ap-northeast-2', '--offer', 'AmazonEC2'], { cwd: root, encoding: 'utf8', timeout: 60_000 });

    // THEN
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: refresh.ts --region REGION [--offer OfferCode=FILE ...]');
    expect(r.stderr).not.toContain('TypeError');
  });
});
