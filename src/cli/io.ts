/** Output helpers shared by the commands: human text on stdout/stderr, or one JSON document. */
import { formatDiagnostic, type Diagnostic } from '../spec/diagnostics.js';

/** The spec or the result is wrong. */
export const EXIT_FAIL = 1;
/** plinth was called wrongly (unknown flag, missing file, no credentials). */
export const EXIT_USAGE = 2;

export interface Output {
  readonly json: boolean;
  info(text: string): void;
  error(text: string): void;
  result(value: unknown): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    info: (text) => {
      if (!json) process.stdout.write(`${text}\n`);
    },
    error: (text) => {
      if (!json) process.stderr.write(`${text}\n`);
    },
    result: (value) => {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

export function printDiagnostics(out: Output, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) out.error(formatDiagnostic(d));
  out.error(`\n${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}.`);
}
