/**
 * Spec file → plan, with file positions on every plan diagnostic. Lives in plan/ because the spec
 * layer never imports a later one.
 */
import { SpecError } from '../spec/diagnostics.js';
import { loadSpec, type LoadedSpec } from '../spec/load.js';
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
    const plan = buildPlan(loaded.spec, { readFile: loaded.readFile, today: todayFromEnvironment() });
    const located = plan.warnings.map((w) => (w.location ? w : { ...w, location: loaded.locate(w.path) }));
    return { ...plan, warnings: located.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0)) };
  } catch (e) {
    if (e instanceof SpecError) throw e.withLocations(loaded.locate);
    throw e;
  }
}

export async function loadPlan(target: string): Promise<{ loaded: LoadedSpec; plan: Plan }> {
  const loaded = await loadSpec(target);
  return { loaded, plan: planSpec(loaded) };
}
