/** examples/existing-vpc: built into a stated VPC, its templates create no network, and verify says what it assumes. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { estimate, readModel } from '../../src/analyse/cost/index.js';
import { verify } from '../../src/analyse/verify/index.js';
import { synthesizePlatform } from '../../src/aws/synth.js';
import { examplePlan } from '../support.js';

const NETWORK_TYPES = [
  'AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::InternetGateway', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::NatGateway',
  'AWS::EC2::EIP', 'AWS::EC2::RouteTable', 'AWS::EC2::Route', 'AWS::EC2::SubnetRouteTableAssociation', 'AWS::EC2::VPCEndpoint',
];

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

describe('examples/existing-vpc', () => {
  const plan = examplePlan('existing-vpc');
  const outdir = mkdtempSync(join(tmpdir(), 'plinth-existing-vpc-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const result = synthesizePlatform(plan, { outdir });
  const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json'))
    .map((f) => ({ file: f, template: JSON.parse(readFileSync(join(outdir, f), 'utf8')) as Template }));
  const all = templates.flatMap(({ template }) => Object.values(template.Resources));

  it('creates no VPC, subnet, gateway, NAT or route', () => {
    expect(all.filter((r) => NETWORK_TYPES.includes(r.Type)).map((r) => r.Type)).toEqual([]);
  });

  it('creates neither the existing repository nor the existing hosted zone', () => {
    expect(all.filter((r) => r.Type === 'AWS::ECR::Repository' || r.Type === 'AWS::Route53::HostedZone')).toEqual([]);
  });

  it('places the cluster, node group and security groups in the stated VPC and subnets, by id', () => {
    const cluster = all.find((r) => r.Type === 'AWS::EKS::Cluster')!;
    expect((cluster.Properties!.ResourcesVpcConfig as { SubnetIds: unknown }).SubnetIds).toEqual(['subnet-0aa11bb22cc33dd51', 'subnet-0aa11bb22cc33dd52']);
    const nodegroup = all.find((r) => r.Type === 'AWS::EKS::Nodegroup')!;
    expect(nodegroup.Properties!.Subnets).toEqual(['subnet-0aa11bb22cc33dd51', 'subnet-0aa11bb22cc33dd52']);
    for (const group of all.filter((r) => r.Type === 'AWS::EC2::SecurityGroup')) expect(group.Properties!.VpcId).toBe('vpc-0a1b2c3d4e5f60718');
  });

  it('pins the ALB to the stated public subnets instead of relying on tags plinth may not write', () => {
    const ingress = readFileSync(join(outdir, 'k8s', 'ledger', 'api.yaml'), 'utf8');
    expect(ingress).toContain('alb.ingress.kubernetes.io/subnets: subnet-0aa11bb22cc33dd41,subnet-0aa11bb22cc33dd42');
  });

  it('has 0 blocking validation findings', () => {
    expect(result.findings.filter((f) => f.severity === 'error' || f.severity === 'fatal')).toEqual([]);
  });

  it('verifies every check, listing the routing and network ACLs it cannot see as assumptions', () => {
    const report = verify([outdir], { plan });
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    const assumed = report.assumptions.map((a) => a.text);
    expect(assumed).toContainEqual(expect.stringContaining('Existing subnet subnet-0aa11bb22cc33dd41 (tier public, public): its route table (not stated) is assumed to send 0.0.0.0/0 to an internet gateway'));
    expect(assumed).toContainEqual(expect.stringContaining('Existing subnet subnet-0aa11bb22cc33dd51 (tier private, private): its route table rtb-0aa11bb22cc33dd61 is assumed to send 0.0.0.0/0 to a NAT gateway'));
    expect(assumed).toContainEqual(expect.stringContaining('network ACLs of the existing VPC vpc-0a1b2c3d4e5f60718 are assumed to allow all traffic'));
  });

  it('creates no bucket for the existing one, and scopes the app role to its ARN', () => {
    expect(all.filter((r) => r.Type === 'AWS::S3::Bucket')).toEqual([]);
    const policy = all.find((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties).includes('ledger-statements'))!;
    const statements = (policy.Properties!.PolicyDocument as { Statement: { Sid: string; Resource: unknown }[] }).Statement;
    const arn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::ledger-statements-111122223333${suffix}`]] });
    expect(statements.map((s) => [s.Sid, s.Resource])).toEqual([['StatementsObjects', arn('/*')], ['StatementsList', arn('')]]);
  });

  it('prices no bucket: the existing one is not new, and the cost estimate has no S3 line', () => {
    const e = estimate(readModel([outdir]), { region: 'ap-northeast-2' });
    expect(e.resources.filter((r) => r.type === 'AWS::S3::Bucket')).toEqual([]);
    expect(e.resources.length).toBeGreaterThan(0);
  });

  it('lets the trusted group in by id, on the database and the API, and makes no group for it', () => {
    const rules = all.filter((r) => r.Type === 'AWS::EC2::SecurityGroup')
      .flatMap((g) => (g.Properties!.SecurityGroupIngress as Record<string, unknown>[] | undefined) ?? [])
      .filter((rule) => rule.SourceSecurityGroupId === 'sg-0c0ffee0c0ffee001');
    expect(rules.map((r) => r.FromPort).sort()).toEqual([443, 5432]);
    expect(all.filter((r) => r.Type === 'AWS::EC2::SecurityGroup' && JSON.stringify(r).includes('ops-bastion'))).toEqual([]);
  });

  it('lists the trusted group and the existing bucket among its assumptions', () => {
    const assumed = verify([outdir], { plan }).assumptions.map((a) => a.text);
    expect(assumed).toContainEqual(expect.stringContaining('The existing security group sg-0c0ffee0c0ffee001 (sg/ops-bastion: network team bastion hosts) is not in the templates: its members are assumed to be at 10.40.0.0/24, 10.40.1.0/24'));
    expect(assumed).toContainEqual(expect.stringContaining('The bucket ledger-statements-111122223333 (data.buckets.statements) exists already'));
  });

  it('GIVEN the rule for the trusted group removed WHEN verified THEN the declared flow from it fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-existing-vpc-mutated-'));
    try {
      for (const { file, template: original } of templates) {
        const template = structuredClone(original);
        for (const r of Object.values(template.Resources).filter((x) => x.Type === 'AWS::EC2::SecurityGroup')) {
          const ingress = r.Properties!.SecurityGroupIngress as Record<string, unknown>[] | undefined;
          if (ingress) r.Properties!.SecurityGroupIngress = ingress.filter((rule) => !(rule.SourceSecurityGroupId === 'sg-0c0ffee0c0ffee001' && rule.FromPort === 5432));
        }
        writeFileSync(join(dir, file), JSON.stringify(template));
      }
      const report = verify([dir], { plan });
      expect(report.findings.filter((f) => f.status === 'violation').map((f) => f.message)).toContainEqual(expect.stringMatching(/^The spec declares sg\/ops-bastion → db\/main:5432 .*, but sg\/ops-bastion cannot reach db\/main/));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without the stated network, the same templates leave verify unsure where things sit', () => {
    const report = verify([outdir], { plan: { ...plan, network: { ...plan.network, existingVpcId: undefined } } });
    expect(report.findings.some((f) => f.status === 'unknown')).toBe(true);
  });
});
