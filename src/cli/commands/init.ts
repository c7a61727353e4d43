/**
 * `plinth init`: a starter spec, its JSON Schema, a cdk.json and a .gitignore. It never overwrites or
 * shadows anything: a directory that already holds a spec (any variant plinth reads) or a cdk.json is
 * refused, because a second spec beside the first would silently change which one plinth reads.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { suggest } from '../../spec/diagnostics.js';
import { SPEC_FILES, UsageError } from '../../spec/load.js';
import { specJsonSchema } from '../../spec/json-schema.js';
import { EXAMPLES_DIR, listExamples } from '../examples.js';
import type { Command } from './index.js';

const MINIMAL = `# yaml-language-server: $schema=./plinth.schema.json
# A minimal platform: a VPC across two AZs with public and private subnets and one NAT gateway.
# Every default is the safe one; run "plinth validate" to see what it resolves to.
platform:
  name: my-platform
  region: ap-northeast-2

network:
  cidr: 10.0.0.0/16
  azs: 2
`;

/** Files that, if present, mean the directory already has a platform (or a CDK app) of its own. */
const OWNED_ELSEWHERE = [...SPEC_FILES, 'plinth.config.mts', 'plinth.config.js', 'plinth.config.mjs', 'cdk.json'];

export const init: Command = {
  args: '[DIR] [--example NAME]',
  summary: 'write a starter plinth.yaml (and cdk.json, .gitignore) into DIR',
  help: `Refuses a directory that already holds a spec (${SPEC_FILES.join(', ')}) or a cdk.json: nothing is overwritten.
The spec it writes has one environment; add others under environments: (--env is refused here).
options:
  --example NAME   start from a bundled example (${listExamples().join(', ')})`,
  options: { example: { type: 'string' } },
  async run({ positionals, values, out }) {
    if (values.env !== undefined) {
      // A new spec has one environment, its base; others are overlays the user writes into it.
      throw new UsageError('--env selects an environment of an existing spec, and plinth init starts a new one with a single environment (platform.environment, default prod). '
        + 'Run "plinth init" without --env, then add the others under environments: in plinth.yaml (README, "Environments"), e.g. environments: { dev: { cluster: { nodeGroups: ... } } }; '
        + 'after that every other command takes --env dev.');
    }
    const dir = resolve(positionals[0] ?? '.');
    const example = values.example as string | undefined;
    const sources = example === undefined ? undefined : exampleFiles(example);
    const planned = ['plinth.yaml', ...(sources ? Object.keys(sources) : [])];
    const existing = [...new Set([...OWNED_ELSEWHERE, ...planned])].filter((f) => existsSync(join(dir, f)));
    if (existing.length > 0) {
      throw new UsageError(`${dir} already holds ${existing.join(', ')}; plinth init never overwrites or shadows an existing spec or CDK app. `
        + 'Edit what is there (plinth validate checks it), or run "plinth init NEW_DIR" to start in another directory.');
    }
    mkdirSync(dir, { recursive: true });
    if (sources) {
      for (const [file, text] of Object.entries(sources)) writeFileSync(join(dir, file), text, { flag: 'wx' });
    } else {
      writeFileSync(join(dir, 'plinth.yaml'), MINIMAL, { flag: 'wx' });
    }
    // Generated, never edited by hand: refreshed so editors complete the installed version's fields.
    writeFileSync(join(dir, 'plinth.schema.json'), `${JSON.stringify(specJsonSchema(), null, 2)}\n`);
    const installed = installedPlinth(dir);
    writeFileSync(join(dir, 'cdk.json'), `${JSON.stringify({ app: cdkAppCommand(dir, installed) }, null, 2)}\n`, { flag: 'wx' });
    const ignored = ignoreCdkOut(dir);
    out.result({ ok: true, file: join(dir, 'plinth.yaml') });
    out.info(`Wrote ${join(dir, 'plinth.yaml')}${example ? ` (example ${example})` : ''}, plinth.schema.json, cdk.json${ignored ? ', .gitignore' : ''}. `
      + `Next: plinth validate ${positionals[0] ?? '.'}`);
    if (!installed) {
      out.error('note: plinth is not installed in this project, and cdk.json runs the one in node_modules (never a download). '
        + 'Install it there before "cdk deploy": npm install --save-dev <plinth tarball or git URL>.');
    }
    return 0;
  },
};

/** The files of a bundled example, its schema path pointed at the copy written beside it. */
function exampleFiles(name: string): Record<string, string> {
  const names = listExamples();
  if (!names.includes(name)) {
    const [near] = suggest(name, names);
    throw new UsageError(`There is no example "${name}".${near ? ` Did you mean "${near}"?` : ''} Choose one of: ${names.join(', ')}.`);
  }
  const files: Record<string, string> = {};
  for (const file of readdirSync(join(EXAMPLES_DIR, name))) {
    if (file === 'cdk.json' || file.startsWith('.')) continue;
    const text = readFileSync(join(EXAMPLES_DIR, name, file), 'utf8');
    files[file] = file === 'plinth.yaml' ? text.replace(/\$schema=\S+/, '$schema=./plinth.schema.json') : text;
  }
  return files;
}

/** plinth's directory as Node resolves it from DIR (a node_modules at or above DIR), if installed there. */
function installedPlinth(dir: string): string | undefined {
  try {
    const manifest = createRequire(join(dir, 'package.json')).resolve('plinth/package.json');
    return manifest.split(sep).includes('node_modules') ? dirname(manifest) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The cdk.json app runs the plinth installed in the project by path: never `npx plinth`, which downloads
 * whatever is called "plinth" on the public registry when it is not installed, and runs it with the
 * deployer's AWS credentials. When it is missing, Node fails with "Cannot find module .../plinth/bin/plinth.js".
 */
export function cdkAppCommand(dir: string, installed: string | undefined): string {
  const bin = installed ? relative(dir, join(installed, 'bin', 'plinth.js')) : join('node_modules', 'plinth', 'bin', 'plinth.js');
  return `node ${bin.split(sep).join('/')} cdk-app .`;
}

/** Adds cdk.out to DIR's .gitignore (creating it) unless it is listed already; true when it wrote. */
function ignoreCdkOut(dir: string): boolean {
  const file = join(dir, '.gitignore');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current.split('\n').some((line) => /^\/?cdk\.out\/?$/.test(line.trim()))) return false;
  appendFileSync(file, `${current === '' || current.endsWith('\n') ? '' : '\n'}# plinth synth output (generated)\ncdk.out/\n`);
  return true;
}
