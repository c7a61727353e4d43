/**
 * Spec file → plan, with file positions on every plan diagnostic. Lives in plan/ because the spec
 * layer never imports a later one.
 */
import { SpecError } from '../spec/diagnostics.js';
import { loadSpec, type LoadedSpec } from '../spec/load.js';
import { buildPlan } from './index.js';
import type { Plan } from './types.js';

/** Builds the plan of a loaded spec, attaching file positions to every diagnostic. */
export function planSpec(loaded: LoadedSpec): Plan {
  try {
    return buildPlan(loaded.spec, { readFile: loaded.readFile });
  } catch (e) {
    if (e instanceof SpecError) throw e.withLocations(loaded.locate);
    throw e;
  }
}

export async function loadPlan(target: string): Promise<{ loaded: LoadedSpec; plan: Plan }> {
  const loaded = await loadSpec(target);
  return { loaded, plan: planSpec(loaded) };
}
