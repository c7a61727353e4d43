import { loadPlan } from '../../plan/load.js';
import { formatDiagnostic } from '../../spec/diagnostics.js';
import type { Command } from './index.js';
import { specArg } from './spec-arg.js';

export const validate: Command = {
  args: '[SPEC]',
  summary: 'check a spec and print what it resolves to',
  async run({ positionals, out }) {
    const { loaded, plan } = await loadPlan(specArg(positionals, 'validate'));
    const counts = {
      subnets: plan.network.tiers.reduce((n, t) => n + t.subnets.length, 0),
      servers: plan.servers.reduce((n, s) => n + s.count, 0),
      loadBalancers: plan.loadBalancers.length,
      databases: plan.databases.length,
      flows: plan.flows.length,
    };
    out.result({ ok: true, file: loaded.file, platform: plan.platform, counts, flows: plan.flows, warnings: plan.warnings });
    for (const w of plan.warnings) out.info(formatDiagnostic(w, 'warning'));
    out.info(`${loaded.file}: ok. ${plan.platform.name}/${plan.platform.environment} in ${plan.platform.region}: `
      + `${count(counts.subnets, 'subnet')}, ${count(counts.servers, 'server')}, ${count(counts.loadBalancers, 'load balancer')}, `
      + `${count(counts.databases, 'database')}, ${count(counts.flows, 'allowed flow')}.`);
    return 0;
  },
};

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
