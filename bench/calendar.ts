/**
 * Not a test: warns when the bundled calendar's defaults are about to leave support, so a release of
 * plinth refreshes the tables (src/plan/calendar/) before its default Kubernetes version, pinned
 * add-ons or an example's versions go stale. Prints one line per entry; exits 0 either way.
 *
 *   npx tsx bench/calendar.ts [--today 2026-12-05] [--within 120]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AMI_FAMILIES } from '../src/plan/calendar/ami.js';
import { defaultKubernetesVersion } from '../src/plan/calendar/check.js';
import { EKS_VERSIONS, eksVersion } from '../src/plan/calendar/eks.js';
import { RDS_MAJORS } from '../src/plan/calendar/rds.js';
import { SOURCES } from '../src/plan/calendar/sources.js';
import { daysUntil, phaseOn } from '../src/plan/calendar/support.js';

const arg = (name: string) => { const i = process.argv.indexOf(name); return i === -1 ? undefined : process.argv[i + 1]; };
const today = arg('--today') ? new Date(`${arg('--today')}T00:00:00Z`) : new Date();
const within = Number(arg('--within') ?? 120);
const day = today.toISOString().slice(0, 10);

let warnings = 0;
const report = (what: string, ends: string) => {
  const days = daysUntil(ends, today);
  const soon = days <= within;
  if (soon) warnings++;
  console.log(`${soon ? 'WARN' : 'ok  '}  ${what}: standard support ends ${ends} (${days >= 0 ? `in ${days} days` : `${-days} days ago`})`);
};

console.log(`Version calendar on ${day} (warning within ${within} days)`);
const def = eksVersion(defaultKubernetesVersion(today))!;
report(`default Kubernetes ${def.version}`, def.standardSupportEnds);
const newest = EKS_VERSIONS[EKS_VERSIONS.length - 1]!;
if (newest !== def) report(`newest Kubernetes in the table ${newest.version}`, newest.standardSupportEnds);
for (const engine of ['mysql', 'postgres'] as const) {
  const current = RDS_MAJORS.filter((m) => m.engine === engine && phaseOn(m, today) === 'standard').at(-1);
  if (current) report(`newest ${engine} ${current.major}`, current.standardSupportEnds);
  else { warnings++; console.log(`WARN  ${engine}: no major in standard support in the table`); }
}
for (const example of readdirSync('examples').filter((e) => !e.startsWith('.')).sort()) {
  const spec = parse(readFileSync(join('examples', example, 'plinth.yaml'), 'utf8')) as { cluster?: { version?: string; supportType?: string } };
  const entry = spec.cluster?.version ? eksVersion(spec.cluster.version) : undefined;
  if (entry && spec.cluster?.supportType !== 'extended') report(`examples/${example} Kubernetes ${entry.version}`, entry.standardSupportEnds);
}
for (const ami of AMI_FAMILIES.filter((a) => a.family === 'amazon-linux-2023')) report(`default AMI ${ami.family}`, ami.endOfSupport);
const oldest = Object.values(SOURCES).map((s) => s.retrieved).sort()[0]!;
console.log(`oldest source read ${oldest} (${-daysUntil(oldest, today)} days ago)`);
console.log(warnings > 0 ? `${warnings} calendar default(s) leave support within ${within} days: refresh src/plan/calendar/.` : 'calendar defaults current.');
