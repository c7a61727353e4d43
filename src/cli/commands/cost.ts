import { resolve } from 'node:path';
import {
  compareEstimates, defaultUsage, estimate, formatComparison, formatJson, formatMarkdown, formatTable, loadUsageFile,
  modelOf, ModelError, PriceTableError, PROFILES, UsageFileError, type Model, type Profile,
} from '../../analyse/cost/index.js';
import { todayFromEnvironment } from '../../plan/calendar/today.js';
import { loadSpec, UsageError, type LoadOptions } from '../../spec/load.js';
import { openAnalysisInput } from '../analysis-input.js';
import type { Command } from './index.js';
import { envOf } from './spec-arg.js';

export const cost: Command = {
  args: '[SPEC|DIR|TEMPLATE...] [options]',
  summary: 'estimate the monthly AWS cost of a spec or a synthesized cloud assembly',
  help: `SPEC|DIR|TEMPLATE...: a spec (synthesized to a temporary directory first), a cloud assembly directory
  (manifest.json), a directory of CloudFormation templates, or template files, JSON or YAML (then pass
  --region). Parameters are priced at their defaults. Rendered Kubernetes manifests in DIR/k8s are read too.
  verify and diagram take exactly the same inputs.
options:
  --usage FILE     usage estimates (plinth-usage.yaml); default: the documented low/base/high defaults
  --profile P      low | base | high: the profile of the single-number outputs (default: base, or the usage file's)
  --format F       table (default) | markdown | json
  --compare        OLD NEW: the monthly difference per resource between two inputs
  --compare-env E  with one SPEC: the difference from environment E to --env (default: the base), e.g.
                   plinth cost SPEC --env dev --compare-env prod
  --region R       region of bare templates (an assembly says its own)
  --now DATE       price as of this date (YYYY-MM-DD): table age, EKS support windows (default: PLINTH_TODAY, else today)`,
  options: {
    usage: { type: 'string' }, profile: { type: 'string' }, format: { type: 'string' }, compare: { type: 'boolean' }, 'compare-env': { type: 'string' },
    region: { type: 'string' }, now: { type: 'string' },
  },
  async run({ positionals, values, out }) {
    const format = String(values.format ?? 'table');
    if (!['table', 'markdown', 'json'].includes(format)) throw new UsageError(`--format must be table, markdown or json, not "${format}"`);
    const profile = values.profile === undefined ? undefined : String(values.profile) as Profile;
    if (profile && !PROFILES.includes(profile)) throw new UsageError(`--profile must be low, base or high, not "${profile}"`);
    let now: Date;
    try {
      now = values.now === undefined ? todayFromEnvironment() ?? new Date() : new Date(`${String(values.now)}T00:00:00Z`);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be a date such as 2026-11-21, not "${String(values.now)}"`);
    const closers: (() => void)[] = [];
    try {
      const usage = values.usage === undefined ? defaultUsage(profile) : loadUsageFile(resolve(String(values.usage)), profile);
      const options = { usage, now, region: values.region === undefined ? undefined : String(values.region) };
      const compareEnv = values['compare-env'];
      if (values.compare || compareEnv !== undefined) {
        if (values.compare && compareEnv !== undefined) throw new UsageError('use --compare OLD NEW or --compare-env ENV, not both');
        if (compareEnv !== undefined && positionals.length > 1) throw new UsageError(`--compare-env compares two environments of one SPEC; got ${positionals.length} inputs`);
        if (values.compare && positionals.length !== 2) throw new UsageError(`--compare takes two inputs, OLD and NEW; got ${positionals.length}`);
        const pairs: [string, LoadOptions][] = compareEnv !== undefined
          ? [[positionals[0] ?? '.', envOf({ env: compareEnv })], [positionals[0] ?? '.', envOf(values)]]
          : positionals.map((p) => [p, envOf(values)]);
        const [before, after] = await Promise.all(pairs.map(([p, env]) => modelFrom([p], closers, env)));
        let estimates = [estimate(before!, options), estimate(after!, options)] as const;
        if (compareEnv !== undefined) {
          // The same resource in two environments differs only by the environment in its stack's name.
          const [a, b] = await Promise.all(pairs.map(([p, env]) => loadSpec(p, env)));
          estimates = [withoutEnvironment(estimates[0], a!.spec.platform.name, a!.environment), withoutEnvironment(estimates[1], b!.spec.platform.name, b!.environment)] as const;
        }
        const comparison = compareEstimates(...estimates);
        out.result({ ok: true, comparison });
        if (format === 'json') write(out.json, JSON.stringify(comparison, null, 2));
        else out.info(formatComparison(comparison, format === 'markdown'));
        return 0;
      }
      const e = estimate(await modelFrom(positionals, closers, envOf(values)), options);
      out.result({ ok: true, estimate: e });
      if (format === 'json') write(out.json, formatJson(e));
      else out.info(format === 'markdown' ? formatMarkdown(e) : formatTable(e, Math.min(process.stdout.columns ?? 110, 130)));
      for (const w of e.warnings) out.error(`warning: ${w}`);
      return 0;
    } catch (e) {
      if (e instanceof ModelError || e instanceof PriceTableError || e instanceof UsageFileError) throw new UsageError(e.message);
      throw e;
    } finally {
      for (const close of closers) close();
    }
  },
};

/** Stack names and other resource addresses carry `<platform>-<environment>-`; comparing environments ignores it. */
function withoutEnvironment(e: ReturnType<typeof estimate>, platform: string, environment: string): ReturnType<typeof estimate> {
  const named = `${platform}-${environment}-`;
  return { ...e, resources: e.resources.map((r) => ({ ...r, address: r.address.split(named).join(`${platform}-<env>-`) })) };
}

function write(json: boolean, text: string): void {
  if (!json) process.stdout.write(`${text}\n`);
}

/** Reads an input through the shared input layer (a spec is synthesized to a temporary assembly first). */
async function modelFrom(inputs: readonly string[], closers: (() => void)[], env: LoadOptions): Promise<Model> {
  const opened = await openAnalysisInput(inputs, { command: 'cost', env });
  closers.push(() => opened.close());
  return modelOf(opened);
}
