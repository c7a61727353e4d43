import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { analyseSide, drawChange, formatChangeSarif, formatMarkdown, formatText, parseCostThreshold, reviewChange, toJson, type ChangePolicy } from '../../analyse/change/index.js';
import type { Plan } from '../../plan/types.js';
import { loadPlan } from '../../plan/load.js';
import { UsageError } from '../../spec/load.js';
import type { Command } from './index.js';
import { envOf, specArg } from './spec-arg.js';

/**
 * `plinth plan SPEC --against DIR|SPEC`: what the change from the old version to SPEC does to
 * reachability, cost, Kubernetes and data, as text, Markdown (a pull-request comment) or JSON.
 * Issue 10's CloudFormation change list plugs in beside these sections (MarkdownOptions.before and
 * reviewChange's `extra` risks).
 */
export const plan: Command = {
  args: 'SPEC --against DIR|SPEC [--markdown] [--sarif FILE] [--picture FILE] [--max-cost-increase N%|$N]',
  summary: 'review a change before deploying it: reachability, cost, Kubernetes and data, with a verdict',
  help: `The old version (--against) is a cloud assembly written earlier (plinth synth --out DIR, e.g. main's
build artifact) or another spec, which is synthesized first. SPEC is synthesized into --out.

options:
  --against DIR|SPEC        the version to compare with (required)
  --out DIR                 where to write SPEC's assembly (default: a temporary directory, removed after)
  --markdown                print a GitHub-flavoured pull-request comment instead of text
  --sarif FILE              write SARIF 2.1.0 for what the change introduces (findings and risks)
  --picture FILE            draw the change (.png or .svg): added in green, removed in magenta
  --picture-url URL         where the comment links the picture (default: the --picture path)
  --max-cost-increase T     fail when the base monthly total grows more than T: 10% or $50
  --fail-on-internal-flows  fail on any newly allowed flow, not only from outside the VPC or to data

exit codes: 0 nothing risky, 1 something opened, lost data, broke an intent, or passed a threshold, 2 usage error`,
  options: {
    against: { type: 'string' }, out: { type: 'string' }, markdown: { type: 'boolean' }, sarif: { type: 'string' },
    picture: { type: 'string' }, 'picture-url': { type: 'string' }, 'max-cost-increase': { type: 'string' }, 'fail-on-internal-flows': { type: 'boolean' },
  },
  async run({ positionals, values, out }) {
    if (typeof values.against !== 'string') throw new UsageError('plan needs --against DIR|SPEC: the cloud assembly (or spec) of the version to compare with.');
    const policy = policyOf(values);
    const temp: string[] = [];
    try {
      const { plan: newPlan } = await loadPlan(specArg(positionals, 'plan'), envOf(values));
      const newDir = values.out ? resolve(String(values.out)) : tempDir(temp, 'plinth-plan-new-');
      const { synthesizePlatform } = await import('../../aws/synth.js');
      synthesizePlatform(newPlan, { outdir: newDir });
      const against = resolve(values.against);
      let oldDir = against;
      let oldPlan: Plan | undefined;
      if (!isAssembly(against)) {
        if (!existsSync(against)) throw new UsageError(`--against ${values.against} does not exist; give a cloud assembly directory (with manifest.json) or a spec.`);
        oldPlan = (await loadPlan(against, envOf(values))).plan;
        oldDir = tempDir(temp, 'plinth-plan-old-');
        synthesizePlatform(oldPlan, { outdir: oldDir });
      }
      const before = analyseSide(oldDir, { label: values.against, plan: oldPlan, intents: newPlan.intents });
      const after = analyseSide(newDir, { label: positionals[0] ?? '.', plan: newPlan });
      const review = reviewChange(before, after, policy);
      if (typeof values.picture === 'string') {
        const file = resolve(values.picture);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, await drawChange(before, after, { format: file.endsWith('.svg') ? 'svg' : 'png' }));
      }
      if (typeof values.sarif === 'string') writeFileSync(resolve(values.sarif), `${JSON.stringify(formatChangeSarif(review, after), null, 2)}\n`);
      out.result(toJson(review));
      if (values.markdown === true) {
        const pictureUrl = typeof values['picture-url'] === 'string' ? values['picture-url'] : typeof values.picture === 'string' ? values.picture : undefined;
        out.info(formatMarkdown(review, { pictureUrl }));
      } else out.info(formatText(review));
      return review.verdict.exitCode;
    } finally {
      for (const d of temp) rmSync(d, { recursive: true, force: true });
    }
  },
};

function tempDir(list: string[], prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  list.push(dir);
  return dir;
}

function isAssembly(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory() && existsSync(join(path, 'manifest.json'));
}

function policyOf(values: Readonly<Record<string, unknown>>): ChangePolicy {
  const raw = values['max-cost-increase'];
  const threshold = typeof raw === 'string' ? parseCostThreshold(raw) : undefined;
  if (typeof raw === 'string' && !threshold) throw new UsageError(`--max-cost-increase ${raw} is neither a percentage (10%) nor an amount ($50).`);
  return {
    ...(threshold && 'percent' in threshold ? { maxCostIncreasePercent: threshold.percent } : {}),
    ...(threshold && 'usd' in threshold ? { maxCostIncreaseUsd: threshold.usd } : {}),
    failOnInternalFlows: values['fail-on-internal-flows'] === true,
  };
}
