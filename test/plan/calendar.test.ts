/**
 * The version calendar: every entry sourced, every EKS version buildable, and the spec checked
 * against a given day (past standard support = located error unless extended support is explicit).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AMI_FAMILIES } from '../../src/plan/calendar/ami.js';
import { defaultKubernetesVersion } from '../../src/plan/calendar/check.js';
import { ADDON_PINS, EKS_VERSIONS } from '../../src/plan/calendar/eks.js';
import { RDS_MAJORS } from '../../src/plan/calendar/rds.js';
import { SOURCES } from '../../src/plan/calendar/sources.js';
import { daysUntil, phaseOn } from '../../src/plan/calendar/support.js';
import { SpecError } from '../../src/spec/diagnostics.js';
import { AMI_FAMILIES as SPEC_AMI_FAMILIES } from '../../src/spec/schema.js';
import { planFromYaml as planAnyYaml, ROOT } from '../support.js';
import { withReachableCluster } from '../reachable-cluster.js';

const BASE = 'platform: { name: demo, region: ap-northeast-2 }\nnetwork: { cidr: 10.0.0.0/16, azs: 2 }\n';
/** A cluster someone can reach (apiFrom: [vpc] and an admin), so each check fails for its own reason. */
const planFromYaml = (yaml: string, dir?: string, today?: Date) => planAnyYaml(withReachableCluster(yaml), dir, today);
const day = (d: string) => new Date(`${d}T00:00:00Z`);

function codes(text: string, today = day('2026-12-05')): string[] {
  try {
    planFromYaml(`${BASE}${text}`, undefined, today);
    return [];
  } catch (e) {
    if (e instanceof SpecError) return e.diagnostics.map((d) => d.code);
    throw e;
  }
}

