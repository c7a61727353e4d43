/**
 * The one input layer of the analyses (verify, cost, diagram, and any later command that reads
 * synthesized infrastructure). Four kinds of input, detected the same way for every command:
 *
 *   - a cloud assembly: a directory with a manifest.json (cdk.out), or a project directory whose
 *     cdk.out is one; manifests rendered under DIR/k8s are read too;
 *   - a CloudFormation template file, JSON or YAML (with the short-form intrinsics);
 *   - a directory of templates (every *.json / *.yaml / *.yml / *.template file with a Resources
 *     section; other files are skipped and listed);
 *   - a plinth spec (plinth.yaml, plinth.config.ts, or a directory holding one), which the CLI
 *     synthesizes to a temporary assembly first (analyse never imports aws-cdk-lib; see
 *     src/cli/analysis-input.ts).
 *
 * Pure reading: paths in, templates and manifest directories out; every mistake is an InputError
 * whose message ends with what may be passed.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  InputError, isAssembly, isTemplateBody, parseTemplateText, readAssembly, readTemplateFile, WHAT_TO_PASS, type StackTemplate,
} from './templates.js';

export { InputError, WHAT_TO_PASS, type StackTemplate, type TemplateBody, type ResourceBody } from './templates.js';

export type InputKind = 'assembly' | 'template' | 'template-folder' | 'spec';

/** What a path is, and the path to read for it (a project's cdk.out for a project directory). */
export interface DetectedInput {
  readonly kind: InputKind;
  readonly path: string;
}

/** File names that are plinth specs whatever their content (as the spec loader looks them up). */
const SPEC_FILE_NAMES: readonly string[] = ['plinth.yaml', 'plinth.yml', 'plinth.config.ts'];
const TEMPLATE_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.template']);

/** Decides what a path is, without reading more than it needs. */
export function detectInput(path: string): DetectedInput {
  if (!existsSync(path)) throw new InputError(`${path} does not exist. ${WHAT_TO_PASS}`);
  if (statSync(path).isDirectory()) {
    if (isAssembly(path)) return { kind: 'assembly', path };
    if (SPEC_FILE_NAMES.some((f) => existsSync(join(path, f)))) return { kind: 'spec', path };
    if (isAssembly(join(path, 'cdk.out'))) return { kind: 'assembly', path: join(path, 'cdk.out') };
    if (templateFilesIn(path).templates.length > 0) return { kind: 'template-folder', path };
    throw new InputError(`${path} is a directory with no manifest.json, no plinth spec and no CloudFormation template in it. ${WHAT_TO_PASS}`);
  }
  if (SPEC_FILE_NAMES.includes(basename(path)) || /\.m?ts$/.test(path)) return { kind: 'spec', path };
  if (!TEMPLATE_EXTENSIONS.has(extname(path).toLowerCase())) {
    throw new InputError(`${path} is neither a template (.json, .yaml, .yml, .template) nor a spec. ${WHAT_TO_PASS}`);
  }
  // A YAML file is a template when it has Resources, a spec when it has a platform section.
  if (/\.ya?ml$/i.test(path) && looksLikeSpec(path)) return { kind: 'spec', path };
  return { kind: 'template', path };
}

function looksLikeSpec(file: string): boolean {
  try {
    const doc = parseYaml(readFileSync(file, 'utf8'), { logLevel: 'silent', customTags: [] }) as Record<string, unknown> | null;
    return doc !== null && typeof doc === 'object' && !('Resources' in doc) && 'platform' in doc;
  } catch {
    // CloudFormation's short-form tags (!Ref) make a plain parse fail: such a file is a template.
    return false;
  }
}

/** The template files of a directory (not recursive), and the files skipped with the reason. */
export function templateFilesIn(dir: string): { templates: string[]; skipped: { file: string; why: string }[] } {
  const templates: string[] = [];
  const skipped: { file: string; why: string }[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    if (!TEMPLATE_EXTENSIONS.has(extname(name).toLowerCase()) || !statSync(file).isFile()) continue;
    try {
      if (isTemplateBody(parseTemplateText(readFileSync(file, 'utf8'), file))) templates.push(file);
      else skipped.push({ file, why: 'no Resources section' });
    } catch (e) {
      skipped.push({ file, why: (e as Error).message });
    }
  }
  return { templates, skipped };
}

/** What the analyses read: stack templates, the directories holding Kubernetes manifests, the region. */
export interface AnalysisInput {
  readonly templates: readonly StackTemplate[];
  /** Directories of rendered Kubernetes manifests (DIR/k8s of an assembly or a template folder). */
  readonly manifestDirs: readonly string[];
  /** The paths as given, for reports. */
  readonly inputs: readonly string[];
  /** Files of a template folder that were not read, with the reason (shown as notes, never silently dropped). */
  readonly skipped: readonly { readonly file: string; readonly why: string }[];
}

/**
 * Reads assemblies, template files and template folders (a spec must have been synthesized to an
 * assembly first; detectInput says which paths are specs).
 */
export function readAnalysisInput(paths: readonly string[]): AnalysisInput {
  if (paths.length === 0) throw new InputError(`Nothing to read. ${WHAT_TO_PASS}`);
  const templates: StackTemplate[] = [];
  const manifestDirs: string[] = [];
  const skipped: { file: string; why: string }[] = [];
  for (const given of paths) {
    const { kind, path } = detectInput(given);
    if (kind === 'spec') throw new InputError(`${given} is a plinth spec; it has to be synthesized before it is analysed (the plinth commands do that themselves).`);
    if (kind === 'template') templates.push(readTemplateFile(path));
    else if (kind === 'assembly') templates.push(...readAssembly(path));
    else {
      const found = templateFilesIn(path);
      skipped.push(...found.skipped);
      templates.push(...found.templates.map((f) => readTemplateFile(f)));
    }
    if (kind !== 'template' && existsSync(join(path, 'k8s'))) manifestDirs.push(join(path, 'k8s'));
  }
  return { templates: uniqueNames(templates), manifestDirs, inputs: [...paths], skipped };
}

/** Two files called db.json and db.yaml (or the same name in two folders) keep their file names. */
function uniqueNames(templates: readonly StackTemplate[]): StackTemplate[] {
  const count = new Map<string, number>();
  for (const t of templates) count.set(t.stack, (count.get(t.stack) ?? 0) + 1);
  const seen = new Set<string>();
  return templates.map((t) => {
    if ((count.get(t.stack) ?? 0) < 2) return t;
    let name = basename(t.file);
    for (let i = 2; seen.has(name); i++) name = `${basename(t.file)}#${i}`;
    seen.add(name);
    return { ...t, stack: name, stackName: t.stackName === t.stack ? name : t.stackName };
  });
}
