/** Price tables: one sourced JSON file per region under data/prices/. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../../package-root.js';
import type { PriceEntry, PriceTable } from './types.js';

export const PRICES_DIR = packagePath('data', 'prices');

/** A table older than this is still used, with a warning. */
export const STALE_AFTER_DAYS = 120;

export class PriceTableError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'PriceTableError';
  }
}

export function availableRegions(dir = PRICES_DIR): string[] {
  return readdirSync(dir).filter((f) => /^[a-z]{2}(-gov)?-[a-z]+-\d\.json$/.test(f)).map((f) => f.replace(/\.json$/, '')).sort();
}

const cache = new Map<string, PriceTable>();

export function loadPriceTable(region: string, dir = PRICES_DIR): PriceTable {
  const file = join(dir, `${region}.json`);
  const cached = cache.get(file);
  if (cached) return cached;
  if (!existsSync(file)) {
    throw new PriceTableError(`E_NO_PRICE_TABLE: plinth has no price table for region ${region}; tables exist for ${availableRegions(dir).join(', ')}. Add data/prices/${region}.json (see docs/cost.md, "Refreshing the price tables").`);
  }
  const table = validateTable(JSON.parse(readFileSync(file, 'utf8')) as PriceTable, file);
  cache.set(file, table);
  return table;
}

/** Every price must name a source that has a URL: an unsourced number is a bug in the table. */
export function validateTable(table: PriceTable, where = 'price table'): PriceTable {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(table.effectiveDate ?? '')) throw new PriceTableError(`${where}: effectiveDate must be YYYY-MM-DD, got ${String(table.effectiveDate)}`);
  for (const [key, entry] of Object.entries(table.prices)) {
    const source = table.sources[entry.source];
    if (!source || !/^https:\/\//.test(source.url)) throw new PriceTableError(`${where}: price ${key} names source "${entry.source}", which is missing or has no https URL`);
    if (!(typeof entry.usd === 'number' && entry.usd >= 0)) throw new PriceTableError(`${where}: price ${key} has no usd number`);
    if (!entry.quote) throw new PriceTableError(`${where}: price ${key} has no quote of what its source says`);
  }
  return table;
}

export function price(table: PriceTable, key: string): PriceEntry | undefined {
  return table.prices[key];
}

export function tableAgeDays(table: PriceTable, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(`${table.effectiveDate}T00:00:00Z`)) / 86_400_000);
}

/** The warning shown when a table is past STALE_AFTER_DAYS, or undefined. */
export function staleTableWarning(table: PriceTable, now: Date): string | undefined {
  const age = tableAgeDays(table, now);
  if (age <= STALE_AFTER_DAYS) return undefined;
  return `The ${table.region} price table is ${age} days old (effective ${table.effectiveDate}; plinth warns after ${STALE_AFTER_DAYS}). AWS may have changed prices since: refresh data/prices/${table.region}.json as docs/cost.md describes.`;
}
