/**
 * Data a change removes: stateful CloudFormation resources that leave the templates, and Kubernetes
 * objects whose removal deletes volumes. Whether the data goes with them follows the documented
 * defaults:
 * - CloudFormation deletes a removed resource unless its DeletionPolicy says Retain/Snapshot; the
 *   default is Snapshot for AWS::RDS::DBCluster and for an AWS::RDS::DBInstance outside a cluster
 *   (docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html).
 *   A resource *replaced* by a property change is not covered by DeletionPolicy; that is the
 *   CloudFormation change list's job (`plinth plan`'s resource section).
 * - A StatefulSet's claims survive its deletion unless persistentVolumeClaimRetentionPolicy.whenDeleted
 *   is Delete (Kubernetes API, StatefulSetPersistentVolumeClaimRetentionPolicy: "The default policy
 *   of Retain causes PVCs to not be affected by StatefulSet deletion").
 * - A removed PersistentVolumeClaim releases its volume, which a dynamically provisioned volume's
 *   default reclaim policy (Delete) deletes.
 * - Strimzi deletes a node pool's claims with it when its volume says `deleteClaim: true`.
 */
import type { K8sObject } from '../cost/model.js';
import { dataStoreTypes } from '../plan/resources.js';
import type { AnalysedSide } from './side.js';

export interface DataChange {
  readonly address: string;
  readonly kind: string;
  /** `lost`: deleted with its data; `kept`: the data stays (and keeps billing) after removal. */
  readonly fate: 'lost' | 'kept';
  readonly why: string;
}

/** Removals of these are reported: the data stores (src/analyse/plan/resources.ts) and log groups. */
const STATEFUL_TYPES = new Set([...dataStoreTypes(), 'AWS::Logs::LogGroup']);

interface RawResource { readonly Type: string; readonly DeletionPolicy?: string; readonly Properties?: Record<string, unknown> }

function resources(side: AnalysedSide): Map<string, RawResource> {
  const out = new Map<string, RawResource>();
  for (const t of side.templates) for (const [id, r] of Object.entries(t.body.Resources ?? {})) out.set(`${t.stack}/${id}`, r as RawResource);
  return out;
}

function cfnFate(r: RawResource): Pick<DataChange, 'fate' | 'why'> {
  const policy = r.DeletionPolicy;
  if (policy === 'Retain' || policy === 'RetainExceptOnCreate') return { fate: 'kept', why: `DeletionPolicy ${policy}: CloudFormation leaves it (and its bill) behind` };
  if (policy === 'Snapshot') return { fate: 'kept', why: 'DeletionPolicy Snapshot: CloudFormation takes a final snapshot, then deletes it' };
  const rdsDefault = r.Type === 'AWS::RDS::DBCluster' || (r.Type === 'AWS::RDS::DBInstance' && r.Properties?.DBClusterIdentifier === undefined);
  if (!policy && rdsDefault) return { fate: 'kept', why: 'no DeletionPolicy: CloudFormation\'s default for RDS is a final snapshot' };
  return { fate: 'lost', why: `DeletionPolicy ${policy ?? 'absent (Delete)'}: CloudFormation deletes it with its data` };
}

function objectKey(o: K8sObject): string {
  return `${o.metadata.namespace ?? 'default'}/${o.kind}/${o.metadata.name ?? '(unnamed)'}`;
}

function k8sFate(o: K8sObject): Pick<DataChange, 'fate' | 'why'> | undefined {
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  if (o.kind === 'PersistentVolumeClaim') return { fate: 'lost', why: 'the claim\'s volume is released, and a dynamically provisioned volume is deleted with it (reclaim policy Delete)' };
  if (o.kind === 'StatefulSet' && Array.isArray(spec.volumeClaimTemplates) && spec.volumeClaimTemplates.length > 0) {
    const policy = (spec.persistentVolumeClaimRetentionPolicy as { whenDeleted?: string } | undefined)?.whenDeleted;
    return policy === 'Delete'
      ? { fate: 'lost', why: 'persistentVolumeClaimRetentionPolicy.whenDeleted: Delete removes its claims' }
      : { fate: 'kept', why: 'its claims stay (whenDeleted defaults to Retain) and keep billing until deleted by hand' };
  }
  if (o.kind === 'KafkaNodePool' || o.kind === 'Kafka') {
    const volumes = ((spec.storage as { volumes?: { deleteClaim?: boolean }[] } | undefined)?.volumes) ?? [];
    if (volumes.length === 0) return undefined;
    return volumes.some((v) => v.deleteClaim === true)
      ? { fate: 'lost', why: 'Strimzi deletes the claims with it (deleteClaim: true)' }
      : { fate: 'kept', why: 'Strimzi keeps the claims (deleteClaim: false); they keep billing' };
  }
  return undefined;
}

export function diffData(before: AnalysedSide, after: AnalysedSide): DataChange[] {
  const out: DataChange[] = [];
  const old = resources(before);
  const neu = resources(after);
  for (const [address, r] of old) {
    if (neu.has(address) || !STATEFUL_TYPES.has(r.Type)) continue;
    out.push({ address, kind: r.Type, ...cfnFate(r) });
  }
  const remaining = new Set(after.resources.k8s.map(objectKey));
  for (const o of before.resources.k8s) {
    if (remaining.has(objectKey(o))) continue;
    const fate = k8sFate(o);
    if (fate) out.push({ address: `k8s/${objectKey(o)}`, kind: o.kind, ...fate });
  }
  return out.sort((a, b) => a.fate.localeCompare(b.fate) || a.address.localeCompare(b.address));
}
