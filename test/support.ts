/** Shared test helpers: a plan from inline YAML, or from a bundled example. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { buildPlan } from '../src/plan/index.js';
import type { Plan } from '../src/plan/types.js';
import { platformSpecSchema } from '../src/spec/schema.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The day the tests check support calendars against, so they do not change verdict as time passes. */
export const TEST_TODAY = new Date('2026-12-05T00:00:00Z');

export function planFromYaml(text: string, dir = ROOT, today = TEST_TODAY): Plan {
  const spec = platformSpecSchema.parse(parse(text));
  return buildPlan(spec, {
    today,
    readFile: (p) => {
      try {
        return readFileSync(join(dir, p), 'utf8');
      } catch {
        return undefined;
      }
    },
  });
}

export function examplePlan(name: string): Plan {
  const dir = join(ROOT, 'examples', name);
  return planFromYaml(readFileSync(join(dir, 'plinth.yaml'), 'utf8'), dir);
}
