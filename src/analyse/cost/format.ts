/** Renderings of an estimate: a terminal table grouped by layer, Markdown for a PR comment, JSON. */
import { LAYERS, type CostComponent, type Estimate, type Profile, type ResourceCost } from './types.js';
import { STALE_AFTER_DAYS } from './prices.js';

export function usd(n: number): string {
  const abs = Math.abs(n);
  const text = abs >= 100 ? abs.toFixed(0) : abs >= 1 ? abs.toFixed(2) : abs === 0 ? '0.00' : abs.toFixed(abs >= 0.01 ? 2 : 4);
  return `${n < 0 ? '-' : ''}$${abs >= 1000 ? Number(text).toLocaleString('en-US') : text}`;
}

function unitPrice(n: number): string {
  return `$${Number(n.toPrecision(6))}`;
}

function qty(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : Number(n.toFixed(2)).toLocaleString('en-US');
}

function lineQuantity(c: CostComponent, p: Profile): string {
  const price = c.unitPrice === undefined ? 'unpriced' : `× ${unitPrice(c.unitPrice)}`;
  return `${qty(c.quantity[p])} ${c.unit} ${price}${c.kind === 'usage' ? ' (usage)' : ''}`;
}

function lineCost(c: CostComponent, p: Profile): string {
  return c.monthly ? usd(c.monthly[p]) : '—';
}

function resourceMonthly(r: ResourceCost, p: Profile): number {
  return r.components.reduce((s, c) => s + (c.monthly?.[p] ?? 0), 0);
}

function layerTotal(e: Estimate, layer: string, p: Profile): number {
  return e.resources.filter((r) => r.layer === layer).reduce((s, r) => s + resourceMonthly(r, p), 0);
}

function freeSummary(e: Estimate): string {
  const counts = new Map<string, number>();
  for (const r of e.resources.filter((x) => x.classification === 'free')) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t.replace(/^AWS::/, '')} ×${n}`).join(', ');
}

function header(e: Estimate): string {
  return `${e.region}, usage profile ${e.profile}`;
}

/** How old the prices are: the table's date is that of its oldest source, counted to "today" (--now, PLINTH_TODAY). */
export function tableAgeSentence(e: Estimate): string {
  const t = e.table;
  const age = t.ageDays === 1 ? '1 day' : `${t.ageDays} days`;
  return `Prices: the ${t.region} table dated ${t.effectiveDate} (its oldest source), ${age} old on ${t.today}; plinth warns after ${STALE_AFTER_DAYS} days.`;
}

export function totalSentence(e: Estimate): string {
  const p = e.profile;
  return `${usd(e.totals[p])}/month (${p}; range ${usd(e.totals.low)}–${usd(e.totals.high)} low–high)`;
}

/** The terminal table. */
export function formatTable(e: Estimate, width = 100): string {
  const p = e.profile;
  const out: string[] = [`plinth cost: ${header(e)}`, tableAgeSentence(e), ''];
  const pad = (left: string, right: string) => `${left}${' '.repeat(Math.max(1, width - left.length - right.length))}${right}`;
  for (const layer of LAYERS) {
    const priced = e.resources.filter((r) => r.layer === layer && r.components.length > 0);
    if (priced.length === 0) continue;
    out.push(pad(layer.toUpperCase(), 'per month'));
    for (const r of priced) {
      out.push(`  ${r.name}  (${r.type}, ${r.address})`);
      for (const c of r.components) {
        out.push(pad(`    ${c.name.padEnd(44)} ${lineQuantity(c, p)}`, lineCost(c, p)));
        if (c.savings) out.push(`      schedule saves ${usd(c.savings)} (${qty(c.unscheduledQuantity ?? 0)} → ${qty(c.quantity[p])} ${c.unit})`);
      }
      for (const f of r.flags) out.push(`    ! ${f}`);
    }
    out.push(pad('', `${layer} ${usd(layerTotal(e, layer, p))}`), '');
  }
  out.push(`Total: ${totalSentence(e)}`);
  out.push(`  fixed ${usd(e.fixedMonthly)}, usage-based ${usd(e.totals[p] - e.fixedMonthly)}${e.savingsMonthly ? `; schedules save ${usd(e.savingsMonthly)}` : ''}`);
  if (e.unpriced.length) {
    out.push('', `Not priced (${e.unpriced.length}), so the total is a lower bound:`);
    for (const u of e.unpriced) out.push(`  ${u.address} (${u.type}): ${u.reason}`);
  }
  const free = freeSummary(e);
  if (free) out.push('', `Free (${e.resources.filter((r) => r.classification === 'free').length}): ${free}`);
  for (const w of e.warnings) out.push('', `warning: ${w}`);
  out.push('', 'Excludes taxes, free tier, Savings Plans and Reserved Instances, Spot prices beyond the Spot snapshot in the price table, and data transfer beyond the usage file. See docs/cost.md.');
  return out.join('\n');
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|');

/** Markdown for a pull-request comment. */
export function formatMarkdown(e: Estimate): string {
  const p = e.profile;
  const out = [`### plinth cost: ${totalSentence(e)}`, '', `${header(e)}. ${tableAgeSentence(e)}`, ''];
  out.push('| Layer | Monthly |', '|---|---:|');
  for (const layer of LAYERS) {
    const t = layerTotal(e, layer, p);
    if (e.resources.some((r) => r.layer === layer && r.components.length)) out.push(`| ${layer} | ${usd(t)} |`);
  }
  out.push(`| **total** | **${usd(e.totals[p])}** |`, '');
  if (e.savingsMonthly) out.push(`Schedules save ${usd(e.savingsMonthly)} a month.`, '');
  out.push('<details><summary>Breakdown</summary>', '', '| Resource | Component | Quantity | Monthly |', '|---|---|---|---:|');
  for (const layer of LAYERS) {
    for (const r of e.resources.filter((x) => x.layer === layer && x.components.length)) {
      r.components.forEach((c, i) => out.push(`| ${i === 0 ? mdCell(`${r.name} (${r.type})`) : ''} | ${mdCell(c.name)} | ${mdCell(lineQuantity(c, p))} | ${lineCost(c, p)} |`));
    }
  }
  out.push('', '</details>', '');
  if (e.unpriced.length) {
    out.push(`**Not priced (${e.unpriced.length})**, so the total is a lower bound:`, '');
    for (const u of e.unpriced) out.push(`- \`${u.address}\` (${u.type}): ${mdCell(u.reason)}`);
    out.push('');
  }
  for (const w of e.warnings) out.push(`> ⚠️ ${w}`, '');
  out.push('_Excludes taxes, free tier, Savings Plans, Spot prices beyond the Spot snapshot in the price table, and data transfer beyond the usage file._');
  return out.join('\n');
}

export function formatJson(e: Estimate): string {
  return JSON.stringify(e, null, 2);
}
