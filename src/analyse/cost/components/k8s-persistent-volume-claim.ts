/**
 * PersistentVolumeClaim (and StatefulSet volumeClaimTemplates × replicas): EBS volumes created by
 * the EBS CSI driver, at the size requested. Claims on EFS storage classes are free here (the file
 * system is priced as AWS::EFS::FileSystem).
 */
import type { K8sObject } from '../model.js';
import { ebsLines } from './ebs-volume.js';
import { objectName, type RuntimeResource, type RuntimeRule } from './k8s.js';

/** Kubernetes quantity → GB (GiB-sized volumes are billed as GB). */
export function storageGB(quantity: unknown): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(String(quantity ?? ''));
  if (!m) return undefined;
  const factor: Record<string, number> = { Ki: 1 / 1024 ** 2, Mi: 1 / 1024, Gi: 1, Ti: 1024, K: 1e3 / 1024 ** 3, M: 1e6 / 1024 ** 3, G: 1e9 / 1024 ** 3, T: 1e12 / 1024 ** 3 };
  return Number(m[1]) * (m[2] ? factor[m[2]]! : 1 / 1024 ** 3);
}

export const k8sPersistentVolumeClaim: RuntimeRule = {
  kinds: ['PersistentVolumeClaim', 'StatefulSet'],
  cost(objects, ctx) {
    const classes = new Map(objects.filter((o) => o.kind === 'StorageClass').map((o) => [o.metadata.name, o as K8sObject & { provisioner?: string; parameters?: Record<string, string> }]));
    const claims: { claim: Record<string, unknown>; owner: K8sObject; count: number; name: string }[] = [];
    for (const o of objects) {
      if (o.kind === 'PersistentVolumeClaim') claims.push({ claim: o.spec ?? {}, owner: o, count: 1, name: objectName(o) });
      if (o.kind === 'StatefulSet') {
        const replicas = Number(o.spec?.replicas ?? 1);
        for (const t of (o.spec?.volumeClaimTemplates as { metadata?: { name?: string }; spec?: Record<string, unknown> }[] | undefined) ?? []) {
          claims.push({ claim: t.spec ?? {}, owner: o, count: replicas, name: `${objectName(o)}/${t.metadata?.name ?? 'data'}` });
        }
      }
    }
    return claims.map(({ claim, owner, count, name }): RuntimeResource => {
      const className = claim.storageClassName as string | undefined;
      const sc = className ? classes.get(className) : undefined;
      const address = `k8s/pvc/${name}`;
      const base = { address, type: `K8s::${owner.kind === 'StatefulSet' ? 'StatefulSet volumeClaimTemplate' : 'PersistentVolumeClaim'}`, name, layer: 'cluster' as const, flags: [] as string[] };
      if (sc?.provisioner === 'efs.csi.aws.com' || (!sc && /efs/i.test(className ?? ''))) return { ...base, components: [], free: 'an EFS-backed claim: storage is priced on the EFS file system' };
      const size = storageGB((claim.resources as { requests?: { storage?: unknown } } | undefined)?.requests?.storage);
      const volumeType = sc?.parameters?.type ?? 'gp3';
      const notes = sc ? [] : [`storage class ${className ?? '(default)'} not among the manifests: assumed EBS CSI with its default volume type gp3`];
      if (size === undefined) return { ...base, components: [], flags: ['the claim requests no storage size'], free: undefined };
      return { ...base, components: ebsLines(ctx, count > 1 ? `Persistent volumes × ${count}` : 'Persistent volume', { sizeGiB: size, volumeType }, count, notes) };
    });
  },
};
