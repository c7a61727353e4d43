/** Exports a template declares and imports it uses (literal names only: CDK writes them literally). */
import type { CfnTemplate } from './types.js';

export function exportedValues(template: CfnTemplate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of Object.values(template.Outputs ?? {})) {
    if (typeof o.Export?.Name === 'string') out[o.Export.Name] = o.Value;
  }
  return out;
}

const cache = new WeakMap<object, ReadonlySet<string>>();

export function importedNames(template: CfnTemplate): ReadonlySet<string> {
  const hit = cache.get(template);
  if (hit) return hit;
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'Fn::ImportValue' && typeof x === 'string') names.add(x);
        else walk(x);
      }
    }
  };
  walk(template.Resources);
  walk(template.Outputs);
  cache.set(template, names);
  return names;
}
