/** AWS::EC2::Volume, and the EBS lines of every instance, node and PVC disk. */
import { num, str } from '../model.js';
import { fixedLine, unpricedLine, type CostContext, type CostRule } from '../rule.js';
import type { CostComponent } from '../types.js';

/** gp3 includes 3,000 IOPS and 125 MiB/s; more is billed per provisioned unit. */
const GP3_BASELINE_IOPS = 3000;
const GP3_BASELINE_THROUGHPUT = 125;

export interface Disk {
  readonly sizeGiB: number;
  readonly volumeType: string;
  readonly iops?: number;
  readonly throughput?: number;
}

/** Storage (GB-month) of `count` identical disks, plus gp3 IOPS/throughput beyond the baseline. */
export function ebsLines(ctx: CostContext, label: string, disk: Disk, count = 1, notes: readonly string[] = [], runningFraction?: number): CostComponent[] {
  const type = disk.volumeType;
  const options = { notes, runningFraction };
  const lines = [fixedLine(ctx, `${label} storage (${type}, ${disk.sizeGiB} GB${count > 1 ? ` × ${count}` : ''})`, 'GB-month', `ebs.${type}.storage`, disk.sizeGiB * count, options)];
  if (type === 'gp3' && disk.iops && disk.iops > GP3_BASELINE_IOPS) {
    lines.push(fixedLine(ctx, `${label} provisioned IOPS above 3,000`, 'IOPS-month', 'ebs.gp3.iops', (disk.iops - GP3_BASELINE_IOPS) * count, options));
  }
  if (type === 'gp3' && disk.throughput && disk.throughput > GP3_BASELINE_THROUGHPUT) {
    lines.push(fixedLine(ctx, `${label} throughput above 125 MiB/s`, 'MiBps-month', 'ebs.gp3.throughput', (disk.throughput - GP3_BASELINE_THROUGHPUT) * count, options));
  }
  return lines;
}

/** Disks of a BlockDeviceMappings list (instance or launch template). */
export function disksOf(mappings: unknown): Disk[] {
  if (!Array.isArray(mappings)) return [];
  return mappings.flatMap((m: Record<string, unknown>) => {
    const ebs = m.Ebs as Record<string, unknown> | undefined;
    const size = num(ebs?.VolumeSize);
    if (!ebs || size === undefined) return [];
    return [{ sizeGiB: size, volumeType: str(ebs.VolumeType) ?? 'gp2', iops: num(ebs.Iops), throughput: num(ebs.Throughput) }];
  });
}

export const ebsVolume: CostRule = {
  types: ['AWS::EC2::Volume'],
  layer: 'compute',
  cost(r, ctx) {
    const size = num(r.properties.Size);
    if (size === undefined) return { components: [unpricedLine('Storage', 'GB-month', 0, 'the volume size is not a literal (created from a snapshot?)')] };
    return { components: ebsLines(ctx, 'Volume', { sizeGiB: size, volumeType: str(r.properties.VolumeType) ?? 'gp2', iops: num(r.properties.Iops), throughput: num(r.properties.Throughput) }) };
  },
};
