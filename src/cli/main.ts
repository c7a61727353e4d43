/**
 * The `plinth` command line: parses arguments, runs one command, maps failures to exit codes
 * (0 ok, 1 the spec or the result is wrong, 2 usage). Commands hold no logic of their own.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SpecError, suggest } from '../spec/diagnostics.js';
import { createOutput, EXIT_FAIL, EXIT_USAGE, printDiagnostics } from './io.js';
import { COMMANDS, type Command } from './commands/index.js';
import { PACKAGE_VERSION } from './version.js';

/** The help screen loads every command's module for its summary; running one command loads only that one. */
async function usage(): Promise<string> {
  const commands = await Promise.all(Object.entries(COMMANDS).map(async ([name, load]) => [name, await load()] as const));
  return `plinth: one spec file to a verified AWS platform

usage: plinth <command> [options]

${commands.filter(([, c]) => !c.hidden).map(([name, c]) => `  ${`${name} ${c.args}`.padEnd(34)}${c.summary}`).join('\n')}

global options:
  --env NAME    the environment of the spec to use (default: its base, platform.environment);
                refused by init and schema, which read no spec
  --json        machine-readable output on stdout
  --help, -h    this help
  --version     the installed plinth version

SPEC is a plinth.yaml / plinth.config.ts file, or a directory holding one.
exit codes: 0 ok, 1 the spec or the result is wrong, 2 usage error`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${await usage()}\n`);
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`plinth ${PACKAGE_VERSION}\n`);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    const [near] = suggest(name, Object.keys(COMMANDS));
    process.stderr.write(`plinth: unknown command "${name}".${near ? ` Did you mean "${near}"?` : ''} Run "plinth --help" for the list.\n`);
    return EXIT_USAGE;
  }
  const command: Command = await load();
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, env: { type: 'string' }, ...command.options } as ParseArgsConfig['options'],
    });
  } catch (e) {
    process.stderr.write(`plinth ${name}: ${(e as Error).message}\nusage: plinth ${name} ${command.args}\n`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    process.stdout.write(`usage: plinth ${name} ${command.args}\n\n${command.summary}\n${command.help ?? ''}\n`);
    return 0;
  }
  const out = createOutput(parsed.values.json === true);
  try {
    return await command.run({ positionals: parsed.positionals, values: parsed.values, out });
  } catch (e) {
    if (e instanceof SpecError) {
      out.result({ ok: false, diagnostics: e.diagnostics });
      printDiagnostics(out, e.diagnostics);
      return EXIT_FAIL;
    }
    // UsageError's module (the spec loader) is loaded by every command that can throw one.
    const { UsageError } = await import('../spec/load.js');
    if (e instanceof UsageError) {
      out.result({ ok: false, error: e.message });
      out.error(`plinth ${name}: ${e.message}`);
      return EXIT_USAGE;
    }
    // A bug in plinth, not the user's mistake: one line, and the stack only on request.
    const message = e instanceof Error ? e.message : String(e);
    out.result({ ok: false, error: message, internal: true });
    process.stderr.write(`plinth ${name}: internal error: ${message}\n`);
    if (process.env.PLINTH_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
    else process.stderr.write('Set PLINTH_DEBUG=1 for details and please report it.\n');
    return EXIT_FAIL;
  }
}

process.exitCode = await main(process.argv.slice(2));
