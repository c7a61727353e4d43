/**
 * `plinth plan SPEC [--against DIR|SPEC]`: what deploying SPEC would do, compared with an earlier
 * version. Two kinds of section: the CloudFormation change list (src/analyse/plan: added, modified,
 * replaced, removed, what CloudFormation would refuse, what destroy keeps) and the change review
 * (src/analyse/change: reachability, intents, cost, Kubernetes, data). CloudFormation refusals feed
 * the review's verdict, so there is one exit code: 0 safe, 1 needs attention.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  analyseSide, drawChange, formatChangeSarif, formatMarkdown, formatText, parseCostThreshold, reviewChange, toJson,
  type ChangePolicy, type Risk,
} from '../../analyse/change/index.js';
import { changeReportSection, planChanges, readPlanAssembly, type ChangeReport, type PlanSection, type PlanStack } from '../../analyse/plan/index.js';
import { loadPlan } from '../../plan/load.js';
import type { Plan } from '../../plan/types.js';
import { UsageError, type LoadOptions } from '../../spec/load.js';
import { EXIT_FAIL, type Output } from '../io.js';
import type { Command } from './index.js';
import { envOf, specArg } from './spec-arg.js';

/** Where `plinth deploy` keeps a copy of the assembly it deployed last, next to the output DIR. */
export const deployedCopy = (outdir: string) => `${resolve(outdir)}.deployed`;

/** The assembly to compare with: the given DIR, else the last deployed copy, else the last synth. */
export function previousAssembly(against: string | undefined, outdir = 'cdk.out'): string | undefined {
  if (against !== undefined) return resolve(against);
  return [deployedCopy(outdir), resolve(outdir)].find((d) => existsSync(join(d, 'manifest.json')));
}

export function allowReplaceOf(value: unknown): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
}

/** The CloudFormation section for `after` over `before` (no `before`: a first deploy). */
export function cloudFormationSection(before: string | undefined, after: readonly PlanStack[], allowReplace: readonly string[]): PlanSection {
  const old = before ? readPlanAssembly(before) : [];
  return changeReportSection(planChanges(old, after, { allowReplace }));
}

export function printSections(out: Output, sections: readonly PlanSection[], markdown: boolean): void {
  out.result({ ok: sections.every((s) => !s.attention), sections: sections.map(({ id, title, attention, json }) => ({ id, title, attention, report: json })) });
  if (markdown) {
    out.info(sections.map(sectionMarkdown).join('\n\n'));
    return;
  }
  for (const s of sections) out.info(sectionText(s));
}

const sectionMarkdown = (s: PlanSection) => `### ${s.attention ? '⚠️' : '✅'} ${s.title}\n\n${s.markdown}`;
const sectionText = (s: PlanSection) => [`== ${s.title}${s.attention ? ' (needs attention)' : ''}`, ...s.text, ''].join('\n');

/** CloudFormation's refusals are risks of the same verdict as an opened flow. */
function cloudFormationRisks(section: PlanSection): Risk[] {
  const report = section.json as ChangeReport;
  return report.refusals.map((r) => ({ code: 'R_CLOUDFORMATION', text: `${r.stack}: ${r.message} (${r.fix})` }));
}

