/** The CLI as a user runs it: exit codes, messages, --json, init, schema, credentials. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support.js';
import { runPlinth, temporaryDirs } from './cli-support.js';

const plinth = runPlinth;

/** Fresh directories, removed after this file's tests. */
const temporaryDir = temporaryDirs();

const STACK_TRACE = /^\s+at .+\(.+:\d+:\d+\)$/m;

describe('plinth validate', () => {
  it('accepts a bundled example (directory form) and exits 0', async () => {
    const r = (await plinth(['validate', 'examples/bootcamp-ec2']));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bootcamp/prod in ap-northeast-2');
  });

  it('prints machine-readable output with --json', async () => {
    const r = (await plinth(['validate', 'examples/nemo-v3/plinth.yaml', '--json']));
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { ok: boolean; flows: { from: string; to: string }[] };
    expect(json.ok).toBe(true);
    expect(json.flows).toContainEqual(expect.objectContaining({ from: 'cidr:203.0.113.7/32', to: 'bastion' }));
  });

  it('reports every mistake with file:line:col and exits 1, without a stack trace', async () => {
    const dir = temporaryDir('plinth-cli-');
    writeFileSync(join(dir, 'plinth.yaml'), [
      'platform: { name: demo, region: ap-northeast-2 }',
      'network:',
      '  cidr: 10.0.0.0/16',
      '  azs: 2',
      '  nat: perAZ',
      'access:',
      '  bastion: { sshFrom: [internet] }',
    ].join('\n'));
    const r = (await plinth(['validate', dir]));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/plinth\.yaml:5:3: error E_VALUE at network\.nat/);
    expect(r.stderr).toContain('did you mean "perAz"?');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    const json = JSON.parse((await plinth(['validate', dir, '--json'])).stdout) as { ok: boolean; diagnostics: { code: string }[] };
    expect(json.ok).toBe(false);
    expect(json.diagnostics.map((d) => d.code)).toEqual(['E_VALUE']);
  });

  it('reads plinth.config.ts written with definePlatform', async () => {
    const dir = temporaryDir('plinth-ts-');
    writeFileSync(join(dir, 'plinth.config.ts'), `import { definePlatform } from ${JSON.stringify(join(ROOT, 'src', 'index.ts'))};
export default definePlatform({
  platform: { name: 'tsdemo', region: 'us-east-1' },
  network: { cidr: '10.1.0.0/16', azs: 3, nat: 'perAz' },
});
`);
    const r = (await plinth(['validate', dir]));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tsdemo/prod in us-east-1: 6 subnets');
  });

  it('counts in the singular when there is one of a kind', async () => {
    // GIVEN a spec with one server
    const dir = temporaryDir('plinth-one-');
    writeFileSync(join(dir, 'plinth.yaml'), 'platform: { name: one, region: us-east-1 }\nnetwork: { cidr: 10.1.0.0/16, azs: 2 }\nservers: { web: {} }\n');

    // WHEN
    const r = (await plinth(['validate', dir]));

    // THEN
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 server, 0 load balancers, 0 databases');
  });

  it('names the file and spec path for a mistake in plinth.config.ts', async () => {
    const dir = temporaryDir('plinth-ts-');
    writeFileSync(join(dir, 'plinth.config.ts'), `export default {
  platform: { name: 'tsdemo', region: 'us-east-1' },
  network: { cidr: '10.1.0.0/16', azs: 2, natt: 'single' },
};
`);
    const r = (await plinth(['validate', join(dir, 'plinth.config.ts')]));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/plinth\.config\.ts: error E_UNKNOWN_KEY at network\.natt/);
    expect(r.stderr).toContain('did you mean "nat"?');
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['synth', '--bogus'], /Unknown option '--bogus'/],
    [['validate', 'no/such/dir'], /does not exist/],
    [['validate', 'a', 'b'], /takes one SPEC/],
    [['validate', 'docs'], /holds no plinth\.yaml/],
  ])('plinth %j', async (args, message) => {
    const r = (await plinth(args));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('deploy, diff, destroy without credentials', () => {
  it.each(['deploy', 'diff', 'destroy'])('%s fails fast with one sentence on how to configure them', async (verb) => {
    const home = temporaryDir('plinth-home-');
    const env = { PATH: process.env.PATH, HOME: home };
    const started = Date.now();
    const r = (await plinth([verb, 'examples/bootcamp-ec2'], { env }));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('No AWS credentials found: run "aws configure"');
  });
});

describe('plinth init', () => {
  it('copies an example with its files, a cdk.json and the schema, and never overwrites', async () => {
    const dir = join(temporaryDir('plinth-init-'), 'app');
    const r = (await plinth(['init', dir, '--example', 'bootcamp-ec2']));
    expect(r.code).toBe(0);
    for (const f of [...readdirSync(join(ROOT, 'examples', 'bootcamp-ec2')), 'plinth.schema.json', '.gitignore']) expect(existsSync(join(dir, f)), f).toBe(true);
    // Never `npx plinth`: outside this repository that downloads whatever is called plinth on the registry.
    expect(JSON.parse(readFileSync(join(dir, 'cdk.json'), 'utf8'))).toEqual({ app: 'node node_modules/plinth/bin/plinth.js cdk-app .' });
    expect(r.stderr).toContain('plinth is not installed in this project');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^cdk\.out\/$/m);
    expect(readFileSync(join(dir, 'plinth.yaml'), 'utf8')).toContain('# yaml-language-server: $schema=./plinth.schema.json');
    expect((await plinth(['validate', dir])).code).toBe(0);
    const again = (await plinth(['init', dir]));
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('never overwrites');
  });

  it('writes a minimal spec that validates and synthesizes (a network-only platform emits one stack)', async () => {
    const dir = temporaryDir('plinth-init-');
    expect((await plinth(['init', dir])).code).toBe(0);
    expect((await plinth(['validate', dir])).code).toBe(0);
    const out = join(dir, 'cdk.out');
    const r = (await plinth(['synth', dir, '--out', out, '--cfn-validate']));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Synthesized 1 stack into');
    expect(existsSync(join(out, 'Network.template.json'))).toBe(true);
    expect(existsSync(join(out, 'Data.template.json'))).toBe(false);
  });

  it('refuses to overwrite an output directory that is not a cloud assembly', async () => {
    const dir = temporaryDir('plinth-out-');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const r = (await plinth(['synth', 'examples/bootcamp-ec2', '--out', dir]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a cloud assembly');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('rejects an unknown example with the list of known ones', async () => {
    const r = (await plinth(['init', temporaryDir('plinth-init-'), '--example', 'nope']));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bootcamp-ec2');
  });

  it('suggests the nearest example name on a typo', async () => {
    const r = (await plinth(['init', temporaryDir('plinth-init-'), '--example', 'nemo-v2']));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean "nemo-v3"?');
  });

  it.each(['plinth.yml', 'plinth.config.ts', 'cdk.json'])('refuses a directory that already holds %s, and changes nothing', async (existing) => {
    // GIVEN a directory with a spec variant or a CDK app of its own
    const dir = temporaryDir('plinth-init-');
    writeFileSync(join(dir, existing), 'mine');

    // WHEN
    const r = (await plinth(['init', dir]));

    // THEN it names the file and how to proceed, and writes nothing
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`already holds ${existing}`);
    expect(r.stderr).toContain('plinth init NEW_DIR');
    expect(readdirSync(dir)).toEqual([existing]);
    expect(readFileSync(join(dir, existing), 'utf8')).toBe('mine');
  });

  it('keeps an existing .gitignore and adds cdk.out once', async () => {
    const dir = temporaryDir('plinth-init-');
    writeFileSync(join(dir, '.gitignore'), 'node_modules/');
    expect((await plinth(['init', dir])).code).toBe(0);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n# plinth synth output (generated)\ncdk.out/\n');
  });

  it('points cdk.json at the plinth installed in the project, by relative path', async () => {
    // GIVEN a project with plinth in node_modules, and a spec in a subdirectory
    const project = temporaryDir('plinth-project-');
    mkdirSync(join(project, 'node_modules', 'plinth', 'bin'), { recursive: true });
    writeFileSync(join(project, 'node_modules', 'plinth', 'package.json'), JSON.stringify({ name: 'plinth', exports: { './package.json': './package.json' } }));

    // WHEN
    const r = (await plinth(['init', join(project, 'infra')]));

    // THEN
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(readFileSync(join(project, 'infra', 'cdk.json'), 'utf8'))).toEqual({ app: 'node ../node_modules/plinth/bin/plinth.js cdk-app .' });
  });
});

describe('plinth schema', () => {
  it('prints the JSON Schema, identical to the committed plinth.schema.json', async () => {
    const r = (await plinth(['schema']));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'plinth.schema.json'), 'utf8'));
    expect(JSON.parse(r.stdout)).toHaveProperty('properties.network.properties.nat.enum', ['none', 'single', 'perAz', 'regional']);
  });

  it('prints the markdown reference, identical to docs/spec-reference.md', async () => {
    expect((await plinth(['schema', '--markdown'])).stdout).toBe(readFileSync(join(ROOT, 'docs', 'spec-reference.md'), 'utf8'));
  });
});
