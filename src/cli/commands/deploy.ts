/**
 * plinth deploy: the checks of synth and plan (toolkit.ts), then one stack at a time in the plan's
 * order, saying what each waits for; after a new hosted zone, a wait of its own for the domain's
 * delegation (src/ops/delegation.ts) before the stack whose certificate needs it.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitsFor, type ChangeReport, type PlanStack } from '../../analyse/plan/index.js';
import { changeReportSection } from '../../analyse/plan/format.js';
import { NAME_SERVERS_OUTPUT } from '../../aws/dns.js';
import type { DnsPlan } from '../../plan/types.js';
import { UsageError } from '../../spec/load.js';
import type { NsLookup } from '../../ops/delegation.js';
import { EXIT_FAIL, type Output } from '../io.js';
import type { Command } from './index.js';
import { deployedCopy, printSections } from './plan.js';
import { cdk, checked, COMMON } from './toolkit.js';

/** How long deploy waits for a new zone's delegation unless told otherwise. */
export const DEFAULT_DNS_TIMEOUT_MINUTES = 30;

export const deploy: Command = {
  args: '[SPEC] [--out DIR] [--against DIR|deployed] [--allow-replace PATH]... [--dns-timeout MINUTES] [--yes]',
  summary: 'check (validator, cdk-nag, verify, plan), then deploy every stack in a safe order',
  help: `options:
  --out DIR            where to write the cloud assembly (default: cdk.out); a copy of what was
                       deployed is kept in DIR.deployed for the next plan and deploy
  --against DIR        compare with this assembly instead of DIR.deployed (without DIR.deployed, or
                       with --against deployed: the templates CloudFormation runs now)
  --allow-replace PATH accept replacing the stateful resources under PATH (see plinth plan)
  --dns-timeout MIN    after creating a new hosted zone, wait at most MIN minutes (default ${DEFAULT_DNS_TIMEOUT_MINUTES}) for
                       the registrar's delegation before the stack whose certificate needs it;
                       0 = do not wait (CloudFormation then waits, up to ACM's 72 hours)
  --yes                do not ask to approve security-relevant changes`,
  options: { ...COMMON, 'dns-timeout': { type: 'string' } },
  async run(ctx) {
    const timeoutMinutes = dnsTimeoutOf(ctx.values['dns-timeout']);
    const checkedResult = await checked(ctx, 'deploy');
    if (typeof checkedResult === 'number') return checkedResult;
    const { outdir, report, plan } = checkedResult;
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
        rmSync(outputsFile, { force: true });
        const code = step.operation === 'delete'
          ? await cdk(ctx, ['destroy', '--app', app, '--exclusively', step.stack, '--force'])
          // --import-existing-resources adopts what an earlier destroy kept under a fixed name (a
          // database secret, a repository, a log group) instead of failing with "already exists".
          : await cdk(ctx, ['deploy', '--app', app, '--exclusively', step.stack, '--progress', 'events', '--import-existing-resources', '--outputs-file', outputsFile, ...approval]);
        if (code !== 0) return code;
        if (step.operation !== 'deploy') continue;
        const servers = printDelegation(ctx.out, outputsFile);
        const needing = certificateStackAfter(report, i);
        if (servers.length > 0 && needing && plan.dns && !plan.dns.zoneId) {
          const { publicNsLookup } = await import('../../ops/delegation.js');
          const delegated = await awaitDelegation(ctx.out, { dns: plan.dns, zoneNameServers: servers, certificateStack: needing, timeoutMinutes, lookup: publicNsLookup() });
          if (!delegated) return EXIT_FAIL;
        }
      }
    } finally {
      if (transitionDir) rmSync(transitionDir, { recursive: true, force: true });
    }
    rmSync(deployedCopy(outdir), { recursive: true, force: true });
    cpSync(outdir, deployedCopy(outdir), { recursive: true });
    return 0;
  },
};

export function dnsTimeoutOf(value: unknown): number {
  if (value === undefined) return DEFAULT_DNS_TIMEOUT_MINUTES;
  const minutes = Number(value);
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(minutes)) {
    throw new UsageError(`--dns-timeout takes minutes, e.g. --dns-timeout 60 (or 0 not to wait), not "${String(value)}".`);
  }
  return minutes;
}

