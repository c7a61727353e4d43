/**
 * Every rendered object is checked twice before it is written:
 *
 * 1. against the official OpenAPI schema of its kind, through kubernetes-models' generated validators
 *    (types, enums, required fields) — core kinds, Argo CD and External Secrets;
 * 2. for unknown fields, which those validators let through (the API server drops them silently, so
 *    a misspelt `readinessProbe` would ship a pod without one). The field tables come from the same
 *    packages' type declarations, read once per kind.
 *
 * Kinds with no published model (Strimzi, ECK, Image Updater CRs) get the strict check of their
 * metadata only, and are reported as such. Failures are plinth errors, never warnings.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type Json = Record<string, unknown>;

export interface ManifestProblem {
  /** `Deployment kafka/backend`. */
  readonly object: string;
  /** JSON path inside the object, e.g. `/spec/template/spec/containers/0/readinessProbe`. */
  readonly path: string;
  readonly message: string;
}

export interface ValidationReport {
  readonly problems: readonly ManifestProblem[];
  /** Objects validated against an official schema. */
  readonly checked: number;
  /** `apiVersion/kind` of objects whose spec had no schema to check against. */
  readonly unchecked: readonly string[];
}

/** Thrown by `plinth synth` when a rendered manifest fails validation: a bug in plinth, reported plainly. */
export class ManifestValidationError extends Error {
  public constructor(public readonly problems: readonly ManifestProblem[]) {
    super(`E_MANIFEST_INVALID: ${problems.length} rendered Kubernetes object${problems.length === 1 ? '' : 's'} failed validation:\n`
      + problems.map((p) => `  ${p.object} at ${p.path || '/'}: ${p.message}`).join('\n')
      + '\nThis is a plinth bug; please report it with the spec.');
    this.name = 'ManifestValidationError';
  }
}

const require = createRequire(import.meta.url);

type ModelClass = new (data: unknown) => { validate(): void };

interface KindModel {
  /** The package module of this one kind, e.g. `kubernetes-models/apps/v1/Deployment`. */
  readonly module: string;
  /** Its export and `.d.ts` name. */
  readonly name: string;
  /** The apiVersion the model validates, when the served one is newer. */
  readonly servedAs?: string;
}

/**
 * The model of each kind plinth renders, required on first use and one kind at a time: a kind's module
 * brings only the schemas it references (Deployment ~170 files), where the group indexes
 * (`kubernetes-models/v1`) load every kind of the group (620 files for these seven groups, about a
 * third of a synth's start-up). A platform without workloads loads none.
 */
const MODELS: Readonly<Record<string, KindModel>> = {
  'v1/Namespace': core('v1/Namespace'),
  'v1/Service': core('v1/Service'),
  'v1/ServiceAccount': core('v1/ServiceAccount'),
  'v1/Secret': core('v1/Secret'),
  'v1/PersistentVolumeClaim': core('v1/PersistentVolumeClaim'),
  'apps/v1/Deployment': core('apps/v1/Deployment'),
  'apps/v1/StatefulSet': core('apps/v1/StatefulSet'),
  'autoscaling/v2/HorizontalPodAutoscaler': core('autoscaling/v2/HorizontalPodAutoscaler'),
  'policy/v1/PodDisruptionBudget': core('policy/v1/PodDisruptionBudget'),
  'networking.k8s.io/v1/NetworkPolicy': core('networking.k8s.io/v1/NetworkPolicy'),
  'networking.k8s.io/v1/Ingress': core('networking.k8s.io/v1/Ingress'),
  'argoproj.io/v1alpha1/Application': { module: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application', name: 'Application' },
  // The installed operator serves v1; the published model is v1beta1, field for field the same for
  // what plinth writes (secretStoreRef, target, dataFrom.extract, refreshInterval).
  'external-secrets.io/v1/ExternalSecret': {
    module: '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret',
    name: 'ExternalSecret',
    servedAs: 'external-secrets.io/v1beta1',
  },
};

/**
 * The modules of MODELS: scripts/build.mjs bundles them into dist/vendor from the copy of this list in
 * model-modules.json (a test keeps the two equal).
 */
export function modelModules(): string[] {
  return Object.values(MODELS).map((m) => m.module).sort();
}

function core(path: string): KindModel {
  return { module: `kubernetes-models/${path}`, name: path.slice(path.lastIndexOf('/') + 1) };
}

const loadedModels = new Map<string, ModelClass>();

/** The model class of a kind, loaded through `require` the first time that kind is validated. */
function modelClass(model: KindModel): ModelClass {
  let loaded = loadedModels.get(model.module);
  if (!loaded) {
    loaded = (require(model.module) as Record<string, ModelClass>)[model.name];
    if (!loaded) throw new Error(`${model.module} has no export ${model.name}`);
    loadedModels.set(model.module, loaded);
  }
  return loaded;
}

/**
 * Fields the served API has and the published model predates. ExternalSecret dataFrom[].rewrite[]
 * .transform (a Go template over each key, `.value`) is in the operator's v1 API
 * (apis/externalsecrets/v1/externalsecret_types.go, ExternalSecretRewriteTransform).
 */
const NEWER_THAN_MODEL: Readonly<Record<string, RegExp>> = {
  'external-secrets.io/v1/ExternalSecret': /^\/spec\/dataFrom\/\d+\/rewrite\/\d+\/transform$/,
};

const META = '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta.d.ts';

export function validateManifests(objects: readonly Json[]): ValidationReport {
  const problems: ManifestProblem[] = [];
  const unchecked = new Set<string>();
  let checked = 0;
  for (const object of objects) {
    const apiVersion = String(object.apiVersion ?? '');
    const kind = String(object.kind ?? '');
    const meta = (object.metadata ?? {}) as Json;
    const label = `${kind} ${meta.namespace ? `${String(meta.namespace)}/` : ''}${String(meta.name ?? '(unnamed)')}`;
    const model = MODELS[`${apiVersion}/${kind}`];
    if (!model) {
      unchecked.add(`${apiVersion}/${kind}`);
      for (const p of unknownFields(object.metadata, shapeOf(resolveDeclaration(META), 'ObjectMeta'), '/metadata')) problems.push({ object: label, ...p });
      continue;
    }
    checked++;
    for (const p of schemaErrors(modelClass(model), model.servedAs ? { ...object, apiVersion: model.servedAs } : object)) problems.push({ object: label, ...p });
    const file = resolveDeclaration(model.module);
    for (const p of unknownFields(object, shapeOf(file, kind), '')) {
      if (!NEWER_THAN_MODEL[`${apiVersion}/${kind}`]?.test(p.path)) problems.push({ object: label, ...p });
    }
  }
  return { problems, checked, unchecked: [...unchecked].sort() };
}

function schemaErrors(Model: ModelClass, data: Json): { path: string; message: string }[] {
  try {
    new Model(data).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: { instancePath: string; message?: string }[] }).errors;
    if (!errors) return [{ path: '', message: (e as Error).message }];
    return errors.map((err) => ({ path: err.instancePath, message: err.message ?? 'is invalid' }));
  }
}

