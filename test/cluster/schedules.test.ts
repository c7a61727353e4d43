/**
 * Seed 001's start/stop schedule as EventBridge Scheduler universal targets: which API each schedule
 * calls, with what input, in which time zone, and a role per schedule allowed exactly those calls on
 * exactly those resources. No Lambda anywhere.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { only, resources, synthExample, type Resource, type SynthesizedPlatform } from './support.js';

interface Schedule {
  readonly id: string;
  readonly expression: string;
  readonly timezone: string;
  readonly call: string;
  readonly input: string;
  readonly retries: number;
  readonly role: string;
}

/** Schedules of a template, with the target call (`ec2:stopInstances`) and the input as a resolved-ish string. */
function schedules(template: Template): Schedule[] {
  return resources(template, 'AWS::Scheduler::Schedule').map(([id, r]) => {
    const target = r.Properties.Target;
    return {
      id,
      expression: r.Properties.ScheduleExpression,
      timezone: r.Properties.ScheduleExpressionTimezone,
      call: (target.Arn['Fn::Join'][1] as string[]).join('').replace(/^.*aws-sdk:/, ''),
      input: typeof target.Input === 'string' ? target.Input : JSON.stringify(target.Input),
      retries: target.RetryPolicy.MaximumRetryAttempts,
      role: target.RoleArn['Fn::GetAtt'][0],
    };
  });
}

function statementsOf(template: Template, roleId: string): { Action: string; Resource: unknown }[] {
  const [, policy] = resources(template, 'AWS::IAM::Policy').find(([, r]) => JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))!;
  return (policy as Resource).Properties.PolicyDocument.Statement;
}

describe('seed 001 (nemo-v3): the office-hours schedule', () => {
  let nemo: SynthesizedPlatform;
  beforeAll(() => {
    // GIVEN nemo-v3: stop at 20:00 and start at 08:00 on weekdays, Seoul time  WHEN synthesized
    nemo = synthExample('nemo-v3');
  });

  it('stops and starts all three AI instances with one call each, on weekdays in Asia/Seoul', () => {
    const found = schedules(nemo.templates.compute);
    expect(found.map((s) => [s.call, s.expression, s.timezone]).sort()).toEqual([
      ['ec2:startInstances', 'cron(0 8 ? * MON-FRI *)', 'Asia/Seoul'],
      ['ec2:stopInstances', 'cron(0 20 ? * MON-FRI *)', 'Asia/Seoul'],
    ]);
    for (const s of found) {
      expect(s.input).toContain('InstanceIds');
      for (const instance of ['HostsServersaivllm1', 'HostsServersaifastapi1', 'HostsServersaifastapi2']) expect(s.input).toContain(instance);
      expect(s.input).not.toContain('HostsBastion');
    }
  });

  it('lets the servers\' schedule role stop and start exactly those three instances', () => {
    const [schedule] = schedules(nemo.templates.compute);
    const statements = statementsOf(nemo.templates.compute, schedule!.role);
    expect(statements.map((s) => s.Action).sort()).toEqual(['ec2:StartInstances', 'ec2:StopInstances']);
    for (const s of statements) {
      expect(s.Resource).toHaveLength(3);
      expect(JSON.stringify(s.Resource)).toMatch(/:instance\/.*HostsServersaivllm1.*HostsServersaifastapi1.*HostsServersaifastapi2/);
    }
    const [, role] = only(nemo.templates.compute, 'AWS::IAM::Role', { Description: 'plinth nemo/prod: schedule office-hours stops and starts servers/ai-vllm, servers/ai-fastapi' });
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    }]);
  });

  it('scales the node group to 0 at night and back to 3, keeping MaxSize at 3 (EKS refuses 0)', () => {
    const found = schedules(nemo.templates.cluster);
    const stop = found.find((s) => s.expression === 'cron(0 20 ? * MON-FRI *)')!;
    const start = found.find((s) => s.expression === 'cron(0 8 ? * MON-FRI *)')!;
    expect(found).toHaveLength(2);
    expect(stop.call).toBe('eks:updateNodegroupConfig');
    expect(stop.input).toContain('\\"ClusterName\\":\\"nemo_EKS_kluster\\"');
    expect(stop.input).toContain('\\"ScalingConfig\\":{\\"MinSize\\":0,\\"DesiredSize\\":0,\\"MaxSize\\":3}');
    expect(start.input).toContain('\\"ScalingConfig\\":{\\"MinSize\\":3,\\"DesiredSize\\":3,\\"MaxSize\\":3}');
    expect(stop.input).toContain('"Fn::GetAtt":["ClusterNodeGroupsMainNodegroup');
    const statements = statementsOf(nemo.templates.cluster, stop.role);
    expect(statements).toEqual([{ Action: 'eks:UpdateNodegroupConfig', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ClusterNodeGroupsMainNodegroup/), 'Arn'] } }]);
  });

  it('stops and starts the database, and stops it again every day because AWS restarts it after 7 days', () => {
    const found = schedules(nemo.templates.data);
    expect(found.map((s) => [s.call, s.expression, s.retries]).sort()).toEqual([
      ['rds:startDBInstance', 'cron(0 8 ? * MON-FRI *)', 3],
      ['rds:stopDBInstance', 'cron(0 20 ? * * *)', 0],
      ['rds:stopDBInstance', 'cron(0 20 ? * MON-FRI *)', 3],
    ]);
    for (const s of found) expect(s.input).toMatch(/^\{"Fn::Join":\["",\["\{\\"DbInstanceIdentifier\\":\\"",\{"Ref":"DataDatabasesmainInstance/);
    const statements = statementsOf(nemo.templates.data, found[0]!.role);
    expect(statements.map((s) => s.Action).sort()).toEqual(['rds:StartDBInstance', 'rds:StopDBInstance']);
    for (const s of statements) expect(JSON.stringify(s.Resource)).toMatch(/:rds:.*:db:.*DataDatabasesmainInstance/);
  });

  it('uses no Lambda function for any of it', () => {
    for (const template of [nemo.templates.compute, nemo.templates.data]) expect(resources(template, 'AWS::Lambda::Function')).toEqual([]);
    const clusterFunctions = resources(nemo.templates.cluster, 'AWS::Lambda::Function').map(([id]) => id);
    expect(clusterFunctions.every((id) => id.startsWith('ClusterKubectlProvider'))).toBe(true);
  });
});
