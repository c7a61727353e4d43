/**
 * Spec file → plan, with file positions on every plan diagnostic. Lives in plan/ because the spec
 * layer never imports a later one.
 */
import { SpecError } from '../spec/diagnostics.js';
import { loadSpec, type LoadedSpec, type LoadOptions } from '../spec/load.js';
import { checkEnvironmentNames } from './environments.js';
import { buildPlan } from './index.js';
import type { Plan } from './types.js';

/**
 * The day support calendars are checked against: PLINTH_TODAY (YYYY-MM-DD) when set, so a test or a
 * reviewer can ask "would this spec still be accepted on that day?", else today.
 */
export function todayFromEnvironment(value = process.env.PLINTH_TODAY): Date | undefined {
  if (!value) return undefined;
  const day = Date.parse(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(day)) throw new Error(`PLINTH_TODAY must be a date such as 2026-12-05, not "${value}".`);
  return new Date(day);
}

/** Builds the plan of a loaded spec, attaching file positions to every diagnostic and warning. */
export function planSpec(loaded: LoadedSpec): Plan {
  try {
    const plan = buildPlan(loaded.spec, { readFile: loaded.readFile, today: todayFromEnvironment(), baseEnvironment: loaded.environments[0] });
    const located = plan.warnings.map((w) => (w.location ? w : { ...w, location: loaded.locate(w.path) }));
    return { ...plan, warnings: located.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0)) };
  } catch (e) {
    if (e instanceof SpecError) throw loaded.explain(e);
    throw e;
  }
}

/**
 * Loads and plans one environment. Another environment than the base is also checked against the
 * base for names the two cannot share; `plinth validate` checks every pair.
 */
export async function loadPlan(target: string, options: LoadOptions = {}): Promise<{ loaded: LoadedSpec; plan: Plan }> {
  const loaded = await loadSpec(target, options);
  const plan = planSpec(loaded);
  const base = loaded.environments[0];
  if (base !== undefined && loaded.environment !== base) {
    const baseLoaded = await loadSpec(target, { environment: base });
    let basePlan: Plan | undefined;
    try {
      basePlan = planSpec(baseLoaded);
    } catch (e) {
      // A mistake in the base is reported when the base is used; this environment stands on its own.
      if (!(e instanceof SpecError)) throw e;
    }
    const clash = basePlan && checkEnvironmentNames([{ loaded: baseLoaded, plan: basePlan }, { loaded, plan }]);
    if (clash) throw clash;
  }
  return { loaded, plan };
}
