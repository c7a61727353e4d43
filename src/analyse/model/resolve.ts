/**
 * Intrinsic functions, resolved as far as the templates allow: Ref, Fn::GetAtt, Fn::ImportValue (to
 * another stack's exported output), Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::FindInMap,
 * Fn::Cidr, Fn::If and parameter defaults. References to resources stay references (a
 * `ResourceToken`), so the model can follow them; what cannot be resolved becomes an `Unknown` with
 * the reason, which the model turns into an assumption where it matters.
 */
import type { Assumptions, ResourceRef } from './assumptions.js';
import { formatIp, cidrRange } from './packets.js';
import type { ResourceBody, StackTemplate } from '../input/templates.js';

/** A reference to a resource in one of the templates: its identity, or one of its attributes. */
export class ResourceToken {
  public constructor(public readonly key: string, public readonly attr: string | undefined) {}
}

/** A value verify cannot know before deployment. */
export class Unknown {
  public constructor(public readonly reason: string) {}
}

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | ResourceToken | Unknown;

/** Attributes that name the resource itself, so `!GetAtt Sg.GroupId` and `!Ref Sg` are the same thing. */
const IDENTITY_ATTRIBUTES = new Set(['GroupId', 'Id', 'AllocationId', 'SubnetId', 'RouteTableId', 'NetworkAclId',
  'InternetGatewayId', 'VpcId', 'LoadBalancerArn', 'TargetGroupArn', 'Arn', 'NatGatewayId', 'TransitGatewayId', 'ClientVpnEndpointId']);

/** Attributes whose value is a property of the resource itself. */
const PROPERTY_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'AWS::EC2::VPC': { CidrBlock: 'CidrBlock' },
  'AWS::EC2::Subnet': { CidrBlock: 'CidrBlock', AvailabilityZone: 'AvailabilityZone', VpcId: 'VpcId' },
  'AWS::EC2::SecurityGroup': { VpcId: 'VpcId' },
};

const NO_VALUE = new Unknown('AWS::NoValue');

export interface StackResource {
  readonly key: string;
  readonly template: StackTemplate;
  readonly logicalId: string;
  readonly body: ResourceBody;
  readonly ref: ResourceRef;
}

export class Resolver {
  private readonly resources = new Map<string, StackResource>();
  private readonly exports = new Map<string, { template: StackTemplate; value: unknown }>();
  private readonly conditionCache = new Map<string, boolean | undefined>();

  public constructor(templates: readonly StackTemplate[], private readonly assumptions: Assumptions) {
    for (const t of templates) {
      for (const [logicalId, body] of Object.entries(t.body.Resources ?? {})) {
        const key = keyOf(t, logicalId);
        this.resources.set(key, { key, template: t, logicalId, body, ref: { stack: t.stack, logicalId, type: body?.Type ?? '(no type)', file: t.file } });
      }
    }
    for (const t of templates) {
      for (const output of Object.values(t.body.Outputs ?? {})) {
        if (output?.Export?.Name === undefined) continue;
        const name = this.resolve(t, output.Export.Name);
        if (typeof name === 'string') this.exports.set(name, { template: t, value: output.Value });
      }
    }
  }

  public all(): StackResource[] {
    return [...this.resources.values()];
  }

  public resource(key: string): StackResource | undefined {
    return this.resources.get(key);
  }

  /** Whether a resource's `Condition` holds: true, false, or undefined when it cannot be decided. */
  public included(r: StackResource): boolean | undefined {
    return r.body.Condition === undefined ? true : this.condition(r.template, r.body.Condition);
  }

  public property(r: StackResource, name: string): Value | undefined {
    const raw = r.body.Properties?.[name];
    if (raw === undefined) return undefined;
    const v = this.resolve(r.template, raw);
    return v === NO_VALUE ? undefined : v;
  }

