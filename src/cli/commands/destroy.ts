/**
 * plinth destroy: drain what controllers made outside CloudFormation (src/ops/drain.ts), delete every
 * stack, and report what was kept on purpose with the command that deletes each. With --delete-data and
 * the platform's name typed, it then deletes what was kept (src/ops/delete-data.ts).
 */
import { resolve } from 'node:path';
import { rmSync } from 'node:fs';
import { keptByDestroy, readPlanAssembly, type PlanStack } from '../../analyse/plan/index.js';
import { UsageError } from '../../spec/load.js';
import { loadPlan } from '../../plan/load.js';
import type { DataClients, KeptData } from '../../ops/delete-data.js';
import { EXIT_FAIL, type Output } from '../io.js';
import type { Command } from './index.js';
import { deployedCopy } from './plan.js';
import { envOf, specArg } from './spec-arg.js';
import { cdk, credentialsConfigured, NO_CREDENTIALS } from './toolkit.js';

export const destroy: Command = {
  args: '[SPEC] [--out DIR] [--yes] [--delete-data [--confirm NAME] [--no-final-snapshot]]',
  summary: 'delete the stacks; databases, file systems, buckets, repositories, the zone and logs are kept (unless --delete-data)',
  help: `options:
  --out DIR             where to write the cloud assembly (default: cdk.out)
  --yes                 do not ask before deleting the stacks
  --delete-data         also delete what destroy keeps: databases, buckets (every object version),
                        file systems, repositories, secrets, log groups and the hosted zone. Asks you
                        to type the platform's name (<platform>-<environment>); without a terminal,
                        or with --yes, only --confirm NAME with that exact name lets it go on
  --confirm NAME        the typed confirmation, for scripts (needs --delete-data)
  --no-final-snapshot   with --delete-data, keep no final snapshot of the databases (default: keep one)`,
  options: {
    out: { type: 'string' }, yes: { type: 'boolean' }, 'delete-data': { type: 'boolean' }, confirm: { type: 'string' }, 'no-final-snapshot': { type: 'boolean' },
  },
  async run(ctx) {
    const spec = specArg(ctx.positionals, 'destroy');
    const deleteData = ctx.values['delete-data'] === true;
    for (const flag of ['confirm', 'no-final-snapshot']) {
      if (ctx.values[flag] !== undefined && !deleteData) throw new UsageError(`--${flag} only applies with --delete-data; without it destroy deletes no data.`);
    }
    if (!credentialsConfigured()) throw new UsageError(NO_CREDENTIALS);
    const { plan } = await loadPlan(spec, envOf(ctx.values));
    const outdir = resolve(String(ctx.values.out ?? 'cdk.out'));
    const { synthesizePlatform } = await import('../../aws/synth.js');
    synthesizePlatform(plan, { outdir, nag: false });
    const stacks = readPlanAssembly(outdir);
    const since = new Date();

    let data: { items: KeptData[]; clients: DataClients } | undefined;
    if (deleteData) {
      const kept = keptByDestroy(stacks, plan.platform.region);
      const name = `${plan.platform.name}-${plan.platform.environment}`;
      ctx.out.info(`--delete-data: after the stacks, these ${kept.length} kept resources are deleted for good${ctx.values['no-final-snapshot'] ? ', with no final snapshot of the databases' : ' (databases keep a final snapshot)'}:`);
      for (const k of kept) ctx.out.info(`  ${k.path} (${k.type}${k.name ? ` "${k.name}"` : ''})`);
      const answer = await confirmDataDeletion({ expected: name, confirm: ctx.values.confirm, yes: ctx.values.yes === true, ask: process.stdin.isTTY ? askLine : undefined });
      if (answer !== true) {
        ctx.out.error(answer);
        return EXIT_FAIL;
      }
      const { dataClients } = await import('../../ops/data-clients.js');
      const { keptData, unprotectDatabases } = await import('../../ops/delete-data.js');
      const clients = dataClients(plan.platform.region);
      const items: KeptData[] = [];
      // Physical ids come from each stack before it goes.
      for (const s of stacks) items.push(...await keptData(clients.cloudFormation, s.stackName, kept.filter((k) => k.stack === s.id)));
      for (const id of await unprotectDatabases(items, clients)) ctx.out.info(`turned off deletion protection of database ${id}, so its stack can delete it`);
      data = { items, clients };
    }

    // What controllers made in the VPC would block deleting it: removed first (src/ops/drain.ts). The VPC
    // is found by plinth's tags, so a VPC plinth did not create is never drained.
    const { drainPlatform } = await import('../../ops/drain-platform.js');
    for (const a of await drainPlatform(plan)) ctx.out.info(`removed ${a.kind} ${a.id} (made outside CloudFormation)`);
    const code = await cdk(ctx, ['destroy', '--app', outdir, '--all', ...(ctx.values.yes || deleteData ? ['--force'] : [])]);
    if (code !== 0 || !data) {
      if (deleteData) ctx.out.error('The stacks were not all deleted, so no data was deleted. Run plinth destroy --delete-data again once they are.');
      printKept(ctx.out, stacks);
      if (code === 0) rmSync(deployedCopy(outdir), { recursive: true, force: true });
      return code;
    }
    rmSync(deployedCopy(outdir), { recursive: true, force: true });
    const { deleteKeptData } = await import('../../ops/delete-data.js');
    const outcomes = await deleteKeptData(data.items, data.clients, { finalSnapshot: ctx.values['no-final-snapshot'] !== true, since });
    ctx.out.result({ deleted: outcomes });
    for (const o of outcomes) ctx.out.info(`  ${o.path} (${o.type} ${o.id}): ${'done' in o ? o.done : `LEFT: ${o.left}`}`);
    const left = outcomes.filter((o) => 'left' in o);
    if (left.length > 0) {
      ctx.out.error(`${left.length} kept resource${left.length === 1 ? ' was' : 's were'} not deleted; the command for each is above.`);
      return EXIT_FAIL;
    }
    return 0;
  },
};

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

/** What destroy left in the account on purpose, and the command that deletes each. */
export function printKept(out: Output, stacks: readonly PlanStack[]): void {
  const kept = keptByDestroy(stacks, stacks[0]?.region);
  out.result({ kept });
  if (kept.length === 0) return;
  out.info(`\nKept on purpose (${kept.length}); a later plinth deploy adopts the named ones. To delete one for good:`);
  for (const k of kept) out.info(`  ${k.path} (${k.type}${k.name ? ` "${k.name}"` : ''})\n    ${k.deleteCommand}`);
}
