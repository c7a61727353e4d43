import { Unknown } from '../../model/resolve.js';
import { flag, type TemplateResources } from '../../model/resources.js';
import { DATA_STORES } from '../../plan/resources.js';
import type { Finding } from '../findings.js';
import { deletionPolicyOf, nameOf, postureFinding, type PostureRule } from './rule.js';

/** The data stores whose delete destroys their data (the shared list in src/analyse/plan/resources.ts). */
const STATEFUL = DATA_STORES.filter((d) => d.deletedWithData);

/** A bucket is only deleted with its objects when a custom resource empties it first (CDK's autoDeleteObjects). */
const AUTO_DELETE = 'Custom::S3AutoDeleteObjects';

/** PS3: deleting the stack (or removing the resource) does not destroy data. */
export const StatefulDataRetained: PostureRule = {
  id: 'PS3',
  name: 'StatefulDataRetained',
  level: 'warning',
  cause: 'A resource holding data (database, table, file system, volume, cache, search domain, stream cluster) has DeletionPolicy Delete (written, or the default for its type) and no deletion protection, or a bucket is emptied by CDK\'s auto-delete custom resource and has DeletionPolicy Delete.',
  why: 'A stack deletion, or a template change that drops or replaces the resource, destroys the data with it, with no snapshot. CloudFormation snapshots RDS by default, but other stores are deleted outright unless DeletionPolicy is Retain or Snapshot.',
  check(resources) {
    const out: Finding[] = [];
    for (const s of STATEFUL) {
      for (const r of resources.ofType(s.type)) {
        // An Aurora member instance holds no data of its own.
        if (s.type === 'AWS::RDS::DBInstance' && resources.prop(r, 'DBClusterIdentifier') !== undefined) continue;
        const policy = deletionPolicyOf(r, resources);
        if (policy !== 'Delete' && !(policy instanceof Unknown)) continue;
        const protectedBy = s.protection ? flag(resources.prop(r, s.protection)) : undefined;
        if (protectedBy === true) continue;
        const why = `${policy instanceof Unknown ? 'its DeletionPolicy is computed' : r.body.DeletionPolicy === undefined ? 'no DeletionPolicy, so CloudFormation deletes it' : 'DeletionPolicy: Delete'}${s.protection ? ` and ${s.protection} is not true` : ''}`;
        out.push(postureFinding(this, r, `The ${s.what} ${nameOf(r)} would be deleted with its data (${why}); set DeletionPolicy: Retain or Snapshot${s.protection ? ` and ${s.protection}: true` : ''}.`, policy instanceof Unknown ? policy : protectedBy instanceof Unknown ? protectedBy : undefined));
      }
    }
    const emptied = new Set(resources.ofType(AUTO_DELETE).map((c) => resources.target(resources.prop(c, 'BucketName'))?.key).filter((k): k is string => k !== undefined));
    for (const r of resources.ofType('AWS::S3::Bucket')) {
      if (!emptied.has(r.key) || deletionPolicyOf(r, resources) !== 'Delete') continue;
      out.push(postureFinding(this, r, `The bucket ${nameOf(r)} is emptied and deleted with the stack (${AUTO_DELETE} and DeletionPolicy Delete); drop autoDeleteObjects and retain it if its objects matter.`));
    }
    return out;
  },
};