  public resolve(t: StackTemplate, value: unknown): Value {
    if (value === null || typeof value !== 'object') return value as Value;
    if (value instanceof ResourceToken || value instanceof Unknown) return value;
    if (Array.isArray(value)) return value.map((v) => this.resolve(t, v)).filter((v) => v !== NO_VALUE);
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0]!;
      const resolved = this.intrinsic(t, fn, arg);
      if (resolved !== undefined) return resolved;
    }
    const out: Record<string, Value> = {};
    for (const [k, v] of entries) {
      const r = this.resolve(t, v);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private intrinsic(t: StackTemplate, fn: string, arg: unknown): Value | undefined {
    switch (fn) {
      case 'Ref':
        return typeof arg === 'string' ? this.ref(t, arg) : new Unknown('Ref to a non-string');
      case 'Fn::GetAtt': {
        const parts = Array.isArray(arg) ? arg : typeof arg === 'string' ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)] : [];
        const [id, attr] = parts.map((p) => this.resolve(t, p));
        if (typeof id !== 'string' || typeof attr !== 'string') return new Unknown('Fn::GetAtt with computed arguments');
        return this.getAtt(t, id, attr);
      }
      case 'Fn::ImportValue': {
        const name = this.resolve(t, arg);
        if (typeof name !== 'string') return new Unknown('Fn::ImportValue of a computed name');
        const found = this.exports.get(name);
        if (!found) return new Unknown(`Fn::ImportValue "${name}": no template given to verify exports it`);
        return this.resolve(found.template, found.value);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Join');
        const sep = this.resolve(t, arg[0]);
        const list = this.resolve(t, arg[1]);
        if (typeof sep !== 'string' || !Array.isArray(list)) return new Unknown('Fn::Join over a computed list');
        if (list.every((v) => typeof v === 'string' || typeof v === 'number')) return list.join(sep);
        return firstUnknown(list) ?? new Unknown('Fn::Join of resource references');
      }
      case 'Fn::Sub':
        return this.sub(t, arg);
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Select');
        const index = Number(this.resolve(t, arg[0]));
        const list = this.resolve(t, arg[1]);
        if (list instanceof Unknown) return list;
        if (!Array.isArray(list) || !Number.isInteger(index)) return new Unknown('Fn::Select over a computed list');
        return list[index] ?? new Unknown(`Fn::Select index ${index} is out of range`);
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('malformed Fn::Split');
        const sep = this.resolve(t, arg[0]);
        const text = this.resolve(t, arg[1]);
        if (typeof sep !== 'string' || typeof text !== 'string') return text instanceof Unknown ? text : new Unknown('Fn::Split of a computed string');
        return text.split(sep);
      }
      case 'Fn::GetAZs':
        return new Unknown('Fn::GetAZs: the availability zones of a region are known only at deploy time');
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) return new Unknown('malformed Fn::FindInMap');
        const [map, top, second] = arg.slice(0, 3).map((a) => this.resolve(t, a));
        if (typeof map !== 'string' || typeof top !== 'string' || typeof second !== 'string') return new Unknown('Fn::FindInMap with computed keys');
        const found = t.body.Mappings?.[map]?.[top]?.[second];
        return found === undefined ? new Unknown(`Fn::FindInMap: ${map}.${top}.${second} is not in the template's Mappings`) : this.resolve(t, found);
      }
      case 'Fn::Cidr': {
        if (!Array.isArray(arg) || arg.length !== 3) return new Unknown('malformed Fn::Cidr');
        const [block, count, bits] = arg.map((a) => this.resolve(t, a));
        const range = typeof block === 'string' ? cidrRange(block) : undefined;
        if (!range || !Number.isInteger(Number(count)) || !Number.isInteger(Number(bits))) return new Unknown('Fn::Cidr of a computed block');
        const size = 2 ** Number(bits);
        return Array.from({ length: Number(count) }, (_, i) => `${formatIp(range[0] + i * size)}/${32 - Number(bits)}`);
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3) return new Unknown('malformed Fn::If');
        const holds = typeof arg[0] === 'string' ? this.condition(t, arg[0]) : undefined;
        if (holds === undefined) return new Unknown(`Fn::If on condition "${String(arg[0])}", which cannot be decided before deployment`);
        return this.resolve(t, holds ? arg[1] : arg[2]);
      }
      case 'Fn::Base64':
        return this.resolve(t, arg);
      default:
        return undefined;
    }
  }

  private ref(t: StackTemplate, name: string): Value {
    switch (name) {
      case 'AWS::NoValue': return NO_VALUE;
      case 'AWS::Region': return t.region ?? new Unknown('AWS::Region (the template is region-agnostic)');
      case 'AWS::AccountId': return t.account ?? new Unknown('AWS::AccountId (the template is account-agnostic)');
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return t.stackName;
      case 'AWS::StackId':
      case 'AWS::NotificationARNs':
        return new Unknown(`${name} is known only at deploy time`);
    }
    const param = t.body.Parameters?.[name];
    if (param) return this.parameter(t, name, param);
    if (t.body.Resources?.[name]) return new ResourceToken(keyOf(t, name), undefined);
    return new Unknown(`Ref to "${name}", which the template ${t.stack} does not define`);
  }

  private parameter(t: StackTemplate, name: string, param: { Type?: string; Default?: unknown }): Value {
    if (param.Type?.startsWith('AWS::SSM::Parameter')) return new Unknown(`parameter ${name} is read from SSM at deploy time`);
    if (param.Default === undefined) {
      return new Unknown(`parameter ${name} of stack ${t.stack} has no default`);
    }
    if (name !== 'BootstrapVersion') {
      this.assumptions.add(`Parameter ${name} of stack ${t.stack} is taken at its default, ${JSON.stringify(param.Default)}.`);
    }
    const v = param.Default as Value;
    if (typeof v === 'string' && (param.Type?.startsWith('List<') || param.Type === 'CommaDelimitedList')) {
      return v.split(',').map((s) => s.trim());
    }
    return v;
  }

  private getAtt(t: StackTemplate, id: string, attr: string): Value {
    const r = this.resources.get(keyOf(t, id));
    if (!r) return new Unknown(`Fn::GetAtt ${id}.${attr}: the template ${t.stack} has no resource ${id}`);
    const prop = PROPERTY_ATTRIBUTES[r.body.Type]?.[attr];
    if (prop) {
      const v = this.property(r, prop);
      return v === undefined ? new Unknown(`${id}.${attr} is set at deploy time`) : v;
    }
    return new ResourceToken(r.key, IDENTITY_ATTRIBUTES.has(attr) ? undefined : attr);
  }

  private sub(t: StackTemplate, arg: unknown): Value {
    const [template, vars] = Array.isArray(arg) ? [arg[0], arg[1] as Record<string, unknown> | undefined] : [arg, undefined];
    if (typeof template !== 'string') return new Unknown('Fn::Sub of a computed string');
    let unknown: Unknown | undefined;
    const text = template.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      let v: Value;
      if (vars && name in vars) v = this.resolve(t, vars[name]);
      else if (name.includes('.') && !name.startsWith('AWS::')) v = this.getAtt(t, name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1));
      else v = this.ref(t, name);
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      unknown ??= v instanceof Unknown ? v : new Unknown(`Fn::Sub of \${${name}}, a resource reference`);
      return whole;
    });
    return unknown ?? text;
  }

  /** Evaluates a named condition: true, false, or undefined when it depends on deploy-time values. */
  public condition(t: StackTemplate, name: string): boolean | undefined {
    const key = `${t.stack}/${name}`;
    if (this.conditionCache.has(key)) return this.conditionCache.get(key);
    this.conditionCache.set(key, undefined);
    const result = this.evaluate(t, t.body.Conditions?.[name]);
    this.conditionCache.set(key, result);
    return result;
  }

  private evaluate(t: StackTemplate, expr: unknown): boolean | undefined {
    if (typeof expr === 'boolean') return expr;
    if (!expr || typeof expr !== 'object') return undefined;
    const [fn, arg] = Object.entries(expr as Record<string, unknown>)[0] ?? [];
    const args = Array.isArray(arg) ? arg : [];
    switch (fn) {
      case 'Condition': return typeof arg === 'string' ? this.condition(t, arg) : undefined;
      case 'Fn::Not': {
        const v = this.evaluate(t, args[0]);
        return v === undefined ? undefined : !v;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const vs = args.map((a) => this.evaluate(t, a));
        if (fn === 'Fn::And') return vs.includes(false) ? false : vs.includes(undefined) ? undefined : true;
        return vs.includes(true) ? true : vs.includes(undefined) ? undefined : false;
      }
      case 'Fn::Equals': {
        const [a, b] = args.map((x) => this.resolve(t, x));
        if (a instanceof Unknown || b instanceof Unknown || a instanceof ResourceToken || b instanceof ResourceToken) return undefined;
        return JSON.stringify(a) === JSON.stringify(b);
      }
      default: return undefined;
    }
  }
}

export function keyOf(t: StackTemplate, logicalId: string): string {
  return `${t.stack}/${logicalId}`;
}

function firstUnknown(list: readonly Value[]): Unknown | undefined {
  return list.find((v): v is Unknown => v instanceof Unknown);
}
