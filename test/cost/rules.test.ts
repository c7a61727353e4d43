/** The cost rules one by one, on hand-written templates and small specs (GIVEN / WHEN / THEN). */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimate, estimatePaths, loadUsageFile, readModel, staleTableWarning, UsageFileError } from '../../src/analyse/cost/index.js';
import { availableRegions, PRICES_DIR, validateTable } from '../../src/analyse/cost/prices.js';
import type { PriceTable } from '../../src/analyse/cost/types.js';
import { synthesizePlatform } from '../../src/aws/synth.js';
import { planFromYaml } from '../support.js';
import { monthlyOf, NOW, P, resource, SEOUL, templateFile } from './support.js';

const H = 730;
const seoul = (file: string, extra: Parameters<typeof estimatePaths>[1] = {}) => estimatePaths([file], { region: 'ap-northeast-2', now: NOW, ...extra });

describe('RDS Multi-AZ', () => {
  const db = (multiAz: boolean) => ({ Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', EngineVersion: '16', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: '20', StorageType: 'gp3', MultiAZ: multiAz } });
  const e = seoul(templateFile({ Single: db(false), Multi: db(true) }));

  it('prices the standby: the Multi-AZ instance and storage rates, about twice the Single-AZ ones', () => {
    const single = resource(e, 'Single');
    const multi = resource(e, 'Multi');
    expect(single.components[0]!.monthly!.base).toBeCloseTo(H * P('rds.instance.postgres.db.t4g.micro.singleAz'), 4);
    expect(multi.components[0]!.monthly!.base).toBeCloseTo(H * P('rds.instance.postgres.db.t4g.micro.multiAz'), 4);
    expect(multi.components[1]!.monthly!.base).toBeCloseTo(20 * P('rds.storage.gp3.multiAz'), 4);
    expect(monthlyOf(multi) / monthlyOf(single)).toBeGreaterThan(1.95);
    expect(monthlyOf(multi) / monthlyOf(single)).toBeLessThan(2.1);
  });
});

describe('NAT gateways: per AZ vs single', () => {
  const spec = (nat: string) => `
platform: { name: nat${nat.toLowerCase()}, region: ap-northeast-2 }
network:
  cidr: 10.0.0.0/16
  azs: [ap-northeast-2a, ap-northeast-2b, ap-northeast-2c]
  nat: ${nat}
  flowLogs: false
`;
  const run = (nat: string) => {
    const outdir = mkdtempSync(join(tmpdir(), `plinth-cost-nat-${nat}-`));
    synthesizePlatform(planFromYaml(spec(nat)), { outdir });
    return estimatePaths([outdir], { now: NOW });
  };
  const single = run('single');
  const perAz = run('perAz');

  it('bills one gateway and one address per NAT: three times the fixed network cost per AZ', () => {
    const gateways = (e: typeof single) => e.resources.filter((r) => r.type === 'AWS::EC2::NatGateway').length;
    expect(gateways(single)).toBe(1);
    expect(gateways(perAz)).toBe(3);
    expect(single.fixedMonthly).toBeCloseTo(H * P('vpc.natGateway.hour') + H * P('vpc.publicIpv4.hour'), 4);
    expect(perAz.fixedMonthly).toBeCloseTo(3 * (H * P('vpc.natGateway.hour') + H * P('vpc.publicIpv4.hour')), 4);
    // Data processed is per gateway in the usage file: the base profile assumes 100 GB through each.
    expect(perAz.totals.base - perAz.fixedMonthly).toBeCloseTo(3 * 100 * P('vpc.natGateway.gb'), 4);
  });
});

describe('Spot', () => {
  const group = (capacity: string) => ({ Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: 'c', CapacityType: capacity, InstanceTypes: ['t3.medium'], ScalingConfig: { DesiredSize: 2, MinSize: 0, MaxSize: 4 }, DiskSize: 30, NodeRole: 'arn', Subnets: [] } });
  const file = templateFile({ OnDemand: group('ON_DEMAND'), Spot: group('SPOT') });

  it('is priced from the table\'s sourced Spot snapshot: low at the cheapest zone, base and high at the dearest', () => {
    const e = seoul(file);
    const spot = resource(e, 'Spot').components[0]!;
    expect(spot.name).toContain('Spot');
    expect(spot.priceKey).toBe('ec2.spot.t3.medium.high');
    expect(spot.monthly!.low).toBeCloseTo(2 * H * P('ec2.spot.t3.medium.low'), 4);
    expect(spot.monthly!.base).toBeCloseTo(2 * H * P('ec2.spot.t3.medium.high'), 4);
    expect(P('ec2.spot.t3.medium.high')).toBeLessThan(P('ec2.instance.t3.medium'));
    expect(spot.notes.join(' ')).toMatch(/Spot priced from the table's Spot snapshot/);
    expect(resource(e, 'OnDemand').components[0]!.monthly!.base).toBeCloseTo(2 * H * P('ec2.instance.t3.medium'), 4);
  });

  it('says Spot is unpriced, and uses the on-demand rate as an upper bound, when the table has no Spot price for the type', () => {
    const small = { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: 'c', CapacityType: 'SPOT', InstanceTypes: ['t3.small'], ScalingConfig: { DesiredSize: 1 }, NodeRole: 'arn', Subnets: [] } };
    const line = resource(seoul(templateFile({ Small: small })), 'Small').components[0]!;
    expect(line.monthly!.base).toBeCloseTo(H * P('ec2.instance.t3.small'), 4);
    expect(line.notes.join(' ')).toMatch(/Spot is unpriced in the ap-northeast-2 table for t3\.small: priced at the on-demand rate, an upper bound/);
  });

  it('applies the discount the usage file assumes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-usage-'));
    writeFileSync(join(dir, 'plinth-usage.yaml'), 'defaults:\n  spot.discountPercent: 60\n');
    const e = seoul(file, { usage: loadUsageFile(join(dir, 'plinth-usage.yaml')) });
    expect(resource(e, 'Spot').components[0]!.monthly!.base).toBeCloseTo(2 * H * P('ec2.instance.t3.medium') * 0.4, 4);
    expect(resource(e, 'OnDemand').components[0]!.monthly!.base).toBeCloseTo(2 * H * P('ec2.instance.t3.medium'), 4);
    // Node disks: 2 × 30 GB, gp3 assumed.
    expect(resource(e, 'Spot').components[1]!.monthly!.base).toBeCloseTo(60 * P('ebs.gp3.storage'), 4);
  });
});

