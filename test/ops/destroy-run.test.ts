/**
 * `plinth destroy --delete-data` run as a whole, with the CDK CLI replaced by a recorder and AWS by
 * recorded SDK answers (aws-sdk-client-mock): bootcamp-ec2 with a retained database, which holds the
 * network stack. One run deletes every other stack, the database (waiting until RDS no longer lists it),
 * its subnet group, then the network stack and its kept data.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EFSClient } from '@aws-sdk/client-efs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeleteDBInstanceCommand, DeleteDBSubnetGroupCommand, DescribeDBInstancesCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPlanAssembly } from '../../src/analyse/plan/assembly.js';
import { runDestroy } from '../../src/cli/commands/destroy.js';
import type { Output } from '../../src/cli/io.js';
import { dataClients } from '../../src/ops/data-clients.js';
import { exampleSpec } from '../lifecycle/scenarios.js';

const dir = mkdtempSync(join(tmpdir(), 'plinth-destroy-run-'));
const outdir = join(dir, 'cdk.out');
// The suite runs test files in shared workers: every client mocked here is restored after.
const mocks: { restore(): void }[] = [];
afterAll(() => {
  for (const m of mocks) m.restore();
  rmSync(dir, { recursive: true, force: true });
});

function capture(): Output & { lines: string[] } {
  const lines: string[] = [];
  return { json: false, lines, info: (t) => lines.push(t), error: (t) => lines.push(`ERROR ${t}`), result: () => undefined };
}

describe('destroy --delete-data with a retained database', () => {
  beforeAll(() => {
    const spec = exampleSpec('bootcamp-ec2');
    spec.data.databases.main.removal = 'retain';
    mkdirSync(join(dir, 'spec'));
    writeFileSync(join(dir, 'spec', 'plinth.yaml'), stringify(spec));
  });

  it('deletes everything in one run: other stacks, the database once gone, its subnet group, then the network', async () => {
    for (const c of [CloudWatchLogsClient, ECRClient, EFSClient, ElasticLoadBalancingV2Client, Route53Client, S3Client, SecretsManagerClient]) mocks.push(mockClient(c as never).onAnyCommand().resolves({}));
    mocks.push(mockClient(EC2Client).onAnyCommand().resolves({}).on(DescribeVpcsCommand).resolves({ Vpcs: [] }));
    // Stacks exist until the recorded cdk destroys them; each lists its resources with a made-up physical id.
    const gone = new Set<string>();
    const stacks = () => readPlanAssembly(outdir);
    // The recorded CDK CLI: each `cdk destroy` call is kept, and the stacks it names are gone afterwards.
    const calls: string[][] = [];
    const cdk = async (_ctx: unknown, args: readonly string[]) => {
      calls.push([...args]);
      for (const s of stacks()) if (args.includes('--all') || args.includes(s.id)) gone.add(s.id);
      return 0;
    };
    const cfn = mockClient(CloudFormationClient);
    mocks.push(cfn);
    cfn.on(ListStackResourcesCommand).callsFake(({ StackName }: { StackName: string }) => {
      const s = stacks().find((x) => x.stackName === StackName)!;
      if (gone.has(s.id)) throw new Error(`Stack with id ${StackName} does not exist`);
      return { StackResourceSummaries: Object.keys(s.template.Resources ?? {}).map((id) => ({ LogicalResourceId: id, PhysicalResourceId: `${id.toLowerCase()}-1` })) };
    });
    const rds = mockClient(RDSClient);
    mocks.push(rds);
    let db: 'available' | 'deleting' | 'gone' = 'available';
    let polls = 0;
    const notFound = () => Object.assign(new Error('DBInstance not found'), { name: 'DBInstanceNotFoundFault' });
    rds.on(DescribeDBInstancesCommand).callsFake(({ DBInstanceIdentifier }: { DBInstanceIdentifier?: string }) => {
      if (db === 'deleting' && ++polls === 3) db = 'gone';
      if (db === 'gone') {
        if (DBInstanceIdentifier) throw notFound();
        return { DBInstances: [] };
      }
      return { DBInstances: [{ DBInstanceIdentifier: 'dbinstance-1', DeletionProtection: db === 'available', DBInstanceStatus: db, TagList: [] }] };
    });
    rds.on(ModifyDBInstanceCommand).resolves({});
    rds.on(DeleteDBInstanceCommand).callsFake(() => {
      db = 'deleting';
      return {};
    });
    rds.on(DeleteDBSubnetGroupCommand).callsFake(() => {
      if (db !== 'gone') throw Object.assign(new Error('in use'), { name: 'InvalidDBSubnetGroupStateFault' });
      return {};
    });
    const out = capture();
    const code = await runDestroy({
      positionals: [join(dir, 'spec')], out,
      values: { out: outdir, 'delete-data': true, confirm: 'bootcamp-prod' },
    }, { cdk, credentialsConfigured: () => true, dataClients: async (region) => ({ ...dataClients(region), databaseWait: { pollMs: 0, maxPolls: 5 } }) });
    expect(code, out.lines.join('\n')).toBe(0);
    expect(calls).toHaveLength(2);
    const network = stacks().find((s) => s.id.endsWith('Network') || /network/i.test(s.stackName))!;
    expect(calls[0]).not.toContain(network.id);
    expect(calls[1]).toEqual(['destroy', '--app', outdir, network.id, '--force']);
    const text = out.lines.join('\n');
    expect(text).toMatch(/Instance \(AWS::RDS::DBInstance (\w+-1)\): deleted, final snapshot \1-final-\d+ kept/);
    expect(text).toMatch(/SubnetGroup\/Default \(AWS::RDS::DBSubnetGroup \w+-1\): deleted/);
    expect(text).toContain(`What held ${network.stackName} is gone; deleting it now.`);
    expect(text).not.toContain('LEFT');
    // The network's own kept log group goes only after the network stack.
    expect(text.search(/Network\/FlowLogGroup \(AWS::Logs::LogGroup \w+-1\): deleted/)).toBeGreaterThan(text.indexOf('What held'));
    expect(rds.commandCalls(DeleteDBSubnetGroupCommand)).toHaveLength(1);
  }, 120_000);
});
