/**
 * deploy / diff / destroy: synthesize, check, then hand the cloud assembly to the pinned AWS CDK CLI
 * (aws-cdk 2.x; npm's "latest" 3.0.0 cannot read current assemblies), one stack at a time so plinth
 * decides the order (src/analyse/plan/steps.ts) and says what each stack waits for.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { keptByDestroy, planChanges, readPlanAssembly, waitsFor, type ChangeReport, type PlanStack } from '../../analyse/plan/index.js';
import { changeReportSection } from '../../analyse/plan/format.js';
import { NAME_SERVERS_OUTPUT } from '../../aws/dns.js';
import { UsageError } from '../../spec/load.js';
import { loadPlan } from '../../plan/load.js';
import { EXIT_FAIL, type Output } from '../io.js';
import type { Command, CommandContext } from './index.js';
import { allowReplaceOf, DEPLOYED, deployedCopy, deployedStacks, printSections } from './plan.js';
import { envOf, specArg } from './spec-arg.js';
import { blocking } from './synth.js';
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
function cdk(ctx: CommandContext, args: readonly string[]): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cdkBin(), ...args], { stdio: 'inherit' });
    child.on('exit', (code) => done(code === 0 ? 0 : EXIT_FAIL));
    child.on('error', (e) => {
      ctx.out.error(`could not start the CDK CLI: ${e.message}`);
      done(EXIT_FAIL);
    });
  });
}

const COMMON = {
  out: { type: 'string' }, yes: { type: 'boolean' }, against: { type: 'string' }, 'allow-replace': { type: 'string', multiple: true },
} as const;

/**
 * Everything `plinth synth` refuses (validator, cdk-nag, verify) and everything `plinth plan` flags
 * stops the deploy here, before any AWS call. Returns the new stacks and the change report.
 */
async function checked(ctx: CommandContext, verb: string): Promise<{ outdir: string; after: PlanStack[]; report: ChangeReport } | number> {
  const spec = specArg(ctx.positionals, verb);
  if (!credentialsConfigured()) throw new UsageError(NO_CREDENTIALS);
  const { loaded, plan } = await loadPlan(spec, envOf(ctx.values));
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
  return { outdir, after, report };
}

export const deploy: Command = {
  args: '[SPEC] [--out DIR] [--against DIR|deployed] [--allow-replace PATH]... [--yes]',
  summary: 'check (validator, cdk-nag, verify, plan), then deploy every stack in a safe order',
  help: `options:
  --out DIR            where to write the cloud assembly (default: cdk.out); a copy of what was
                       deployed is kept in DIR.deployed for the next plan and deploy
  --against DIR        compare with this assembly instead of DIR.deployed (without DIR.deployed, or
                       with --against deployed: the templates CloudFormation runs now)
  --allow-replace PATH accept replacing the stateful resources under PATH (see plinth plan)
  --yes                do not ask to approve security-relevant changes`,
  options: COMMON,
  async run(ctx) {
    const checkedResult = await checked(ctx, 'deploy');
    if (typeof checkedResult === 'number') return checkedResult;
    const { outdir, report } = checkedResult;
    if (!report.safe) {
      printSections(ctx.out, [changeReportSection(report)], false);
      ctx.out.error('Refusing to deploy: the plan above needs attention (see each "fix").');
      return EXIT_FAIL;
    }
    const approval = ctx.values.yes ? ['--require-approval', 'never'] : [];
    const stacks = new Map(report.stacks.map((s) => [s.stack, s]));
    const transitionDir = transitionAssembly(outdir, checkedResult.after, report);
    const previous = ctx.values.against !== undefined ? resolve(String(ctx.values.against)) : deployedCopy(outdir);
    const outputsFile = join(outdir, 'outputs.json');
    try {
      for (const [i, step] of report.steps.entries()) {
        const change = stacks.get(step.stack);
        const waits = step.operation === 'deploy' && step.template === 'final' && change ? waitsFor(change) : [];
        ctx.out.info(`\n[${i + 1}/${report.steps.length}] ${step.operation} ${step.stackName}${step.template === 'transition' ? ' (transition)' : ''}: ${step.why}`
          + (waits.length ? `\n  waiting for ${waits.join('; ')}` : ''));
        const app = step.operation === 'delete' ? previous : step.template === 'transition' ? transitionDir! : outdir;
        const code = step.operation === 'delete'
          ? await cdk(ctx, ['destroy', '--app', app, '--exclusively', step.stack, '--force'])
          // --import-existing-resources adopts what an earlier destroy kept under a fixed name (a
          // database secret, a repository, a log group) instead of failing with "already exists".
          : await cdk(ctx, ['deploy', '--app', app, '--exclusively', step.stack, '--progress', 'events', '--import-existing-resources', '--outputs-file', outputsFile, ...approval]);
        if (code !== 0) return code;
        if (step.operation === 'deploy') printDelegation(ctx.out, outputsFile);
      }
    } finally {
      if (transitionDir) rmSync(transitionDir, { recursive: true, force: true });
    }
    rmSync(deployedCopy(outdir), { recursive: true, force: true });
    cpSync(outdir, deployedCopy(outdir), { recursive: true });
    return 0;
  },
};

