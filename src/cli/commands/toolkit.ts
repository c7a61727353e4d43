/**
 * What deploy, diff and destroy share: the credential check, the pinned AWS CDK CLI (aws-cdk 2.x; npm's
 * "latest" 3.0.0 cannot read current assemblies) run one stack at a time so plinth decides the order
 * (src/analyse/plan/steps.ts), and the checks before any change in AWS. deploy and destroy live in
 * deploy.ts and destroy.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { planChanges, readPlanAssembly, type ChangeReport, type PlanStack } from '../../analyse/plan/index.js';
import { UsageError } from '../../spec/load.js';
import { loadPlan } from '../../plan/load.js';
import type { Plan } from '../../plan/types.js';
import { EXIT_FAIL } from '../io.js';
import type { Command, CommandContext } from './index.js';
import { allowReplaceOf, DEPLOYED, deployedCopy, deployedStacks } from './plan.js';
import { envOf, specArg } from './spec-arg.js';
import { blocking, printPlanWarnings } from './synth.js';
import { verificationSummary, verifySynthesized } from './verify.js';

const CREDENTIAL_ENV = [
  'AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

/**
 * True when some credential source is configured. Deliberately offline and instant: plinth never
 * probes the instance metadata service, so on EC2 with an instance role set PLINTH_INSTANCE_ROLE=1.
 */
export function credentialsConfigured(env: NodeJS.ProcessEnv = process.env, home = homedir()): boolean {
  if (CREDENTIAL_ENV.some((k) => env[k])) return true;
  const files = [env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'), env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config')];
  if (files.some((f) => existsSync(f))) return true;
  return env.PLINTH_INSTANCE_ROLE === '1';
}

export const NO_CREDENTIALS = 'No AWS credentials found: run "aws configure" (or "aws sso login --profile NAME" and export AWS_PROFILE=NAME), '
  + 'or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then try again.';

function cdkBin(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve('aws-cdk/package.json'), '..', 'bin', 'cdk');
}

/** Runs the CDK CLI; the only place plinth's deploy commands reach AWS. */
export function cdk(ctx: CommandContext, args: readonly string[]): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cdkBin(), ...args], { stdio: 'inherit' });
    child.on('exit', (code) => done(code === 0 ? 0 : EXIT_FAIL));
    child.on('error', (e) => {
      ctx.out.error(`could not start the CDK CLI: ${e.message}`);
      done(EXIT_FAIL);
    });
  });
}

export const COMMON = {
  out: { type: 'string' }, yes: { type: 'boolean' }, against: { type: 'string' }, 'allow-replace': { type: 'string', multiple: true },
} as const;

/**
 * Everything `plinth synth` refuses (validator, cdk-nag, verify) and everything `plinth plan` flags
 * stops the deploy here, before any AWS call. Returns the new stacks and the change report.
 */
export async function checked(ctx: CommandContext, verb: string): Promise<{ plan: Plan; outdir: string; after: PlanStack[]; report: ChangeReport } | number> {
  const spec = specArg(ctx.positionals, verb);
  if (!credentialsConfigured()) throw new UsageError(NO_CREDENTIALS);
  const { loaded, plan } = await loadPlan(spec, envOf(ctx.values));
  printPlanWarnings(ctx.out, plan);
  const outdir = resolve(String(ctx.values.out ?? 'cdk.out'));
  const { synthesizePlatform } = await import('../../aws/synth.js');
  const result = synthesizePlatform(plan, { outdir, cloudFormationValidation: true });
  const failures = blocking(result);
  if (failures.length > 0) {
    ctx.out.error(`Refusing to ${verb}: ${failures.length} unacknowledged validation error${failures.length === 1 ? '' : 's'}. Run "plinth synth ${spec} --cfn-validate" to see them.`);
    return EXIT_FAIL;
  }
  const verification = verifySynthesized(outdir, plan, loaded.locate);
  if (!verification.ok) {
    ctx.out.error(verificationSummary(verification));
    ctx.out.error(`Refusing to ${verb}: plinth verify found violations.`);
    return EXIT_FAIL;
  }
  const after = readPlanAssembly(outdir);
  const previous = ctx.values.against !== undefined && ctx.values.against !== DEPLOYED ? resolve(String(ctx.values.against)) : deployedCopy(outdir);
  // No copy of the last deploy here (another checkout, a CI runner): compare with what CloudFormation runs.
  const before = ctx.values.against !== DEPLOYED && existsSync(join(previous, 'manifest.json')) ? readPlanAssembly(previous) : await deployedStacks(after);
  const report = planChanges(before, after, { allowReplace: allowReplaceOf(ctx.values['allow-replace']) });
  return { plan, outdir, after, report };
}

export const diff: Command = {
  args: '[SPEC] [--out DIR]',
  summary: 'show what a deploy would change, property by property (cdk diff against the deployed stacks)',
  options: { out: { type: 'string' } },
  async run(ctx) {
    const spec = specArg(ctx.positionals, 'diff');
    if (!credentialsConfigured()) throw new UsageError(NO_CREDENTIALS);
    const { plan } = await loadPlan(spec, envOf(ctx.values));
    const outdir = resolve(String(ctx.values.out ?? 'cdk.out'));
    const { synthesizePlatform } = await import('../../aws/synth.js');
    synthesizePlatform(plan, { outdir });
    // `cdk diff` compares every stack of the app by default; it rejects --all and --progress.
    return cdk(ctx, ['diff', '--app', outdir]);
  },
};
