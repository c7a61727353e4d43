import type { StackResource } from '../../model/resolve.js';
import { field, flag, items, type TemplateResources } from '../../model/resources.js';
import type { Finding } from '../findings.js';
import { nameOf, postureFinding, type PostureRule } from './rule.js';

/**
 * Where each storage type says it is encrypted at rest, and its default when unset. S3 is not here:
 * since January 2023 every bucket encrypts new objects with SSE-S3 and that cannot be turned off
 * (Amazon S3 User Guide, "Setting default server-side encryption behavior for Amazon S3 buckets").
 */
const STORES: readonly { type: string; what: string; path: string[]; skip?: (r: StackResource, res: TemplateResources) => boolean }[] = [
  { type: 'AWS::EC2::Volume', what: 'EBS volume', path: ['Encrypted'] },
  // An Aurora instance's storage is its cluster's: the cluster is judged.
  { type: 'AWS::RDS::DBInstance', what: 'RDS instance', path: ['StorageEncrypted'], skip: (r, res) => res.prop(r, 'DBClusterIdentifier') !== undefined },
  { type: 'AWS::RDS::DBCluster', what: 'RDS cluster', path: ['StorageEncrypted'] },
  { type: 'AWS::EFS::FileSystem', what: 'EFS file system', path: ['Encrypted'] },
  { type: 'AWS::ElastiCache::ReplicationGroup', what: 'ElastiCache replication group', path: ['AtRestEncryptionEnabled'] },
  { type: 'AWS::OpenSearchService::Domain', what: 'OpenSearch domain', path: ['EncryptionAtRestOptions', 'Enabled'] },
  { type: 'AWS::Elasticsearch::Domain', what: 'Elasticsearch domain', path: ['EncryptionAtRestOptions', 'Enabled'] },
  { type: 'AWS::Redshift::Cluster', what: 'Redshift cluster', path: ['Encrypted'] },
];

/** Block device mappings of instances, launch templates and launch configurations. */
const DEVICES: readonly { type: string; what: string; path: string[] }[] = [
  { type: 'AWS::EC2::Instance', what: 'instance', path: ['BlockDeviceMappings'] },
  { type: 'AWS::EC2::LaunchTemplate', what: 'launch template', path: ['LaunchTemplateData', 'BlockDeviceMappings'] },
  { type: 'AWS::AutoScaling::LaunchConfiguration', what: 'launch configuration', path: ['BlockDeviceMappings'] },
];

/** PS2: storage is encrypted at rest. */
export const StorageEncrypted: PostureRule = {
  id: 'PS2',
  name: 'StorageEncrypted',
  level: 'warning',
  cause: 'An EBS volume (standalone or in a block device mapping), RDS instance or cluster, EFS file system, ElastiCache replication group, OpenSearch domain or Redshift cluster is not encrypted at rest (the property is false or left at its default, unencrypted).',
  why: 'Unencrypted disks and snapshots can be copied, shared or restored by anyone with the matching API permissions, and most compliance regimes (PCI DSS, HIPAA, ISMS-P) require encryption at rest. It can only be turned on by replacing the resource, so it belongs in the template from the start.',
  check(resources) {
    const out: Finding[] = [];
    for (const s of STORES) {
      for (const r of resources.ofType(s.type)) {
        if (s.skip?.(r, resources)) continue;
        const v = flag(resources.prop(r, s.path[0]!, ...s.path.slice(1)));
        if (v === true) continue;
        out.push(postureFinding(this, r, `The ${s.what} ${nameOf(r)} is not encrypted at rest (${s.path.join('.')} is ${v === false ? 'false' : 'not set, and the default is unencrypted'}).`, typeof v === 'object' ? v : undefined));
      }
    }
    for (const d of DEVICES) {
      for (const r of resources.ofType(d.type)) {
        for (const m of items(resources.prop(r, d.path[0]!, ...d.path.slice(1)))) {
          const ebs = field(m, 'Ebs');
          if (ebs === undefined) continue;
          // A volume from an encrypted snapshot is encrypted whatever the mapping says.
          if (field(ebs, 'SnapshotId') !== undefined) continue;
          const v = flag(field(ebs, 'Encrypted'));
          if (v === true) continue;
          out.push(postureFinding(this, r, `The ${d.what} ${nameOf(r)} maps ${String(field(m, 'DeviceName') ?? 'a volume')} unencrypted (Ebs.Encrypted is ${v === false ? 'false' : 'not set'}; only the account's EBS encryption-by-default would encrypt it).`, typeof v === 'object' ? v : undefined));
        }
      }
    }
    return out;
  },
};
