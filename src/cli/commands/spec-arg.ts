import { UsageError } from '../../spec/load.js';

/** The one SPEC positional most commands take; `.` when omitted. */
export function specArg(positionals: readonly string[], command: string): string {
  if (positionals.length > 1) throw new UsageError(`${command} takes one SPEC, got ${positionals.length}: ${positionals.join(' ')}`);
  return positionals[0] ?? '.';
}
