/**
 * plinth cost: a monthly estimate of synthesized CloudFormation (+ rendered Kubernetes manifests),
 * from sourced price tables. Pure over files: never imports aws-cdk-lib.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { estimate, type EstimateOptions } from './engine.js';
import { totalSentence } from './format.js';
import { readModel } from './model.js';
import type { Estimate } from './types.js';

export { estimate, knownTypes, type EstimateOptions } from './engine.js';
export { compareEstimates, formatComparison, type Comparison } from './compare.js';
export { formatJson, formatMarkdown, formatTable, totalSentence } from './format.js';
export { modelOf, readModel, ModelError, type Model } from './model.js';
export { loadPriceTable, staleTableWarning, PriceTableError, STALE_AFTER_DAYS } from './prices.js';
export { loadUsageFile, defaultUsage, USAGE_DEFAULTS, UsageFileError } from './usage.js';
export { parseCron, weeklyRunningHours, CronError } from './schedule.js';
export * from './types.js';

/** Estimate of cloud assemblies, template files or directories. */
export function estimatePaths(paths: readonly string[], options: EstimateOptions = {}): Estimate {
  return estimate(readModel(paths), options);
}

/**
 * The one line `plinth synth` prints at the end, e.g.
 * "Estimated cost: $312/month (base; range $290–$410 low–high), 2 lines unpriced. Details: plinth cost cdk.out".
 * Never throws: an estimate must not fail a synth.
 */
export function monthlyTotalLine(outdir: string, options: EstimateOptions = {}): string {
  try {
    if (!existsSync(join(outdir, 'manifest.json'))) return '';
    const e = estimatePaths([outdir], options);
    const unpriced = e.unpriced.length ? `, ${e.unpriced.length} line${e.unpriced.length === 1 ? '' : 's'} unpriced` : '';
    return `Estimated cost: ${totalSentence(e)}${unpriced}. Details: plinth cost ${outdir}`;
  } catch (e) {
    return `Estimated cost: not available (${(e as Error).message})`;
  }
}
