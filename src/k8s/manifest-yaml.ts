/**
 * One manifest object as block YAML, byte for byte what `yaml`'s `stringify(object, { lineWidth: 0,
 * aliasDuplicateObjects: false })` writes, at a fraction of its cost: at 500 apps the library's generic
 * node building and per-pair context copies took 2.4 s of a synth for 3,000 objects.
 *
 * Only the layout is written here, and it is the library's block layout (yaml 2.x stringifyCollection /
 * stringifyPair): `key: scalar`, `key:` then the nested block one indent step (2) deeper, sequences
 * indented under their key (`indentSeq`), `- ` items, `{}` and `[]` for empty collections, undefined
 * map values left out. How each scalar and key is written (plain or quoted, `"8080"` versus `8080`) is
 * never decided here: the library writes each distinct one once, in a context that gives the same text
 * as anywhere in a block map at this width, and the answer is reused. Whatever that does not cover (a
 * string with a line break, which may become a block scalar that depends on its indentation; a key the
 * library would write as `? key`; anything but plain objects, arrays, strings, finite or not numbers,
 * booleans and null) sends the whole object to the library, so the output never differs from it.
 */
import { stringify } from 'yaml';

const OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;
const STEP = '  ';

export function manifestYaml(object: unknown): string {
  if (isPlainObject(object)) {
    const body = blockMap(object, '', true);
    if (body !== undefined) return `${body}\n`;
  }
  return stringify(object, OPTIONS);
}

/** A plain object as the lines of a block map whose items sit at `indent`; undefined: not covered. */
function blockMap(object: Record<string, unknown>, indent: string, topLevel: boolean): string | undefined {
  let out = '';
  const inner = indent + STEP;
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value === undefined) continue;
    const k = keyText(key, topLevel);
    if (k === undefined) return undefined;
    const v = valueText(value, inner, true);
    if (v === undefined) return undefined;
    out += (out === '' ? '' : `\n${indent}`) + k + v;
  }
  return out === '' ? '{}' : out;
}

/** An array as the lines of a block sequence whose `- ` sit at `indent`; undefined: not covered. */
function blockSeq(items: readonly unknown[], indent: string): string | undefined {
  if (items.length === 0) return '[]';
  let out = '';
  const inner = indent + STEP;
  for (let i = 0; i < items.length; i++) {
    const v = valueText(items[i], inner, false);
    if (v === undefined) return undefined;
    out += (i === 0 ? '- ' : `\n${indent}- `) + v;
  }
  return out;
}

/**
 * A value after its key (`: …`, or a line break and the nested block) or after `- `. `inner` is the
 * indentation of the nested block's items (the map's items, or the sequence's `- `).
 */
function valueText(value: unknown, inner: string, afterKey: boolean): string | undefined {
  if (Array.isArray(value)) {
    const seq = blockSeq(value, inner);
    if (seq === undefined) return undefined;
    return afterKey ? (value.length === 0 ? ` ${seq}` : `\n${inner}${seq}`) : seq;
  }
  if (isPlainObject(value)) {
    // In a sequence the map's first pair follows `- ` and the others line up under it, at `inner`.
    const map = blockMap(value, inner, false);
    if (map === undefined) return undefined;
    return afterKey ? (map === '{}' ? ` ${map}` : `\n${inner}${map}`) : map;
  }
  const scalar = scalarText(value);
  if (scalar === undefined) return undefined;
  return afterKey ? ` ${scalar}` : scalar;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

// --- what the library writes for each scalar and key, asked once each ------------------------

/** Entries kept per table before it starts afresh: a bound on memory, far above one synth's distinct values. */
const TABLE_LIMIT = 50_000;

const strings = new Map<string, string | null>();
const others = new Map<string, string | null>();
const topKeys = new Map<string, string | null>();
const nestedKeys = new Map<string, string | null>();

function remember<K>(table: Map<K, string | null>, key: K, compute: () => string | null): string | undefined {
  let text = table.get(key);
  if (text === undefined) {
    if (table.size >= TABLE_LIMIT) table.clear();
    text = compute();
    table.set(key, text);
  }
  return text ?? undefined;
}

/**
 * A scalar as the library writes it as a nested map's value. For a value without a line break that text
 * is the same at every depth, after a key or after `- `: the indentation only enters through line breaks
 * (block scalars, folded quotes) and through document markers at column 0, and lineWidth 0 folds nothing.
 */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (value.includes('\n') || value.includes('\r')) return undefined;
    return remember(strings, value, () => between(stringify({ a: { b: value } }, OPTIONS), 'a:\n  b: ', '\n'));
  }
  if (value === null || typeof value === 'boolean' || typeof value === 'number') {
    const id = Object.is(value, -0) ? '-0' : `${typeof value}:${String(value)}`;
    return remember(others, id, () => between(stringify({ a: { b: value } }, OPTIONS), 'a:\n  b: ', '\n'));
  }
  return undefined;
}

/**
 * A key as the library writes it: the top-level map's keys apart, since a key that starts like a document
 * marker (`---`, `...`) is quoted there and plain deeper down. Keys it would write in the explicit
 * `? key` form (over 1,024 characters, line breaks) are not covered.
 */
function keyText(key: string, topLevel: boolean): string | undefined {
  if (key.includes('\n') || key.includes('\r')) return undefined;
  return topLevel
    ? remember(topKeys, key, () => between(stringify({ [key]: 0 }, OPTIONS), '', ': 0\n', ':'))
    : remember(nestedKeys, key, () => between(stringify({ a: { [key]: 0 } }, OPTIONS), 'a:\n  ', ': 0\n', ':'));
}

/** The text between a known prefix and suffix when it is one line (and not an explicit `? ` key). */
function between(text: string, prefix: string, suffix: string, keyEnd = ''): string | null {
  if (!text.startsWith(prefix) || !text.endsWith(suffix)) return null;
  const middle = text.slice(prefix.length, text.length - suffix.length);
  if (middle === '' || middle.includes('\n') || middle.startsWith('? ')) return null;
  return middle + keyEnd;
}
