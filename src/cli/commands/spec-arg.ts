import { UsageError, type LoadOptions } from '../../spec/load.js';

/** The one SPEC positional most commands take; `.` when omitted. */
export function specArg(positionals: readonly string[], command: string): string {
  if (positionals.length > 1) throw new UsageError(`${command} takes one SPEC, got ${positionals.length}: ${positionals.join(' ')}`);
  return positionals[0] ?? '.';
}

/**
 * The global `--env NAME` (parsed by main.ts for every command) as load options: every command that
 * loads a spec passes these on, so it builds the environment asked for.
 */
export function envOf(values: Readonly<Record<string, unknown>>): LoadOptions {
  const env = values.env;
  if (env === undefined) return {};
  if (typeof env !== 'string' || env === '') throw new UsageError('--env takes an environment name, e.g. --env dev');
  return { environment: env };
}
