/**
 * The input of the estimate: CloudFormation resources from a cloud assembly (manifest.json and its
 * templates) or from bare template files, plus the Kubernetes manifests rendered beside them
 * (DIR/k8s/<namespace>/<app>.yaml). Works on templates plinth did not write.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, readAnalysisInput, type AnalysisInput } from '../input/index.js';
import { manifestFileDocuments } from '../input/manifest-documents.js';
import { Assumptions } from '../model/assumptions.js';
import { ResourceToken, Resolver as TemplateResolver, Unknown, type Value } from '../model/resolve.js';

export interface CfnResource {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
  /** `Stack/LogicalId`. */
  readonly address: string;
  /** The resource's DeletionPolicy as written (used by rules that price retained data). */
  readonly deletionPolicy?: unknown;
}

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly annotations?: Record<string, string>; readonly labels?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly file: string;
}

export interface Model {
  /** From the assembly's stack environments; undefined for bare templates. */
  readonly region?: string;
  readonly resources: readonly CfnResource[];
  readonly k8s: readonly K8sObject[];
  /** Export name → the exporting stack and the output's value expression. */
  readonly exports: ReadonlyMap<string, { readonly stack: string; readonly value: unknown }>;
  /** What the reading assumed (parameter defaults, undecidable conditions, skipped files), shown as warnings. */
  readonly notes?: readonly string[];
}

export class ModelError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

/**
 * Reads one or more cloud assemblies, template files (JSON or YAML) or folders of templates into one
 * model, through the shared input layer (src/analyse/input), so cost reads exactly what verify and
 * diagram read.
 */
export function readModel(paths: readonly string[]): Model {
  try {
    return modelOf(readAnalysisInput(paths));
  } catch (e) {
    if (e instanceof InputError) throw new ModelError(e.message);
    throw e;
  }
}

/**
 * The cost model of an input. Properties are resolved as far as the templates allow (parameter
 * defaults, mappings, conditions, Fn::If/Join/Sub), so an instance type given as a parameter is
 * priced at its default; a resource whose Condition is false is left out. References to other
 * resources stay intrinsic functions, which the cost Resolver follows.
 */
export function modelOf(input: AnalysisInput): Model {
  const resources: CfnResource[] = [];
  const k8s: K8sObject[] = input.manifestDirs.flatMap(readManifests);
  const exports = new Map<string, { stack: string; value: unknown }>();
  const regions = new Set(input.templates.map((t) => t.region).filter((r): r is string => r !== undefined));
  const assumptions = new Assumptions();
  const resolver = new TemplateResolver(input.templates, assumptions);
  const skipped: string[] = input.skipped.map((s) => `${s.file} was not read: ${s.why}.`);
  for (const r of resolver.all()) {
    const included = resolver.included(r);
    if (included === false) continue;
    if (included === undefined) skipped.push(`${r.template.stackName}/${r.logicalId}: its Condition "${r.body.Condition}" cannot be decided before deployment; it is priced as if created.`);
    const properties: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(r.body.Properties ?? {})) {
      const lowered = lower(raw, resolver.property(r, name), r.template.stack);
      if (lowered !== undefined) properties[name] = lowered;
    }
    const stack = r.template.stackName;
    resources.push({ stack, logicalId: r.logicalId, type: r.body?.Type ?? '(no type)', properties, address: `${stack}/${r.logicalId}`, deletionPolicy: r.body.DeletionPolicy });
  }
  for (const t of input.templates) {
    for (const output of Object.values(t.body.Outputs ?? {})) {
      const name = output?.Export?.Name === undefined ? undefined : resolver.resolve(t, output.Export.Name);
      if (typeof name === 'string') exports.set(name, { stack: t.stackName, value: output.Value });
    }
  }
  if (regions.size > 1) throw new ModelError(`the input spans regions ${[...regions].join(', ')}; estimate one region at a time.`);
  const notes = [...assumptions.all.filter((a) => a.text.startsWith('Parameter ')).map((a) => a.text), ...skipped];
  return { region: [...regions][0], resources, k8s, exports, notes };
}

/**
 * A resolved value back in template form: literals as resolved, a reference to a resource in the same
 * template as Ref/GetAtt, and anything unresolvable as it was written (rules read it as "not a literal").
 */
function lower(raw: unknown, v: Value | undefined, stack: string): unknown {
  if (v === undefined) return undefined;
  if (v instanceof Unknown) return raw ?? { 'plinth::Unknown': v.reason };
  if (v instanceof ResourceToken) {
    if (!v.key.startsWith(`${stack}/`)) return raw;
    const id = v.key.slice(stack.length + 1);
    return v.attr === undefined ? { Ref: id } : { 'Fn::GetAtt': [id, v.attr] };
  }
  if (Array.isArray(v)) {
    const same = Array.isArray(raw) && raw.length === v.length;
    return v.map((x, i) => lower(same ? (raw as unknown[])[i] : undefined, x, stack));
  }
  if (v !== null && typeof v === 'object') {
    const plain = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !Object.keys(raw).some((k) => k === 'Ref' || k.startsWith('Fn::'));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = lower(plain ? (raw as Record<string, unknown>)[k] : undefined, x, stack);
    return out;
  }
  return v;
}

/** Every YAML document under DIR/k8s, recursively. */
export function readManifests(dir: string): K8sObject[] {
  if (!existsSync(dir)) return [];
  const out: K8sObject[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...readManifests(full));
    else if (/\.ya?ml$/.test(entry.name)) {
      for (const document of manifestFileDocuments(full)) {
        const obj = document as K8sObject | null;
        if (obj && typeof obj === 'object' && typeof obj.kind === 'string') out.push({ ...obj, metadata: obj.metadata ?? {}, file: full });
      }
    }
  }
  return out;
}

/** Resolves Ref, Fn::GetAtt and cross-stack Fn::ImportValue to the resource they point at. */
export class Resolver {
  private readonly index = new Map<string, CfnResource>();

  public constructor(private readonly model: Model) {
    for (const r of model.resources) this.index.set(r.address, r);
  }

  public byAddress(address: string): CfnResource | undefined {
    return this.index.get(address);
  }

  public target(stack: string, value: unknown): CfnResource | undefined {
    if (!value || typeof value !== 'object') return undefined;
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string') return this.index.get(`${stack}/${v.Ref}`);
    const getAtt = v['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return this.index.get(`${stack}/${getAtt[0]}`);
    if (typeof getAtt === 'string') return this.index.get(`${stack}/${getAtt.split('.')[0]}`);
    const imported = v['Fn::ImportValue'];
    if (typeof imported === 'string') {
      const exp = this.model.exports.get(imported);
      return exp ? this.target(exp.stack, exp.value) : undefined;
    }
    return undefined;
  }

  /** Resources of a type, in model order. */
  public ofType(type: string): CfnResource[] {
    return this.model.resources.filter((r) => r.type === type);
  }
}

/** A literal string, or undefined for an intrinsic function. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A literal number (CloudFormation often writes numbers as strings: "20"). */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
