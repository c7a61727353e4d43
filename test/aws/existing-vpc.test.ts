/** examples/existing-vpc: built into a stated VPC, its templates create no network, and verify says what it assumes. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

  it('without the stated network, the same templates leave verify unsure where things sit', () => {
    const report = verify([outdir], { plan: { ...plan, network: { ...plan.network, existingVpcId: undefined } } });
    expect(report.findings.some((f) => f.status === 'unknown')).toBe(true);
  });
});
