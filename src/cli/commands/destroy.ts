/**
 * plinth destroy: drain what controllers made outside CloudFormation (src/ops/drain.ts), delete every
 * stack, and report what was kept on purpose with the command that deletes each. Snapshot databases lose
 * deletion protection just before their stack goes; a network a retained database still sits in is kept,
 * with the commands that finish (src/analyse/plan/destroy-plan.ts). With --delete-data and
 * the platform's name typed, it then deletes what was kept (src/ops/delete-data.ts), waits for the
 * retained databases to be gone, and deletes the network they held in the same run.
 */
import { join, resolve } from 'node:path';
import { readdirSync, rmSync } from 'node:fs';
import { keptByDestroy, readPlanAssembly, type PlanStack } from '../../analyse/plan/index.js';
import { planDestroy, type HeldStack } from '../../analyse/plan/destroy-plan.js';
import { UsageError } from '../../spec/load.js';
import { loadPlan } from '../../plan/load.js';
import type { DataClients, DataOutcome, KeptData } from '../../ops/delete-data.js';
import { EXIT_FAIL, type Output } from '../io.js';
import type { Command, CommandContext } from './index.js';
import { deployedCopy } from './plan.js';
import { envOf, specArg } from './spec-arg.js';
import { cdk, credentialsConfigured, NO_CREDENTIALS } from './toolkit.js';

export const destroy: Command = {
  args: '[SPEC] [--out DIR] [--yes] [--delete-data [--confirm NAME] [--no-final-snapshot]]',
  summary: 'delete the stacks; databases, file systems, buckets, repositories, the zone and logs are kept (unless --delete-data)',
  help: `options:
  --out DIR             where to write the cloud assembly (default: cdk.out)
  --yes                 do not ask before deleting the stacks (and turning off deletion protection of
                        databases whose final snapshot CloudFormation keeps)
  --delete-data         also delete what destroy keeps: databases, buckets (every object version),
                        file systems, repositories, secrets, log groups and the hosted zone. Asks you
                        to type the platform's name (<platform>-<environment>); without a terminal,
                        or with --yes, only --confirm NAME with that exact name lets it go on
  --confirm NAME        the typed confirmation, for scripts (needs --delete-data)
  --no-final-snapshot   with --delete-data, keep no final snapshot of the databases (default: keep one)`,
  options: {
    out: { type: 'string' }, yes: { type: 'boolean' }, 'delete-data': { type: 'boolean' }, confirm: { type: 'string' }, 'no-final-snapshot': { type: 'boolean' },
  },
  run: (ctx) => runDestroy(ctx),
};

/** What destroy reaches outside the process: the CDK CLI, credentials, AWS. Tests pass recorders. */
export interface DestroyDeps {
  readonly cdk: (ctx: CommandContext, args: readonly string[]) => Promise<number>;
  readonly credentialsConfigured: () => boolean;
  readonly dataClients: (region: string) => Promise<DataClients>;
}

const LIVE: DestroyDeps = {
  cdk, credentialsConfigured: () => credentialsConfigured(),
  // Loaded only when destroy runs: the AWS SDK clients are heavy.
  dataClients: async (region) => (await import('../../ops/data-clients.js')).dataClients(region),
};

