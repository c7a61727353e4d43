/** deploy's summary of a new zone: its name servers and what to do at the registrar. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printDelegation } from '../../src/cli/commands/deploy.js';
import type { Output } from '../../src/cli/io.js';

function capture(): { out: Output; lines: string[] } {
  const lines: string[] = [];
  return { lines, out: { json: false, info: (t) => lines.push(t), error: (t) => lines.push(t), result: () => undefined } };
}

describe('printDelegation', () => {
  it('prints each name server of a new zone and the registrar step', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'plinth-outputs-')), 'outputs.json');
    writeFileSync(file, JSON.stringify({ 'demo-prod-data': { ZoneNameServers: 'ns-1.awsdns-01.org ns-2.awsdns-02.co.uk' } }));
    const { out, lines } = capture();
    printDelegation(out, file);
    expect(lines.join('\n')).toMatch(/demo-prod-data answers only once the domain is delegated/);
    expect(lines).toContain('  ns-1.awsdns-01.org');
    expect(lines).toContain('  ns-2.awsdns-02.co.uk');
    expect(lines.join('\n')).toContain('dns.zoneId');
  });

  it('says nothing without a new zone', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'plinth-outputs-')), 'outputs.json');
    writeFileSync(file, JSON.stringify({ 'demo-prod-network': {} }));
    const { out, lines } = capture();
    printDelegation(out, file);
    expect(lines).toEqual([]);
  });
});
