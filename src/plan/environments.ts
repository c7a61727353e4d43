/**
 * Names two environments of one platform cannot share. Stack names, secrets and most resource names
 * carry the environment already; these are the ones the spec names literally, which an environment
 * inherits from the base unless it says otherwise.
 */
import { SpecError, type Diagnostic, type SpecPath } from '../spec/diagnostics.js';
import type { LoadedSpec } from '../spec/load.js';
import type { Plan } from './types.js';

interface PlannedEnvironment {
  readonly loaded: LoadedSpec;
  readonly plan: Plan;
}

/** A physical name unique per account and Region, and where the spec sets it. */
interface UniqueName {
  readonly what: string;
  readonly value: string;
  readonly path: SpecPath;
  readonly fix: string;
}

/**
 * EKS cluster names and ECR repository names are unique per account and Region
 * (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html: "The unique name to
 * give to your cluster"; https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html:
 * RepositoryAlreadyExistsException) and RDS instance identifiers too
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html: DBInstanceIdentifier),
 * so two environments deployed side by side cannot both create them.
 */
function uniqueNames(plan: Plan, environment: string): UniqueName[] {
  const names: UniqueName[] = [];
  if (plan.cluster) {
    names.push({
      what: 'EKS cluster', value: plan.cluster.name, path: ['cluster', 'name'],
      fix: `set environments.${environment}.cluster.name (or remove cluster.name: the default <platform>-<environment> differs per environment)`,
    });
  }
  for (const db of plan.databases.filter((d) => d.identifier !== undefined)) {
    names.push({
      what: 'RDS instance', value: db.identifier!, path: ['data', 'databases', db.name, 'identifier'],
      fix: `set environments.${environment}.data.databases.${db.name}.identifier, or remove identifier to let CloudFormation generate one`,
    });
  }
  for (const repo of plan.repositories.filter((r) => !r.existing)) {
    names.push({
      what: 'ECR repository', value: repo.name, path: ['registry', 'repositories', repo.name],
      fix: `share it: set environments.${environment}.registry.repositories.${repo.name}.existing: true; or give ${environment} its own repositories`,
    });
  }
  return names;
}

/** A SpecError for every literal name an environment shares with another in the same account and Region. */
export function checkEnvironmentNames(environments: readonly PlannedEnvironment[]): SpecError | undefined {
  const problems: Diagnostic[] = [];
  for (const [i, later] of environments.entries()) {
    for (const earlier of environments.slice(0, i)) {
      const a = earlier.plan.platform;
      const b = later.plan.platform;
      // Different accounts or Regions keep separate namespaces; an unset account is the deployer's, so may be shared.
      if (a.region !== b.region || (a.account !== undefined && b.account !== undefined && a.account !== b.account)) continue;
      const taken = new Map(uniqueNames(earlier.plan, a.environment).map((n) => [`${n.what}|${n.value}`, n]));
      for (const name of uniqueNames(later.plan, b.environment)) {
        if (!taken.has(`${name.what}|${name.value}`)) continue;
        const error = new SpecError([{
          code: 'E_ENV_NAME_CLASH', path: name.path,
          message: `Environments "${a.environment}" and "${b.environment}" would both create the ${name.what} "${name.value}" in ${b.region}; its name must be unique in an account and Region.`,
          fix: name.fix,
        }]);
        problems.push(...later.loaded.explain(error).diagnostics);
      }
    }
  }
  return problems.length > 0 ? new SpecError(problems) : undefined;
}

/** The warnings of several environments of one spec, each said once. */
export interface EnvironmentWarnings {
  /** Warnings every environment has (most come from the base spec): printed once, with no label. */
  readonly shared: readonly Diagnostic[];
  /** The rest, by environment, each labelled with its environment. */
  readonly byEnvironment: ReadonlyMap<string, readonly Diagnostic[]>;
}

/**
 * Groups the warnings of the environments `plinth validate` checked: one the base spec causes shows up
 * in every environment that inherits it, and a reader needs it once; one that only some environments
 * have (an overlay's version, or a base value an overlay replaces) is labelled with each of them.
 * With one environment nothing is labelled.
 */
export function groupWarnings(planned: readonly { readonly environment: string; readonly warnings: readonly Diagnostic[] }[]): EnvironmentWarnings {
  const key = (d: Diagnostic) => JSON.stringify([d.code, d.path, d.message, d.allowed, d.fix, d.location?.file, d.location?.line]);
  const everywhere = (d: Diagnostic) => planned.every((p) => p.warnings.some((w) => key(w) === key(d)));
  const seen = new Set<string>();
  const shared: Diagnostic[] = [];
  const byEnvironment = new Map<string, Diagnostic[]>();
  for (const { environment, warnings } of planned) {
    const own: Diagnostic[] = [];
    for (const w of warnings) {
      if (planned.length > 1 && !everywhere(w)) {
        own.push({ ...w, environment });
      } else if (!seen.has(key(w))) {
        seen.add(key(w));
        shared.push(w);
      }
    }
    byEnvironment.set(environment, own);
  }
  return { shared, byEnvironment };
}
