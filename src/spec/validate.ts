/**
 * Raw object → typed spec. Turns zod's issues into plinth diagnostics: unknown keys with a
 * "did you mean", wrong types with what was found, enums with the allowed values.
 */
import type { z } from 'zod';
import { Diagnostics, SpecError, didYouMean, formatPath, type Diagnostic, type SpecPath } from './diagnostics.js';
import { platformSpecSchema, type PlatformSpec } from './schema.js';

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

export function validateSpec(raw: unknown): PlatformSpec {
  const result = platformSpecSchema.safeParse(raw);
  if (result.success) return result.data;
  const diags = new Diagnostics();
  for (const issue of result.error.issues) report(issue, [], raw, diags);
  throw new SpecError(dedupe(diags.all));
}

function report(issue: Issue, prefix: SpecPath, root: unknown, diags: Diagnostics): void {
  const path: SpecPath = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  const value = valueAt(root, path);
  const where = formatPath(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(platformSpecSchema, path);
      for (const key of issue.keys) {
        diags.error('E_UNKNOWN_KEY', [...path, key], `Unknown key "${key}" in ${where}.`, {
          allowed: known.join(', '),
          fix: didYouMean(key, known) ?? `remove "${key}"`,
        });
      }
      return;
    }
    case 'invalid_type': {
      if (value === undefined) {
        diags.error('E_REQUIRED', path, `${where} is required.`, { allowed: describeExpected(issue.expected), fix: `add ${String(path[path.length - 1])}` });
      } else {
        diags.error('E_TYPE', path, `${where} must be ${describeExpected(issue.expected)}, but is ${describeValue(value)}.`, {
          allowed: describeExpected(issue.expected),
          fix: issue.expected === 'string' && typeof value === 'number'
            ? 'quote it (YAML reads unquoted 8.0 as the number 8), e.g. "8.0"'
            : `write ${describeExpected(issue.expected)}`,
        });
      }
      return;
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
      diags.error('E_VALUE', path, `${describeValue(value)} is not allowed for ${where}.`, {
        allowed,
        fix: (typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : undefined) ?? `use one of ${allowed}`,
      });
      return;
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const what = issue.origin === 'array' ? 'items' : issue.origin === 'string' ? 'characters' : '';
      const limit = `${issue.code === 'too_small' ? 'at least' : 'at most'} ${String(bound)}${what ? ` ${what}` : ''}`;
      diags.error('E_RANGE', path, `${where} is ${describeValue(value)}; it must be ${limit}.`, { allowed: limit, fix: `use a value ${limit}` });
      return;
    }
    case 'invalid_union': {
      const branch = bestBranch(issue.errors);
      if (branch) {
        for (const inner of branch) report(inner, prefix, root, diags);
      } else {
        const schema = schemaAt(platformSpecSchema, path);
        const described = schema ? description(schema) : undefined;
        diags.error('E_TYPE', path, `${where} has an unexpected form (${describeValue(value)}).`, {
          allowed: described ?? 'see plinth schema',
          fix: 'write one of the allowed forms',
        });
      }
      return;
    }
    case 'invalid_key': {
      for (const inner of issue.issues) {
        const key = String(issue.path[issue.path.length - 1] ?? '');
        diags.error('E_NAME', path, `"${key}" is not a valid name: ${inner.message}.`, { fix: 'rename it' });
      }
      return;
    }
    default:
      diags.error(issue.code === 'invalid_format' ? 'E_FORMAT' : 'E_INVALID', path, `${where} ${issue.message} (found ${describeValue(value)}).`, {
        ...(schemaAt(platformSpecSchema, path) ? { allowed: description(schemaAt(platformSpecSchema, path)!) } : {}),
      });
  }
}

/** Picks the union branch that got furthest into the value (its issues have the longest paths). */
function bestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  let best: readonly Issue[] | undefined;
  let bestScore = 0;
  for (const branch of branches) {
    const score = Math.max(0, ...branch.map((i) => (i.code === 'invalid_type' && i.path.length === 0 ? 0 : i.path.length + 1)));
    if (score > bestScore) {
      best = branch;
      bestScore = score;
    }
  }
  return best;
}

function dedupe(items: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return items.filter((d) => {
    const key = `${d.code}|${formatPath(d.path)}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function valueAt(root: unknown, path: SpecPath): unknown {
  let cur: unknown = root;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[part];
  }
  return cur;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v);
  return `${typeof v} ${String(v)}`;
}

function describeExpected(expected: string): string {
  const names: Record<string, string> = {
    string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false',
    array: 'a list', object: 'a mapping (key: value)', record: 'a mapping of names',
  };
  return names[expected] ?? expected;
}

// --- schema navigation, for "did you mean" and allowed values -------------------------------

interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  valueType?: AnySchema;
  element?: AnySchema;
  innerType?: AnySchema;
  options?: AnySchema[];
  in?: AnySchema;
}

function def(s: AnySchema): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

function unwrap(s: AnySchema): AnySchema {
  let cur = s;
  for (;;) {
    const d = def(cur);
    if ((d.type === 'optional' || d.type === 'default' || d.type === 'nullable' || d.type === 'readonly') && d.innerType) cur = d.innerType;
    else if (d.type === 'pipe' && d.in) cur = d.in;
    else return cur;
  }
}

export function schemaAt(root: AnySchema, path: SpecPath): AnySchema | undefined {
  let cur: AnySchema | undefined = root;
  for (const part of path) {
    if (!cur) return undefined;
    cur = child(unwrap(cur), part);
  }
  return cur && unwrap(cur);
}

function child(s: AnySchema, key: string | number): AnySchema | undefined {
  const d = def(s);
  if (d.type === 'object') return d.shape?.[String(key)];
  if (d.type === 'record') return d.valueType;
  if (d.type === 'array') return d.element;
  if (d.type === 'union') {
    for (const option of d.options ?? []) {
      const found = child(unwrap(option), key);
      if (found) return found;
    }
  }
  return undefined;
}

function knownKeys(root: AnySchema, path: SpecPath): string[] {
  const s = schemaAt(root, path);
  if (!s) return [];
  const d = def(s);
  if (d.type === 'object') return Object.keys(d.shape ?? {}).filter((k) => k !== '$schema');
  if (d.type === 'union') {
    return [...new Set((d.options ?? []).flatMap((o) => {
      const od = def(unwrap(o));
      return od.type === 'object' ? Object.keys(od.shape ?? {}) : [];
    }))];
  }
  return [];
}

function description(s: AnySchema): string | undefined {
  return (s as unknown as { description?: string }).description;
}
