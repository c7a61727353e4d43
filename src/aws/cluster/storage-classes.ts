/**
 * StorageClasses plinth applies. The default one is gp3, encrypted, bound where the pod is scheduled
 * (so the volume lands in the pod's AZ) and expandable. The EBS add-on's own `defaultStorageClass`
 * option is not used: its class carries no `encrypted` parameter, so volumes would be plaintext in any
 * account that does not encrypt EBS by default. One class per EFS file system lets pods claim
 * ReadWriteMany volumes on it (an access point per claim).
 */
import { EBS_STORAGE_CLASS } from '../../plan/apps/context.js';

/** One name with the plan's volume claims (plan/apps/context.ts), so a claim never names a class nobody applies. */
export const DEFAULT_STORAGE_CLASS = EBS_STORAGE_CLASS;

type Manifest = Record<string, unknown>;

export function storageClassManifests(fileSystems: readonly { readonly name: string; readonly fileSystemId: string }[]): Manifest[] {
  return [
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true', fsType: 'ext4' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    },
    ...fileSystems.map((fs) => ({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: `efs-${fs.name}` },
      provisioner: 'efs.csi.aws.com',
      parameters: { provisioningMode: 'efs-ap', fileSystemId: fs.fileSystemId, directoryPerms: '700' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    })),
  ];
}