describe('usage profiles', () => {
  const file = templateFile({ Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-1' } } });

  it('gives a low–base–high range from the documented defaults', () => {
    const e = seoul(file);
    for (const [p, gb] of [['low', 10], ['base', 100], ['high', 1000]] as const) {
      expect(e.totals[p]).toBeCloseTo(H * P('vpc.natGateway.hour') + gb * P('vpc.natGateway.gb'), 4);
    }
  });

  it('takes per-resource values and per-profile values from the usage file, and the profile to report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-usage-'));
    const usageFile = join(dir, 'plinth-usage.yaml');
    writeFileSync(usageFile, ['profile: high', 'defaults:', '  natGateway.dataProcessedGB: { low: 1, base: 2, high: 3 }', 'resources:', '  Nat: { natGateway.dataProcessedGB: 500 }'].join('\n'));
    const e = seoul(file, { usage: loadUsageFile(usageFile) });
    expect(e.profile).toBe('high');
    expect(e.totals).toEqual({ low: e.totals.base, base: e.totals.base, high: e.totals.base });
    expect(e.totals.base).toBeCloseTo(H * P('vpc.natGateway.hour') + 500 * P('vpc.natGateway.gb'), 4);
  });

  it('rejects an unknown key with the list of known ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-usage-'));
    writeFileSync(join(dir, 'u.yaml'), 'defaults:\n  nat.gb: 5\n');
    expect(() => loadUsageFile(join(dir, 'u.yaml'))).toThrow(UsageFileError);
    expect(() => loadUsageFile(join(dir, 'u.yaml'))).toThrow(/unknown usage key "nat.gb"; known keys: natGateway.dataProcessedGB/);
  });
});

describe('unpriced listing', () => {
  const e = seoul(templateFile({
    Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    Old: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 'm4.large', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, VolumeType: 'gp3' } }] } },
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
  }));

  it('lists a type plinth has no rule for, and a price the table lacks, never dropping either', () => {
    expect(e.unpriced).toEqual([
      { address: 'Stack/Queue', type: 'AWS::SQS::Queue', reason: 'plinth has no cost rule for AWS::SQS::Queue' },
      { address: 'Stack/Old', type: 'AWS::EC2::Instance', reason: 'Instance usage (m4.large, on-demand): no sourced price for ec2.instance.m4.large in the ap-northeast-2 table' },
    ]);
    expect(resource(e, 'Old').classification).toBe('priced'); // its disk is priced
    expect(resource(e, 'Vpc')).toMatchObject({ classification: 'free', reason: 'VPCs are free' });
  });
});

