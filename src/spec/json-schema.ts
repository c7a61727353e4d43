/**
 * The JSON Schema of the spec, for editors (`# yaml-language-server: $schema=...`) and other tools. Generated
 * from the zod schema, then made strict-draft-7-clean: zod's non-standard `format: "starts_with"` is dropped
 * (the `pattern` beside it says the same), and a field's default, written `@default VALUE` in its
 * description, becomes a `default` keyword when VALUE is a literal of the field's own type.
 */
import { parse } from 'yaml';
import { z } from 'zod';
import { platformSpecSchema } from './schema.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Node = { [key: string]: Json };

/** Formats JSON Schema draft 7 defines; anything else fails ajv's strict mode. */
const STANDARD_FORMATS = new Set([
  'date-time', 'date', 'time', 'email', 'idn-email', 'hostname', 'idn-hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference',
  'iri', 'iri-reference', 'uri-template', 'json-pointer', 'relative-json-pointer', 'regex',
]);

export function specJsonSchema(): object {
  const schema = z.toJSONSchema(platformSpecSchema, { target: 'draft-7', unrepresentable: 'any' }) as unknown as Node;
  return clean(schema) as object;
}

function clean(value: Json): Json {
  if (Array.isArray(value)) return value.map(clean);
  if (value === null || typeof value !== 'object') return value;
  const node: Node = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'format' && typeof child === 'string' && !STANDARD_FORMATS.has(child)) continue;
    node[key] = clean(child);
  }
  // `type: [string, number]` is valid draft 7, but ajv's strict mode wants the explicit anyOf.
  if (Array.isArray(node.type)) {
    const { type, ...rest } = node;
    return { ...rest, anyOf: type.map((t) => ({ type: t })) };
  }
  if (typeof node.description === 'string' && !('default' in node)) {
    const literal = defaultLiteral(node.description, node);
    if (literal !== undefined) node.default = literal;
  }
  return node;
}

/**
 * The VALUE of `@default VALUE` when it is a literal the field accepts: JSON (`2`, `true`, `[]`, `{}`, `"*"`),
 * YAML (`[s3]`), or a bare word that is one of the field's enum values or matches its pattern. Prose (`@default the first
 * private tier`) and behaviours (`@default - ...`) stay in the description only.
 */
export function defaultLiteral(description: string, node: Node): Json | undefined {
  const m = /@default\s+/.exec(description);
  if (!m) return undefined;
  const rest = description.slice(m.index + m[0].length);
  // A flow collection may hold spaces (`{ public: {}, private: {} }`): it runs to its balancing bracket.
  const collection = /^[[{]/.test(rest) ? balanced(rest) : undefined;
  const word = collection ?? /^\S+/.exec(rest)?.[0] ?? '';
  const token = collection ?? word.replace(/[.,;)]$/, '');
  const after = rest.slice(collection ? collection.length : word.length).trim();
  // "@default 2 per AZ", "@default 2 (1 with volumes)", "@default admin (mysql) / postgres": words after the
  // literal qualify it, so it is not the one default. A closing remark in parentheses is fine.
  const remark = /^\(([^()]*)\)[.]?$/.exec(after);
  if (after !== '' && !/^[.;]$/.test(after) && !(remark && !/\d|\b(with|when|if|for)\b/.test(remark[1]!))) return undefined;
  let value: Json;
  try {
    // YAML, as the spec is written: `2`, `true`, `{}`, `[s3]`, `"*"`, `ALL`.
    value = parse(token) as Json;
  } catch {
    return undefined;
  }
  return accepts(node, value, /^["']/.test(token)) ? value : undefined;
}

/** The prefix of text up to the bracket that closes its first one. */
function balanced(text: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[' || text[i] === '{') depth++;
    else if (text[i] === ']' || text[i] === '}') depth--;
    if (depth === 0) return text.slice(0, i + 1);
  }
  return undefined;
}

/** A shallow check of a literal against the field's type, enum, const and pattern. */
function accepts(node: Node, value: Json, quoted: boolean): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(node.enum)) return node.enum.some((e) => JSON.stringify(e) === JSON.stringify(value));
  if ('const' in node) return JSON.stringify(node.const) === JSON.stringify(value);
  const alternatives = (node.anyOf ?? node.oneOf) as Node[] | undefined;
  if (Array.isArray(alternatives)) return alternatives.some((a) => accepts(a, value, quoted));
  const type = node.type;
  if (type === 'string') {
    if (typeof value !== 'string') return false;
    if (typeof node.pattern === 'string') return new RegExp(node.pattern, 'u').test(value);
    // An unconstrained string: only a quoted literal is surely a value rather than a word of prose.
    return quoted;
  }
  if (type === 'number' || type === 'integer') return typeof value === 'number' && (type === 'number' || Number.isInteger(value));
  if (type === 'boolean') return typeof value === 'boolean';
  if (type === 'array') return Array.isArray(value) && (value.length === 0 || (node.items !== undefined && value.every((v) => accepts(node.items as Node, v, true))));
  if (type === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const values = node.additionalProperties;
    return Object.values(value).every((v) => typeof values === 'object' && values !== null && !Array.isArray(values) && accepts(values as Node, v, true));
  }
  return false;
}
