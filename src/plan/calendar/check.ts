/**
 * The spec against the calendar on a given day: versions past standard support are refused unless
 * the spec opts into paid extended support explicitly, and every dated version the spec uses gets a
 * warning saying when it leaves standard support, so `plinth validate` tells the operator in time.
 */
import type { Diagnostics, SpecPath } from '../../spec/diagnostics.js';
import type { PlatformSpec } from '../../spec/schema.js';
import { amiFamily } from './ami.js';
import { EKS_VERSIONS, eksVersion, ADDON_PINS, type AddonName } from './eks.js';
import { RDS_MAJORS, rdsMajor } from './rds.js';
import { SOURCES } from './sources.js';
import { phaseOn, relative } from './support.js';
import type { KubernetesVersion } from '../types.js';

/** Versions with a pin for every add-on: the ones plinth can build. */
export function buildableVersions(): readonly KubernetesVersion[] {
  return EKS_VERSIONS.map((e) => e.version).filter((v) => (Object.keys(ADDON_PINS) as AddonName[]).every((a) => ADDON_PINS[a][v]));
}

/** The newest buildable version still in standard support today; the default when the spec names none. */
export function defaultKubernetesVersion(today: Date): KubernetesVersion {
  const buildable = buildableVersions();
  const current = EKS_VERSIONS.filter((e) => buildable.includes(e.version) && phaseOn(e, today) === 'standard');
  return (current[current.length - 1] ?? EKS_VERSIONS[EKS_VERSIONS.length - 1]!).version;
}

/**
 * Kubernetes version: known, and in standard support unless supportType is extended; a version whose
 * extended support has also ended cannot be created at all.
 */
export function checkKubernetesVersion(version: KubernetesVersion, extended: boolean, path: SpecPath, today: Date, diags: Diagnostics): void {
  const entry = eksVersion(version)!;
  const phase = phaseOn(entry, today);
  const newest = defaultKubernetesVersion(today);
  if (phase === 'ended') {
    diags.error('E_CLUSTER_VERSION_ENDED', path, `Kubernetes ${version} left EKS extended support on ${entry.extendedSupportEnds}; EKS no longer runs it.`, {
      allowed: supportedList(today), fix: `write version: "${newest}"`,
    });
  } else if (phase === 'extended' && !extended) {
    diags.error('E_CLUSTER_VERSION_PAST_STANDARD', path, `Kubernetes ${version} left EKS standard support on ${entry.standardSupportEnds} (${SOURCES[entry.source].url}); `
      + 'EKS cannot create it under supportType standard, and in extended support it bills $0.60 instead of $0.10 per hour.', {
      allowed: supportedList(today),
      fix: `write version: "${newest}", or keep ${version} with supportType: extended (until ${entry.extendedSupportEnds}; plinth cost shows the surcharge)`,
    });
  } else if (phase === 'extended') {
    diags.warning('W_CLUSTER_EXTENDED_SUPPORT', path, `Kubernetes ${version} is in EKS extended support (billed at 6x) since ${entry.standardSupportEnds}; it ends ${relative(entry.extendedSupportEnds!, today)}, on ${entry.extendedSupportEnds}, when EKS upgrades the control plane itself.`, {
      fix: `upgrade one minor at a time towards ${newest}`,
    });
  } else {
    diags.warning('W_CLUSTER_STANDARD_SUPPORT_ENDS', path, `Kubernetes ${version} leaves EKS standard support ${relative(entry.standardSupportEnds, today)}, on ${entry.standardSupportEnds}; `
      + (extended ? 'with supportType extended it then bills $0.60 instead of $0.10 per hour.' : 'with supportType standard EKS then upgrades the control plane to the next minor.'));
  }
}

function supportedList(today: Date): string {
  return EKS_VERSIONS.filter((e) => phaseOn(e, today) === 'standard').map((e) => `"${e.version}" (standard support until ${e.standardSupportEnds})`).join(', ');
}

/** RDS majors and host AMI families. */
export function checkSpecCalendar(spec: PlatformSpec, today: Date, diags: Diagnostics): void {
  for (const [name, db] of Object.entries(spec.data?.databases ?? {})) {
    const entry = rdsMajor(db.engine, db.version);
    if (!entry) continue; // E_DB_VERSION, from planDatabases
    const path = ['data', 'databases', name, 'version'];
    const phase = phaseOn(entry, today);
    const newest = RDS_MAJORS.filter((m) => m.engine === db.engine && phaseOn(m, today) === 'standard').at(-1)?.major;
    if (phase === 'ended') {
      diags.error('E_DB_VERSION_ENDED', path, `${db.engine} ${db.version} left RDS Extended Support on ${entry.extendedSupportEnds}; RDS no longer runs it.`, {
        fix: newest ? `use version: "${newest}"` : 'choose a current major',
      });
    } else if (phase === 'extended' && !db.extendedSupport) {
      diags.error('E_DB_VERSION_PAST_STANDARD', path, `${db.engine} ${db.version} left RDS standard support on ${entry.standardSupportEnds} (${SOURCES[entry.source].url}); `
        + 'RDS would enrol it in paid Extended Support, and with extended support disabled it cannot be created.', {
        allowed: RDS_MAJORS.filter((m) => m.engine === db.engine && phaseOn(m, today) === 'standard').map((m) => `"${m.major}"`).join(', '),
        fix: `use version: "${newest ?? '?'}", or keep ${db.version} with extendedSupport: true (until ${entry.extendedSupportEnds}; plinth cost shows the surcharge)`,
      });
    } else if (phase === 'extended') {
      diags.warning('W_DB_EXTENDED_SUPPORT', path, `${db.engine} ${db.version} is in paid RDS Extended Support since ${entry.standardSupportEnds}; it ends on ${entry.extendedSupportEnds}.`, {
        fix: newest ? `upgrade to ${newest}` : undefined,
      });
    } else {
      diags.warning('W_DB_STANDARD_SUPPORT_ENDS', path, `${db.engine} ${db.version} leaves RDS standard support ${relative(entry.standardSupportEnds, today)}, on ${entry.standardSupportEnds}.`);
    }
  }
  const hosts: [SpecPath, unknown][] = [
    [['access', 'bastion', 'ami'], spec.access?.bastion?.ami],
    ...Object.entries(spec.access?.management ?? {}).map(([n, m]): [SpecPath, unknown] => [['access', 'management', n, 'ami'], m.ami]),
    ...Object.entries(spec.servers ?? {}).map(([n, s]): [SpecPath, unknown] => [['servers', n, 'ami'], s.ami]),
  ];
  for (const [path, ami] of hosts) {
    if (typeof ami !== 'string') continue;
    const entry = amiFamily(ami);
    if (!entry || phaseOn({ standardSupportEnds: entry.endOfSupport }, today) === 'standard') continue;
    diags.error('E_AMI_END_OF_SUPPORT', path, `${ami} reached end of support on ${entry.endOfSupport} (${SOURCES[entry.source].url}); it no longer gets security updates.`, {
      fix: `use ami: ${entry.successor ?? 'amazon-linux-2023'}, or name the image explicitly with ami: { ssmParameter: ... } or { id: ami-... } if you must keep it`,
    });
  }
}
