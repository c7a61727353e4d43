/**
 * EC2 on-demand and Spot prices from SkyPilot's generated AWS catalog (skypilot-org/skypilot-catalog,
 * catalogs/v7/aws/vms.csv). Its fetcher reads the AWS Price List offer file
 * (offers/v1.0/aws/AmazonEC2/current/<region>/index.csv: TermType OnDemand, Linux, no pre-installed
 * software, CapacityStatus Used) for the `Price` column, and EC2 DescribeSpotPriceHistory for the
 * `SpotPrice` column, one row per availability zone. Pure, and tested on rows of the committed excerpt
 * (data/prices/sources/skypilot-vms-excerpt.csv).
 */
import type { PriceEntry } from './types.js';

export interface CatalogRow {
  readonly instanceType: string;
  readonly price: number | undefined;
  readonly spotPrice: number | undefined;
  /** The SpotPrice cell as written (0.046200), for the quote. */
  readonly spotText: string;
  readonly region: string;
  readonly zone: string;
  /** The CSV line, kept as the quote. */
  readonly line: string;
}

const HEADER = 'InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone';

/** Rows of the catalog CSV. Accelerator rows quote their GpuInfo, so the last four columns are read from the end. */
export function parseCatalog(text: string): CatalogRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0] !== HEADER) throw new Error(`not a SkyPilot AWS catalog: the header is not "${HEADER}"`);
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const [price, spot, region, zone] = cells.slice(-4);
    const number = (s: string | undefined) => (s === undefined || s === '' ? undefined : Number(s));
    return { instanceType: cells[0]!, price: number(price), spotPrice: number(spot), spotText: spot ?? '', region: region!, zone: zone!, line };
  });
}

/**
 * The region's prices: `ec2.instance.<type>` (on-demand; every zone must agree) and, from the Spot
 * column, `ec2.spot.<type>.low` / `.high`, the lowest and highest zone price in the snapshot. Spot
 * prices are a market snapshot, not a list price: the pair is the range plinth shows.
 */
export function pricesFromCatalog(rows: readonly CatalogRow[], region: string): Record<string, Omit<PriceEntry, 'source'>> {
  const prices: Record<string, Omit<PriceEntry, 'source'>> = {};
  const byType = new Map<string, CatalogRow[]>();
  for (const r of rows.filter((x) => x.region === region)) byType.set(r.instanceType, [...(byType.get(r.instanceType) ?? []), r]);
  for (const [type, zones] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    const onDemand = [...new Set(zones.map((z) => z.price).filter((p): p is number => p !== undefined))];
    if (onDemand.length > 1) throw new Error(`${type} in ${region}: zones disagree on the on-demand price (${onDemand.join(', ')})`);
    if (onDemand.length === 1) prices[`ec2.instance.${type}`] = { usd: onDemand[0]!, unit: 'hour', quote: zones[0]!.line };
    const spot = zones.filter((z) => z.spotPrice !== undefined).sort((a, b) => a.spotPrice! - b.spotPrice!);
    if (spot.length === 0) continue;
    const quote = `SpotPrice by zone: ${spot.map((z) => `${z.zone} ${z.spotText}`).join(', ')}`;
    prices[`ec2.spot.${type}.low`] = { usd: spot[0]!.spotPrice!, unit: 'hour', quote };
    prices[`ec2.spot.${type}.high`] = { usd: spot.at(-1)!.spotPrice!, unit: 'hour', quote };
  }
  return prices;
}
