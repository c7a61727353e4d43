/**
 * Cost schedules as EventBridge Scheduler universal targets: the scheduler itself calls
 * ec2:StopInstances/StartInstances, eks:UpdateNodegroupConfig and rds:StopDBInstance/StartDBInstance,
 * so there is no Lambda to deploy, patch or pay for (seed 001 used one).
 *
 * Each target is scheduled from the stack that owns it (servers from compute, node groups from the
 * cluster, databases from data): a schedule never pins a resource through a cross-stack export, which
 * would block replacing that resource. One role per schedule per stack, allowed exactly the calls it
 * makes on exactly the resources it names.
 */
import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { CronPlan, SchedulePlan } from '../plan/types.js';
import { constructIdOf } from './construct-id.js';

/** One API call the scheduler makes, and what it may be made on. */
export interface ScheduledCall {
  /** Names the call's schedules (`Servers`, `NodeGroupMain`, `DbMain`), so reordering targets replaces nothing. */
  readonly id: string;
  /** `ec2:stopInstances`: SDK service id and camelCase action, as in the universal target ARN. */
  readonly service: string;
  readonly action: string;
  /** SDK request parameters in the API model's PascalCase (what the universal target expects). */
  readonly input: Record<string, unknown>;
  readonly resources: readonly string[];
  /** Retries for a call that is expected to fail harmlessly (stopping a stopped database) are pointless. */
  readonly retry: boolean;
}

/** What a schedule does to the targets owned by one stack. */
export interface ScheduledTargets {
  /** Shown in the schedules' descriptions, e.g. `servers/ai-vllm, servers/ai-fastapi`. */
  readonly refs: readonly string[];
  readonly stop: readonly ScheduledCall[];
  readonly start: readonly ScheduledCall[];
  /** Repeated daily at the stop time (databases, which AWS restarts after 7 days). */
  readonly restop: readonly ScheduledCall[];
}

export interface SchedulesProps {
  /** Every schedule of the plan; only those with targets in this stack create anything. */
  readonly schedules: readonly SchedulePlan[];
  /** The calls for the targets of a schedule that this stack owns; undefined when it owns none. */
  readonly targetsOf: (schedule: SchedulePlan) => ScheduledTargets | undefined;
  /** `plinth <platform>/<environment>`, at the start of schedule and role descriptions. */
  readonly label: string;
}

export class Schedules extends Construct {
  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    for (const schedule of props.schedules) {
      const targets = props.targetsOf(schedule);
      if (!targets) continue;
      new ScheduleGroup(this, constructIdOf(schedule.name), schedule, targets, props.label);
    }
  }
}

class ScheduleGroup extends Construct {
  constructor(scope: Construct, id: string, schedule: SchedulePlan, targets: ScheduledTargets, label: string) {
    super(scope, id);
    const calls = [...targets.stop, ...targets.start, ...targets.restop];
    const role = new iam.Role(this, 'Role', {
      description: `${label}: schedule ${schedule.name} stops and starts ${targets.refs.join(', ')}`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        // Only this account's schedules may use the role (confused-deputy guard, as the CDK L2 sets it).
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    for (const [action, resources] of groupByAction(calls)) {
      role.addToPolicy(new iam.PolicyStatement({ actions: [action], resources }));
    }

    const add = (kind: 'Stop' | 'Start' | 'Restop', cron: CronPlan, list: readonly ScheduledCall[]) => list.forEach((call) => {
      new scheduler.CfnSchedule(this, `${kind}${call.id}`, {
        description: `${label}: ${kind === 'Restop' ? 'stop again (AWS restarts stopped databases after 7 days)' : kind.toLowerCase()} ${targets.refs.join(', ')} at ${cron.expression} ${schedule.timezone} (schedule ${schedule.name})`.slice(0, 512),
        scheduleExpression: cron.expression,
        scheduleExpressionTimezone: schedule.timezone,
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: `arn:${Aws.PARTITION}:scheduler:::aws-sdk:${call.service}:${call.action}`,
          roleArn: role.roleArn,
          input: Stack.of(this).toJsonString(call.input),
          // A stop that could not run for an hour is stale; running it at noon would surprise people.
          retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: call.retry ? 3 : 0 },
        },
      });
    });
    add('Stop', schedule.stop, targets.stop);
    if (schedule.start) add('Start', schedule.start, targets.start);
    add('Restop', schedule.restop, targets.restop);
  }
}

