/** plinth.config.ts: loaded by tsx in a worker, with located errors and a time limit. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, SpecError } from '../../src/spec/diagnostics.js';
import { syntaxErrors, throwSite } from '../../src/spec/config-ts.js';
import { loadSpec } from '../../src/spec/load.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A directory holding one plinth.config.ts (and a package.json when given). */
function config(source: string, packageJson?: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-config-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'plinth.config.ts'), source);
  if (packageJson) writeFileSync(join(dir, 'package.json'), JSON.stringify(packageJson));
  return dir;
}

async function loadError(dir: string): Promise<string[]> {
  const e = await loadSpec(dir).then(() => undefined, (error: unknown) => error);
  expect(e).toBeInstanceOf(SpecError);
  return (e as SpecError).diagnostics.map((d) => formatDiagnostic(d));
}

const VALID = "export default { platform: { name: 'cfg', region: 'us-east-1' }, network: { cidr: '10.0.0.0/16', azs: 2 } };\n";

describe('plinth.config.ts', () => {
  it('loads a default export, in a CommonJS or an ESM project', async () => {
    for (const dir of [config(VALID), config(VALID, { type: 'module' })]) {
      expect((await loadSpec(dir)).spec.platform.name).toBe('cfg');
    }
  });

  it('names the reason and file:line:column of a syntax error', async () => {
    // GIVEN a missing comma on line 2
    const dir = config("export default {\n  platform: { name: 'x' region: 'us-east-1' },\n};\n");

    // WHEN / THEN
    const [message, ...rest] = await loadError(dir);
    expect(rest).toEqual([]);
    expect(message).toMatch(/plinth\.config\.ts:2:25: error E_CONFIG_SYNTAX at \(root\)/);
    expect(message).toContain('is not valid TypeScript: Expected "}" but found "region".');
  });

  it('names the error a config throws, and where in an ESM project', async () => {
    const dir = config("const x = 1;\nif (x) throw new Error('no region configured');\nexport default {};\n", { type: 'module' });
    const [message] = await loadError(dir);
    expect(message).toMatch(/plinth\.config\.ts:2:\d+: error E_CONFIG_LOAD/);
    expect(message).toContain('could not be loaded: no region configured.');
  });

  it('says what to write when nothing is exported', async () => {
    const [message] = await loadError(config('const x = 1;\nexport {};\n', { type: 'module' }));
    expect(message).toContain('exports nothing plinth can read');
    expect(message).toContain("import { definePlatform } from 'plinth'");
  });

  it('refuses values that are not plain data', async () => {
    const [message] = await loadError(config('export default { platform: () => 1 };\n', { type: 'module' }));
    expect(message).toContain('not plain data');
  });

  it('stops a config that never finishes, after the time limit', async () => {
    // GIVEN an endless loop; WHEN the limit is 1 s
    process.env.PLINTH_CONFIG_TIMEOUT_SECONDS = '1';
    try {
      const [message] = await loadError(config('while (true) {}\nexport default {};\n'));
      // THEN the command ends with a reason instead of hanging
      expect(message).toContain('did not finish loading within 1 s');
    } finally {
      delete process.env.PLINTH_CONFIG_TIMEOUT_SECONDS;
    }
  });
});

describe('config error parsing', () => {
  it('reads every FILE:LINE:COLUMN: ERROR line of esbuild\'s message', () => {
    const message = 'Transform failed with 2 errors:\n/p/plinth.config.ts:3:4: ERROR: Unexpected "}"\n/p/lib.ts:1:1: ERROR: Expected ";"';
    expect(syntaxErrors(message, '/p/plinth.config.ts', 'plinth.config.ts').map((d) => d.location)).toEqual([
      { file: 'plinth.config.ts', line: 3, column: 5 },
      { file: '/p/lib.ts', line: 1, column: 2 },
    ]);
  });

  it('finds the first stack frame in the config, as a path or a file URL', () => {
    expect(throwSite('Error: x\n    at f (/lib/a.js:9:9)\n    at file:///p/plinth.config.ts:7:3', '/p/plinth.config.ts', 'c.ts')).toEqual({ file: 'c.ts', line: 7, column: 3 });
    expect(throwSite('Error: x\n    at /p/plinth.config.ts:2:5', '/p/plinth.config.ts', 'c.ts')).toEqual({ file: 'c.ts', line: 2, column: 5 });
    expect(throwSite('Error: x\n    at g (/lib/a.js:9:9)', '/p/plinth.config.ts', 'c.ts')).toBeUndefined();
  });
});
