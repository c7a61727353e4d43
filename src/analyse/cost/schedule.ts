/**
 * Schedules: EventBridge Scheduler cron pairs that stop and start compute (ec2:stopInstances /
 * startInstances, rds:stopDBInstance / startDBInstance, eks:updateNodegroupConfig to 0 and back)
 * become a weekly running fraction per target resource. The cron arithmetic is pure and exported.
 */
import type { CfnResource, Resolver } from './model.js';
import { HOURS_PER_WEEK } from './types.js';

const MINUTES_PER_WEEK = HOURS_PER_WEEK * 60;
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export class CronError extends Error {
  public constructor(expression: string, why: string) {
    super(`cannot read schedule expression "${expression}": ${why}`);
    this.name = 'CronError';
  }
}

/** The firing times of a weekly EventBridge cron, in the schedule's own time zone. */
export interface WeeklyCron {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** 0 = Sunday ... 6 = Saturday. */
  readonly daysOfWeek: readonly number[];
}

/**
 * Parses `cron(minutes hours day-of-month month day-of-week year)` in EventBridge syntax
 * (day-of-week 1-7 = SUN-SAT or names). Only weekly patterns are supported: day-of-month `?`/`*`,
 * month and year `*`; anything else is a CronError (the caller then leaves the hours unreduced).
 */
export function parseCron(expression: string): WeeklyCron {
  const m = /^cron\((.+)\)$/.exec(expression.trim());
  if (!m) throw new CronError(expression, 'only cron(...) expressions change running hours (rate() and at() do not)');
  const fields = m[1]!.trim().split(/\s+/);
  if (fields.length !== 6) throw new CronError(expression, `expected 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if (dom !== '?' && dom !== '*') throw new CronError(expression, 'day-of-month patterns are not weekly; use ? and a day-of-week');
  if (month !== '*' || year !== '*') throw new CronError(expression, 'month and year must be * for a weekly schedule');
  return {
    minutes: expandField(min, 0, 59, expression),
    hours: expandField(hour, 0, 23, expression),
    daysOfWeek: dow === '?' || dow === '*' ? [0, 1, 2, 3, 4, 5, 6] : expandField(dow, 1, 7, expression, dayNumber).map((d) => d - 1),
  };
}

function dayNumber(token: string): number {
  const i = DAY_NAMES.indexOf(token.toUpperCase());
  return i >= 0 ? i + 1 : Number(token);
}

function expandField(field: string, lo: number, hi: number, expression: string, toNumber: (t: string) => number = Number): number[] {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [lo, hi];
    else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      [from, to] = [toNumber(a), toNumber(b)];
    } else {
      from = toNumber(range);
      to = stepText === undefined ? from : hi;
    }
    if (![from, to, step].every(Number.isInteger) || from < lo || to > hi || from > to || step < 1) {
      throw new CronError(expression, `field "${field}" is outside ${lo}-${hi} or uses L, W or # (not supported)`);
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one (issue 12). */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (format) return format;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    });
  } catch {
    throw new CronError(timeZone, `unknown time zone "${timeZone}"`);
  }
  zoneFormats.set(timeZone, format);
  return format;
}

