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
    ...WORKED_EXAMPLES,
    '',
  ].join('\n');
}

/** The two features whose fields only make sense together, each as a complete, valid example. */
const WORKED_EXAMPLES = [
  '## Worked example: environments',
  '',
  'The file is the base environment (`platform.environment`, default `prod`). Each entry of `environments`',
  'holds only what differs, in the shape of the spec, merged onto the base: mappings merge key by key, a',
  'list or a value replaces the base\'s whole, `null` removes a key. `--env dev` on any command selects it.',
  '',
  '```yaml',
  'platform: { name: shop, region: eu-west-1 }',
  'network: { cidr: 10.1.0.0/16, azs: 3, nat: perAz }',
  'data:',
  '  databases:',
  '    main: { engine: postgres, version: "17", instanceClass: db.m7g.large }',
  'environments:',
  '  dev:',
  '    network: { cidr: 10.2.0.0/16, nat: single }      # stacks shop-dev-*, Name tags shop-dev-*',
  '    data:',
  '      databases:',
  '        main: { instanceClass: db.t4g.medium, multiAz: false }',
  '```',
  '',
  '`plinth validate` checks `prod` and `dev`; `plinth cost . --env dev --compare-env prod` prices the difference.',
  '',
  '## Worked example: an existing VPC',
  '',
  'With `network.vpcId`, every tier lists its `existing` subnets (id, CIDR, AZ, optionally the route table);',
  'plinth creates no VPC, subnet, gateway, NAT or route, looks nothing up, and verify lists the routing it',
  'assumes from each tier\'s type. `nat`, `natTier`, `dnsSupport`, `dnsHostnames`, `vpn` and `transitGateway`',
  'are refused there; gateway endpoints need every `routeTableId`.',
  '',
  '```yaml',
  'platform: { name: ledger, region: ap-northeast-2 }',
  'network:',
  '  vpcId: vpc-0a1b2c3d4e5f60718',
  '  cidr: 10.40.0.0/16',
  '  azs: [ap-northeast-2a, ap-northeast-2c]',
  '  subnets:',
  '    private:',
  '      existing:',
  '        - { id: subnet-0aa11bb22cc33dd51, cidr: 10.40.16.0/20, az: ap-northeast-2a, routeTableId: rtb-0aa11bb22cc33dd61 }',
  '        - { id: subnet-0aa11bb22cc33dd52, cidr: 10.40.32.0/20, az: ap-northeast-2c, routeTableId: rtb-0aa11bb22cc33dd62 }',
  '  trustedGroups:',
  '    ops-bastion: { id: sg-0c0ffee0c0ffee001, cidrs: [10.40.0.0/24], description: network team bastions }',
  'data:',
  '  databases:',
  '    main: { engine: postgres, version: "17", allowFrom: [cluster/nodes, sg/ops-bastion] }',
  '  buckets:',
  '    statements: { existing: ledger-statements-111122223333 }   # referenced by name (its ARN), never created or deleted',
  'registry:',
  '  repositories:',
  '    api: { existing: true }   # referenced by name, never created or deleted',
  '```',
  '',
  '`sg/ops-bastion` is a source like any other (allowFrom, allow, sshFrom, apiFrom, intents): each flow from it',
  'becomes an ingress rule naming `sg-0c0ffee0c0ffee001`, and no group is created for it. Verify places its',
  'members at the stated `cidrs` (the whole VPC without them) and lists that as an assumption. An existing',
  'bucket is granted to apps (`talksTo: [s3:statements]`), servers and external principals',
  '(`buckets/statements/PREFIX/:read`) by ARN; it creates no `AWS::S3::Bucket`, costs nothing new, and',
  'verify lists it as an assumption because its own settings are not in the templates.',
];

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
