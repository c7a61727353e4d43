/**
 * The input of the estimate: CloudFormation resources from a cloud assembly (manifest.json and its
 * templates) or from bare template files, plus the Kubernetes manifests rendered beside them
 * (DIR/k8s/<namespace>/<app>.yaml). Works on templates plinth did not write.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface CfnResource {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
  /** `Stack/LogicalId`. */
  readonly address: string;
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
}

export class ModelError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

interface Template { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>; Outputs?: Record<string, { Value: unknown; Export?: { Name?: unknown } }> }
interface Manifest { artifacts?: Record<string, { type: string; environment?: string; properties?: { templateFile?: string; stackName?: string } }> }

/** Reads one or more cloud assemblies, template files or directories of templates into one model. */
export function readModel(paths: readonly string[]): Model {
  const resources: CfnResource[] = [];
  const k8s: K8sObject[] = [];
  const exports = new Map<string, { stack: string; value: unknown }>();
  const regions = new Set<string>();
  const addTemplate = (stack: string, template: Template) => {
    for (const [logicalId, r] of Object.entries(template.Resources ?? {})) {
      resources.push({ stack, logicalId, type: r.Type, properties: r.Properties ?? {}, address: `${stack}/${logicalId}` });
    }
    for (const output of Object.values(template.Outputs ?? {})) {
      if (typeof output.Export?.Name === 'string') exports.set(output.Export.Name, { stack, value: output.Value });
    }
  };
  for (const path of paths) {
    if (!existsSync(path)) throw new ModelError(`${path} does not exist: give a cloud assembly directory, a *.template.json file or a spec.`);
    if (statSync(path).isDirectory()) {
      const manifestFile = join(path, 'manifest.json');
      if (existsSync(manifestFile)) {
        const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
        for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
          if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
          const region = /^aws:\/\/[^/]+\/([a-z0-9-]+)$/.exec(artifact.environment ?? '')?.[1];
          if (region && region !== 'unknown-region') regions.add(region);
          addTemplate(artifact.properties.stackName ?? id, readJson(join(path, artifact.properties.templateFile)));
        }
      } else {
        const files = readdirSync(path).filter((f) => f.endsWith('.template.json'));
        if (files.length === 0 && !existsSync(join(path, 'k8s'))) throw new ModelError(`${path} holds no manifest.json and no *.template.json: it is not a cloud assembly.`);
        for (const f of files.sort()) addTemplate(stackNameOf(f), readJson(join(path, f)));
      }
      k8s.push(...readManifests(join(path, 'k8s')));
    } else {
      addTemplate(stackNameOf(basename(path)), readJson(path));
    }
  }
  if (regions.size > 1) throw new ModelError(`the input spans regions ${[...regions].join(', ')}; estimate one region at a time.`);
  return { region: [...regions][0], resources, k8s, exports };
}

function stackNameOf(file: string): string {
  return file.replace(/\.template\.json$/, '').replace(/\.json$/, '');
}

function readJson(file: string): Template {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ModelError(`${file} is not a JSON CloudFormation template: ${(e as Error).message}`);
  }
  // Every CloudFormation template has a Resources map; anything else (a package.json) would price as $0.
  const resources = (parsed as Template | null)?.Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new ModelError(`${file} is not a CloudFormation template: it has no Resources section.`);
  }
  return parsed as Template;
}

/** Every YAML document under DIR/k8s, recursively. */
export function readManifests(dir: string): K8sObject[] {
  if (!existsSync(dir)) return [];
  const out: K8sObject[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...readManifests(full));
    else if (/\.ya?ml$/.test(entry.name)) {
      for (const doc of parseAllDocuments(readFileSync(full, 'utf8'))) {
        const obj = doc.toJS() as K8sObject | null;
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
