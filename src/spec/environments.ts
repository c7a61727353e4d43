/**
 * Environments: one spec, several deployments of it. The file is the base (the environment named
 * by `platform.environment`, `prod` by default); `environments.<name>` holds what differs in each
 * other environment, written in the shape of the spec itself and merged onto the base.
 *
 * The merge follows Helm's rules for values files (https://helm.sh/docs/chart_template_guide/values_files/):
 * mappings merge key by key, recursively; a list or a scalar in the overlay replaces the base's
 * value whole (lists of rules, CIDRs or instance types mean "exactly these", so appending would be
 * a surprise); `null` deletes the key, so an environment can drop a section the base has.
 *
 * Every value keeps where it was written: `originOf` maps a path of the merged spec back to the
 * overlay when an overlay wrote it, so diagnostics point into whichever section the value came from.
 */
import { didYouMean, formatPath, SpecError, type Diagnostic, type SpecPath } from './diagnostics.js';

/** Keys an environment may not change: its own identity, and environments within environments. */
const FIXED_KEYS: readonly SpecPath[] = [['environments'], ['$schema'], ['platform', 'environment']];
const NAME = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$|^[a-z]$/;
const DEFAULT_ENVIRONMENT = 'prod';

export interface EnvironmentSelection {
  /** The spec of the selected environment: the base with its overlay merged on, without `environments`. */
  readonly raw: unknown;
  /** The selected environment's name. */
  readonly environment: string;
  /** The base environment (the file without overlays). */
  readonly base: string;
  /** Every environment of the spec: the base first, then the overlays in file order. */
  readonly environments: readonly string[];
  /** Where a path of the merged spec was written: in the overlay, or (unchanged) in the base. */
  originOf(path: SpecPath): SpecPath;
}

/** The environments a raw spec declares, base first; no validation beyond what listing needs. */
export function environmentsOf(raw: unknown): { readonly base: string; readonly names: readonly string[] } {
  const base = baseName(raw);
  const overlays = isMapping(raw) && isMapping(raw.environments) ? Object.keys(raw.environments) : [];
  return { base, names: [base, ...overlays.filter((n) => n !== base)] };
}

/**
 * Merges the overlay of `requested` (default: the base environment) onto the base. Throws a
 * SpecError for a malformed `environments` section; returns undefined for an unknown name, which
 * the caller reports as a usage mistake.
 */
export function selectEnvironment(raw: unknown, requested: string | undefined): EnvironmentSelection | undefined {
  const { base, names } = environmentsOf(raw);
  const environment = requested ?? base;
  if (!names.includes(environment)) return undefined;
  const declared = isMapping(raw) ? raw.environments : undefined;
  checkDeclarations(declared, base);
  const { environments: _overlays, ...baseSpec } = isMapping(raw) ? raw : {};
  const overlay = isMapping(declared) ? declared[environment] : undefined;
  const written = new Set<string>();
  let merged: unknown = baseSpec;
  if (isMapping(overlay)) {
    merged = merge(baseSpec, overlay, [], written);
    if (environment !== base) merged = withEnvironment(merged, environment);
  } else if (environment !== base) {
    merged = withEnvironment(baseSpec, environment);
  }
  const originOf = (path: SpecPath): SpecPath => {
    for (let n = path.length; n > 0; n--) {
      if (written.has(key(path.slice(0, n)))) return ['environments', environment, ...path];
    }
    return path;
  };
  return { raw: merged, environment, base, environments: names, originOf };
}

/** The names plinth would accept for `--env`, as a sentence with a suggestion for a near miss. */
export function unknownEnvironmentMessage(requested: string, names: readonly string[]): string {
  const near = didYouMean(requested, names);
  const declared = names.length === 1
    ? `it has only the base environment "${names[0]}" (add environments.${requested} to the spec to define one)`
    : `its environments are ${names.map((n) => `"${n}"`).join(', ')}`;
  return `The spec has no environment "${requested}": ${declared}.${near ? ` ${near[0]!.toUpperCase()}${near.slice(1)}` : ''}`;
}

function checkDeclarations(declared: unknown, base: string): void {
  if (declared === undefined) return;
  const problems: Diagnostic[] = [];
  if (!isMapping(declared)) {
    throw new SpecError([{
      code: 'E_TYPE', path: ['environments'], message: 'environments must be a mapping of environment names to the values that differ in each.',
      allowed: 'environments: { dev: { ... }, staging: { ... } }', fix: 'write one key per environment, each holding spec sections',
    }]);
  }
  for (const [name, overlay] of Object.entries(declared)) {
    const path = ['environments', name];
    if (!NAME.test(name)) {
      problems.push({
        code: 'E_NAME', path, message: `"${name}" is not a valid environment name; it becomes part of stack and resource names.`,
        allowed: '1-40 lower-case letters, digits or dashes, starting with a letter', fix: 'rename it, e.g. "dev" or "staging"',
      });
    }
    if (name === base) {
      problems.push({
        code: 'E_ENV_IS_BASE', path, message: `"${name}" is the base environment (platform.environment), so the file itself already describes it.`,
        allowed: 'environments other than the base', fix: `move these values into the base sections, or rename the overlay`,
      });
    }
    if (overlay === null) continue;
    if (!isMapping(overlay)) {
      problems.push({
        code: 'E_TYPE', path, message: `environments.${name} must be a mapping of the spec sections that differ in "${name}".`,
        allowed: 'spec sections such as network:, cluster:, data:', fix: `write e.g. environments.${name}.network.nat: single`,
      });
      continue;
    }
    for (const fixed of FIXED_KEYS) {
      if (valueAt(overlay, fixed) === undefined) continue;
      problems.push({
        code: 'E_ENV_FIXED_KEY', path: [...path, ...fixed], message: `${formatPath(fixed)} cannot be changed by an environment: ${
          fixed[0] === 'platform' ? 'the environment\'s name is its key under environments' : 'environments apply to the base spec only'}.`,
        fix: `remove ${formatPath([...path, ...fixed])}`,
      });
    }
  }
  if (problems.length > 0) throw new SpecError(problems);
}

function merge(base: unknown, overlay: Readonly<Record<string, unknown>>, path: SpecPath, written: Set<string>): unknown {
  const out: Record<string, unknown> = isMapping(base) ? { ...base } : {};
  for (const [k, value] of Object.entries(overlay)) {
    const here = [...path, k];
    if (value === null) {
      delete out[k];
      written.add(key(here));
    } else if (isMapping(value) && isMapping(out[k])) {
      out[k] = merge(out[k], value, here, written);
    } else {
      out[k] = value;
      written.add(key(here));
    }
  }
  return out;
}

function withEnvironment(spec: unknown, environment: string): unknown {
  if (!isMapping(spec)) return spec;
  const platform = isMapping(spec.platform) ? spec.platform : {};
  return { ...spec, platform: { ...platform, environment } };
}

function baseName(raw: unknown): string {
  const platform = isMapping(raw) ? raw.platform : undefined;
  const written = isMapping(platform) ? platform.environment : undefined;
  return typeof written === 'string' ? written : DEFAULT_ENVIRONMENT;
}

function valueAt(root: unknown, path: SpecPath): unknown {
  let cur = root;
  for (const part of path) cur = isMapping(cur) ? cur[String(part)] : undefined;
  return cur;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function key(path: SpecPath): string {
  return JSON.stringify(path);
}
