/**
 * Loading `plinth.config.ts` (or .mts/.js/.mjs): the file is run by tsx in a worker thread, so a config that
 * never finishes (an endless loop, a top-level await on something that never settles) is stopped after a time
 * limit instead of hanging the command, and its value comes back as plain data. Failures become one located
 * diagnostic each: esbuild's syntax errors carry file:line:column, a thrown error its first stack frame in
 * the config.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SpecError, type Diagnostic, type SourceLocation } from './diagnostics.js';

/** @default 30 s — generous for tsx on a loaded machine; PLINTH_CONFIG_TIMEOUT_SECONDS overrides it. */
export const CONFIG_TIMEOUT_SECONDS = 30;

type WorkerReply =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: 'nothing-exported' | 'not-plain-data' | 'threw'; readonly message: string; readonly stack?: string };

// Runs in the worker (plain CommonJS: an `eval` worker cannot hold ES module syntax; tsx's API is ESM).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.tsxApi).then(({ tsImport }) => tsImport(workerData.url, workerData.url)).then((mod) => {
  // A .ts file outside an ESM package is loaded as CommonJS, which nests the default export once more.
  let value = mod.default ?? mod.platform;
  if (value && typeof value === 'object' && 'default' in value && Object.keys(value).length === 1) value = value.default;
  if (value === undefined) return parentPort.postMessage({ ok: false, reason: 'nothing-exported', message: '' });
  try {
    parentPort.postMessage({ ok: true, value });
  } catch (e) {
    parentPort.postMessage({ ok: false, reason: 'not-plain-data', message: String(e && e.message || e) });
  }
}, (e) => parentPort.postMessage({ ok: false, reason: 'threw', message: String(e && e.message || e), stack: e && e.stack }));
`;

/** The config file's default export (or `platform` export), as plain data. */
export async function importConfig(file: string, display: string): Promise<unknown> {
  const seconds = Number(process.env.PLINTH_CONFIG_TIMEOUT_SECONDS) || CONFIG_TIMEOUT_SECONDS;
  const reply = await runWorker(file, seconds);
  if (reply === 'timeout') {
    throw configError(display, { file: display }, `${basename(file)} did not finish loading within ${seconds} s.`,
      'look for an endless loop or a top-level await that never settles; a config only builds data. '
      + 'On a slow machine, set PLINTH_CONFIG_TIMEOUT_SECONDS to allow longer');
  }
  if (reply.ok) return reply.value;
  if (reply.reason === 'nothing-exported') {
    throw configError(display, { file: display }, `${basename(file)} exports nothing plinth can read.`,
      "write: import { definePlatform } from 'plinth'; export default definePlatform({ ... })");
  }
  if (reply.reason === 'not-plain-data') {
    throw configError(display, { file: display }, `${basename(file)} exports something that is not plain data (${reply.message}).`,
      'export strings, numbers, booleans, lists and objects only: no functions, classes or promises');
  }
  const syntax = syntaxErrors(reply.message, file, display);
  if (syntax.length > 0) throw new SpecError(syntax);
  const reason = reply.message.split('\n')[0]!.replace(/\.$/, '');
  throw configError(display, throwSite(reply.stack, file, display) ?? { file: display }, `${basename(file)} could not be loaded: ${reason}.`,
    'fix the error named in this message; the file must run on its own with tsx');
}

function runWorker(file: string, seconds: number): Promise<WorkerReply | 'timeout'> {
  const tsxApi = tsxEsmApi();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { tsxApi, url: pathToFileURL(file).href }, stdout: false, stderr: false });
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => finish('timeout'), seconds * 1000);
    function finish(result: WorkerReply | 'timeout'): void {
      clearTimeout(timer);
      worker.removeAllListeners();
      void worker.terminate();
      resolvePromise(result);
    }
    worker.once('message', (reply: WorkerReply) => finish(reply));
    worker.once('error', (e) => finish({ ok: false, reason: 'threw', message: e.message, ...(e.stack ? { stack: e.stack } : {}) }));
    worker.once('exit', (code) => finish({ ok: false, reason: 'threw', message: `the config exited the process (exit code ${code})` }));
  });
}

/** The file URL of tsx's ESM API, found from plinth's own dependencies (not the user's project). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const entry = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  return pathToFileURL(join(dirname(manifest), entry)).href;
}

/** esbuild's "Transform failed" text: one `FILE:LINE:COLUMN: ERROR: reason` line per syntax error. */
export function syntaxErrors(message: string, file: string, display: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const line of message.split('\n')) {
    const m = /^(.*):(\d+):(\d+): ERROR: (.+)$/.exec(line.trim());
    if (!m) continue;
    const inConfig = m[1] === file;
    found.push({
      code: 'E_CONFIG_SYNTAX', path: [],
      message: `${inConfig ? basename(file) : m[1]} is not valid TypeScript: ${m[4]!.replace(/\.$/, '')}.`,
      fix: 'correct the syntax at the position shown',
      // esbuild counts columns from 0; editors and plinth's YAML diagnostics from 1.
      location: { file: inConfig ? display : m[1]!, line: Number(m[2]), column: Number(m[3]) + 1 },
    });
  }
  return found;
}

/** Where in the config an error was thrown: the first stack frame naming the file. */
export function throwSite(stack: string | undefined, file: string, display: string): SourceLocation | undefined {
  const url = pathToFileURL(file).href;
  for (const line of (stack ?? '').split('\n')) {
    for (const name of [url, file]) {
      const at = line.indexOf(`${name}:`);
      if (at < 0) continue;
      const m = /^:(\d+):(\d+)/.exec(line.slice(at + name.length));
      if (m) return { file: display, line: Number(m[1]), column: Number(m[2]) };
    }
  }
  return undefined;
}

function configError(display: string, location: SourceLocation, message: string, fix: string): SpecError {
  return new SpecError([{ code: 'E_CONFIG_LOAD', path: [], message, fix, location: { ...location, file: location.file || display } }]);
}
