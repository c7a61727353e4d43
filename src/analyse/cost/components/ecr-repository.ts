/** AWS::ECR::Repository: image storage from the usage file (a lifecycle policy bounds it). */
import { usageLine, type CostRule } from '../rule.js';

export const ecrRepository: CostRule = {
  types: ['AWS::ECR::Repository'],
  layer: 'data',
  cost(r, ctx) {
    const lifecycle = (r.properties.LifecyclePolicy as Record<string, unknown> | undefined)?.LifecyclePolicyText ? 'a lifecycle policy expires old images' : 'no lifecycle policy: storage grows with every push';
    return { components: [usageLine(ctx, 'Image storage', 'GB-month', 'ecr.storage', 'ecr.storageGB', r.address, (q) => q, { notes: [lifecycle] })] };
  },
};
