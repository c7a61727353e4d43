import { Unknown } from '../../model/resolve.js';
import { nameOf, postureFinding, type PostureRule } from './rule.js';

/**
 * PS11: automated backups are on. An RDS instance with `BackupRetentionPeriod: 0` keeps no automated
 * backups and cannot be restored to a point in time (the default is 1 day; CloudFormation,
 * AWS::RDS::DBInstance BackupRetentionPeriod). Read replicas and Aurora cluster members are left out:
 * the source instance or the cluster holds their backups.
 */
export const DatabaseBackupsEnabled: PostureRule = {
  id: 'PS11',
  name: 'DatabaseBackupsEnabled',
  level: 'warning',
  cause: 'An RDS instance (not a read replica, not an Aurora cluster member) sets BackupRetentionPeriod to 0.',
  why: 'Without automated backups there is no point-in-time restore: a bad migration, a dropped table or a corrupted volume loses everything since the last manual snapshot.',
  check(resources) {
    return resources.ofType('AWS::RDS::DBInstance').flatMap((r) => {
      if (resources.prop(r, 'SourceDBInstanceIdentifier') !== undefined || resources.prop(r, 'DBClusterIdentifier') !== undefined) return [];
      const v = resources.prop(r, 'BackupRetentionPeriod');
      if (v instanceof Unknown) return [postureFinding(this, r, `The RDS instance ${nameOf(r)} may keep no automated backups`, v)];
      return v !== undefined && Number(v) === 0
        ? [postureFinding(this, r, `The RDS instance ${nameOf(r)} keeps no automated backups (BackupRetentionPeriod 0), so it cannot be restored to a point in time; keep at least 7 days.`)]
        : [];
    });
  },
};
