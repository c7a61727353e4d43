/**
 * plinth destroy: drain what controllers made outside CloudFormation (src/ops/drain.ts), delete every
 * stack, and report what was kept on purpose with the command that deletes each.
 */
import { resolve } from 'node:path';
import { rmSync } from 'node:fs';
import { keptByDestroy, readPlanAssembly, type PlanStack } from '../../analyse/plan/index.js';
import { UsageError } from '../../spec/load.js';
import { loadPlan } from '../../plan/load.js';
import type { Output } from '../io.js';
import type { Command } from './index.js';
import { deployedCopy } from './plan.js';
import { envOf, specArg } from './spec-arg.js';
import { cdk, credentialsConfigured, NO_CREDENTIALS } from './toolkit.js';

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