export async function runDestroy(ctx: CommandContext, deps: DestroyDeps = LIVE): Promise<number> {
  const spec = specArg(ctx.positionals, 'destroy');
  const deleteData = ctx.values['delete-data'] === true;
  for (const flag of ['confirm', 'no-final-snapshot']) {
    if (ctx.values[flag] !== undefined && !deleteData) throw new UsageError(`--${flag} only applies with --delete-data; without it destroy deletes no data.`);
  }
  if (!deps.credentialsConfigured()) throw new UsageError(NO_CREDENTIALS);
  const { plan } = await loadPlan(spec, envOf(ctx.values));
  const outdir = resolve(String(ctx.values.out ?? 'cdk.out'));
  const { synthesizePlatform } = await import('../../aws/synth.js');
  synthesizePlatform(plan, { outdir, nag: false });
  const stacks = readPlanAssembly(outdir);
  const since = new Date();
  const region = plan.platform.region;
  const clients = await deps.dataClients(region);
  const ops = await import('../../ops/snapshot-databases.js');

  // Decided from the templates before any deletion (src/analyse/plan/destroy-plan.ts): which stacks
  // kept resources in the VPC hold, and which databases need deletion protection off.
  const decision = planDestroy(stacks);
  const { selectStacks } = await import('../../ops/held-stacks.js');
  const { held, toDelete } = await selectStacks(decision, stacks, clients);
  if (held.length > 0) await printHeld(ctx.out, held, stacks, outdir, spec);
  const unprotect = decision.unprotect.filter((u) => toDelete.includes(u.stack));

  let data: { items: KeptData[]; clients: DataClients } | undefined;
  if (deleteData) {
    // Every stack's: the held ones go too, in a second pass, once the databases that hold them are gone.
    const kept = keptByDestroy(stacks, region);
    const name = `${plan.platform.name}-${plan.platform.environment}`;
    ctx.out.info(`--delete-data: after the stacks, these ${kept.length} kept resources are deleted for good${ctx.values['no-final-snapshot'] ? ', with no final snapshot of the databases' : ' (databases keep a final snapshot)'}:`);
    for (const k of kept) ctx.out.info(`  ${k.path} (${k.type}${k.name ? ` "${k.name}"` : ''})`);
    const answer = await confirmDataDeletion({ expected: name, confirm: ctx.values.confirm, yes: ctx.values.yes === true, ask: process.stdin.isTTY ? askLine : undefined });
    if (answer !== true) {
      ctx.out.error(answer);
      return EXIT_FAIL;
    }
    const { keptData } = await import('../../ops/delete-data.js');
    const items: KeptData[] = [];
    // Physical ids come from each stack before it goes.
    for (const s of stacks) items.push(...await keptData(clients.cloudFormation, s.stackName, kept.filter((k) => k.stack === s.id)));
    data = { items, clients };
  } else if (unprotect.length > 0 && ctx.values.yes !== true) {
    // Asked here rather than by cdk: deletion protection goes off before cdk runs, so a "no" at cdk's prompt would come too late.
    const answer = process.stdin.isTTY ? (await askLine(`Delete ${toDelete.length} stack${toDelete.length === 1 ? '' : 's'} (${toDelete.join(', ')})? Databases keep a final snapshot. [y/N] `)).trim() : '';
    if (!/^y(es)?$/i.test(answer)) {
      ctx.out.error(process.stdin.isTTY ? 'Nothing deleted.' : 'Nothing deleted: no terminal to confirm on; pass --yes to delete the stacks.');
      return EXIT_FAIL;
    }
  }

  // CloudFormation deletes a Snapshot database with a final snapshot, which RDS refuses while deletion protection is on.
  const unprotected = await ops.unprotectSnapshotDatabases(unprotect, clients);
  for (const u of unprotected) ctx.out.info(`database ${u.physicalId}: deletion protection ${u.turnedOff ? 'off' : 'already off'}; CloudFormation keeps a final snapshot`);
  if (data) {
    const { unprotectDatabases } = await import('../../ops/delete-data.js');
    for (const id of await unprotectDatabases(data.items.filter((i) => toDelete.includes(i.stack)), clients)) ctx.out.info(`turned off deletion protection of database ${id}, so its stack can delete it`);
  }

  // What controllers made in the VPC would block deleting it: removed first (src/ops/drain.ts). The VPC
  // is found by plinth's tags, so a VPC plinth did not create is never drained.
  const { drainPlatform } = await import('../../ops/drain-platform.js');
  for (const a of await drainPlatform(plan)) ctx.out.info(`removed ${a.kind} ${a.id} (made outside CloudFormation)`);
  // Every stack, or (when some are held) the others by id: cdk destroy also takes the stacks that depend on those named.
  const selection = held.length === 0 ? ['--all'] : toDelete;
  const force = ctx.values.yes || deleteData || unprotect.length > 0 ? ['--force'] : [];
  const code = selection.length === 0 ? 0 : await deps.cdk(ctx, ['destroy', '--app', outdir, ...selection, ...force]);
  const snapshots = new Map<string, string>();
  if (code === 0) {
    for (const u of unprotected) snapshots.set(`${u.stack}/${u.logicalId}`, `final snapshot ${(await ops.finalSnapshotsSince(clients.rds, u.physicalId, since)).join(', ') || '(not listed yet: aws rds describe-db-snapshots --db-instance-identifier ' + u.physicalId + ')'}`);
  } else {
    for (const u of unprotected.filter((x) => x.turnedOff)) ctx.out.error(`database ${u.physicalId}: deletion protection is still off; to turn it back on: aws rds modify-db-instance --db-instance-identifier ${u.physicalId} --deletion-protection --apply-immediately --region ${region}`);
  }
  if (code !== 0 || !data) {
    if (deleteData) ctx.out.error('The stacks were not all deleted, so no data was deleted. Run plinth destroy --delete-data again once they are.');
    printKept(ctx.out, stacks, snapshots);
    if (code === 0 && held.length > 0) ctx.out.info(`\n${held.map((h) => h.stackName).join(', ')} kept on purpose (why, its cost and the commands that finish are printed above): delete ${held.flatMap((h) => h.heldBy.map((b) => b.path)).join(', ')}, then run plinth destroy ${spec} again.`);
    if (code === 0 && held.length === 0) rmSync(deployedCopy(outdir), { recursive: true, force: true });
    return code;
  }
  const { deleteKeptData } = await import('../../ops/delete-data.js');
  const deleteOf = async (ids: readonly string[]) => {
    const outcomes = await deleteKeptData(data.items.filter((i) => ids.includes(i.stack)), data.clients, { finalSnapshot: ctx.values['no-final-snapshot'] !== true, since });
    for (const o of outcomes) ctx.out.info(`  ${o.path} (${o.type} ${o.id}): ${'done' in o ? o.done : `LEFT: ${o.left}`}`);
    return outcomes;
  };
  const outcomes: DataOutcome[] = await deleteOf(toDelete);
  // The databases that held the network are gone now (deleteKeptData waits for them): the held stacks go in the same run.
  const rest = stacks.map((s) => s.id).filter((id) => !toDelete.includes(id));
  const released = held.length > 0 && !outcomes.some((o) => 'left' in o) && (await selectStacks(decision, stacks, clients)).held.length === 0;
  if (released) {
    ctx.out.info(`\nWhat held ${held.map((h) => h.stackName).join(', ')} is gone; deleting ${rest.length === 1 ? 'it' : 'them'} now.`);
    const { unprotectDatabases } = await import('../../ops/delete-data.js');
    await unprotectDatabases(data.items.filter((i) => rest.includes(i.stack)), clients);
    const second = await deps.cdk(ctx, ['destroy', '--app', outdir, ...rest, '--force']);
    if (second !== 0) {
      ctx.out.error(`${rest.join(', ')} could not be deleted; their kept data was not deleted. Run plinth destroy ${spec} --delete-data --confirm ${plan.platform.name}-${plan.platform.environment} again.`);
      ctx.out.result({ deleted: outcomes });
      return second;
    }
    outcomes.push(...await deleteOf(rest));
  }
  ctx.out.result({ deleted: outcomes });
  if (held.length === 0 || released) rmSync(deployedCopy(outdir), { recursive: true, force: true });
  const left = outcomes.filter((o) => 'left' in o);
  if (left.length > 0) {
    ctx.out.error(`${left.length} kept resource${left.length === 1 ? ' was' : 's were'} not deleted; the command for each is above.`);
    if (held.length > 0 && !released) ctx.out.error(`${held.map((h) => h.stackName).join(', ')} kept until then; run plinth destroy ${spec} --delete-data --confirm ${plan.platform.name}-${plan.platform.environment} again once they are gone.`);
    return EXIT_FAIL;
  }
  if (held.length > 0 && !released) ctx.out.info(`\n${held.map((h) => h.stackName).join(', ')} still held by what the templates keep in its subnets (printed above); once that is gone, run plinth destroy ${spec} --delete-data --confirm ${plan.platform.name}-${plan.platform.environment} again.`);
  return 0;
}