describe('the tables', () => {
  it('name only sources that exist, with a url and a retrieval date', () => {
    const used = [...EKS_VERSIONS.map((e) => e.source), ...RDS_MAJORS.map((e) => e.source), ...AMI_FAMILIES.map((e) => e.source),
      ...Object.values(ADDON_PINS).flatMap((pins) => Object.values(pins).map((p) => p!.source))];
    for (const key of used) {
      expect(SOURCES[key], key).toBeDefined();
      expect(SOURCES[key].retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('give every EKS version 14 months of standard support and 12 of extended, in release order', () => {
    for (const e of EKS_VERSIONS) {
      expect(daysUntil(e.standardSupportEnds, day(e.released))).toBeGreaterThan(13 * 30);
      expect(daysUntil(e.extendedSupportEnds!, day(e.standardSupportEnds))).toBeGreaterThanOrEqual(365);
    }
    expect(EKS_VERSIONS.map((e) => e.released)).toEqual([...EKS_VERSIONS.map((e) => e.released)].sort());
  });

  it('pin every add-on for every EKS version, as an eksbuild', () => {
    for (const [addon, pins] of Object.entries(ADDON_PINS)) {
      for (const e of EKS_VERSIONS) expect(pins[e.version]?.version, `${addon} ${e.version}`).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    }
  });

  it('cover every AMI family the spec accepts', () => {
    expect(AMI_FAMILIES.map((a) => a.family).sort()).toEqual([...SPEC_AMI_FAMILIES].sort());
  });

  it('say 1.34 and 1.33 are in extended support on 2026-12-05, 1.35 and 1.36 in standard', () => {
    const today = day('2026-12-05');
    expect(Object.fromEntries(EKS_VERSIONS.map((e) => [e.version, phaseOn(e, today)]))).toEqual({
      '1.32': 'extended', '1.33': 'extended', '1.34': 'extended', '1.35': 'standard', '1.36': 'standard',
    });
  });
});

describe('Kubernetes version against the day', () => {
  it('defaults to the newest version in standard support', () => {
    expect(defaultKubernetesVersion(day('2026-12-05'))).toBe('1.36');
    expect(planFromYaml(`${BASE}cluster: {}\n`).cluster!.version).toBe('1.36');
  });

  it('Noncompliance: 1.34 under supportType standard after 2026-12-02 is a located error', () => {
    expect(codes('cluster: { version: "1.34" }\n')).toEqual(['E_CLUSTER_VERSION_PAST_STANDARD']);
  });

  it('Compliance: 1.34 with supportType extended is accepted, with a warning naming the end of extended support', () => {
    const p = planFromYaml(`${BASE}cluster: { version: "1.34", supportType: extended }\n`);
    expect(p.cluster!.supportType).toBe('EXTENDED');
    expect(p.warnings.map((w) => w.code)).toContain('W_CLUSTER_EXTENDED_SUPPORT');
    expect(p.warnings.find((w) => w.code === 'W_CLUSTER_EXTENDED_SUPPORT')!.message).toContain('2027-12-02');
  });

  it('Compliance: 1.35 says when it leaves standard support', () => {
    const w = planFromYaml(`${BASE}cluster: { version: "1.35" }\n`).warnings.find((x) => x.code === 'W_CLUSTER_STANDARD_SUPPORT_ENDS')!;
    expect(w.message).toContain('in 112 days, on 2027-03-27');
    expect(w.path).toEqual(['cluster', 'version']);
  });

  it('Noncompliance: the same 1.35 spec is refused on 2027-03-27', () => {
    expect(codes('cluster: { version: "1.35" }\n', day('2027-03-27'))).toEqual(['E_CLUSTER_VERSION_PAST_STANDARD']);
  });

  it('Noncompliance: a version past extended support is refused even with supportType extended', () => {
    expect(codes('cluster: { version: "1.32", supportType: extended }\n', day('2027-03-23'))).toEqual(['E_CLUSTER_VERSION_ENDED']);
  });

  it('Noncompliance: an unknown version names the ones plinth pins', () => {
    expect(codes('cluster: { version: "1.37" }\n')).toEqual(['E_CLUSTER_VERSION']);
  });
});

describe('RDS majors against the day', () => {
  const db = (version: string, extra = '') => `data:\n  databases:\n    main: { engine: mysql, version: "${version}"${extra} }\n`;

  it('Noncompliance: MySQL 8.0 after 2026-07-31 without extendedSupport is a located error', () => {
    expect(codes(db('8.0'))).toEqual(['E_DB_VERSION_PAST_STANDARD']);
  });

  it('Compliance: MySQL 8.0 with extendedSupport: true says so in EngineLifecycleSupport', () => {
    const p = planFromYaml(`${BASE}${db('8.0', ', extendedSupport: true')}`);
    expect(p.databases[0]!.engineLifecycleSupport).toBe('open-source-rds-extended-support');
    expect(p.warnings.map((w) => w.code)).toContain('W_DB_EXTENDED_SUPPORT');
  });

  it('Compliance: MySQL 8.4 disables extended support explicitly', () => {
    expect(planFromYaml(`${BASE}${db('8.4')}`).databases[0]!.engineLifecycleSupport).toBe('open-source-rds-extended-support-disabled');
  });
});

describe('AMI families against the day', () => {
  const bastion = (ami: string) => `access:\n  bastion: { ami: ${ami}, sshFrom: [cidr:203.0.113.7/32] }\n`;

  it('Noncompliance: amazon-linux-2 after 2026-06-30 is a located error', () => {
    expect(codes(bastion('amazon-linux-2'))).toEqual(['E_AMI_END_OF_SUPPORT']);
  });

  it('Compliance: amazon-linux-2023, or an image named explicitly', () => {
    expect(codes(bastion('amazon-linux-2023'))).toEqual([]);
    expect(codes(bastion('{ ssmParameter: /aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2 }'))).toEqual([]);
  });
});

describe('docs/calendar.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'calendar.md'), 'utf8');

  it('shows every date and pin of the tables', () => {
    for (const e of EKS_VERSIONS) expect(doc).toContain(`| ${e.version} | ${e.released} | ${e.standardSupportEnds} | ${e.extendedSupportEnds} |`);
    for (const pins of Object.values(ADDON_PINS)) for (const p of Object.values(pins)) expect(doc).toContain(p!.version);
    for (const m of RDS_MAJORS) expect(doc).toContain(`| ${m.engine} | ${m.major} | ${m.standardSupportEnds} | ${m.extendedSupportEnds} |`);
    for (const a of AMI_FAMILIES) expect(doc).toContain(`| \`${a.family}\` | ${a.endOfSupport} |`);
  });
});
