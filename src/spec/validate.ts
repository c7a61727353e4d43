/**
 * Raw object → typed spec. Turns zod's issues into plinth diagnostics: unknown keys with a
 * "did you mean", wrong types with what was found, enums with the allowed values.
 */
import type { z } from 'zod';
import { Diagnostics, SpecError, didYouMean, formatPath, type Diagnostic, type SpecPath } from './diagnostics.js';
import { name, platformSpecSchema, type PlatformSpec } from './schema.js';

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/** How zod words a bad name, to recognise name fields however they are wrapped and described. */
const NAME_MESSAGE = name.safeParse('_').error?.issues[0]?.message;

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
          fix: typeFix(issue.expected, value, path),
        });
      }
      return;
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
      if (value === undefined) {
        diags.error('E_REQUIRED', path, `${where} is required.`, { allowed, fix: `add ${String(path[path.length - 1])}: ${String(issue.values[0])}` });
        return;
      }
      diags.error('E_VALUE', path, `${describeValue(value)} is not allowed for ${where}.`, {
        allowed,
        fix: (typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : undefined) ?? `use one of ${allowed}`,
      });
      return;
    }
    case 'too_small':
    case 'too_big': {
      const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const least = issue.code === 'too_small' ? 'at least' : 'at most';
      if (issue.origin === 'array' || issue.origin === 'string') {
        const unit = issue.origin === 'array' ? 'item' : 'character';
        const plural = (n: number) => `${n} ${unit}${n === 1 ? '' : 's'}`;
        const count = Array.isArray(value) || typeof value === 'string' ? value.length : 0;
        const limit = `${least} ${plural(bound)}`;
        diags.error('E_RANGE', path, `${where} has ${plural(count)}; it needs ${limit}.`, {
          allowed: limit, fix: issue.origin === 'array' ? `list ${limit}` : `write ${limit}`,
        });
      } else {
        const limit = `${least} ${bound}`;
        diags.error('E_RANGE', path, `${where} is ${describeValue(value)}; it must be ${limit}.`, { allowed: limit, fix: `use a value of ${limit}` });
      }
      return;
    }
    case 'invalid_union': {
      const branch = bestBranch(issue.errors);
      if (branch) {
        // Issues inside a union branch are relative to the union's own position.
        for (const inner of branch) report(inner, path, root, diags);
      } else if (value === undefined) {
        const forms = describeForms(issue.errors);
        diags.error('E_REQUIRED', path, `${where} is required.`, { allowed: forms, fix: `add ${String(path[path.length - 1])}` });
      } else {
        const forms = describeForms(issue.errors);
        diags.error('E_TYPE', path, `${where} must be ${forms}, but is ${describeValue(value)}.`, {
          allowed: forms,
          fix: `write ${forms}`,
        });
      }
      return;
    }
    case 'invalid_key': {
      for (const inner of issue.issues) {
        const key = String(issue.path[issue.path.length - 1] ?? '');
        diags.error('E_NAME', path, `"${key}" is not a valid name: ${inner.message}.`, {
          allowed: 'lower-case letters, digits and dashes, starting with a letter',
          fix: `rename it, e.g. "${nameLike(key)}"`,
        });
      }
      return;
    }
    case 'invalid_format': {
      const rule = 'prefix' in issue ? `must start with "${String(issue.prefix)}"` : issue.message.replace(/^Invalid string: /, '');
      const form = 'prefix' in issue ? `text starting with "${String(issue.prefix)}"`
        : rule.startsWith('must be ') ? rule.slice('must be '.length) : undefined;
      diags.error('E_FORMAT', path, `${where} ${rule} (found ${describeValue(value)}).`, {
        allowed: form ?? descriptionAt(platformSpecSchema, path) ?? rule,
        fix: 'prefix' in issue && typeof value === 'string' ? `write "${String(issue.prefix)}${value}"`
          : issue.message === NAME_MESSAGE && typeof value === 'string' ? `write "${nameLike(value)}"`
            : form ? `write ${form}` : `change the value: it ${rule}`,
      });
      return;
    }
    default:
      diags.error('E_INVALID', path, `${where} ${issue.message} (found ${describeValue(value)}).`, {
        allowed: descriptionAt(platformSpecSchema, path) ?? 'see plinth schema',
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

/** The forms a union accepts, from each branch's complaint about the value itself. */
function describeForms(branches: readonly (readonly Issue[])[]): string {
  const forms = branches.flatMap((branch) => branch.filter((i) => i.path.length === 0).map((i) => {
    if (i.code === 'invalid_type') return describeExpected(i.expected);
    if (i.code === 'invalid_value') return `one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}`;
    return undefined;
  })).filter((f): f is string => f !== undefined);
  const unique = [...new Set(forms)];
  return unique.length > 0 ? unique.join(', or ') : 'one of the forms in plinth schema';
}

function typeFix(expected: string, value: unknown, path: SpecPath): string {
  const key = path[path.length - 1];
  if (value === null) {
    return typeof key === 'number' ? 'write a value in this list item, or remove the empty item' : `write a value after "${String(key)}:", or remove the empty key`;
  }
  if (expected === 'string' && typeof value === 'number') {
    return key === 'version'
      ? 'quote it (YAML reads unquoted 8.0 as the number 8), e.g. "8.0"'
      : `quote it, e.g. "${String(value)}", so YAML keeps it as text`;
  }
  if (expected === 'array' && value !== null && typeof value !== 'object') return `write a list, e.g. [${String(value)}]`;
  return `write ${describeExpected(expected)}`;
}

/** A valid name close to what was written: `My_Platform` → `my-platform`. */
function nameLike(text: string): string {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 40).replace(/-+$/, '');
  return cleaned || 'main';
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

/** The `.describe()` text at a path, also when it sits on an `.optional()` wrapper. */
function descriptionAt(root: AnySchema, path: SpecPath): string | undefined {
  let cur: AnySchema | undefined = root;
  for (const part of path) {
    if (!cur) return undefined;
    cur = child(unwrap(cur), part);
  }
  for (let s = cur; s; ) {
    // The "@default" part says what happens when the key is absent, not what may be written.
    const text = description(s)?.replace(/\s*@default[\s\S]*$/, '');
    if (text) return text;
    const d = def(s);
    s = d.innerType ?? d.in;
  }
  return undefined;
}
