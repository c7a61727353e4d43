/**
 * User-facing errors. Every mistake in a spec becomes one `Diagnostic` with a stable code, the spec
 * path, what is wrong, what is allowed and how to fix it; the loader adds file:line:column. All of a
 * spec's mistakes are collected and reported together, never as a stack trace.
 */
/** A path into the spec object: `['network', 'subnets', 'private', 'cidrs', 2]`. */
export type SpecPath = readonly (string | number)[];

export interface SourceLocation {
  readonly file: string;
  /** 1-based; undefined when the source has no positions (plinth.config.ts). */
  readonly line?: number;
  readonly column?: number;
}

export interface Diagnostic {
  readonly code: string;
  readonly path: SpecPath;
  /** What is wrong, as a sentence. */
  readonly message: string;
  /** What would be accepted. */
  readonly allowed?: string;
  /** How to fix it. */
  readonly fix?: string;
  readonly location?: SourceLocation;
  /** The environment whose merged spec is wrong, when the spec declares environments. */
  readonly environment?: string;
}

export interface DiagnosticDetails {
  readonly allowed?: string;
  readonly fix?: string;
}

/** Collects diagnostics while a spec is checked, so every mistake is reported at once. */
export class Diagnostics {
  private readonly items: Diagnostic[] = [];
  private readonly notes: Diagnostic[] = [];

  public error(code: string, path: SpecPath, message: string, details: DiagnosticDetails = {}): void {
    this.items.push({ code, path, message, ...details });
  }

  /** Something the spec may mean but the operator should know (a support date ahead, a capacity limit); never fails the spec. */
  public warning(code: string, path: SpecPath, message: string, details: DiagnosticDetails = {}): void {
    this.notes.push({ code, path, message, ...details });
  }

  public get warnings(): readonly Diagnostic[] {
    return this.notes;
  }

  public get all(): readonly Diagnostic[] {
    return this.items;
  }

  public get hasErrors(): boolean {
    return this.items.length > 0;
  }

  /** Throws a SpecError holding everything collected so far, if anything was. */
  public throwIfAny(): void {
    if (this.items.length > 0) throw new SpecError(this.items);
  }
}

/** Thrown when a spec is wrong; carries every diagnostic. The CLI prints them and exits 1. */
export class SpecError extends Error {
  public constructor(public readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => `${d.code} ${formatPath(d.path)}: ${d.message}`).join('\n'));
    this.name = 'SpecError';
  }

  /**
   * Points each diagnostic at where its value was written (an environment's overlay or the base)
   * and names the environment, so a mistake seen only in `dev` says so.
   */
  public inEnvironment(originOf: (path: SpecPath) => SpecPath, environment: string | undefined): SpecError {
    return new SpecError(this.diagnostics.map((d) => ({ ...d, path: originOf(d.path), ...(environment ? { environment } : {}) })));
  }

  /** Adds file positions and orders diagnostics as they appear in the file. */
  public withLocations(locate: (path: SpecPath) => SourceLocation | undefined): SpecError {
    const located = this.diagnostics.map((d) => (d.location ? d : { ...d, location: locate(d.path) }));
    const key = (d: Diagnostic) => (d.location?.line ?? 0) * 10000 + (d.location?.column ?? 0);
    return new SpecError(located.sort((a, b) => key(a) - key(b)));
  }
}

/** `network.subnets.private.cidrs[2]` */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || '(root)';
}

export function formatLocation(loc: SourceLocation | undefined): string {
  if (!loc) return '';
  if (loc.line === undefined) return loc.file;
  return `${loc.file}:${loc.line}:${loc.column ?? 1}`;
}

/** The multi-line human form:  `file:line:col  E_CODE  path` / what / allowed / fix. */
export function formatDiagnostic(d: Diagnostic, severity: 'error' | 'warning' = 'error'): string {
  const where = formatLocation(d.location);
  const env = d.environment ? ` (environment ${d.environment})` : '';
  const lines = [`${where ? `${where}: ` : ''}${severity} ${d.code} at ${formatPath(d.path)}${env}`, `  ${d.message}`];
  if (d.allowed) lines.push(`  allowed: ${d.allowed}`);
  if (d.fix) lines.push(`  fix: ${d.fix}`);
  return lines.join('\n');
}

/** Closest candidates by edit distance, for "did you mean". */
export function suggest(input: string, candidates: Iterable<string>, max = 1): string[] {
  const scored: { c: string; d: number; abbreviates: boolean }[] = [];
  for (const c of candidates) {
    const d = editDistance(input.toLowerCase(), c.toLowerCase());
    const limit = Math.max(2, Math.floor(Math.max(input.length, c.length) / 3));
    // A shortened key (`ssm` for `ssmParameter`) is far by edit distance but plainly meant.
    const abbreviates = input.length >= 3 && c.toLowerCase().startsWith(input.toLowerCase());
    if (d <= limit || abbreviates) scored.push({ c, d, abbreviates });
  }
  return scored
    .sort((a, b) => a.d - b.d || Number(b.abbreviates) - Number(a.abbreviates) || a.c.localeCompare(b.c))
    .slice(0, max).map((s) => s.c);
}

export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const [best] = suggest(input, candidates);
  return best === undefined ? undefined : `did you mean "${best}"?`;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