describe('price tables', () => {
  it('give every price a source with a URL and a quote', () => {
    for (const region of availableRegions()) {
      const table = JSON.parse(readFileSync(join(PRICES_DIR, `${region}.json`), 'utf8')) as PriceTable;
      expect(() => validateTable(table, region)).not.toThrow();
      expect(table.region).toBe(region);
      for (const entry of Object.values(table.prices)) expect(table.sources[entry.source]!.url).toMatch(/^https:\/\//);
    }
    expect(availableRegions()).toEqual(expect.arrayContaining(['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1']));
  });

  it('warn when older than 120 days, and not before', () => {
    const at = (days: number) => new Date(Date.parse(`${SEOUL.effectiveDate}T00:00:00Z`) + days * 86_400_000);
    expect(staleTableWarning(SEOUL, at(120))).toBeUndefined();
    expect(staleTableWarning(SEOUL, at(121))).toMatch(new RegExp(`The ap-northeast-2 price table is 121 days old \\(effective ${SEOUL.effectiveDate}; plinth warns after 120\\)`));
    expect(seoul(templateFile({}), { now: at(200) }).warnings[0]).toMatch(/200 days old/);
  });
});

describe('RDS Extended Support', () => {
  const db = (version: string, lifecycle?: string) => ({ Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'mysql', EngineVersion: version, DBInstanceClass: 'db.m6g.xlarge', AllocatedStorage: '20', StorageType: 'gp3', MultiAZ: true, ...(lifecycle ? { EngineLifecycleSupport: lifecycle } : {}) } });
  const e = estimatePaths([templateFile({ Old: db('8.0'), OptedOut: db('8.0', 'open-source-rds-extended-support-disabled'), Current: db('8.4', 'open-source-rds-extended-support-disabled') })], { region: 'us-east-1', now: new Date('2026-12-05T00:00:00Z') });
  const surcharge = (name: string) => resource(e, name).components.find((c) => c.priceKey === 'rds.extendedSupport.vcpu.hour');

  it('Noncompliance: MySQL 8.0 past 2026-07-31 without an opt-out is charged per vCPU-hour, standby included, and flagged', () => {
    // db.m6g.xlarge: 4 vCPU, Multi-AZ: 8 vCPU at $0.10 (us-east-1, years 1-2)
    expect(surcharge('Old')!.monthly!.base).toBeCloseTo(8 * 0.1 * H, 4);
    expect(resource(e, 'Old').flags.some((f) => f.startsWith('RDS EXTENDED SUPPORT'))).toBe(true);
  });

  it('Compliance: no surcharge with extended support disabled, or on a major in standard support', () => {
    expect(surcharge('OptedOut')).toBeUndefined();
    expect(surcharge('Current')).toBeUndefined();
  });
});

describe('EKS support tiers', () => {
  const cluster = (version: string, supportType?: string) => ({ Type: 'AWS::EKS::Cluster', Properties: { Version: version, RoleArn: 'arn', ResourcesVpcConfig: {}, ...(supportType ? { UpgradePolicy: { SupportType: supportType } } : {}) } });
  const e = seoul(templateFile({ Old: cluster('1.33'), OldStandard: cluster('1.33', 'STANDARD'), Current: cluster('1.34') }));

  it('charges and flags extended support past the end of standard support (default SupportType EXTENDED)', () => {
    expect(monthlyOf(resource(e, 'Old'))).toBeCloseTo(H * (P('eks.cluster.hour') + P('eks.cluster.extendedSupport.hour')), 4);
    expect(resource(e, 'Old').flags[0]).toMatch(/^EXTENDED SUPPORT/);
  });

  it('charges standard support before the end date, or with SupportType STANDARD', () => {
    expect(monthlyOf(resource(e, 'Current'))).toBeCloseTo(H * P('eks.cluster.hour'), 4);
    expect(monthlyOf(resource(e, 'OldStandard'))).toBeCloseTo(H * P('eks.cluster.hour'), 4);
    expect(resource(e, 'OldStandard').flags).toEqual([]);
  });
});