/**
 * The stack name of the first later deploy step that creates (or replaces) a certificate: only that
 * stack waits on the delegation. A redeploy whose certificate already exists does not.
 */
export function certificateStackAfter(report: ChangeReport, stepIndex: number): string | undefined {
  for (const step of report.steps.slice(stepIndex + 1)) {
    if (step.operation !== 'deploy') continue;
    const change = report.stacks.find((s) => s.stack === step.stack);
    const creates = change?.resources.some((r) => r.type === 'AWS::CertificateManager::Certificate' && (r.action === 'add' || r.action === 'replace' || r.action === 'may-replace'));
    if (creates) return step.stackName;
  }
  return undefined;
}

export interface DelegationWait {
  readonly dns: DnsPlan;
  readonly zoneNameServers: readonly string[];
  readonly certificateStack: string;
  readonly timeoutMinutes: number;
  readonly lookup: NsLookup;
  /** @default 30 s */
  readonly pollMs?: number;
  readonly clock?: { now(): number; sleep(ms: number): Promise<void> };
}

/** Waits for the domain's delegation, saying what it sees; false (with what to do) at the deadline. */
export async function awaitDelegation(out: Output, w: DelegationWait): Promise<boolean> {
  const { waitForDelegation, describeState } = await import('../../ops/delegation.js');
  const domain = w.dns.zoneName;
  if (w.timeoutMinutes === 0) {
    out.info(`--dns-timeout 0: not waiting for ${domain}'s delegation; ${w.certificateStack} stays in CREATE_IN_PROGRESS until its certificate validates (ACM tries for 72 hours).`);
    return true;
  }
  out.info(`\nWaiting up to ${w.timeoutMinutes} min for ${domain} to be delegated to the new zone before ${w.certificateStack}, whose certificate ACM validates only through public DNS (checking ${domain} NS on public resolvers every ${Math.round((w.pollMs ?? 30_000) / 1000)} s; Ctrl-C is safe, deployed stacks stay).`);
  const result = await waitForDelegation({
    domain, zoneNameServers: w.zoneNameServers, lookup: w.lookup, timeoutMs: w.timeoutMinutes * 60_000, pollMs: w.pollMs, clock: w.clock,
    onChange: (state) => out.info(`  ${describeState(domain, state)}`),
  });
  if (result.delegated) return true;
  out.error(`\nStopped: ${domain} is still not delegated to the new zone after ${w.timeoutMinutes} min; ${describeState(domain, result.last)}`
    + `\nAt the registrar of ${domain} (or in its parent zone), set exactly these NS records:`
    + `\n${w.zoneNameServers.map((ns) => `  ${ns}`).join('\n')}`
    + `\nThen run plinth deploy again: the stacks deployed so far are kept, and it goes on with ${w.certificateStack} once \`dig NS ${domain} +short\` shows them.`
    + ' Resolvers may keep an old delegation until its TTL (up to 48 hours for some TLDs); give --dns-timeout more minutes, or 0 to leave the wait to CloudFormation.'
    + ' If the zone already exists elsewhere in Route 53, reference it with dns.zoneId instead.');
  return false;
}

/**
 * A new zone answers for the domain only once the registrar (or the parent zone) delegates it to the
 * zone's name servers; until then the DNS-validated certificate, and the stack that holds it, wait.
 * Returns the name servers printed (none without a new zone in this deploy's outputs).
 */
export function printDelegation(out: Output, outputsFile: string): string[] {
  if (!existsSync(outputsFile)) return [];
  const outputs = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, string>>;
  const printed: string[] = [];
  for (const [stack, values] of Object.entries(outputs)) {
    const servers = values[NAME_SERVERS_OUTPUT];
    if (!servers) continue;
    out.info(`\nThe hosted zone in ${stack} answers only once the domain is delegated to it. At the registrar (or parent zone), set its NS records to:`);
    for (const ns of servers.split(' ')) {
      out.info(`  ${ns}`);
      printed.push(ns);
    }
    out.info('The next stack waits for its certificate until then (check with: dig NS <domain> +short). With an existing zone, set dns.zoneId instead.');
  }
  return printed;
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
