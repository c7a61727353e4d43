/** Test helpers for located spec errors: plan a YAML text, or collect the diagnostics a call throws. */
import { planSpec } from '../src/plan/load.js';
import { SpecError, type Diagnostic } from '../src/spec/diagnostics.js';
import { parseYamlSpec } from '../src/spec/load.js';

/** The plan of a plinth.yaml text. */
export function planYaml(yaml: string) {
  return planSpec(parseYamlSpec(yaml, 'plinth.yaml'));
}

/** The diagnostics of the SpecError RUN throws; fails the test when it throws none. */
export function diagnosticsOf(run: () => unknown): Diagnostic[] {
  try {
    run();
  } catch (e) {
    if (e instanceof SpecError) return [...e.diagnostics];
    throw e;
  }
  throw new Error('expected a SpecError');
}

/** The 1-based line of the first line of YAML containing TEXT. */
export const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