/**
 * A new zone answers for the domain only once the registrar (or the parent zone) delegates it to the
 * zone's name servers; until then the DNS-validated certificate, and the stack that holds it, wait.
 */
export function printDelegation(out: Output, outputsFile: string): void {
  if (!existsSync(outputsFile)) return;
  const outputs = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, string>>;
  for (const [stack, values] of Object.entries(outputs)) {
    const servers = values[NAME_SERVERS_OUTPUT];
    if (!servers) continue;
    out.info(`\nThe hosted zone in ${stack} answers only once the domain is delegated to it. At the registrar (or parent zone), set its NS records to:`);
    for (const ns of servers.split(' ')) out.info(`  ${ns}`);
    out.info('The next stack waits for its certificate until then (check with: dig NS <domain> +short). With an existing zone, set dns.zoneId instead.');
  }
}

/** A copy of the assembly whose transitioned stacks carry their transition template. */
function transitionAssembly(outdir: string, after: readonly PlanStack[], report: ChangeReport): string | undefined {
  if (!report.steps.some((s) => s.template === 'transition')) return undefined;
  const { transitions } = report;
  const dir = mkdtempSync(join(tmpdir(), 'plinth-transition-'));
  cpSync(outdir, dir, { recursive: true });
  for (const s of after) if (transitions[s.id]) writeFileSync(join(dir, `${s.id}.template.json`), JSON.stringify(transitions[s.id], null, 1));
  return dir;
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

export const destroy: Command = {
  args: '[SPEC] [--out DIR] [--yes]',
  summary: 'delete the stacks; databases, file systems, buckets, repositories, the zone and logs are kept',
  options: { out: { type: 'string' }, yes: { type: 'boolean' } },
  async run(ctx) {
    const spec = specArg(ctx.positionals, 'destroy');
    if (!credentialsConfigured()) throw new UsageError(NO_CREDENTIALS);
    const { plan } = await loadPlan(spec, envOf(ctx.values));
    const outdir = resolve(String(ctx.values.out ?? 'cdk.out'));
    const { synthesizePlatform } = await import('../../aws/synth.js');
    synthesizePlatform(plan, { outdir, nag: false });
    const stacks = readPlanAssembly(outdir);
    // What controllers made in the VPC would block deleting it: removed first (src/ops/drain.ts). The VPC
    // is found by plinth's tags, so a VPC plinth did not create is never drained.
    const { drainPlatform } = await import('../../ops/drain-platform.js');
    for (const a of await drainPlatform(plan)) ctx.out.info(`removed ${a.kind} ${a.id} (made outside CloudFormation)`);
    const code = await cdk(ctx, ['destroy', '--app', outdir, '--all', ...(ctx.values.yes ? ['--force'] : [])]);
    printKept(ctx.out, stacks);
    if (code === 0) rmSync(deployedCopy(outdir), { recursive: true, force: true });
    return code;
  },
};

/** What destroy left in the account on purpose, and the command that deletes each. */
export function printKept(out: Output, stacks: readonly PlanStack[]): void {
  const kept = keptByDestroy(stacks, stacks[0]?.region);
  out.result({ kept });
  if (kept.length === 0) return;
  out.info(`\nKept on purpose (${kept.length}); a later plinth deploy adopts the named ones. To delete one for good:`);
  for (const k of kept) out.info(`  ${k.path} (${k.type}${k.name ? ` "${k.name}"` : ''})\n    ${k.deleteCommand}`);
}