/** Minutes the time zone is ahead of UTC at the given instant (Asia/Seoul → 540). */
export function timeZoneOffsetMinutes(timeZone: string, at: Date): number {
  const parts = zoneFormat(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((local - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** The UTC minutes of the week (0 = Sunday 00:00 UTC) at which a weekly cron fires. */
export function firingMinutes(cron: WeeklyCron, offsetMinutes = 0): number[] {
  const out: number[] = [];
  for (const d of cron.daysOfWeek) for (const h of cron.hours) for (const m of cron.minutes) {
    out.push((((d * 24 + h) * 60 + m - offsetMinutes) % MINUTES_PER_WEEK + MINUTES_PER_WEEK) % MINUTES_PER_WEEK);
  }
  return out.sort((a, b) => a - b);
}

export interface StateEvent {
  readonly minute: number;
  readonly running: boolean;
}

/**
 * Running minutes per week given stop/start events that repeat weekly. With no events the resource
 * runs all week; otherwise its state at any moment is set by the latest event before it (wrapping
 * around the week). A stop and a start at the same minute leave it running.
 */
export function weeklyRunningMinutes(events: readonly StateEvent[]): number {
  if (events.length === 0) return MINUTES_PER_WEEK;
  const sorted = [...events].sort((a, b) => a.minute - b.minute || Number(a.running) - Number(b.running));
  let running = sorted[sorted.length - 1]!.running;
  let last = 0;
  let total = 0;
  for (const e of sorted) {
    if (running) total += e.minute - last;
    running = e.running;
    last = e.minute;
  }
  if (running) total += MINUTES_PER_WEEK - last;
  return total;
}

export interface CronAt {
  readonly expression: string;
  /** IANA zone; UTC when absent (EventBridge Scheduler's default). */
  readonly timeZone?: string;
}

/** Weekly running hours of a resource stopped by `stops` and started by `starts`. */
export function weeklyRunningHours(stops: readonly CronAt[], starts: readonly CronAt[], at = new Date()): number {
  const events: StateEvent[] = [];
  const add = (c: CronAt, running: boolean) => {
    const offset = c.timeZone ? timeZoneOffsetMinutes(c.timeZone, at) : 0;
    for (const minute of firingMinutes(parseCron(c.expression), offset)) events.push({ minute, running });
  };
  stops.forEach((c) => add(c, false));
  starts.forEach((c) => add(c, true));
  return weeklyRunningMinutes(events) / 60;
}

export interface ScheduledTarget {
  /** Address of the instance, DB instance or node group. */
  readonly address: string;
  readonly hoursPerWeek: number;
  /** Fraction of the week the target runs: hoursPerWeek / 168. */
  readonly fraction: number;
  /** Addresses of the schedules involved. */
  readonly schedules: readonly string[];
}

export interface ScheduleReading {
  readonly targets: ReadonlyMap<string, ScheduledTarget>;
  readonly warnings: readonly string[];
  /** Invocations per month of each schedule, for its own (tiny) cost line. */
  readonly invocationsPerMonth: ReadonlyMap<string, number>;
}

interface Action { readonly target: string; readonly running: boolean; readonly cron: CronAt; readonly schedule: string }

/** Reads every enabled AWS::Scheduler::Schedule and reduces it to running fractions per target. */
export function readSchedules(schedules: readonly CfnResource[], resolver: Resolver, at = new Date()): ScheduleReading {
  const warnings: string[] = [];
  const actions: Action[] = [];
  const invocations = new Map<string, number>();
  for (const s of schedules) {
    const p = s.properties;
    if (p.State === 'DISABLED') continue;
    const expression = flatten(p.ScheduleExpression);
    const timeZone = typeof p.ScheduleExpressionTimezone === 'string' ? p.ScheduleExpressionTimezone : undefined;
    const target = (p.Target ?? {}) as Record<string, unknown>;
    const arn = flatten(target.Arn);
    const api = /aws-sdk:([a-z0-9]+):([A-Za-z]+)$/.exec(arn)?.slice(1).join(':');
    let cron: CronAt;
    try {
      const parsed = parseCron(expression);
      cron = { expression, timeZone };
      invocations.set(s.address, (firingMinutes(parsed).length * 730) / HOURS_PER_WEEK);
    } catch (e) {
      warnings.push(`${s.address}: ${(e as Error).message}; its target is priced as always on.`);
      continue;
    }
    const input = parseInput(target.Input);
    const found = resolveActions(api, input, s, resolver);
    if (!found) {
      warnings.push(`${s.address}: target ${arn || '(none)'} is not an ec2/rds start-stop or eks:updateNodegroupConfig call; plinth cannot tell what it switches off.`);
      continue;
    }
    for (const a of found) actions.push({ ...a, cron, schedule: s.address });
  }
  const targets = new Map<string, ScheduledTarget>();
  const byTarget = new Map<string, Action[]>();
  for (const a of actions) byTarget.set(a.target, [...(byTarget.get(a.target) ?? []), a]);
  for (const [address, list] of byTarget) {
    const hours = weeklyRunningHours(list.filter((a) => !a.running).map((a) => a.cron), list.filter((a) => a.running).map((a) => a.cron), at);
    if (!list.some((a) => a.running)) warnings.push(`${address} has a stop schedule but no start schedule: plinth assumes it stays stopped after the first stop.`);
    targets.set(address, { address, hoursPerWeek: hours, fraction: hours / HOURS_PER_WEEK, schedules: [...new Set(list.map((a) => a.schedule))] });
  }
  return { targets, warnings, invocationsPerMonth: invocations };
}

function resolveActions(api: string | undefined, input: Record<string, unknown> | undefined, s: CfnResource, resolver: Resolver): { target: string; running: boolean }[] | undefined {
  if (!api || !input) return undefined;
  const refOf = (v: unknown): string | undefined => {
    const marker = typeof v === 'string' ? /^@@(Ref|Import):(.+)@@$/.exec(v) : null;
    if (!marker) return undefined;
    const r = marker[1] === 'Ref' ? resolver.target(s.stack, { Ref: marker[2] }) : resolver.target(s.stack, { 'Fn::ImportValue': marker[2] });
    return r?.address;
  };
  const byName = (type: string, prop: string, v: unknown): string | undefined => refOf(v)
    ?? resolver.ofType(type).find((r) => r.properties[prop] === v || r.logicalId === v)?.address;
  switch (api) {
    case 'ec2:stopInstances':
    case 'ec2:startInstances': {
      const ids = Array.isArray(input.InstanceIds) ? input.InstanceIds : [];
      const targets = ids.map((id) => refOf(id)).filter((t): t is string => t !== undefined);
      return targets.map((target) => ({ target, running: api === 'ec2:startInstances' }));
    }
    case 'rds:stopDBInstance':
    case 'rds:startDBInstance': {
      const target = byName('AWS::RDS::DBInstance', 'DBInstanceIdentifier', input.DbInstanceIdentifier ?? input.DBInstanceIdentifier);
      return target ? [{ target, running: api === 'rds:startDBInstance' }] : [];
    }
    case 'eks:updateNodegroupConfig': {
      const target = byName('AWS::EKS::Nodegroup', 'NodegroupName', input.NodegroupName);
      const desired = Number((input.ScalingConfig as Record<string, unknown> | undefined)?.DesiredSize);
      return target && Number.isFinite(desired) ? [{ target, running: desired > 0 }] : [];
    }
    default:
      return undefined;
  }
}

/** Target.Input is a JSON string, often assembled with Fn::Join around Refs. */
function parseInput(value: unknown): Record<string, unknown> | undefined {
  if (value && typeof value === 'object' && !('Fn::Join' in value) && !('Fn::Sub' in value)) return value as Record<string, unknown>;
  const text = flatten(value);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A string with intrinsics replaced by markers: {Ref: X} → @@Ref:X@@, partitions → aws. */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (!value || typeof value !== 'object') return '';
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref === 'AWS::Partition' ? 'aws' : `@@Ref:${v.Ref}@@`;
  if (Array.isArray(v['Fn::GetAtt'])) return `@@Ref:${String((v['Fn::GetAtt'] as unknown[])[0])}@@`;
  if (typeof v['Fn::ImportValue'] === 'string') return `@@Import:${v['Fn::ImportValue']}@@`;
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return (parts ?? []).map(flatten).join(sep);
  }
  const sub = v['Fn::Sub'];
  if (typeof sub === 'string' || Array.isArray(sub)) {
    const text = Array.isArray(sub) ? String(sub[0]) : sub;
    return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => (name === 'AWS::Partition' ? 'aws' : `@@Ref:${name.split('.')[0]}@@`));
  }
  return '';
}
