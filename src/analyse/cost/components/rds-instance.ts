/**
 * AWS::RDS::DBInstance: instance hours by engine × class × Single/Multi-AZ (a Multi-AZ standby doubles
 * the instance and storage line), allocated storage, and backup storage beyond the free allocation.
 * A stop/start schedule reduces instance hours; storage is billed while stopped.
 */
import { rdsMajor } from '../../../plan/calendar/rds.js';
import { phaseOn } from '../../../plan/calendar/support.js';
import { bool, num, str } from '../model.js';
import { fixedLine, hourlyLine, runningFraction, usageLine, type CostRule } from '../rule.js';

const ENGINES: Readonly<Record<string, string>> = { mysql: 'mysql', postgres: 'postgres', postgresql: 'postgres', mariadb: 'mariadb' };

export const rdsInstance: CostRule = {
  types: ['AWS::RDS::DBInstance'],
  layer: 'data',
  cost(r, ctx) {
    const p = r.properties;
    const engine = ENGINES[String(p.Engine ?? '').toLowerCase()] ?? String(p.Engine ?? 'unknown');
    const klass = str(p.DBInstanceClass) ?? 'unknown';
    const multiAz = bool(p.MultiAZ) === true;
    const az = multiAz ? 'multiAz' : 'singleAz';
    const storageType = str(p.StorageType) ?? (p.Iops ? 'io1' : 'gp2');
    const storage = num(p.AllocatedStorage) ?? 0;
    const { fraction, notes } = runningFraction(ctx, r.address);
    const components = [
      hourlyLine(ctx, `Database instance (${engine}, ${klass}, ${multiAz ? 'Multi-AZ' : 'Single-AZ'})`, `rds.instance.${engine}.${klass}.${az}`, 1, { runningFraction: fraction, notes }),
      fixedLine(ctx, `Storage (${storageType}, ${storage} GB${multiAz ? ', Multi-AZ' : ''})`, 'GB-month', `rds.storage.${storageType}.${az}`, storage, { notes: multiAz ? ['Multi-AZ keeps a second copy of the storage in the standby'] : [] }),
      usageLine(ctx, `Backup storage beyond the free ${storage} GB`, 'GB-month', 'rds.backup.gb', 'rds.backupGBBeyondFree', r.address, (q) => q, { notes: [`automated backups kept ${String(p.BackupRetentionPeriod ?? 1)} days; backup storage up to the allocated storage is free`] }),
    ];
    const flags = str(p.EngineVersion) === undefined ? ['engine version not set: RDS extended support charges (older major versions) cannot be checked'] : [];
    const extended = extendedSupport(engine, str(p.EngineVersion), str(p.EngineLifecycleSupport), ctx.now);
    if (extended) {
      const vcpus = vcpusOf(klass) * (multiAz ? 2 : 1);
      components.push(hourlyLine(ctx, `RDS Extended Support surcharge (${extended.label}, ${vcpus} vCPU${multiAz ? ' incl. standby' : ''})`, 'rds.extendedSupport.vcpu.hour', vcpus, {
        runningFraction: fraction,
        notes: [`${extended.label} left RDS standard support on ${extended.since}; EngineLifecycleSupport is ${str(p.EngineLifecycleSupport) ?? 'unset (RDS enrols it)'}`, 'years 1-2 rate; it doubles in year 3'],
      }));
      flags.push(`RDS EXTENDED SUPPORT: ${extended.label} left standard support on ${extended.since}; upgrade the major version, or set EngineLifecycleSupport open-source-rds-extended-support-disabled before it is past standard support`);
    }
    return { components, flags };
  },
};

/** Past standard support and not opted out: billed per vCPU-hour on top of the instance (RDS docs, extended-support-charges). */
function extendedSupport(engine: string, version: string | undefined, lifecycle: string | undefined, now: Date): { label: string; since: string } | undefined {
  if (!version || lifecycle === 'open-source-rds-extended-support-disabled') return undefined;
  const major = engine === 'mysql' ? version.split('.').slice(0, 2).join('.') : version.split('.')[0]!;
  const entry = rdsMajor(engine, major);
  if (!entry || phaseOn(entry, now) !== 'extended') return undefined;
  return { label: `${engine} ${major}`, since: entry.standardSupportEnds };
}

/** vCPUs of an RDS class by its size (db.t4g.micro to large: 2, xlarge: 4, 2xlarge: 8, ...). */
export function vcpusOf(instanceClass: string): number {
  const size = instanceClass.split('.').at(-1) ?? '';
  const m = /^(\d*)xlarge$/.exec(size);
  if (m) return 4 * Number(m[1] || 1);
  return 2;
}