describe('runtime load balancers and volumes from Kubernetes manifests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-cost-k8s-'));
  writeFileSync(join(dir, 'Network.template.json'), JSON.stringify({
    Resources: Object.fromEntries(['a', 'b', 'c'].flatMap((az) => [
      [`Public${az}`, { Type: 'AWS::EC2::Subnet', Properties: { AvailabilityZone: `ap-northeast-2${az}`, Tags: [{ Key: 'kubernetes.io/role/elb', Value: '1' }] } }],
      [`Private${az}`, { Type: 'AWS::EC2::Subnet', Properties: { AvailabilityZone: `ap-northeast-2${az}`, Tags: [{ Key: 'kubernetes.io/role/internal-elb', Value: '1' }] } }],
    ])),
  }));
  mkdirSync(join(dir, 'k8s', 'shop'), { recursive: true });
  const ingress = (name: string, group: string | undefined, scheme: string) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace: 'shop', annotations: { 'alb.ingress.kubernetes.io/scheme': scheme, ...(group ? { 'alb.ingress.kubernetes.io/group.name': group } : {}) } },
    spec: { ingressClassName: 'alb', rules: [] },
  });
  const docs = [
    ingress('web', 'public', 'internet-facing'), ingress('api', 'public', 'internet-facing'), ingress('tools', undefined, 'internal'),
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'nginx', namespace: 'shop' }, spec: { ingressClassName: 'nginx' } },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'shop' }, spec: { storageClassName: 'gp3', resources: { requests: { storage: '50Gi' } } } },
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'kafka', namespace: 'shop' }, spec: { replicas: 3, volumeClaimTemplates: [{ metadata: { name: 'logs' }, spec: { storageClassName: 'gp3', resources: { requests: { storage: '100Gi' } } } }] } },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'shared', namespace: 'shop' }, spec: { storageClassName: 'efs', resources: { requests: { storage: '5Gi' } } } },
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' }, provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3' } },
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'efs' }, provisioner: 'efs.csi.aws.com' },
  ];
  writeFileSync(join(dir, 'k8s', 'shop', 'shop.yaml'), docs.map((d) => JSON.stringify(d)).join('\n---\n'));
  const e = estimate(readModel([dir]), { region: 'ap-northeast-2', now: NOW });

  it('creates one ALB per IngressGroup and one per ungrouped Ingress, none for other ingress classes', () => {
    const albs = e.resources.filter((r) => r.type === 'K8s::Ingress (ALB)');
    expect(albs.map((a) => a.address).sort()).toEqual(['k8s/alb/public', 'k8s/alb/shop/tools']);
  });

  it('gives an internet-facing ALB one public IPv4 per AZ of the elb-tagged subnets; an internal one none', () => {
    expect(monthlyOf(resource(e, 'k8s/alb/public'))).toBeCloseTo(H * P('elb.alb.hour') + 1 * H * P('elb.alb.lcu') + 3 * H * P('vpc.publicIpv4.hour'), 4);
    expect(monthlyOf(resource(e, 'k8s/alb/shop/tools'))).toBeCloseTo(H * P('elb.alb.hour') + 1 * H * P('elb.alb.lcu'), 4);
  });

  it('prices PVCs and StatefulSet claims as EBS at the requested size; EFS claims are free here', () => {
    expect(monthlyOf(resource(e, 'k8s/pvc/shop/data'))).toBeCloseTo(50 * P('ebs.gp3.storage'), 4);
    expect(monthlyOf(resource(e, 'k8s/pvc/shop/kafka/logs'))).toBeCloseTo(3 * 100 * P('ebs.gp3.storage'), 4);
    expect(resource(e, 'k8s/pvc/shop/shared').classification).toBe('free');
  });
});

describe('Lambda', () => {
  const file = templateFile({
    Api: { Type: 'AWS::Lambda::Function', Properties: { MemorySize: 512, Runtime: 'nodejs20.x' } },
    Handler: { Type: 'AWS::Lambda::Function', Properties: { MemorySize: 1024 } },
    Thing: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] } } },
  });
  const e = seoul(file);

  it('prices requests and GB-seconds from the usage profiles', () => {
    // base: 0.1 M invocations × 500 ms × 0.5 GB = 25,000 GB-s; high: 1 M × 2,000 ms × 0.5 GB = 1,000,000 GB-s.
    expect(monthlyOf(resource(e, 'Api'))).toBeCloseTo(0.1 * P('lambda.requests') + 25_000 * P('lambda.gbSecond'), 4);
    expect(monthlyOf(resource(e, 'Api'), 'high')).toBeCloseTo(1 * P('lambda.requests') + 1_000_000 * P('lambda.gbSecond'), 4);
  });

  it('treats a function that only backs custom resources as free (it runs during deployments)', () => {
    expect(resource(e, 'Handler')).toMatchObject({ classification: 'free' });
    expect(resource(e, 'Thing')).toMatchObject({ classification: 'free' });
  });
});
