/**
 * Spec file → plan, with file positions on every plan diagnostic. Lives in plan/ because the spec
 * layer never imports a later one.
 */
import { SpecError } from '../spec/diagnostics.js';
import { loadSpec, type LoadedSpec, type LoadOptions } from '../spec/load.js';
import { checkEnvironmentNames } from './environments.js';
import { buildPlan } from './index.js';
import { todayFromEnvironment } from './calendar/today.js';
import type { Plan } from './types.js';

export { todayFromEnvironment } from './calendar/today.js';

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
