/** Schedules: cron pairs → weekly running hours, and their effect on the estimate. */
import { describe, expect, it } from 'vitest';
import { CronError, estimatePaths, parseCron, weeklyRunningHours } from '../../src/analyse/cost/index.js';
import { firingMinutes, timeZoneOffsetMinutes, weeklyRunningMinutes } from '../../src/analyse/cost/schedule.js';
import { monthlyOf, NOW, P, resource, templateFile } from './support.js';

const WEEKDAY_NIGHTS = { stop: 'cron(0 21 ? * MON-FRI *)', start: 'cron(0 8 ? * MON-FRI *)' };

describe('parseCron', () => {
  it('reads EventBridge weekly crons with names, ranges, lists and steps', () => {
    expect(parseCron('cron(0 21 ? * MON-FRI *)')).toEqual({ minutes: [0], hours: [21], daysOfWeek: [1, 2, 3, 4, 5] });
    expect(parseCron('cron(30 8,20 ? * 2-6 *)')).toEqual({ minutes: [30], hours: [8, 20], daysOfWeek: [1, 2, 3, 4, 5] });
    expect(parseCron('cron(0/30 * * * ? *)').minutes).toEqual([0, 30]);
    expect(parseCron('cron(0 0 ? * SUN,SAT *)').daysOfWeek).toEqual([0, 6]);
  });

  it('rejects what is not weekly, with the reason', () => {
    expect(() => parseCron('rate(1 hour)')).toThrow(CronError);
    expect(() => parseCron('cron(0 21 1 * ? *)')).toThrow(/day-of-month/);
    expect(() => parseCron('cron(0 21 ? * 6L *)')).toThrow(/L, W or #/);
    expect(() => parseCron('cron(0 21 ? *)')).toThrow(/6 fields/);
  });
});

describe('weeklyRunningHours', () => {
  it('stops at 21:00 and starts at 08:00 on weekdays: 13 h × 5 days, stopped all weekend', () => {
    expect(weeklyRunningHours([{ expression: WEEKDAY_NIGHTS.stop }], [{ expression: WEEKDAY_NIGHTS.start }], NOW)).toBe(65);
  });

  it('stops only on Friday night and starts on Monday morning: running all week except the weekend', () => {
    expect(weeklyRunningHours([{ expression: 'cron(0 21 ? * FRI *)' }], [{ expression: 'cron(0 8 ? * MON *)' }], NOW)).toBe(168 - (3 + 24 + 24 + 8));
  });

  it('runs all week without schedules, and never after a stop with no start', () => {
    expect(weeklyRunningMinutes([])).toBe(168 * 60);
    expect(weeklyRunningHours([{ expression: 'cron(0 21 ? * * *)' }], [], NOW)).toBe(0);
  });

  it('honours time zones: the same local times give the same hours; mixed zones shift the window', () => {
    const seoul = (expression: string) => ({ expression, timeZone: 'Asia/Seoul' });
    expect(timeZoneOffsetMinutes('Asia/Seoul', NOW)).toBe(540);
    expect(weeklyRunningHours([seoul(WEEKDAY_NIGHTS.stop)], [seoul(WEEKDAY_NIGHTS.start)], NOW)).toBe(65);
    // Start at 08:00 Seoul (= 23:00 UTC the day before), stop at 21:00 UTC: 22 h a weekday.
    expect(weeklyRunningHours([{ expression: WEEKDAY_NIGHTS.stop }], [seoul(WEEKDAY_NIGHTS.start)], NOW)).toBe(22 * 5);
    expect(firingMinutes(parseCron('cron(0 8 ? * MON *)'), 540)).toEqual([(24 + 8) * 60 - 540]);
  });

  it('keeps one formatter per zone: daylight saving still follows the instant, unknown zones are CronErrors', () => {
    expect(timeZoneOffsetMinutes('Europe/Berlin', new Date('2026-01-15T12:00:00Z'))).toBe(60);
    expect(timeZoneOffsetMinutes('Europe/Berlin', new Date('2026-07-15T12:00:00Z'))).toBe(120);
    expect(() => timeZoneOffsetMinutes('Mars/Olympus_Mons', NOW)).toThrow(CronError);
    expect(() => timeZoneOffsetMinutes('Mars/Olympus_Mons', NOW)).toThrow(/unknown time zone "Mars\/Olympus_Mons"/);
  });
});

function schedule(arn: string, expression: string, input: unknown, timezone = 'Asia/Seoul') {
  return { Type: 'AWS::Scheduler::Schedule', Properties: { FlexibleTimeWindow: { Mode: 'OFF' }, ScheduleExpression: expression, ScheduleExpressionTimezone: timezone, Target: { Arn: arn, RoleArn: 'arn:aws:iam::123456789012:role/scheduler', Input: input } } };
}

describe('schedules in a template', () => {
  const ec2Input = { 'Fn::Join': ['', ['{"InstanceIds":["', { Ref: 'Dev' }, '"]}']] };
  const file = templateFile({
    Dev: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.medium' } },
    Always: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.medium' } },
    Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', EngineVersion: '16', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: '20', StorageType: 'gp3', MultiAZ: false, DBInstanceIdentifier: 'dev-db' } },
    Nodes: { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: 'dev', NodegroupName: 'dev-nodes', InstanceTypes: ['t3.medium'], ScalingConfig: { DesiredSize: 3, MinSize: 0, MaxSize: 3 }, NodeRole: 'arn', Subnets: [] } },
    StopDev: schedule('arn:aws:scheduler:::aws-sdk:ec2:stopInstances', WEEKDAY_NIGHTS.stop, ec2Input),
    StartDev: schedule({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:::aws-sdk:ec2:startInstances']] } as unknown as string, WEEKDAY_NIGHTS.start, ec2Input),
    StopDb: schedule('arn:aws:scheduler:::aws-sdk:rds:stopDBInstance', WEEKDAY_NIGHTS.stop, JSON.stringify({ DbInstanceIdentifier: 'dev-db' })),
    StartDb: schedule('arn:aws:scheduler:::aws-sdk:rds:startDBInstance', WEEKDAY_NIGHTS.start, JSON.stringify({ DbInstanceIdentifier: 'dev-db' })),
    ScaleDown: schedule('arn:aws:scheduler:::aws-sdk:eks:updateNodegroupConfig', WEEKDAY_NIGHTS.stop, JSON.stringify({ ClusterName: 'dev', NodegroupName: 'dev-nodes', ScalingConfig: { DesiredSize: 0 } })),
    ScaleUp: schedule('arn:aws:scheduler:::aws-sdk:eks:updateNodegroupConfig', WEEKDAY_NIGHTS.start, JSON.stringify({ ClusterName: 'dev', NodegroupName: 'dev-nodes', ScalingConfig: { DesiredSize: 3 } })),
  });
  const e = estimatePaths([file], { region: 'ap-northeast-2', now: NOW });
  const fraction = 65 / 168;

  it('reduces instance hours to the running window and shows the saving', () => {
    const hours = resource(e, 'Dev').components[0]!;
    expect(hours.quantity.base).toBeCloseTo(730 * fraction, 6);
    expect(hours.monthly!.base).toBeCloseTo(730 * fraction * P('ec2.instance.t3.medium'), 6);
    expect(hours.savings).toBeCloseTo(730 * (1 - fraction) * P('ec2.instance.t3.medium'), 6);
    expect(hours.notes.join(' ')).toContain('runs 65 h of 168 h a week');
    expect(resource(e, 'Always').components[0]!.quantity.base).toBe(730);
  });

  it('stops RDS instance hours but keeps billing its storage', () => {
    const db = resource(e, 'Db');
    expect(db.components[0]!.monthly!.base).toBeCloseTo(730 * fraction * P('rds.instance.postgres.db.t4g.micro.singleAz'), 6);
    expect(db.components[1]!.monthly!.base).toBeCloseTo(20 * P('rds.storage.gp3.singleAz'), 6);
  });

  it('scales node groups to 0 at night', () => {
    expect(resource(e, 'Nodes').components[0]!.monthly!.base).toBeCloseTo(3 * 730 * fraction * P('ec2.instance.t3.medium'), 6);
  });

  it('totals the savings of every schedule', () => {
    // Node groups scaled to 0 also lose their disks (3 × the 20 GB default) while down.
    const expected = (1 - fraction) * (730 * (P('ec2.instance.t3.medium') + P('rds.instance.postgres.db.t4g.micro.singleAz') + 3 * P('ec2.instance.t3.medium')) + 3 * 20 * P('ebs.gp3.storage'));
    expect(e.savingsMonthly).toBeCloseTo(expected, 4);
    expect(monthlyOf(resource(e, 'StopDev'))).toBe(0); // EventBridge Scheduler has no sourced price: listed unpriced
    expect(e.unpriced.some((u) => u.address.endsWith('/StopDev'))).toBe(true);
  });

  it('warns about a schedule it cannot read instead of guessing', () => {
    const bad = estimatePaths([templateFile({
      Vm: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.medium' } },
      Stop: schedule('arn:aws:scheduler:::aws-sdk:ec2:stopInstances', 'cron(0 21 1 * ? *)', { 'Fn::Join': ['', ['{"InstanceIds":["', { Ref: 'Vm' }, '"]}']] }),
      Lambda: schedule('arn:aws:lambda:ap-northeast-2:123456789012:function:stopper', 'cron(0 21 ? * * *)', '{}'),
    })], { region: 'ap-northeast-2', now: NOW });
    expect(resource(bad, 'Vm').components[0]!.quantity.base).toBe(730);
    expect(bad.warnings.join('\n')).toMatch(/day-of-month/);
    expect(bad.warnings.join('\n')).toMatch(/cannot tell what it switches off/);
  });
});
