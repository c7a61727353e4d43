/**
 * Refreshing a price table from AWS Price List Bulk API offer files (docs/cost.md explains where to
 * download them). `pricesFromOffer` is pure and tested on a tiny fixture; the command line merges
 * its result into data/prices/<region>.json, keeping entries the offer files do not cover.
 *
 *   npx tsx src/analyse/cost/refresh.ts --region ap-northeast-2 \
 *     --offer AmazonEC2=./AmazonEC2.json --offer AmazonRDS=./AmazonRDS.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PRICES_DIR, validateTable } from './prices.js';
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
  const sourceId = `pl-${offerCode.toLowerCase()}`;
  const source: PriceSource = {
    url: `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${offerCode}/current/${region}/index.json`,
    title: `AWS Price List offer file ${offerCode}, region ${region} (publication ${found.publicationDate})`,
    retrieved,
  };
  const prices = { ...table.prices };
  for (const [key, p] of Object.entries(found.prices)) prices[key] = { ...p, source: sourceId };
  const sources = { ...table.sources, [sourceId]: source };
  const used = new Set(Object.values(prices).map((p) => p.source));
  const dates = Object.entries(sources).filter(([id]) => used.has(id)).map(([, s]) => s.retrieved).sort();
  return { ...table, sources, prices, effectiveDate: dates[0] ?? table.effectiveDate };
}

function main(): void {
  const { values } = parseArgs({ options: { region: { type: 'string' }, offer: { type: 'string', multiple: true }, retrieved: { type: 'string' } } });
  const offers = (values.offer ?? []).map((spec) => /^([^=]+)=(.+)$/.exec(spec));
  if (!values.region || offers.length === 0 || offers.some((m) => !m)) {
    process.stderr.write('usage: refresh.ts --region REGION --offer OfferCode=FILE [--offer ...] [--retrieved YYYY-MM-DD]\n');
    process.exitCode = 2;
    return;
  }
  const file = join(PRICES_DIR, `${values.region}.json`);
  let table = JSON.parse(readFileSync(file, 'utf8')) as PriceTable;
  const retrieved = values.retrieved ?? new Date().toISOString().slice(0, 10);
  for (const m of offers as RegExpExecArray[]) {
    const [offerCode, path] = [m[1]!, m[2]!];
    const found = pricesFromOffer(JSON.parse(readFileSync(path, 'utf8')) as OfferFile);
    table = mergeIntoTable(table, offerCode, values.region, found, retrieved);
    process.stdout.write(`${offerCode}: ${Object.keys(found.prices).length} prices\n`);
  }
  validateTable(table, file);
  writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`);
  process.stdout.write(`wrote ${file} (effective ${table.effectiveDate})\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