export interface Confirmation {
  /** The name to type: the stacks' common prefix, <platform>-<environment>. */
  readonly expected: string;
  /** --confirm NAME, if given. */
  readonly confirm: unknown;
  readonly yes: boolean;
  /** Asks on the terminal and returns the line typed; undefined without a terminal. */
  readonly ask: ((question: string) => Promise<string>) | undefined;
}

/**
 * Deleting data needs the platform's name typed (as GitHub asks for a repository's): --confirm NAME for
 * scripts, else typed at the prompt. --yes never stands in for it. Returns true, or why not (nothing deleted).
 */
export async function confirmDataDeletion(c: Confirmation): Promise<true | string> {
  if (c.confirm !== undefined) {
    return c.confirm === c.expected ? true : `Nothing deleted: --confirm "${String(c.confirm)}" is not the platform's name; to delete its data, pass --confirm ${c.expected} exactly.`;
  }
  if (c.yes) return `Nothing deleted: --yes does not confirm deleting data; add --confirm ${c.expected} (the platform's name, exactly).`;
  if (!c.ask) return `Nothing deleted: no terminal to confirm on; pass --confirm ${c.expected} (the platform's name, exactly).`;
  const typed = (await c.ask(`Type the platform's name (${c.expected}) to delete its data for good: `)).trim();
  return typed === c.expected ? true : `Nothing deleted: "${typed}" is not ${c.expected}.`;
}

