/**
 * Refreshing a price table from AWS Price List Bulk API offer files (docs/cost.md explains where to
 * download them). `pricesFromOffer` is pure and tested on a tiny fixture; the command line merges
 * its result into data/prices/<region>.json, keeping entries the offer files do not cover.
 *
 *   npx tsx src/analyse/cost/refresh.ts --region ap-northeast-2 \
 *     --offer AmazonEC2=./AmazonEC2.json --offer AmazonRDS=./AmazonRDS.json
 *
 * It also merges EC2 on-demand and Spot prices from SkyPilot's catalog (`--catalog`, refresh-catalog.ts)
 * and hand-transcribed, sourced entries (`--entries`, data/prices/sources/entries/<region>.json), and
 * creates the table when the region has none yet.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PRICES_DIR, validateTable } from './prices.js';
import { parseCatalog, pricesFromCatalog } from './refresh-catalog.js';
import type { PriceEntry, PriceSource, PriceTable } from './types.js';

interface OfferProduct { readonly sku: string; readonly productFamily?: string; readonly attributes: Readonly<Record<string, string>> }
interface PriceDimension { readonly unit: string; readonly pricePerUnit: { readonly USD?: string }; readonly description: string; readonly beginRange?: string }
export interface OfferFile {
  readonly offerCode: string;
  readonly publicationDate: string;
  readonly products: Readonly<Record<string, OfferProduct>>;
  readonly terms: { readonly OnDemand?: Readonly<Record<string, Readonly<Record<string, { readonly priceDimensions: Readonly<Record<string, PriceDimension>> }>>>> };
}

/** usagetype (without its region prefix, e.g. APN2-) → price key and unit. */
const BY_USAGE_TYPE: readonly { readonly usageType: RegExp; readonly operation?: RegExp; readonly key: string; readonly unit: string; readonly scale?: number }[] = [
  { usageType: /^NatGateway-Hours$/, key: 'vpc.natGateway.hour', unit: 'hour' },
  { usageType: /^NatGateway-Bytes$/, key: 'vpc.natGateway.gb', unit: 'GB' },
  { usageType: /^EBS:VolumeUsage\.gp3$/, key: 'ebs.gp3.storage', unit: 'GB-month' },
  { usageType: /^EBS:VolumeUsage\.gp2$/, key: 'ebs.gp2.storage', unit: 'GB-month' },
  { usageType: /^EBS:VolumeP-IOPS\.gp3$/, key: 'ebs.gp3.iops', unit: 'IOPS-month' },
  { usageType: /^EBS:VolumeP-Throughput\.gp3$/, key: 'ebs.gp3.throughput', unit: 'MiBps-month' },
  { usageType: /^PublicIPv4:InUseAddress$/, key: 'vpc.publicIpv4.hour', unit: 'hour' },
  { usageType: /^VpcEndpoint-Hours$/, key: 'vpc.interfaceEndpoint.hour', unit: 'hour' },
  { usageType: /^VpcEndpoint-Bytes$/, key: 'vpc.interfaceEndpoint.gb', unit: 'GB' },
  { usageType: /^TransitGateway-Hours$/, key: 'vpc.transitGatewayAttachment.hour', unit: 'hour' },
  { usageType: /^TransitGateway-Bytes$/, key: 'vpc.transitGateway.gb', unit: 'GB' },
  { usageType: /^VPN-Usage-Hours:ipsec\.1$/, key: 'vpn.connection.hour', unit: 'hour' },
  { usageType: /^ClientVPN_EndpointAssociation$/, key: 'clientVpn.association.hour', unit: 'hour' },
  { usageType: /^ClientVPN_ConnectionHours$/, key: 'clientVpn.connection.hour', unit: 'hour' },
  { usageType: /^LoadBalancerUsage$/, operation: /^LoadBalancing:Application$/, key: 'elb.alb.hour', unit: 'hour' },
  { usageType: /^LCUUsage$/, operation: /^LoadBalancing:Application$/, key: 'elb.alb.lcu', unit: 'LCU-hour' },
  { usageType: /^LoadBalancerUsage$/, operation: /^LoadBalancing:Network$/, key: 'elb.nlb.hour', unit: 'hour' },
  { usageType: /^LCUUsage$/, operation: /^LoadBalancing:Network$/, key: 'elb.nlb.nlcu', unit: 'NLCU-hour' },
  { usageType: /^AmazonEKS-Hours:perCluster$/, key: 'eks.cluster.hour', unit: 'hour' },
  { usageType: /^AmazonEKS-Hours:extendedSupport$/, key: 'eks.cluster.extendedSupport.hour', unit: 'hour' },
  { usageType: /^TimedStorage-ByteHrs$/, key: 's3.standard.storage', unit: 'GB-month' },
  { usageType: /^Requests-Tier1$/, key: 's3.requests.tier1', unit: '1k requests', scale: 1000 },
  { usageType: /^Requests-Tier2$/, key: 's3.requests.tier2', unit: '1k requests', scale: 1000 },
  { usageType: /^TimedStorage-ByteHrs$/, key: 'ecr.storage', unit: 'GB-month' },
  { usageType: /^RDS:ChargedBackupUsage$/, key: 'rds.backup.gb', unit: 'GB-month' },
  { usageType: /^RDS:GP3-Storage$/, key: 'rds.storage.gp3.singleAz', unit: 'GB-month' },
  { usageType: /^RDS:Multi-AZ-GP3-Storage$/, key: 'rds.storage.gp3.multiAz', unit: 'GB-month' },
  { usageType: /^RDS:GP2-Storage$/, key: 'rds.storage.gp2.singleAz', unit: 'GB-month' },
  { usageType: /^RDS:Multi-AZ-GP2-Storage$/, key: 'rds.storage.gp2.multiAz', unit: 'GB-month' },
  { usageType: /^TimedStorage-ByteHrs$/, key: 'efs.standard.storage', unit: 'GB-month' },
];

