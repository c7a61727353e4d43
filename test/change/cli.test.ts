/** `plinth plan` as a user runs it: usage errors, a version against itself, a risky change with SARIF and a picture. */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPlinth } from '../cli-support.js';
import { exampleAssembly } from '../shared-assemblies.js';
import { ROOT } from '../support.js';

describe('plinth plan', () => {
  it('says so when --against names nothing (exit 2)', async () => {
    const r = await runPlinth(['plan', 'examples/bootcamp-ec2', '--against', 'no/such/dir']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--against no/such/dir does not exist; give a cloud assembly directory (with manifest.json) or a spec.');
  });

  it('refuses a cost threshold it cannot read (exit 2)', async () => {
    const r = await runPlinth(['plan', 'examples/bootcamp-ec2', '--against', exampleAssembly('bootcamp-ec2'), '--max-cost-increase', 'a lot']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--max-cost-increase a lot is neither a percentage (10%) nor an amount ($50)');
  });

  it('finds nothing risky in a spec against its own assembly (exit 0)', async () => {
    const r = await runPlinth(['plan', 'examples/bootcamp-ec2', '--against', exampleAssembly('bootcamp-ec2'), '--markdown']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('### plinth plan — ✅ Nothing risky: no change to reachability or cost.');
  });

  it('fails a change that opens SSH to a new network, with SARIF, JSON and a picture (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-plan-cli-'));
    cpSync(join(ROOT, 'examples/bootcamp-ec2'), dir, { recursive: true });
    const spec = join(dir, 'plinth.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('sshFrom: [cidr:203.0.113.10/32]', 'sshFrom: [cidr:203.0.113.10/32, cidr:198.51.100.0/24]'));
    const sarif = join(dir, 'plan.sarif');
    const picture = join(dir, 'plan.png');
    const r = await runPlinth(['plan', dir, '--against', exampleAssembly('bootcamp-ec2'), '--json', '--sarif', sarif, '--picture', picture]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { verdict: { risks: { code: string; text: string }[] }; reachability: { opened: { sentence: string }[] } };
    expect(json.reachability.opened.map((f) => f.sentence)).toContain('internet can now reach bastion:22 (from 198.51.100.0/24)');
    expect(json.verdict.risks[0]).toEqual({ code: 'R_EXPOSED', text: 'internet can now reach bastion:22 (from 198.51.100.0/24)' });
    const results = (JSON.parse(readFileSync(sarif, 'utf8')) as { runs: { results: { ruleId: string; locations: unknown[] }[] }[] }).runs[0]!.results;
    expect(results.map((x) => x.ruleId)).toContain('R_EXPOSED');
    expect(results.every((x) => x.locations.length > 0)).toBe(true);
    expect(existsSync(picture) && readFileSync(picture).subarray(1, 4).toString()).toBe('PNG');
  });
});
