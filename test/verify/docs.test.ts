/** docs/verify.md documents every check verify can report, by id and name. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { allChecks } from '../../src/analyse/verify/index.js';
import { ROOT } from '../support.js';

it('lists every check in the tables of docs/verify.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'verify.md'), 'utf8');
  for (const c of allChecks()) expect(doc, `${c.id} ${c.name}`).toContain(`| ${c.id} | ${c.name} |`);
});
