/** Shared test helpers: a plan from inline YAML, or from a bundled example. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { buildPlan } from '../src/plan/index.js';
import type { Plan } from '../src/plan/types.js';
import { platformSpecSchema } from '../src/spec/schema.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function planFromYaml(text: string, dir = ROOT): Plan {
  const spec = platformSpecSchema.parse(parse(text));
  return buildPlan(spec, {
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
