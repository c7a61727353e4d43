/** AWS::Scheduler::Schedule: invocations per month, counted from its cron expression. */
import { fixedLine, type CostRule } from '../rule.js';

export const schedulerSchedule: CostRule = {
  types: ['AWS::Scheduler::Schedule'],
  layer: 'compute',
  cost(r, ctx) {
    const invocations = ctx.schedules.invocationsPerMonth.get(r.address) ?? 0;
    return { components: [fixedLine(ctx, 'Invocations', 'invocations', 'scheduler.invocations', invocations, { notes: ['EventBridge Scheduler includes a monthly free tier of invocations per account'] })] };
  },
};
