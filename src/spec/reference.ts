/**
 * The spec reference (docs/spec-reference.md), generated from the same schema that validates specs,
 * so the documentation cannot drift from what plinth accepts.
 */
import { specJsonSchema } from './json-schema.js';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  description?: string;
  required?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

export function specReferenceMarkdown(): string {
  const rows: string[] = [];
  walk(specJsonSchema() as JsonSchema, '', rows, true);
  return [
    '# plinth.yaml reference',
    '',
    'Generated from the schema by `plinth schema --markdown`; do not edit by hand.',
    'Every object rejects unknown keys. `<name>` is a name you choose (lower-case letters, digits, dashes).',
    '',
    '| field | type | required | default | description |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function walk(schema: JsonSchema, path: string, rows: string[], required: boolean): void {
  if (path && path !== '$schema') rows.push(row(schema, path, required));
  const object = schema.anyOf?.find((s) => s.properties) ?? schema;
  for (const [key, child] of Object.entries(object.properties ?? {})) {
    if (key === '$schema') continue;
    walk(child, path ? `${path}.${key}` : key, rows, object.required?.includes(key) ?? false);
  }
  if (typeof object.additionalProperties === 'object' && (object.additionalProperties.properties || object.additionalProperties.anyOf)) {
    walk(object.additionalProperties, `${path}.<name>`, rows, false);
  }
  const items = object.items;
  if (items?.properties) walk(items, `${path}[]`, rows, false);
}

function row(schema: JsonSchema, path: string, required: boolean): string {
  const [text = '', def = ''] = (schema.description ?? '').split('@default').map((s) => s.trim());
  return `| \`${path}\` | ${typeOf(schema)} | ${required ? 'yes' : ''} | ${escape(def)} | ${escape(text.replace(/\.$/, ''))} |`;
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'object') return s.properties ? 'object' : 'map';
  if (s.type === 'integer' && (s.minimum !== undefined || s.maximum !== undefined)) return `integer ${s.minimum ?? ''}..${s.maximum !== undefined && s.maximum < 2 ** 32 ? s.maximum : ''}`;
  return String(s.type ?? 'any');
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}
