/**
 * Reading CloudFormation: a cloud assembly directory (manifest.json names the stack templates), or
 * template files in JSON or YAML (with the short-form intrinsics `!Ref`, `!GetAtt`, `!Sub`, ...).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface TemplateBody {
  readonly Resources?: Record<string, ResourceBody>;
  readonly AWSTemplateFormatVersion?: string;
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
  readonly Outputs?: Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface ResourceBody {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
  readonly DeletionPolicy?: unknown;
  readonly UpdateReplacePolicy?: unknown;
  readonly Metadata?: Record<string, unknown>;
}

export interface StackTemplate {
  /** A short name for reports: the assembly's artifact id, or the file name without extensions. */
  readonly stack: string;
  /** The deployed stack name (used by `AWS::StackName` and export names). */
  readonly stackName: string;
  readonly file: string;
  readonly body: TemplateBody;
  readonly region: string | undefined;
  readonly account: string | undefined;
}

/** A mistake in what verify was given (not a finding): the CLI turns it into exit code 2. */
export class InputError extends Error {
  public override readonly name = 'InputError';
}

interface Manifest {
  readonly artifacts?: Record<string, {
    readonly type?: string;
    readonly environment?: string;
    readonly properties?: { readonly templateFile?: string; readonly stackName?: string };
  }>;
}

/** Whether `dir` is a cloud assembly (has a manifest.json). */
export function isAssembly(dir: string): boolean {
  return existsSync(join(dir, 'manifest.json'));
}

export function readAssembly(dir: string): StackTemplate[] {
  const manifestFile = join(dir, 'manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch (e) {
    throw new InputError(`${manifestFile} is not a cloud assembly manifest: ${(e as Error).message}`);
  }
  const out: StackTemplate[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const env = /^aws:\/\/([^/]*)\/(.*)$/.exec(artifact.environment ?? '');
    const account = env?.[1] && !env[1].startsWith('unknown') ? env[1] : undefined;
    const region = env?.[2] && !env[2].startsWith('unknown') ? env[2] : undefined;
    const file = join(dir, artifact.properties.templateFile);
    out.push({ stack: id, stackName: artifact.properties.stackName ?? id, file, body: readBody(file), region, account });
  }
  // An assembly written by something other than the CDK may lack stack artifacts; fall back to the files.
  if (out.length === 0) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.template.json')).sort()) out.push(readTemplateFile(join(dir, f)));
  }
  if (out.length === 0) throw new InputError(`${dir} holds a manifest.json but no stack templates.`);
  return out;
}

export function readTemplateFile(file: string): StackTemplate {
  const name = stackNameOfFile(file);
  return { stack: name, stackName: name, file, body: readBody(file), region: undefined, account: undefined };
}

/** `vpc.template.json` → `vpc`; `db.yaml` → `db`. */
export function stackNameOfFile(file: string): string {
  return basename(file).replace(/\.(template\.)?(json|ya?ml|template)$/i, '');
}

function readBody(file: string): TemplateBody {
  if (!existsSync(file) || !statSync(file).isFile()) throw new InputError(`${file} does not exist or is not a file.`);
  const body = parseTemplateText(readFileSync(file, 'utf8'), file);
  if (!isTemplateBody(body)) {
    throw new InputError(`${file} is not a CloudFormation template: it has no Resources section. ${WHAT_TO_PASS}`);
  }
  return body;
}

/** A parsed document is a template when it has a Resources map (every template must). */
export function isTemplateBody(body: unknown): body is TemplateBody {
  const resources = (body as TemplateBody | null | undefined)?.Resources;
  return typeof body === 'object' && body !== null && typeof resources === 'object' && resources !== null && !Array.isArray(resources);
}

/** The sentence every analysis command ends an input error with. */
export const WHAT_TO_PASS = 'Pass a spec (plinth.yaml, or a directory holding one), a cloud assembly (cdk.out), a CloudFormation template (JSON or YAML), or a directory of templates.';

/** JSON, or YAML with CloudFormation's short-form tags. */
export function parseTemplateText(text: string, file = '(template)'): TemplateBody {
  const trimmed = text.trimStart();
  try {
    if (trimmed.startsWith('{')) return JSON.parse(text) as TemplateBody;
    return parseYaml(text, { customTags: CFN_TAGS, maxAliasCount: 1000 }) as TemplateBody;
  } catch (e) {
    throw new InputError(`${file} could not be parsed as JSON or YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

const SHORT_FORMS = ['Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'If', 'Equals', 'Not', 'And', 'Or',
  'FindInMap', 'Base64', 'Cidr', 'ImportValue', 'GetAZs', 'Transform', 'Length', 'ToJsonString'];

type Collection = { toJSON(): unknown };

/** `!Ref X` → `{ Ref: X }`, `!GetAtt A.B` → `{ "Fn::GetAtt": ["A", "B"] }`, and the rest likewise. */
const CFN_TAGS = SHORT_FORMS.flatMap((fn) => {
  const key = fn === 'Ref' || fn === 'Condition' ? fn : `Fn::${fn}`;
  const scalar = (value: string): unknown => {
    if (fn === 'GetAtt') {
      const dot = value.indexOf('.');
      return { [key]: dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
    }
    return { [key]: value };
  };
  return [
    { tag: `!${fn}`, resolve: scalar },
    { tag: `!${fn}`, collection: 'seq' as const, resolve: (v: Collection) => ({ [key]: v.toJSON() }) },
    { tag: `!${fn}`, collection: 'map' as const, resolve: (v: Collection) => ({ [key]: v.toJSON() }) },
  ];
});
