import { planSpec } from '../../plan/load.js';
import { checkEnvironmentNames, groupWarnings } from '../../plan/environments.js';
import type { Plan } from '../../plan/types.js';
import { formatDiagnostic, SpecError } from '../../spec/diagnostics.js';
import { loadSpec, type LoadedSpec } from '../../spec/load.js';
import type { Command } from './index.js';
import { envOf, specArg } from './spec-arg.js';

export const validate: Command = {
  args: '[SPEC] [--env NAME]',
  summary: 'check a spec (every environment, or the one --env names) and print what it resolves to',
  async run({ positionals, values, out }) {
    const target = specArg(positionals, 'validate');
    const selected = await loadSpec(target, envOf(values));
    // Without --env, every environment is checked: a mistake only one overlay makes is still found.
    const names = values.env === undefined ? selected.environments : [selected.environments[0]!, selected.environment];
    const results: { loaded: LoadedSpec; plan: Plan }[] = [];
    const errors: SpecError[] = [];
    for (const environment of [...new Set(names)]) {
      try {
        const loaded = environment === selected.environment ? selected : await loadSpec(target, { environment });
        results.push({ loaded, plan: planSpec(loaded) });
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        // With --env, the base is planned only to compare names; its own mistakes are not what was asked.
        if (values.env === undefined || environment === selected.environment) errors.push(e);
      }
    }
    const clash = checkEnvironmentNames(results);
    if (clash) errors.push(clash);
    if (errors.length > 0) throw new SpecError(errors.flatMap((e) => e.diagnostics));
    // With --env, the base was planned only to check shared names; the report is of the one asked for.
    const shown = values.env === undefined ? results : results.filter((r) => r.loaded.environment === selected.environment);
    const first = shown[0]!;

    // A warning the base spec causes appears in every environment; it is said once, the others per environment.
    const warnings = groupWarnings(shown.map(({ plan }) => ({ environment: plan.platform.environment, warnings: plan.warnings })));
    out.result({
      ok: true, file: first.loaded.file,
      environments: shown.map(({ plan }) => ({
        environment: plan.platform.environment, platform: plan.platform, counts: countsOf(plan), flows: plan.flows,
        warnings: warnings.byEnvironment.get(plan.platform.environment) ?? [],
      })),
      // The single-environment fields, as before environments existed; with several, the warnings all share.
      platform: first.plan.platform, counts: countsOf(first.plan), flows: first.plan.flows, warnings: shown.length > 1 ? warnings.shared : first.plan.warnings,
    });
    for (const w of warnings.shared) out.info(formatDiagnostic(w, 'warning'));
    for (const { loaded, plan } of shown) {
      const counts = countsOf(plan);
      for (const w of warnings.byEnvironment.get(plan.platform.environment) ?? []) out.info(formatDiagnostic(w, 'warning'));
      out.info(`${loaded.file}: ok. ${plan.platform.name}/${plan.platform.environment} in ${plan.platform.region}: `
        + `${count(counts.subnets, 'subnet')}, ${count(counts.servers, 'server')}, ${count(counts.loadBalancers, 'load balancer')}, `
        + `${count(counts.databases, 'database')}, ${count(counts.flows, 'allowed flow')}.`);
    }
    return 0;
  },
};

function countsOf(plan: Plan) {
  return {
    subnets: plan.network.tiers.reduce((n, t) => n + t.subnets.length, 0),
    servers: plan.servers.reduce((n, s) => n + s.count, 0),
    loadBalancers: plan.loadBalancers.length,
    databases: plan.databases.length,
    flows: plan.flows.length,
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
