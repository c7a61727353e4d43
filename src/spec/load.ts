/**
 * Finding and reading a spec: `plinth.yaml` (with line/column for every diagnostic) or
 * `plinth.config.ts` (a `definePlatform({...})` default export; no positions, so diagnostics name
 * the file and the spec path).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { importConfig } from './config-ts.js';
import { SpecError, type Diagnostic, type SourceLocation, type SpecPath } from './diagnostics.js';
import { environmentsOf, selectEnvironment, unknownEnvironmentMessage } from './environments.js';
import type { PlatformSpec } from './schema.js';
import { validateSpec } from './validate.js';

export const SPEC_FILES = ['plinth.yaml', 'plinth.yml', 'plinth.config.ts'] as const;

/** A mistake in how plinth was called (missing file, bad flag): exit code 2. */
export class UsageError extends Error {
  public override readonly name = 'UsageError';
}

export interface LoadedSpec {
  readonly file: string;
  /** The selected environment's spec: the base with that environment's overlay merged on. */
  readonly spec: PlatformSpec;
  /** The selected environment. */
  readonly environment: string;
  /** Every environment the file declares, the base (platform.environment) first. */
  readonly environments: readonly string[];
  /** Where a spec path is written in the file (best effort): in the overlay when the overlay wrote it. */
  locate(path: SpecPath): SourceLocation;
  /** A SpecError about the merged spec, pointed at where each value was written and naming the environment. */
  explain(error: SpecError): SpecError;
  /** Reads a file named in the spec, relative to the spec file. */
  readFile(relativePath: string): string | undefined;
}

/** Resolves SPEC (a file, or a directory holding plinth.yaml / plinth.config.ts) to a file path. */
export function resolveSpecFile(target: string): string {
  const path = resolve(target);
  if (!existsSync(path)) throw new UsageError(`${target} does not exist. Pass a plinth.yaml, a plinth.config.ts, or a directory holding one.`);
  if (statSync(path).isDirectory()) {
    const found = SPEC_FILES.map((f) => join(path, f)).find((f) => existsSync(f));
    if (!found) throw new UsageError(`${target} holds no ${SPEC_FILES.join(' or ')}. Run "plinth init" there to create one.`);
    return found;
  }
  return path;
}

export interface LoadOptions {
  /** The environment to load (`--env`). @default the base environment (platform.environment, else prod) */
  readonly environment?: string;
}

export async function loadSpec(target: string, options: LoadOptions = {}): Promise<LoadedSpec> {
  const file = resolveSpecFile(target);
  const display = displayPath(file);
  const readFile = (relativePath: string) => {
    try {
      return readFileSync(resolve(dirname(file), relativePath), 'utf8');
    } catch {
      return undefined;
    }
  };
  if (file.endsWith('.ts') || file.endsWith('.mts') || file.endsWith('.js') || file.endsWith('.mjs')) {
    const raw = await importConfig(file, display);
    return fromRaw(raw, display, () => ({ file: display }), readFile, options.environment);
  }
  return parseYamlSpec(readFileSync(file, 'utf8'), display, readFile, options.environment);
}

/** Selects the environment, then validates; every diagnostic points where its value was written. */
function fromRaw(
  raw: unknown, file: string, locateWritten: (path: SpecPath) => SourceLocation,
  readFile: (p: string) => string | undefined, requested: string | undefined,
): LoadedSpec {
  let selection: ReturnType<typeof selectEnvironment>;
  try {
    selection = selectEnvironment(raw ?? {}, requested);
  } catch (e) {
    if (e instanceof SpecError) throw e.withLocations(locateWritten);
    throw e;
  }
  if (!selection) {
    throw new UsageError(unknownEnvironmentMessage(requested ?? '', environmentsOf(raw).names));
  }
  const { originOf, environment, environments } = selection;
  const locate = (path: SpecPath): SourceLocation => locateWritten(originOf(path));
  const named = environments.length > 1 ? environment : undefined;
  const explain = (error: SpecError): SpecError => error.inEnvironment(originOf, named).withLocations(locateWritten);
  let spec: PlatformSpec;
  try {
    spec = validateSpec(selection.raw ?? {});
  } catch (e) {
    if (e instanceof SpecError) throw explain(e);
    throw e;
  }
  return { file, spec, environment, environments, locate, explain, readFile };
}

/** Parses YAML text into a validated spec; exported for tests and editors. */
export function parseYamlSpec(
  text: string, file: string, readFile: (p: string) => string | undefined = () => undefined, environment?: string,
): LoadedSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  // An unresolved tag is only a warning to the YAML library, but `!Ref` in a spec is always a mistake.
  const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
  // After the first error on a line the parser is confused; what it says next is noise.
  const firstPerLine = problems.filter((e, i) => problems.findIndex((o) => at(o.pos[0]).line === at(e.pos[0]).line) === i);
  if (problems.length > 0) throw new SpecError(firstPerLine.map((e) => yamlDiagnostic(e, text, doc, at)));
  if (doc.contents === null) {
    throw new SpecError([{
      code: 'E_EMPTY', path: [], message: 'The spec file is empty.',
      fix: 'run "plinth init" to write a starter spec, or add the platform: and network: sections',
      location: { file, line: 1, column: 1 },
    }]);
  }
  const locate = (path: SpecPath): SourceLocation => locateInDocument(doc, path, at) ?? { file, line: 1, column: 1 };
  return fromRaw(toPlainData(doc, text, at), file, locate, readFile, environment);
}

