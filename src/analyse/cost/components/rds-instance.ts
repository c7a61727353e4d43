/**
 * AWS::RDS::DBInstance: instance hours by engine × class × Single/Multi-AZ (a Multi-AZ standby doubles
 * the instance and storage line), allocated storage, and backup storage beyond the free allocation.
 * A stop/start schedule reduces instance hours; storage is billed while stopped.
 */
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
    return { components, flags };
  },
};
