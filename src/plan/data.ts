/**
 * Stateful resources: databases, file systems, buckets, container repositories. Defaults keep data:
 * encrypted, private, Multi-AZ, deletion-protected, snapshotted or retained on delete.
 */
import type { Diagnostics } from '../spec/diagnostics.js';
import { bucketName, type PlatformSpec } from '../spec/schema.js';
import { RDS_MAJORS } from './calendar/rds.js';
import { resolveTier, spannedAzs } from './instances.js';
import type { BucketPlan, DatabasePlan, FileSystemPlan, NetworkPlan, RepositoryPlan } from './types.js';

/** Major versions plinth can create (the calendar's); a minor version is chosen by RDS (auto minor upgrades on). */
export const DATABASE_VERSIONS = {
  mysql: RDS_MAJORS.filter((m) => m.engine === 'mysql').map((m) => m.major),
  postgres: RDS_MAJORS.filter((m) => m.engine === 'postgres').map((m) => m.major),
} as const;

const ENGINE_DEFAULTS = {
  mysql: { port: 3306, username: 'admin' },
  postgres: { port: 5432, username: 'postgres' },
} as const;

export function planDatabases(spec: PlatformSpec, network: NetworkPlan, diags: Diagnostics): DatabasePlan[] {
  return Object.entries(spec.data?.databases ?? {}).map(([name, db]) => {
    const path = ['data', 'databases', name];
    const versions: readonly string[] = DATABASE_VERSIONS[db.engine];
    if (!versions.includes(db.version)) {
      diags.error('E_DB_VERSION', [...path, 'version'], `${db.engine} ${db.version} is not a version plinth can create.`, {
        allowed: versions.join(', '),
        fix: `use version: "${versions[versions.length - 1]}" (quote it, so YAML keeps it a string)`,
      });
    }
    const tier = resolveTier(db.tier, ['isolated', 'private'], [...path, 'tier'], network.tiers, diags);
    const multiAz = db.multiAz ?? true;
    const azCount = new Set(tier?.subnets.map((s) => s.az)).size;
    if (tier && azCount < 2) {
      diags.error(multiAz ? 'E_DB_MULTI_AZ_ONE_AZ' : 'E_DB_ONE_AZ', [...path, multiAz ? 'multiAz' : 'tier'],
        `${multiAz ? 'A Multi-AZ database' : 'An RDS subnet group'} needs subnets in at least two AZs; tier "${tier.name}" spans ${spannedAzs(tier)}.`, {
          fix: 'add a second AZ to network.azs and to the tier',
        });
    }
    if (db.maxStorageGiB !== undefined && db.maxStorageGiB <= (db.storageGiB ?? 20)) {
      diags.error('E_DB_MAX_STORAGE', [...path, 'maxStorageGiB'], `maxStorageGiB (${db.maxStorageGiB}) must be larger than storageGiB (${db.storageGiB ?? 20}).`, {
        fix: 'raise maxStorageGiB or remove it',
      });
    }
    if (db.removal === 'destroy' && db.deletionProtection !== false) {
      diags.error('E_DB_DESTROY_PROTECTED', [...path, 'removal'], 'removal: destroy deletes the database with its data, but deletion protection is on.', {
        fix: 'also set deletionProtection: false if you really mean to lose the data, or use removal: snapshot',
      });
    }
    if (db.identifier !== undefined && db.removal === 'retain') {
      // A retained instance keeps its identifier, so the next deploy could not create one with the same name.
      diags.error('E_DB_IDENTIFIER_RETAINED', [...path, 'identifier'], `The identifier "${db.identifier}" stays taken by the retained instance after a stack deletion, so a redeploy would fail.`, {
        fix: 'keep removal: snapshot (the default), or drop identifier',
      });
    }
    const defaults = ENGINE_DEFAULTS[db.engine];
    return {
      ref: `db/${name}`,
      name,
      engine: db.engine,
      version: db.version,
      instanceClass: db.instanceClass ?? 'db.t4g.micro',
      storageGiB: db.storageGiB ?? 20,
      maxStorageGiB: db.maxStorageGiB,
      multiAz,
      databaseName: db.databaseName,
      identifier: db.identifier,
      username: db.username ?? defaults.username,
      port: defaults.port,
      tier: tier?.name ?? '',
      backupRetentionDays: db.backupRetentionDays ?? 7,
      deletionProtection: db.deletionProtection ?? true,
      removal: db.removal ?? 'snapshot',
      engineLifecycleSupport: db.extendedSupport ? 'open-source-rds-extended-support' : 'open-source-rds-extended-support-disabled',
    };
  });
}