const RDS_ENGINES: Readonly<Record<string, string>> = { MySQL: 'mysql', PostgreSQL: 'postgres', MariaDB: 'mariadb' };

/** Which service's table keys a usage type may fill: the same usage type means different things in S3, ECR and EFS. */
const KEY_PREFIX_BY_OFFER: Readonly<Record<string, RegExp>> = {
  AmazonEC2: /^(ec2|ebs|vpc\.natGateway)\./, AmazonVPC: /^(vpc|vpn|clientVpn)\./, AWSELB: /^elb\./, AmazonEKS: /^eks\./,
  AmazonS3: /^s3\./, AmazonECR: /^ecr\./, AmazonRDS: /^rds\./, AmazonEFS: /^efs\./,
};

export interface OfferPrices {
  readonly prices: Record<string, Omit<PriceEntry, 'source'>>;
  readonly publicationDate: string;
}

/** The on-demand prices plinth's table needs from one regional offer file. */
export function pricesFromOffer(offer: OfferFile): OfferPrices {
  const prices: Record<string, Omit<PriceEntry, 'source'>> = {};
  const allowed = KEY_PREFIX_BY_OFFER[offer.offerCode] ?? /^$/;
  for (const product of Object.values(offer.products)) {
    const dims = Object.values(offer.terms.OnDemand?.[product.sku] ?? {}).flatMap((t) => Object.values(t.priceDimensions));
    // Tiered prices (first 10 TB, next 40 TB...): the first tier is the one a small platform pays.
    const dim = dims.find((d) => (d.beginRange ?? '0') === '0') ?? dims[0];
    const usd = Number(dim?.pricePerUnit.USD);
    if (!dim || !Number.isFinite(usd)) continue;
    const a = product.attributes;
    let key: string | undefined;
    let unit = 'hour';
    let scale = 1;
    if (product.productFamily === 'Compute Instance' && a.operatingSystem === 'Linux' && a.tenancy === 'Shared' && a.preInstalledSw === 'NA' && a.capacitystatus === 'Used') {
      key = `ec2.instance.${a.instanceType}`;
    } else if (product.productFamily === 'Database Instance' && RDS_ENGINES[a.databaseEngine ?? ''] && (a.licenseModel ?? 'No license required') !== 'Bring your own license') {
      key = `rds.instance.${RDS_ENGINES[a.databaseEngine!]}.${a.instanceType}.${a.deploymentOption === 'Multi-AZ' ? 'multiAz' : 'singleAz'}`;
    } else {
      const usageType = (a.usagetype ?? '').replace(/^[A-Z]{2,4}\d?-/, '');
      const rule = BY_USAGE_TYPE.find((r) => r.usageType.test(usageType) && (!r.operation || r.operation.test(a.operation ?? '')) && allowed.test(r.key));
      if (rule) [key, unit, scale] = [rule.key, rule.unit, rule.scale ?? 1];
    }
    if (!key || !allowed.test(key) || prices[key]) continue;
    prices[key] = { usd: Number((usd * scale).toPrecision(10)), unit, quote: dim.description };
  }
  return { prices, publicationDate: offer.publicationDate.slice(0, 10) };
}

/** Merges offer prices into a table: new and changed prices replace old ones, sources are recorded. */
export function mergeIntoTable(table: PriceTable, offerCode: string, region: string, found: OfferPrices, retrieved: string): PriceTable {
  const source: PriceSource = {
    url: `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${offerCode}/current/${region}/index.json`,
    title: `AWS Price List offer file ${offerCode}, region ${region} (publication ${found.publicationDate})`,
    retrieved,
  };
  return mergeSourced(table, { [`pl-${offerCode.toLowerCase()}`]: source }, Object.fromEntries(Object.entries(found.prices).map(([k, p]) => [k, { ...p, source: `pl-${offerCode.toLowerCase()}` }])));
}