/** `ec2:stopInstances` → `ec2:StopInstances`, with every resource the calls name, in order. */
function groupByAction(calls: readonly ScheduledCall[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const call of calls) {
    const action = `${call.service}:${call.action.charAt(0).toUpperCase()}${call.action.slice(1)}`;
    const resources = out.get(action) ?? [];
    for (const r of call.resources) if (!resources.includes(r)) resources.push(r);
    out.set(action, resources);
  }
  return out;
}

// --- the calls, per kind of target ---------------------------------------------------------------

export function instanceCalls(instanceIds: readonly string[]): Pick<ScheduledTargets, 'stop' | 'start'> {
  const id = 'Servers';
  const resources = instanceIds.map((id) => `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:instance/${id}`);
  const input = { InstanceIds: [...instanceIds] };
  return {
    stop: [{ id, service: 'ec2', action: 'stopInstances', input, resources, retry: true }],
    start: [{ id, service: 'ec2', action: 'startInstances', input, resources, retry: true }],
  };
}

/**
 * Scale to zero and back. EKS refuses MaxSize 0, so it stays at the group's maximum; MinSize and
 * DesiredSize go to 0 and back to the planned values.
 */
export function nodegroupCalls(
  group: { name: string; minSize: number; desiredSize: number; maxSize: number },
  clusterName: string,
  nodegroupName: string,
  nodegroupArn: string,
): Pick<ScheduledTargets, 'stop' | 'start'> {
  const call = (min: number, desired: number): ScheduledCall => ({
    id: `NodeGroup${constructIdOf(group.name)}`,
    service: 'eks',
    action: 'updateNodegroupConfig',
    input: { ClusterName: clusterName, NodegroupName: nodegroupName, ScalingConfig: { MinSize: min, DesiredSize: desired, MaxSize: group.maxSize } },
    resources: [nodegroupArn],
    retry: true,
  });
  return { stop: [call(0, 0)], start: [call(group.minSize, group.desiredSize)] };
}

/** `DbInstanceIdentifier` with a lower-case b: the universal target validates against the SDK model's member name. */
export function databaseCalls(name: string, instanceIdentifier: string, instanceArn: string): Omit<ScheduledTargets, 'refs'> {
  const id = `Db${constructIdOf(name)}`;
  const input = { DbInstanceIdentifier: instanceIdentifier };
  const resources = [instanceArn];
  return {
    stop: [{ id, service: 'rds', action: 'stopDBInstance', input, resources, retry: true }],
    start: [{ id, service: 'rds', action: 'startDBInstance', input, resources, retry: true }],
    restop: [{ id, service: 'rds', action: 'stopDBInstance', input, resources, retry: false }],
  };
}

/** Merges the calls for several targets of one schedule in one stack. */
export function combineTargets(parts: readonly (Partial<ScheduledTargets> & { readonly refs: readonly string[] })[]): ScheduledTargets | undefined {
  if (parts.length === 0) return undefined;
  return {
    refs: parts.flatMap((p) => p.refs),
    stop: parts.flatMap((p) => p.stop ?? []),
    start: parts.flatMap((p) => p.start ?? []),
    restop: parts.flatMap((p) => p.restop ?? []),
  };
}

// --- a schedule's targets in each stack ----------------------------------------------------------

/** The schedule's servers (compute stack): one stop and one start call for all their instances. */
export function serverTargets(schedule: SchedulePlan, instanceIdsOf: (ref: string) => readonly string[]): ScheduledTargets | undefined {
  const servers = schedule.targets.filter((t) => t.kind === 'servers');
  if (servers.length === 0) return undefined;
  return combineTargets([{ refs: servers.map((t) => t.ref), ...instanceCalls(servers.flatMap((t) => instanceIdsOf(t.ref))) }]);
}

/** The schedule's node groups (cluster stack). */
export function nodegroupTargets(
  schedule: SchedulePlan,
  clusterName: string,
  nodegroupOf: (name: string) => { readonly name: string; readonly arn: string },
): ScheduledTargets | undefined {
  return combineTargets(schedule.targets.flatMap((t) => {
    if (t.kind !== 'nodeGroup') return [];
    const nodegroup = nodegroupOf(t.name);
    return [{ refs: [t.ref], ...nodegroupCalls(t, clusterName, nodegroup.name, nodegroup.arn) }];
  }));
}

/** The schedule's databases (data stack). */
export function databaseTargets(
  schedule: SchedulePlan,
  databaseOf: (name: string) => { readonly identifier: string; readonly arn: string },
): ScheduledTargets | undefined {
  return combineTargets(schedule.targets.flatMap((t) => {
    if (t.kind !== 'db') return [];
    const db = databaseOf(t.name);
    return [{ refs: [t.ref], ...databaseCalls(t.name, db.identifier, db.arn) }];
  }));
}