export function planFileSystems(spec: PlatformSpec, network: NetworkPlan, diags: Diagnostics): FileSystemPlan[] {
  return Object.entries(spec.data?.fileSystems ?? {}).map(([name, fs]) => {
    const tier = resolveTier(fs.tier, ['private', 'isolated'], ['data', 'fileSystems', name, 'tier'], network.tiers, diags);
    return {
      ref: `efs/${name}`,
      name,
      tier: tier?.name ?? '',
      throughputMode: fs.throughputMode ?? 'elastic',
      removal: fs.removal ?? 'retain',
    };
  });
}

/** Settings plinth can only apply to a bucket it creates. */
const CREATED_BUCKET_SETTINGS = ['versioned', 'removal', 'expireNoncurrentDays'] as const;

export function planBuckets(spec: PlatformSpec, diags: Diagnostics): BucketPlan[] {
  return Object.entries(spec.data?.buckets ?? {}).map(([name, b]) => {
    const existingName = b.existing === true ? name : b.existing || undefined;
    if (b.existing === true && !bucketName.safeParse(name).success) {
      diags.error('E_BUCKET_NAME', ['data', 'buckets', name, 'existing'], `existing: true says the bucket is named "${name}", which is not a valid S3 bucket name.`, {
        allowed: '3-63 lower-case letters, digits, dots or dashes, starting and ending with a letter or digit',
        fix: 'give the bucket\'s real name instead: existing: BUCKET-NAME',
      });
    }
    if (existingName !== undefined) {
      for (const setting of CREATED_BUCKET_SETTINGS.filter((k) => b[k] !== undefined)) {
        diags.error('E_EXISTING_SETTING', ['data', 'buckets', name, setting], `Bucket "${name}" is the existing bucket ${existingName}, so plinth does not manage it and cannot apply ${setting}.`, {
          fix: `remove ${setting} (the bucket keeps its own settings), or remove existing to let plinth create and manage the bucket`,
        });
      }
    }
    return {
      ref: `s3:${name}`,
      name,
      versioned: b.versioned ?? true,
      removal: b.removal ?? 'retain',
      expireNoncurrentDays: b.expireNoncurrentDays ?? 90,
      ...(existingName !== undefined ? { existingName } : {}),
    };
  });
}

/** Settings plinth can only apply to a repository it creates. */
const CREATED_REPOSITORY_SETTINGS = ['keep', 'untaggedExpireDays', 'mutableTags', 'scanOnPush', 'removal'] as const;

export function planRepositories(spec: PlatformSpec, diags: Diagnostics): RepositoryPlan[] {
  return Object.entries(spec.registry?.repositories ?? {}).map(([name, r]) => {
    if (r.existing) {
      for (const setting of CREATED_REPOSITORY_SETTINGS.filter((k) => r[k] !== undefined)) {
        diags.error('E_EXISTING_SETTING', ['registry', 'repositories', name, setting], `Repository "${name}" is existing, so plinth does not manage it and cannot apply ${setting}.`, {
          fix: `remove ${setting}, or remove existing: true to let plinth create and manage the repository`,
        });
      }
    }
    return planRepository(name, r);
  });
}

function planRepository(name: string, r: NonNullable<PlatformSpec['registry']>['repositories'][string]): RepositoryPlan {
  return {
    name,
    existing: r.existing ?? false,
    keep: r.keep,
    untaggedExpireDays: r.untaggedExpireDays ?? 7,
    mutableTags: r.mutableTags ?? false,
    scanOnPush: r.scanOnPush ?? true,
    removal: r.removal ?? 'retain',
  };
}
