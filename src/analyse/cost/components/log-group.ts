/**
 * AWS::Logs::LogGroup: data ingested (unless a flow log delivers it, priced there) and data stored.
 * Stored GB at steady state = monthly ingestion × retention in months (12 months assumed when logs never expire).
 */
import { num } from '../model.js';
import { usageLine, type CostRule } from '../rule.js';
import type { CostComponent } from '../types.js';

export const logGroup: CostRule = {
  types: ['AWS::Logs::LogGroup'],
  layer: 'data',
  cost(r, ctx) {
    const retentionDays = num(r.properties.RetentionInDays);
    const months = retentionDays === undefined ? 12 : retentionDays / 30;
    const retentionNote = retentionDays === undefined ? 'logs never expire: storage assumes 12 months kept' : `retention ${retentionDays} days: ${months.toFixed(2)} months of data stored at steady state`;
    const byFlowLog = ctx.flowLogGroups.has(r.address);
    const key = byFlowLog ? 'flowLogs.ingestedGB' : 'logs.ingestedGB';
    const components: CostComponent[] = [];
    if (!byFlowLog) components.push(usageLine(ctx, 'Log ingestion', 'GB', 'logs.ingest.gb', key, r.address));
    components.push(usageLine(ctx, 'Log storage', 'GB-month', 'logs.storage.gb', key, r.address, (q) => q * months, { notes: [retentionNote, ...(byFlowLog ? ['ingestion is priced on the flow log that writes here'] : [])] }));
    return { components };
  },
};
