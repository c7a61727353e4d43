/** AWS::EFS::FileSystem: data stored (Standard class) from the usage file; mount targets are free. */
import { usageLine, type CostRule } from '../rule.js';

export const efsFileSystem: CostRule = {
  types: ['AWS::EFS::FileSystem'],
  layer: 'data',
  cost(r, ctx) {
    return { components: [usageLine(ctx, 'Storage (Standard)', 'GB-month', 'efs.standard.storage', 'efs.storageGB', r.address, (q) => q, { notes: [`throughput mode ${String(r.properties.ThroughputMode ?? 'bursting')}; elastic throughput reads and writes are billed per GB and not estimated`] })] };
  },
};