/**
 * Merges sourced prices into a table. `keep` names keys whose existing entry wins (a Price List offer
 * file is a better source for an on-demand rate than a catalog derived from it). The table's
 * effectiveDate becomes the date of the oldest source still in use.
 */
export function mergeSourced(table: PriceTable, sources: Readonly<Record<string, PriceSource>>, entries: Readonly<Record<string, PriceEntry>>, keep: RegExp = /^$/): PriceTable {
  const prices: Record<string, PriceEntry> = { ...table.prices };
  for (const [key, p] of Object.entries(entries)) {
    if (!sources[p.source] && !table.sources[p.source]) throw new Error(`price ${key} names source "${p.source}", which is not given`);
    if (prices[key] && keep.test(key)) continue;
    prices[key] = p;
  }
  const used = new Set(Object.values(prices).map((p) => p.source));
  const all = { ...table.sources, ...sources };
  const kept = Object.fromEntries(Object.entries(all).filter(([id]) => used.has(id)));
  const dates = Object.values(kept).map((s) => s.retrieved).sort();
  const sorted = Object.fromEntries(Object.entries(prices).sort(([a], [b]) => a.localeCompare(b)));
  return { ...table, sources: kept, prices: sorted, effectiveDate: dates[0] ?? table.effectiveDate };
}

/** The SkyPilot catalog as a source: the commit read, and the day it is known to have existed. */
export function catalogSource(commit: string, retrieved: string): PriceSource {
  return {
    url: `https://github.com/skypilot-org/skypilot-catalog/blob/${commit}/catalogs/v7/aws/vms.csv`,
    title: 'SkyPilot catalog catalogs/v7/aws/vms.csv: EC2 on-demand Linux price (Price, from the AWS Price List offer file AmazonEC2) and Spot price per availability zone (SpotPrice, from EC2 DescribeSpotPriceHistory)',
    retrieved,
    via: `rows copied verbatim into data/prices/sources/skypilot-vms-excerpt.csv from commit ${commit.slice(0, 8)}; the catalog is regenerated by a scheduled workflow and the copy read does not show the commit date, so the date recorded is the first day this commit was read (its prices are at least that old). Its fetcher is skypilot-org/skypilot sky/catalog/data_fetchers/fetch_aws.py`,
  };
}

function main(): void {
  const { values } = parseArgs({ options: {
    region: { type: 'string' }, offer: { type: 'string', multiple: true }, retrieved: { type: 'string' },
    catalog: { type: 'string' }, 'catalog-commit': { type: 'string' }, entries: { type: 'string', multiple: true },
  } });
  const offers = (values.offer ?? []).map((spec) => /^([^=]+)=(.+)$/.exec(spec));
  const nothing = offers.length === 0 && !values.catalog && !values.entries?.length;
  if (!values.region || nothing || offers.some((m) => !m) || (values.catalog && !values['catalog-commit'])) {
    process.stderr.write('usage: refresh.ts --region REGION [--offer OfferCode=FILE ...] [--catalog vms.csv --catalog-commit SHA] [--entries FILE.json ...] [--retrieved YYYY-MM-DD]\n');
    process.exitCode = 2;
    return;
  }
  const region = values.region;
  const file = join(PRICES_DIR, `${region}.json`);
  const retrieved = values.retrieved ?? new Date().toISOString().slice(0, 10);
  let table: PriceTable = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8')) as PriceTable
    : { region, currency: 'USD', effectiveDate: retrieved, sources: {}, prices: {} };
  for (const m of offers as RegExpExecArray[]) {
    const [offerCode, path] = [m[1]!, m[2]!];
    const found = pricesFromOffer(JSON.parse(readFileSync(path, 'utf8')) as OfferFile);
    table = mergeIntoTable(table, offerCode, region, found, retrieved);
    process.stdout.write(`${offerCode}: ${Object.keys(found.prices).length} prices\n`);
  }
  if (values.catalog) {
    const found = pricesFromCatalog(parseCatalog(readFileSync(values.catalog, 'utf8')), region);
    const entries = Object.fromEntries(Object.entries(found).map(([k, p]) => [k, { ...p, source: 'skypilot-ec2' }]));
    table = mergeSourced(table, { 'skypilot-ec2': catalogSource(String(values['catalog-commit']), retrieved) }, entries, /^ec2\.instance\./);
    process.stdout.write(`catalog: ${Object.keys(found).length} prices\n`);
  }
  for (const path of values.entries ?? []) {
    // Hand-transcribed prices, each with its source and a quote: { "sources": {...}, "prices": {...} }.
    const patch = JSON.parse(readFileSync(path, 'utf8')) as Pick<PriceTable, 'sources' | 'prices'>;
    table = mergeSourced(table, patch.sources, patch.prices);
    process.stdout.write(`${path}: ${Object.keys(patch.prices).length} prices\n`);
  }
  validateTable(table, file);
  writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`);
  process.stdout.write(`wrote ${file} (effective ${table.effectiveDate})\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
