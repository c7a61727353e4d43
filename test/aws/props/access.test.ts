/**
 * Who may act on the platform, from narrow props in bare stacks with no Plan: machines outside AWS
 * (ExternalPrincipals), cluster access entries (AccessEntries) and cost schedules (Schedules).
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { AccessEntries } from '../../../src/aws/cluster/access-entries.js';
import { ExternalPrincipals } from '../../../src/aws/external-principals.js';
import { Schedules, serverTargets } from '../../../src/aws/schedules.js';
import type { CronPlan, ExternalPrincipalPlan, SchedulePlan } from '../../../src/plan/types.js';
import { bareStack } from './bare.js';

const backup: ExternalPrincipalPlan = {
  name: 'backup', trustAnchorPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', commonName: 'backup.office.example',
  sessionMinutes: 60, permissions: [{ kind: 'bucket', bucket: 'archive', prefix: 'nightly/', access: 'write' }],
};

describe('ExternalPrincipals', () => {
  it('GIVEN a machine that writes one prefix WHEN synthesized THEN a role only its CN may assume through its anchor, allowed only that prefix', () => {
    const stack = bareStack('Data');
    const archive = new s3.Bucket(stack, 'Archive');
    new ExternalPrincipals(stack, 'External', { namePrefix: 'shop-prod', principals: [backup], buckets: { archive } });
    const template = Template.fromStack(stack);
    const [anchor] = Object.keys(template.findResources('AWS::RolesAnywhere::TrustAnchor'));
    template.hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', { Name: 'shop-prod-backup', Enabled: true });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'backup.office.example' }, ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [anchor, 'TrustAnchorArn'] } } },
      })]) },
    });
    template.hasResourceProperties('AWS::RolesAnywhere::Profile', { Name: 'shop-prod-backup', DurationSeconds: 3600 });
    const policy = JSON.stringify(Object.values(template.findResources('AWS::IAM::Policy')));
    expect(policy).toContain('/nightly/*');
    expect(policy).not.toContain('s3:Get');
  });

  it('GIVEN a permission on a bucket that was not passed THEN a located error naming it', () => {
    const stack = bareStack('Data');
    expect(() => new ExternalPrincipals(stack, 'External', { namePrefix: 'shop-prod', principals: [backup] }))
      .toThrow(/E_UNKNOWN_BUCKET: access\/external\/backup .* bucket "archive"/);
  });
});

describe('AccessEntries', () => {
  it('GIVEN an admin and a team member THEN the admin gets the cluster-admin policy on the whole cluster, the member only the team group', () => {
    const stack = bareStack('Compute');
    new AccessEntries(stack, 'Access', {
      clusterName: 'shop-prod',
      entries: [
        { id: 'role-ops', principalArn: 'arn:aws:iam::111111111111:role/ops', clusterAdmin: true },
        { id: 'user-jimin', principalArn: 'arn:aws:iam::111111111111:user/jimin', kubernetesGroups: ['plinth:team:web'] },
      ],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'shop-prod', PrincipalArn: 'arn:aws:iam::111111111111:role/ops', KubernetesGroups: Match.absent(),
      AccessPolicies: [{ PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']] }, AccessScope: { Type: 'cluster' } }],
    });
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::111111111111:user/jimin', KubernetesGroups: ['plinth:team:web'], AccessPolicies: Match.absent(),
    });
  });
});

const cron = (expression: string): CronPlan => ({ expression, minutes: '0', hours: '20', dayOfMonth: '?', month: '*', dayOfWeek: 'MON-FRI', year: '*' });

describe('Schedules', () => {
  it('GIVEN a night schedule on servers THEN a stop and a start call in the schedule\'s time zone, by a role allowed only those instances', () => {
    const stack = bareStack('Compute');
    const schedule: SchedulePlan = {
      name: 'nights', timezone: 'Asia/Seoul', stop: cron('cron(0 20 ? * MON-FRI *)'), start: cron('cron(0 8 ? * MON-FRI *)'),
      restop: cron('cron(0 20 ? * * *)'), targets: [{ kind: 'servers', ref: 'servers/app', name: 'app' }],
    };
    new Schedules(stack, 'Schedules', {
      schedules: [schedule], label: 'plinth shop/prod',
      targetsOf: (s) => serverTargets(s, (ref) => (ref === 'servers/app' ? ['i-0aaa', 'i-0bbb'] : [])),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 20 ? * MON-FRI *)', ScheduleExpressionTimezone: 'Asia/Seoul',
      Target: Match.objectLike({ Input: JSON.stringify({ InstanceIds: ['i-0aaa', 'i-0bbb'] }) }),
    });
    const policy = JSON.stringify(Object.values(template.findResources('AWS::IAM::Policy')));
    expect(policy).toContain('ec2:StopInstances');
    expect(policy).toContain(':instance/i-0bbb');
    expect(policy).not.toContain('"*"');
  });

  it('GIVEN a schedule with no target in this stack THEN nothing', () => {
    const stack = bareStack('Compute');
    new Schedules(stack, 'Schedules', {
      label: 'plinth shop/prod', targetsOf: () => undefined,
      schedules: [{ name: 'nights', timezone: 'UTC', stop: cron('cron(0 20 * * ? *)'), start: undefined, restop: cron('cron(0 20 * * ? *)'), targets: [] }],
    });
    expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
  });
});
