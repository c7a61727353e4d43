/**
 * AWS::EC2::FlowLog: flow logs delivered to CloudWatch Logs are vended logs, billed per GB ingested
 * (their storage is priced on the log group). Delivery to S3 is billed as S3 storage of that bucket.
 */
import { usageLine, type CostRule } from '../rule.js';

export const flowLog: CostRule = {
  types: ['AWS::EC2::FlowLog'],
  layer: 'network',
  cost(r, ctx) {
    const destination = r.properties.LogDestinationType ?? 'cloud-watch-logs';
    if (destination !== 'cloud-watch-logs') return { components: [], free: `delivered to ${String(destination)}: charged as storage of the destination, not here` };
    return { components: [usageLine(ctx, 'Flow log ingestion (vended logs)', 'GB', 'logs.vendedIngest.gb', 'flowLogs.ingestedGB', r.address, (q) => q, { notes: [`traffic type ${String(r.properties.TrafficType ?? 'ALL')}`] })] };
  },
};
