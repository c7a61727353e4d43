/** AWS::KMS::Key: one customer managed key per month plus API requests from the usage file. */
import { fixedLine, usageLine, type CostRule } from '../rule.js';

export const kmsKey: CostRule = {
  types: ['AWS::KMS::Key'],
  layer: 'data',
  cost(r, ctx) {
    const rotation = r.properties.EnableKeyRotation === true ? ['automatic rotation adds a key version each year, billed like a key for its first two rotations'] : [];
    return {
      components: [
        fixedLine(ctx, 'Customer managed key', 'key-months', 'kms.key', 1, { notes: rotation }),
        usageLine(ctx, 'Requests', '1k requests', 'kms.requests', 'kms.requestsK', r.address),
      ],
    };
  },
};
