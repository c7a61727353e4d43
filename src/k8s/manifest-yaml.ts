/**
 * Manifest objects as block YAML, byte for byte what `yaml`'s `stringify(object, { lineWidth: 0,
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
 * library would write as `? key`; anything but plain objects, arrays, strings, numbers, booleans and
 * null) sends the whole object to the library, so the output never differs from it.
 */
import { stringify } from 'yaml';

const OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;
const STEP = '  ';

/** One writer per synth: it remembers the library's text for every scalar and key it has met. */
export class ManifestYamlWriter {
  /** Scalars by valueId; keys of the top-level map and of nested maps. null: not covered. */
  private readonly values = new Map<string, string | null>();
  private readonly topKeys = new Map<string, string | null>();
  private readonly nestedKeys = new Map<string, string | null>();

  public write(object: unknown): string {
    if (isPlainObject(object)) {
      const body = this.blockMap(object, '', true);
      if (body !== undefined) return `${body}\n`;
    }
    return stringify(object, OPTIONS);
  }

  /**
   * Asks the library about every scalar and key of these objects not asked about yet, in three calls
   * instead of one per value (each call builds a document: at 500 apps, thousands of distinct names and
   * labels took 0.3 s one by one). The contexts are those of the one-by-one questions: each value in a
   * nested map, each key in a map at its level. Only a speed-up: an answer that cannot be read back line
   * by line is not recorded, and its values are asked one by one when written.
   */
  public prepare(objects: readonly unknown[]): void {
    const pendingValues = new Map<string, unknown>();
    const pendingTop = new Set<string>();
    const pendingNested = new Set<string>();
    const visit = (value: unknown, topLevel: boolean): void => {
      if (Array.isArray(value)) {
        for (const item of value) visit(item, false);
      } else if (isPlainObject(value)) {
        for (const key of Object.keys(value)) {
          const v = value[key];
          if (v === undefined) continue;
          // A key over 1,024 characters is written `? key` on lines of its own: asked one by one.
          if (coveredKey(key) && key.length <= 1000 && !(topLevel ? this.topKeys : this.nestedKeys).has(key)) (topLevel ? pendingTop : pendingNested).add(key);
          visit(v, false);
        }
      } else {
        const id = valueId(value);
        if (id !== undefined && !this.values.has(id)) pendingValues.set(id, value);
      }
    };
    for (const o of objects) visit(o, true);

    const vs = [...pendingValues];
    if (vs.length > 0) {
      const texts = lineTexts(stringify({ a: new Map(vs.map(([, v], i) => [`k${i}`, v])) }, OPTIONS), 'a:', vs.map((_, i) => `  k${i}: `), '');
      texts?.forEach((text, i) => this.values.set(vs[i]![0], text));
    }
    for (const [keys, table, nested] of [[[...pendingTop], this.topKeys, false], [[...pendingNested], this.nestedKeys, true]] as const) {
      if (keys.length === 0) continue;
      const map = new Map(keys.map((k) => [k, 0]));
      const texts = lineTexts(stringify(nested ? { a: map } : map, OPTIONS), nested ? 'a:' : undefined, keys.map(() => (nested ? STEP : '')), ': 0');
      texts?.forEach((text, i) => { if (!text.startsWith('? ')) table.set(keys[i]!, `${text}:`); });
    }
  }