export const plan: Command = {
  args: '[SPEC] [--against DIR|SPEC|deployed] [--allow-replace PATH]... [--markdown] [--sarif FILE] [--picture FILE] [--max-cost-increase N%|$N]',
  summary: 'review a change before deploying it: CloudFormation changes, reachability, cost, Kubernetes and data, with a verdict',
  help: `The old version (--against) is a cloud assembly written earlier (plinth synth --out DIR, e.g. main's
build artifact) or another spec, which is synthesized first. Without --against: what plinth deploy last
deployed from cdk.out, else cdk.out; with neither, a first deploy (CloudFormation section only).
--against deployed reads what CloudFormation runs now (GetTemplate of each of SPEC's stacks, in its
region; needs AWS credentials with cloudformation:DescribeStacks and GetTemplate); a stack not
deployed yet counts as a first deploy of it. For a directory named deployed, write ./deployed.

options:
  --against DIR|SPEC|deployed  the version to compare with
  --allow-replace PATH      accept replacing the stateful resources under a construct path the plan names,
                            e.g. --allow-replace Data/Databases/main (repeatable)
  --out DIR                 where to write SPEC's assembly (default: a temporary directory, removed after)
  --env NAME                the environment of SPEC (and of an --against spec) to plan
  --markdown                print a GitHub-flavoured pull-request comment instead of text
  --sarif FILE              write SARIF 2.1.0 for what the change introduces (findings and risks)
  --picture FILE            draw the change (.png or .svg): added in green, removed in magenta
  --picture-url URL         where the comment links the picture (default: the --picture path)
  --max-cost-increase T     fail when the base monthly total grows more than T: 10% or $50
  --fail-on-internal-flows  fail on any newly allowed flow, not only from outside the VPC or to data

exit codes: 0 nothing risky, 1 something opened, lost data, broke an intent, passed a threshold or would
be refused by CloudFormation, 2 usage error`,
  options: {
    against: { type: 'string' }, 'allow-replace': { type: 'string', multiple: true }, out: { type: 'string' },
    markdown: { type: 'boolean' }, sarif: { type: 'string' }, picture: { type: 'string' }, 'picture-url': { type: 'string' },
    'max-cost-increase': { type: 'string' }, 'fail-on-internal-flows': { type: 'boolean' },
  },
  async run({ positionals, values, out }) {
    const policy = policyOf(values);
    const env = envOf(values);
    const temp: string[] = [];
    if (values.against === DEPLOYED) {
      // Before the synth, so a missing setup fails fast (as deploy, diff and destroy do).
      const { credentialsConfigured, NO_CREDENTIALS } = await import('./toolkit.js');
      if (!credentialsConfigured()) throw new UsageError(`--against deployed reads the stacks from CloudFormation. ${NO_CREDENTIALS}`);
    }
    try {
      const { loaded, plan: newPlan } = await loadPlan(specArg(positionals, 'plan'), env);
      const newDir = values.out ? resolve(String(values.out)) : tempDir(temp, 'plinth-plan-new-');
      const { synthesizePlatform } = await import('../../aws/synth.js');
      synthesizePlatform(newPlan, { outdir: newDir, nag: false, manifestCheck: false });
      const newStacks = readPlanAssembly(newDir);
      const old = values.against === DEPLOYED
        ? await deployedVersion(newStacks, temp)
        : await oldVersion(values.against as string | undefined, env, temp, synthesizePlatform);
      if (!old) out.info(values.against === DEPLOYED ? 'None of the stacks is deployed: planning a first deploy.' : 'No previous assembly (cdk.out): planning a first deploy.');
      const cfn = cloudFormationSection(old?.dir, newStacks, allowReplaceOf(values['allow-replace']));
      if (!old) {
        printSections(out, [cfn], values.markdown === true);
        return cfn.attention ? EXIT_FAIL : 0;
      }

      const before = analyseSide(old.dir, { label: String(values.against ?? old.dir), plan: old.plan, intents: newPlan.intents });
      const after = analyseSide(newDir, { label: positionals[0] ?? '.', plan: newPlan, locate: (path) => loaded.locate(path) });
      const review = reviewChange(before, after, policy, cloudFormationRisks(cfn));
      if (typeof values.picture === 'string') {
        const file = resolve(values.picture);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, await drawChange(before, after, { format: file.endsWith('.svg') ? 'svg' : 'png' }));
      }
      if (typeof values.sarif === 'string') writeFileSync(resolve(values.sarif), `${JSON.stringify(formatChangeSarif(review, after), null, 2)}\n`);
      out.result({ ...(toJson(review) as object), cloudFormation: { attention: cfn.attention, report: cfn.json } });
      if (values.markdown === true) {
        const pictureUrl = typeof values['picture-url'] === 'string' ? values['picture-url'] : typeof values.picture === 'string' ? values.picture : undefined;
        out.info(formatMarkdown(review, { pictureUrl, before: [sectionMarkdown(cfn)] }));
      } else out.info(`${sectionText(cfn)}\n${formatText(review)}`);
      return review.verdict.exitCode;
    } finally {
      for (const d of temp) rmSync(d, { recursive: true, force: true });
    }
  },
};

/** `--against deployed`: the stacks' templates as CloudFormation runs them now. */
export const DEPLOYED = 'deployed';

async function deployedVersion(stacks: readonly PlanStack[], temp: string[]): Promise<{ dir: string; plan?: Plan } | undefined> {
  const { DeployedReadError, readDeployedStacks, writeDeployedAssembly } = await import('../../ops/deployed-assembly.js');
  const dir = tempDir(temp, 'plinth-plan-deployed-');
  try {
    return writeDeployedAssembly(dir, await readDeployedStacks(stacks), stacks) ? { dir } : undefined;
  } catch (e) {
    // Not a change that needs attention (exit 1): the plan could not be made, like any bad invocation.
    if (e instanceof DeployedReadError) throw new UsageError(e.message);
    throw e;
  }
}

/** The deployed stacks of `stacks` as PlanStacks (deploy's pre-check when it has no cdk.out.deployed). */
export async function deployedStacks(stacks: readonly PlanStack[]): Promise<PlanStack[]> {
  const temp: string[] = [];
  try {
    const old = await deployedVersion(stacks, temp);
    return old ? readPlanAssembly(old.dir) : [];
  } finally {
    for (const d of temp) rmSync(d, { recursive: true, force: true });
  }
}

type Synthesize = (plan: Plan, options: { outdir: string; nag?: boolean; manifestCheck?: boolean }) => unknown;

/** The version to compare with: an assembly as it is, or a spec synthesized to a temporary one. */
async function oldVersion(against: string | undefined, env: LoadOptions, temp: string[], synthesize: Synthesize): Promise<{ dir: string; plan?: Plan } | undefined> {
  const dir = previousAssembly(against);
  if (dir === undefined) return undefined;
  if (isAssembly(dir)) return { dir };
  if (!existsSync(dir)) throw new UsageError(`--against ${against} does not exist; give a cloud assembly directory (with manifest.json) or a spec.`);
  const oldPlan = (await loadPlan(dir, env)).plan;
  const outdir = tempDir(temp, 'plinth-plan-old-');
  synthesize(oldPlan, { outdir, nag: false, manifestCheck: false });
  return { dir: outdir, plan: oldPlan };
}

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