async function askLine(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/** What destroy left in the account on purpose, and the command that deletes each; `notes` name a database's final snapshot. */
export function printKept(out: Output, stacks: readonly PlanStack[], notes: ReadonlyMap<string, string> = new Map()): void {
  const kept = keptByDestroy(stacks, stacks[0]?.region).map((k) => ({ ...k, ...(notes.has(`${k.stack}/${k.logicalId}`) ? { note: notes.get(`${k.stack}/${k.logicalId}`) } : {}) }));
  out.result({ kept });
  if (kept.length === 0) return;
  out.info(`\nKept on purpose (${kept.length}); a later plinth deploy adopts the named ones. To delete one for good:`);
  for (const k of kept) out.info(`  ${k.path} (${k.type}${k.name ? ` "${k.name}"` : ''})${'note' in k ? `: ${k.note}` : ''}\n    ${k.deleteCommand}`);
}

/**
 * Said before anything is deleted: which stacks stay because kept resources sit in their subnets and
 * security groups, what they bill while they stay, and the commands that finish the destroy.
 */
export async function printHeld(out: Output, held: readonly HeldStack[], stacks: readonly PlanStack[], outdir: string, spec: string): Promise<void> {
  const cost = await import('../../analyse/cost/index.js');
  const region = stacks[0]?.region;
  const r = region ? ` --region ${region}` : '';
  out.result({ held: held.map((h) => ({ stack: h.stackName, heldBy: h.heldBy.map((b) => b.path), billable: h.billable })) });
  for (const h of held) {
    out.info(`${h.stackName} is kept: ${h.heldBy.map((b) => `${b.path} (${b.type}, kept by its DeletionPolicy)`).join(', ')} still use${h.heldBy.length === 1 ? 's' : ''} its subnets and security groups, and `
      + 'EC2 refuses to delete a subnet or security group a network interface still uses (DependencyViolation). Every other stack is deleted.');
    const bills = h.billable.map((b) => `${b.count} ${b.type.replace(/^AWS::EC2::/, '')}`).join(', ');
    out.info(`  While it stays it bills${bills ? ` for ${bills}` : ' little (no NAT gateway, interface endpoint or VPN)'}; ${stackCost(stacks.find((s) => s.id === h.stack)!, outdir, cost, region)}`);
    out.info('  To finish: delete what holds it, then destroy again:');
    for (const b of h.heldBy) {
      if (b.type !== 'AWS::RDS::DBInstance') {
        out.info(`    delete ${b.path} (${b.type})`);
        continue;
      }
      // Without a fixed identifier, the instance is found by the tags CloudFormation put on it.
      const id = b.name ?? '"$DB"';
      if (!b.name) out.info(`    DB=$(aws rds describe-db-instances --query "DBInstances[?TagList[?Key=='aws:cloudformation:stack-name'&&Value=='${stacks.find((s) => s.id === b.stack)?.stackName}']&&TagList[?Key=='aws:cloudformation:logical-id'&&Value=='${b.logicalId}']].DBInstanceIdentifier" --output text${r})`);
      out.info(`    aws rds modify-db-instance --db-instance-identifier ${id} --no-deletion-protection --apply-immediately${r}`);
      out.info(`    aws rds delete-db-instance --db-instance-identifier ${id} --final-db-snapshot-identifier ${b.name ?? '"$DB"'}-final${r}`);
      out.info(`    aws rds wait db-instance-deleted --db-instance-identifier ${id}${r}`);
    }
    out.info(`    plinth destroy ${spec}   (or plinth destroy ${spec} --delete-data, which deletes them too)`);
  }
}

/** The monthly estimate of one stack's template (src/analyse/cost), or why there is none. */
function stackCost(stack: PlanStack, outdir: string, cost: typeof import('../../analyse/cost/index.js'), region: string | undefined): string {
  try {
    const file = readdirSync(outdir).find((f) => f === `${stack.id}.template.json`) ?? readdirSync(outdir).find((f) => f.startsWith(stack.id) && f.endsWith('.template.json'));
    if (!file) return 'no estimate (template not found)';
    return `about ${cost.totalSentence(cost.estimatePaths([join(outdir, file)], region ? { region } : {}))} (plinth cost ${join(outdir, file)})`;
  } catch (e) {
    return `no estimate (${(e as Error).message})`;
  }
}