  /** A plain object as the lines of a block map whose items sit at `indent`; undefined: not covered. */
  private blockMap(object: Record<string, unknown>, indent: string, topLevel: boolean): string | undefined {
    let out = '';
    const inner = indent + STEP;
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (value === undefined) continue;
      const k = this.keyText(key, topLevel);
      if (k === undefined) return undefined;
      const v = this.valueText(value, inner, true);
      if (v === undefined) return undefined;
      out += (out === '' ? '' : `\n${indent}`) + k + v;
    }
    return out === '' ? '{}' : out;
  }

  /** An array as the lines of a block sequence whose `- ` sit at `indent`; undefined: not covered. */
  private blockSeq(items: readonly unknown[], indent: string): string | undefined {
    if (items.length === 0) return '[]';
    let out = '';
    const inner = indent + STEP;
    for (let i = 0; i < items.length; i++) {
      const v = this.valueText(items[i], inner, false);
      if (v === undefined) return undefined;
      out += (i === 0 ? '- ' : `\n${indent}- `) + v;
    }
    return out;
  }

  /**
   * A value after its key (`: …`, or a line break and the nested block) or after `- `. `inner` is the
   * indentation of the nested block's items (the map's items, or the sequence's `- `).
   */
  private valueText(value: unknown, inner: string, afterKey: boolean): string | undefined {
    if (Array.isArray(value)) {
      const seq = this.blockSeq(value, inner);
      if (seq === undefined) return undefined;
      return afterKey ? (value.length === 0 ? ` ${seq}` : `\n${inner}${seq}`) : seq;
    }
    if (isPlainObject(value)) {
      // In a sequence the map's first pair follows `- ` and the others line up under it, at `inner`.
      const map = this.blockMap(value, inner, false);
      if (map === undefined) return undefined;
      return afterKey ? (map === '{}' ? ` ${map}` : `\n${inner}${map}`) : map;
    }
    const scalar = this.scalarText(value);
    if (scalar === undefined) return undefined;
    return afterKey ? ` ${scalar}` : scalar;
  }

  /**
   * A scalar as the library writes it as a nested map's value. For a value without a line break that text
   * is the same at every depth, after a key or after `- `: the indentation only enters through line breaks
   * (block scalars, folded quotes) and through document markers at column 0, and lineWidth 0 folds nothing.
   */
  private scalarText(value: unknown): string | undefined {
    const id = valueId(value);
    if (id === undefined) return undefined;
    return remember(this.values, id, () => between(stringify({ a: { b: value } }, OPTIONS), 'a:\n  b: ', '\n'));
  }

  /**
   * A key as the library writes it: the top-level map's keys apart, since a key that starts like a document
   * marker (`---`, `...`) is quoted there and plain deeper down. Keys it would write in the explicit
   * `? key` form (over 1,024 characters, line breaks) are not covered.
   */
  private keyText(key: string, topLevel: boolean): string | undefined {
    if (!coveredKey(key)) return undefined;
    return topLevel
      ? remember(this.topKeys, key, () => between(stringify({ [key]: 0 }, OPTIONS), '', ': 0\n', ':'))
      : remember(this.nestedKeys, key, () => between(stringify({ a: { [key]: 0 } }, OPTIONS), 'a:\n  ', ': 0\n', ':'));
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function coveredKey(key: string): boolean {
  return !key.includes('\n') && !key.includes('\r');
}

/** A scalar's table key (`-0` apart: a Map does not tell it from 0); undefined: not a scalar covered here. */
function valueId(value: unknown): string | undefined {
  if (typeof value === 'string') return value.includes('\n') || value.includes('\r') ? undefined : `s${value}`;
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return Object.is(value, -0) ? '-0' : `${typeof value}:${String(value)}`;
  return undefined;
}

function remember(table: Map<string, string | null>, key: string, compute: () => string | null): string | undefined {
  let text = table.get(key);
  if (text === undefined) {
    text = compute();
    table.set(key, text);
  }
  return text ?? undefined;
}

/** The text between a known prefix and suffix when it is one line (and not an explicit `? ` key). */
function between(text: string, prefix: string, suffix: string, keyEnd = ''): string | null {
  if (!text.startsWith(prefix) || !text.endsWith(suffix)) return null;
  const middle = text.slice(prefix.length, text.length - suffix.length);
  if (middle === '' || middle.includes('\n') || middle.startsWith('? ')) return null;
  return middle + keyEnd;
}

/**
 * The text of each line between its expected prefix and suffix, after an optional first line; undefined
 * when the text is not laid out one line per entry.
 */
function lineTexts(text: string, first: string | undefined, prefixes: readonly string[], suffix: string): string[] | undefined {
  const lines = text.split('\n');
  if (lines.pop() !== '') return undefined;
  if (first !== undefined && lines.shift() !== first) return undefined;
  if (lines.length !== prefixes.length) return undefined;
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const prefix = prefixes[i]!;
    if (!line.startsWith(prefix) || !line.endsWith(suffix) || line.length <= prefix.length + suffix.length) return undefined;
    out.push(line.slice(prefix.length, line.length - suffix.length));
  }
  return out;
}
