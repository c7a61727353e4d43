/**
 * `schedules` → SchedulePlan: time zone, stop/start cron expressions and the targets they stop and
 * start (servers, node groups, databases). Seed 001 did this with a Lambda; plinth compiles it to
 * EventBridge Scheduler calls of the AWS APIs themselves (aws/schedules.ts).
 */
import type { Diagnostics, SpecPath } from '../spec/diagnostics.js';
import { didYouMean } from '../spec/diagnostics.js';
import type { PlatformSpec, ScheduleSpec } from '../spec/schema.js';
import { dailyAt, parseCron } from './cron.js';
import type { ClusterPlan, CronPlan, SchedulePlan, ScheduleTargetPlan } from './types.js';

const TARGET_FORMS = 'servers/NAME, cluster/nodeGroups/NAME or db/NAME';

export function planSchedules(spec: PlatformSpec, cluster: ClusterPlan | undefined, diags: Diagnostics): SchedulePlan[] {
  const plans: SchedulePlan[] = [];
  for (const [name, s] of Object.entries(spec.schedules ?? {})) {
    const path = ['schedules', name];
    const timezone = planTimezone(s.timezone, [...path, 'timezone'], diags);
    const stop = planCron(s.stop, [...path, 'stop'], diags);
    const start = s.start === undefined ? undefined : planCron(s.start, [...path, 'start'], diags);
    const targets = s.targets.flatMap((text, i) => {
      const target = resolveTarget(text, spec, cluster, [...path, 'targets', i], diags);
      return target ? [target] : [];
    });
    if (cluster?.autoscaling === 'cluster-autoscaler') {
      const i = targets.findIndex((t) => t.kind === 'nodeGroup');
      if (i !== -1) {
        diags.error('E_SCHEDULE_AUTOSCALED', [...path, 'targets', s.targets.indexOf(targets[i]!.ref)], `${targets[i]!.ref} is scaled by cluster-autoscaler, which would start nodes again for the pods the stop left pending.`, {
          fix: 'schedule the workloads (scale their Deployments to 0) instead of the node group, or set autoscaling: none',
        });
      }
    }
    if (stop && start && targets.some((t) => t.kind === 'db')) checkDatabaseWindow(s, stop, start, path, diags);
    if (stop && (s.start === undefined || start)) {
      plans.push({ name, timezone, stop, start, restop: dailyAt(stop), targets });
    }
  }
  return plans;
}

function planCron(text: string, path: SpecPath, diags: Diagnostics): CronPlan | undefined {
  const parsed = parseCron(text);
  if (parsed.ok) return parsed.cron;
  diags.error('E_CRON', path, `${capitalize(parsed.problem)}.`, {
    allowed: 'MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR, with "?" in one of the day fields',
    fix: parsed.fix,
  });
  return undefined;
}

/** IANA names as EventBridge Scheduler takes them; checked against the zones this Node.js knows. */
function planTimezone(zone: string | undefined, path: SpecPath, diags: Diagnostics): string {
  if (zone === undefined) return 'UTC';
  const known = Intl.supportedValuesOf('timeZone');
  if (zone === 'UTC' || known.includes(zone)) return zone;
  let canonical: string | undefined;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    canonical = undefined;
  }
  if (canonical === zone) return zone;
  const city = known.find((k) => k.toLowerCase().endsWith(`/${zone.toLowerCase().replace(/ /g, '_')}`));
  diags.error('E_TIMEZONE', path, `"${zone}" is not an IANA time zone name.`, {
    allowed: 'a name such as Asia/Seoul, Europe/Berlin, America/New_York or UTC',
    fix: canonical ? `write "${canonical}"` : city ? `write "${city}"` : didYouMean(zone, known) ?? 'write Region/City, e.g. Asia/Seoul',
  });
  return 'UTC';
}

function resolveTarget(text: string, spec: PlatformSpec, cluster: ClusterPlan | undefined, path: SpecPath, diags: Diagnostics): ScheduleTargetPlan | undefined {
  const ref = text.trim();
  const servers = Object.keys(spec.servers ?? {}).map((n) => `servers/${n}`);
  const databases = Object.keys(spec.data?.databases ?? {}).map((n) => `db/${n}`);
  const nodeGroups = cluster?.nodeGroups ?? [];
  if (servers.includes(ref)) return { kind: 'servers', ref, name: ref.slice('servers/'.length) };
  if (databases.includes(ref)) return { kind: 'db', ref, name: ref.slice('db/'.length) };
  const group = nodeGroups.find((g) => g.ref === ref);
  if (group) return { kind: 'nodeGroup', ref, name: group.name, minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize };

  const all = [...servers, ...nodeGroups.map((g) => g.ref), ...databases];
  diags.error('E_SCHEDULE_TARGET', path, `"${ref}" is not something a schedule can stop and start${scheduleHint(ref)}.`, {
    allowed: all.join(', ') || `nothing yet: ${TARGET_FORMS} defined in the spec`,
    fix: didYouMean(ref, all) ?? `name one of ${TARGET_FORMS}`,
  });
  return undefined;
}

function scheduleHint(ref: string): string {
  if (ref.startsWith('lb/') || ref.startsWith('efs/')) return ': load balancers and file systems cannot be stopped';
  if (ref === 'cluster' || ref === 'cluster/nodes') return ': name a node group, cluster/nodeGroups/NAME';
  return '';
}

/**
 * AWS starts a stopped database again after 7 days, so plinth stops it again every day at the stop time.
 * That is right only when the database runs in day-time windows: started and stopped on the same days,
 * at fixed times, start before stop. Anything else would be cut short by the daily stop.
 */
function checkDatabaseWindow(s: ScheduleSpec, stop: CronPlan, start: CronPlan, path: SpecPath, diags: Diagnostics): void {
  const sameDays = stop.dayOfMonth === start.dayOfMonth && stop.month === start.month && stop.dayOfWeek === start.dayOfWeek && stop.year === start.year;
  const at = (c: CronPlan) => (/^\d+$/.test(c.hours) && /^\d+$/.test(c.minutes) ? Number(c.hours) * 60 + Number(c.minutes) : undefined);
  const startAt = at(start);
  const stopAt = at(stop);
  if (sameDays && startAt !== undefined && stopAt !== undefined && startAt < stopAt) return;
  diags.error('E_SCHEDULE_DB_WINDOW', [...path, 'start'], `A schedule with a database must start and stop it on the same days, at fixed times, start first ("${s.start}" and "${s.stop}" are not): plinth stops databases again every day at the stop time, because AWS restarts them after 7 days.`, {
    fix: 'use the same day fields in start and stop with an earlier start time, e.g. start "0 8 ? * MON-FRI *" and stop "0 20 ? * MON-FRI *", or move the database to a schedule of its own',
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