// --- field tables from the models' type declarations -----------------------------------------

type Shape =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'object'; readonly fields: ReadonlyMap<string, () => Shape> }
  | { readonly kind: 'array'; readonly item: () => Shape }
  | { readonly kind: 'map'; readonly value: () => Shape };

const LEAF: Shape = { kind: 'leaf' };

function unknownFields(value: unknown, shape: Shape, path: string): { path: string; message: string }[] {
  const found: { path: string; message: string }[] = [];
  walkFields(value, shape, [path], found);
  return found;
}

/**
 * Walks a value along its shape. The path is kept as segments and joined only for a problem: every
 * object of a synth is walked (30,000 nodes at 500 apps), and almost none has one.
 */
function walkFields(value: unknown, shape: Shape, at: string[], found: { path: string; message: string }[]): void {
  if (value === null || typeof value !== 'object') return;
  switch (shape.kind) {
    case 'leaf':
      return;
    case 'array': {
      if (!Array.isArray(value) || value.length === 0) return;
      const item = shape.item();
      for (let i = 0; i < value.length; i++) {
        at.push(`/${i}`);
        walkFields(value[i], item, at, found);
        at.pop();
      }
      return;
    }
    case 'map': {
      const entries = Object.entries(value as Json);
      if (entries.length === 0) return;
      const entry = shape.value();
      for (const [k, v] of entries) {
        at.push(`/${k}`);
        walkFields(v, entry, at, found);
        at.pop();
      }
      return;
    }
    case 'object': {
      if (Array.isArray(value)) return;
      for (const [k, v] of Object.entries(value as Json)) {
        const child = shape.fields.get(k);
        at.push(`/${k}`);
        if (!child) found.push({ path: at.join(''), message: `unknown field "${k}" (known: ${[...shape.fields.keys()].join(', ')})` });
        else walkFields(v, child(), at, found);
        at.pop();
      }
    }
  }
}

interface Declaration {
  readonly file: string;
  readonly text: string;
  /** Imported name → module specifier. */
  readonly imports: ReadonlyMap<string, string>;
}

const declarations = new Map<string, Declaration>();
const shapes = new Map<string, Shape>();

function resolveDeclaration(specifier: string): Declaration {
  return readDeclaration(declarationFile(specifier.replace(/\.d\.ts$/, '')));
}

const declarationFiles = new Map<string, string>();

/**
 * The `.d.ts` next to the module a package specifier resolves to; resolved once per specifier (a
 * resolution stats a dozen paths, and every object of a kind asks for the same file).
 */