function yamlDiagnostic(e: YAMLError, text: string, doc: Document, at: (offset: number) => SourceLocation): Diagnostic {
  const offset = e.pos[0];
  switch (e.code) {
    case 'DUPLICATE_KEY': {
      const path = pathAt(doc, offset);
      const key = path.length > 0 ? String(path[path.length - 1]) : text.slice(offset).split(':')[0]!.trim();
      return {
        code: 'E_DUPLICATE_KEY', path, message: `The key "${key}" is written twice in the same mapping; YAML would keep only the last one.`,
        fix: 'remove one of them, or merge their contents', location: at(offset),
      };
    }
    case 'TAG_RESOLVE_FAILED':
      return {
        code: 'E_YAML_TAG', path: pathAt(doc, offset),
        message: `${text.slice(offset, e.pos[1])} is a YAML tag; a plinth spec is plain YAML, and CloudFormation functions such as !Ref do not apply.`,
        fix: 'write the value itself, e.g. keyPair: my-key', location: at(offset),
      };
    case 'MULTIPLE_DOCS':
      return {
        code: 'E_YAML', path: [], message: 'The file holds more than one YAML document (a "---" line starts a second one).',
        fix: 'keep one spec per file: remove the "---" line and merge the two parts', location: at(offset),
      };
    default: {
      const close = /end with an? ([\]}])/.exec(e.message)?.[1];
      const open = close === ']' ? '[' : '{';
      const opened = close ? unclosedBracket(text, offset, open, close) : undefined;
      return {
        code: 'E_YAML',
        path: [],
        message: `The file is not valid YAML: ${e.message.split('\n')[0]}.`,
        fix: opened !== undefined ? `close the "${open}" opened here with "${close}"`
          : e.code === 'TAB_AS_INDENT' ? 'indent with spaces; YAML does not allow tabs' : 'check indentation, quotes and colons near this line',
        location: at(opened ?? offset),
      };
    }
  }
}

/** Aliases are resolved only here: an alias to a missing anchor, or an alias bomb, fails late. */
function toPlainData(doc: Document, text: string, at: (offset: number) => SourceLocation): unknown {
  try {
    return doc.toJS();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const alias = /alias[^:]*: (\S+)$/.exec(message)?.[1];
    throw new SpecError([{
      code: 'E_YAML', path: [], message: `The file is not valid YAML: ${message}.`,
      fix: 'define each anchor (&name) before its aliases (*name), and do not nest aliases to multiply the file',
      location: at(Math.max(0, text.indexOf(alias ? `*${alias}` : '*'))),
    }]);
  }
}

/** The spec path of the node at `offset`, for problems the YAML parser reports only by position. */
function pathAt(doc: Document, offset: number): SpecPath {
  type Ranged = { value?: unknown; range?: [number, number, number] } | null;
  const walk = (node: unknown, path: SpecPath): SpecPath => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Ranged;
        const end = (pair.value as Ranged)?.range?.[1] ?? key?.range?.[1] ?? -1;
        if (offset >= end) continue;
        const here = [...path, String(key?.value)];
        return key?.range && offset < key.range[1] ? here : walk(pair.value, here);
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) {
        if (offset < ((item as Ranged)?.range?.[1] ?? -1)) return walk(item, [...path, i]);
      }
    }
    return path;
  };
  return walk(doc.contents, []);
}

/** Where the bracket left open before `offset` was opened (the parser notices only at the next line). */
function unclosedBracket(text: string, offset: number, open: string, close: string): number | undefined {
  let depth = 0;
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) {
    if (text[i] === close) depth++;
    else if (text[i] === open && depth-- === 0) return i;
  }
  return undefined;
}

/** The key's position for a mapping entry, the item's for a list entry; else the nearest parent's. */
function locateInDocument(doc: Document, path: SpecPath, at: (offset: number) => SourceLocation): SourceLocation | undefined {
  for (let n = path.length; n > 0; n--) {
    const parent = doc.getIn(path.slice(0, n - 1), true);
    const last = path[n - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last);
      const range = (pair?.key as { range?: [number, number, number] } | null)?.range;
      if (range) return at(range[0]);
    } else if (isSeq(parent) && typeof last === 'number') {
      const range = (parent.items[last] as { range?: [number, number, number] } | undefined)?.range;
      if (range) return at(range[0]);
    }
  }
  const range = (doc.contents as { range?: [number, number, number] } | null)?.range;
  return range ? at(range[0]) : undefined;
}

function displayPath(file: string): string {
  const rel = file.startsWith(process.cwd() + '/') ? file.slice(process.cwd().length + 1) : file;
  return rel;
}
