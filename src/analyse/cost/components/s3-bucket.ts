/** AWS::S3::Bucket: Standard storage and requests from the usage file. */
import { usageLine, type CostRule } from '../rule.js';

export const s3Bucket: CostRule = {
  types: ['AWS::S3::Bucket'],
  layer: 'data',
  cost(r, ctx) {
    const versioned = (r.properties.VersioningConfiguration as Record<string, unknown> | undefined)?.Status === 'Enabled';
    return {
      components: [
        usageLine(ctx, 'Storage (Standard)', 'GB-month', 's3.standard.storage', 's3.storageGB', r.address, (q) => q, { notes: versioned ? ['versioned: old versions count toward stored GB'] : [] }),
        usageLine(ctx, 'PUT, COPY, POST, LIST requests', '1k requests', 's3.requests.tier1', 's3.tier1RequestsK', r.address),
        usageLine(ctx, 'GET and other requests', '1k requests', 's3.requests.tier2', 's3.tier2RequestsK', r.address),
      ],
    };
  },
};
