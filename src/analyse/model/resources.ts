/**
 * The templates' resources as the posture rules read them: by type, with properties resolved as far
 * as the templates allow (parameter defaults, mappings, conditions), and resources whose Condition
 * is false left out. A value that cannot be resolved stays an `Unknown` with its reason, so a rule
 * can report "unknown" instead of passing.
 */
import { Assumptions } from './assumptions.js';
import { Resolver, ResourceToken, Unknown, type StackResource, type Value } from './resolve.js';
import type { StackTemplate } from '../input/templates.js';

export class TemplateResources {
  private readonly resolver: Resolver;
  private readonly byType = new Map<string, StackResource[]>();

  public constructor(templates: readonly StackTemplate[]) {
    this.resolver = new Resolver(templates, new Assumptions());
    for (const r of this.resolver.all()) {
      if (this.resolver.included(r) === false) continue;
      const type = r.body?.Type ?? '';
      // Appended in place: copying the list per resource was quadratic (775 MB copied at 10,000 resources).
      const list = this.byType.get(type);
      if (list) list.push(r);
      else this.byType.set(type, [r]);
    }
  }

  public ofType(...types: string[]): StackResource[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  public get types(): string[] {
    return [...this.byType.keys()];
  }

  /** A property, followed down a path of keys: `prop(r, 'LaunchTemplateData', 'MetadataOptions', 'HttpTokens')`. */
  public prop(r: StackResource, name: string, ...path: string[]): Value | undefined {
    let v: Value | undefined = this.resolver.property(r, name);
    for (const key of path) {
      if (v instanceof Unknown) return v;
      v = v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof ResourceToken) ? (v as Record<string, Value>)[key] : undefined;
    }
    return v;
  }

  /** The resource a value refers to (Ref or GetAtt to a resource in the templates). */
  public target(v: Value | undefined): StackResource | undefined {
    return v instanceof ResourceToken ? this.resolver.resource(v.key) : undefined;
  }

  public resolve(r: StackResource, raw: unknown): Value {
    return this.resolver.resolve(r.template, raw);
  }
}

/** true / false for a boolean (CloudFormation also writes "true"), Unknown when unresolvable, undefined when absent. */
export function flag(v: Value | undefined): boolean | Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return v === undefined ? undefined : new Unknown(`a value that is not a boolean (${JSON.stringify(v)})`);
}

/** A resolved list, or [] when absent. */
export function items(v: Value | undefined): Value[] {
  return Array.isArray(v) ? v : [];
}

/** A resolved object's field. */
export function field(v: Value | undefined, key: string): Value | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof ResourceToken) && !(v instanceof Unknown)
    ? (v as Record<string, Value>)[key] : undefined;
}
