/**
 * PersistentVolumeClaim for an app's EFS volume: one ReadWriteMany claim per app and volume, in the
 * `efs-<file system>` StorageClass the cluster applies (each claim becomes an EFS access point).
 * EBS volumes need no claim here: the StatefulSet's volumeClaimTemplates create one per pod.
 */
import { type Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { AppPlan, WorkloadsPlan } from '../plan/workloads.js';
import { namespaced } from './metadata.js';

export function addEfsClaims(chart: Chart, app: AppPlan, workloads: WorkloadsPlan): void {
  for (const v of app.volumes) {
    if (v.kind !== 'efs') continue;
    const storageClassName = workloads.efsStorageClasses.find((c) => c.fileSystem === v.fileSystem)!.storageClass;
    new k8s.KubePersistentVolumeClaim(chart, `${app.name}-${v.name}-claim`, {
      metadata: namespaced(`${app.name}-${v.name}`, app.namespace, app.labels),
      spec: {
        accessModes: ['ReadWriteMany'],
        storageClassName,
        // EFS grows by itself and ignores the size; Kubernetes requires one.
        resources: { requests: { storage: k8s.Quantity.fromString('1Gi') } },
      },
    });
  }
}