function declarationFile(specifier: string): string {
  let file = declarationFiles.get(specifier);
  if (file === undefined) {
    file = require.resolve(specifier).replace(/\.[cm]?js$/, '.d.ts');
    declarationFiles.set(specifier, file);
  }
  return file;
}

function readDeclaration(file: string): Declaration {
  const cached = declarations.get(file);
  if (cached) return cached;
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const imports = new Map<string, string>();
  for (const m of text.matchAll(/import \{ ([^}]+) \} from "([^"]+)";/g)) {
    for (const name of m[1]!.split(',').map((s) => s.trim())) imports.set(name, m[2]!);
  }
  const declaration = { file, text, imports };
  declarations.set(file, declaration);
  return declaration;
}

function importedFile(from: Declaration, specifier: string): string {
  if (specifier.startsWith('.')) return join(dirname(from.file), specifier.replace(/\.js$/, '')) + '.d.ts';
  return declarationFile(specifier.replace(/\.js$/, ''));
}

/** The shape of interface `I<name>` (or its exported alias) in a declaration file. */
function shapeOf(decl: Declaration, name: string): Shape {
  const key = `${decl.file}#${name}`;
  const cached = shapes.get(key);
  if (cached) return cached;
  const alias = new RegExp(`(\\w+) as ${name}\\b`).exec(decl.text)?.[1];
  const local = alias ?? (name.startsWith('I') ? name : `I${name}`);
  const start = new RegExp(`export interface ${local}(?: extends [\\w, ]+)? \\{`).exec(decl.text);
  let shape: Shape = LEAF;
  if (start) {
    const open = start.index + start[0].length - 1;
    shape = parseType(decl, decl.text.slice(open, matchingBrace(decl.text, open) + 1));
  }
  shapes.set(key, shape);
  return shape;
}

function matchingBrace(text: string, open: number): number {
  const pairs: Record<string, string> = { '{': '}', '<': '>', '(': ')', '[': ']' };
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      i = text.indexOf('"', i + 1);
      continue;
    }
    if (pairs[c]) stack.push(pairs[c]!);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return text.length - 1;
}

function parseType(decl: Declaration, raw: string): Shape {
  const type = raw.trim();
  if (type.startsWith('Array<') && matchingBrace(type, 5) === type.length - 1) {
    const inner = type.slice(6, -1);
    return { kind: 'array', item: lazy(() => parseType(decl, inner)) };
  }
  if (type.startsWith('{') && matchingBrace(type, 0) === type.length - 1) {
    const body = type.slice(1, -1);
    const index = /^\s*\[key: string\]: /.exec(body);
    if (index) return { kind: 'map', value: lazy(() => parseType(decl, body.slice(index[0].length).replace(/;\s*$/, ''))) };
    const fields = members(decl, body);
    // `{}` is free-form (Helm values, raw extensions): anything goes inside.
    return fields.size === 0 ? LEAF : { kind: 'object', fields };
  }
  if (/^I\w+$/.test(type) && decl.imports.has(type)) {
    const file = readDeclaration(importedFile(decl, decl.imports.get(type)!));
    return lazyShape(() => shapeOf(file, type));
  }
  if (/^I\w+$/.test(type)) return lazyShape(() => shapeOf(decl, type));
  return LEAF;
}

/** A shape resolved on first use, so recursive types (JSONSchemaProps) do not loop. */
function lazyShape(get: () => Shape): Shape {
  let resolved: Shape | undefined;
  const once = () => (resolved ??= get());
  return {
    get kind() { return once().kind; },
    get fields() { return (once() as { fields?: ReadonlyMap<string, () => Shape> }).fields; },
    get item() { return (once() as { item?: () => Shape }).item; },
    get value() { return (once() as { value?: () => Shape }).value; },
  } as unknown as Shape;
}

function lazy(get: () => Shape): () => Shape {
  let resolved: Shape | undefined;
  return () => (resolved ??= get());
}

function members(decl: Declaration, body: string): Map<string, () => Shape> {
  const fields = new Map<string, () => Shape>();
  let i = 0;
  while (i < body.length) {
    const m = /"([^"]+)"\??: /y;
    m.lastIndex = body.indexOf('"', i);
    if (m.lastIndex === -1) break;
    const found = m.exec(body);
    if (!found) break;
    let end = found.index + found[0].length;
    let depth = 0;
    for (; end < body.length; end++) {
      const c = body[end]!;
      if (c === '{' || c === '<' || c === '(' || c === '[') depth++;
      else if (c === '}' || c === '>' || c === ')' || c === ']') depth--;
      else if (c === '"') end = body.indexOf('"', end + 1);
      else if (c === ';' && depth === 0) break;
    }
    const typeText = body.slice(found.index + found[0].length, end);
    fields.set(found[1]!, lazy(() => parseType(decl, typeText)));
    i = end + 1;
  }
  return fields;
}
