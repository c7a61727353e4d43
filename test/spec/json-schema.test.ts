/** The JSON Schema editors and other tools read: strict draft 7, every field described, defaults that hold. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultLiteral, specJsonSchema } from '../../src/spec/json-schema.js';
import { ROOT } from '../support.js';

// ajv is CommonJS with `exports.default`: under NodeNext the default import is the module object.
const Ajv = AjvModule.default;
type Node = Record<string, unknown>;
const schema = specJsonSchema() as Node;

/** Every property schema in the tree, with its JSON pointer. */
function properties(node: unknown, pointer = '#'): { pointer: string; name: string; field: Node }[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((n, i) => properties(n, `${pointer}/${i}`));
  const found: { pointer: string; name: string; field: Node }[] = [];
  for (const [key, child] of Object.entries(node as Node)) {
    const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (key === 'properties' && child && typeof child === 'object') {
      for (const [name, field] of Object.entries(child as Node)) {
        found.push({ pointer: `${at}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, name, field: field as Node });
      }
    }
    found.push(...properties(child, at));
  }
  return found;
}

describe('plinth.schema.json', () => {
  it('compiles under ajv strict mode', () => {
    expect(() => new Ajv({ strict: true, allErrors: true }).compile(schema)).not.toThrow();
  });

  it.each(readdirSync(join(ROOT, 'examples')).filter((d) => !d.startsWith('.')))('accepts example %s', (example) => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);
    const spec = parse(readFileSync(join(ROOT, 'examples', example, 'plinth.yaml'), 'utf8')) as unknown;
    expect(validate(spec), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('rejects an unknown key and a wrong type, as plinth does', () => {
    const validate = new Ajv({ strict: true }).compile(schema);
    expect(validate({ platform: { name: 'a', region: 'us-east-1' }, network: { cidr: '10.0.0.0/16', azs: 2, natt: 'single' } })).toBe(false);
    expect(validate({ platform: { name: 'a', region: 'us-east-1' }, network: { cidr: '10.0.0.0/16', azs: 'two' } })).toBe(false);
  });

  it('describes every field (add .describe() in src/spec/schema.ts to a new field)', () => {
    const undescribed = properties(schema).filter((p) => typeof p.field.description !== 'string' || p.field.description.trim() === '');
    expect(undescribed.map((p) => p.pointer)).toEqual([]);
  });

  it('gives a default keyword wherever the description states a literal one, and each default is valid for its field', () => {
    const ajv = new Ajv({ strict: true });
    ajv.addSchema(schema, 'plinth');
    const withDefault = properties(schema).filter((p) => 'default' in p.field);
    expect(withDefault.length).toBeGreaterThan(100);
    for (const { pointer, field } of withDefault) {
      const valid = ajv.validate({ $ref: `plinth${pointer}` }, field.default);
      expect(valid, `${pointer}: default ${JSON.stringify(field.default)}: ${ajv.errorsText()}`).toBe(true);
    }
    const network = ((schema.properties as Node).network as Node).properties as Record<string, Node>;
    expect(network.nat!.default).toBe('single');
    expect(network.subnets!.default).toEqual({ public: {}, private: {} });
    expect(network.cidr!.default).toBeUndefined();
  });
});

describe('defaults read from descriptions', () => {
  const string = { type: 'string' };
  it.each([
    ['HTTP health check path. @default /', { type: 'string', pattern: '^\\/.*' }, '/'],
    ['@default [s3]', { type: 'array', items: { type: 'string', enum: ['s3', 'dynamodb'] } }, ['s3']],
    ['Tags. @default {}', { type: 'object' }, {}],
    ['@default "*"', string, '*'],
    ['@default [] (DNS only)', { type: 'array', items: string }, []],
  ])('%s → a default', (description, field, expected) => {
    expect(defaultLiteral(description, field as never)).toEqual(expected);
  });

  it.each([
    ['@default the first private tier', string],
    ['@default - one NAT gateway per AZ', string],
    ['@default 2 (1 with volumes)', { type: 'integer' }],
    ['@default admin (mysql) / postgres', string],
    ['@default HTTP for ALB, TCP for NLB', { type: 'string', enum: ['HTTP', 'TCP'] }],
    ['@default 2', { type: 'string' }],
  ])('%s → no default', (description, field) => {
    expect(defaultLiteral(description, field as never)).toBeUndefined();
  });
});
