/**
 * Golden estimates of the bundled examples. Every expected number is written out here as
 * quantity × unit price from the ap-northeast-2 table, so a wrong quantity, a wrong price key or a
 * dropped resource fails the test, not only a wrong sum.
 */
import { describe, expect, it } from 'vitest';
import { estimatePaths } from '../../src/analyse/cost/index.js';
import { assemblyOf, monthlyOf, NOW, P, resource } from './support.js';

const H = 730;
/** GB processed by each interface endpoint per profile (cost/usage.ts vpcEndpoint.dataProcessedGB). */
const VPCE = { low: 1, base: 10, high: 100 };

describe('nemo-v3 (seed 001)', () => {
  const e = estimatePaths([assemblyOf('nemo-v3')], { now: NOW });
  // schedules.office-hours: stop 20:00, start 08:00 Asia/Seoul, Monday to Friday → 12 h × 5 = 60 h of 168.
  const f = 60 / 168;

  it('prices each resource from quantities × unit prices', () => {
    expect(monthlyOf(resource(e, 'NetworkPublicANatEip972C049D'))).toBeCloseTo(H * P('vpc.publicIpv4.hour'), 4);
    expect(monthlyOf(resource(e, 'NetworkPublicANATGateway83A802B9'))).toBeCloseTo(H * P('vpc.natGateway.hour') + 100 * P('vpc.natGateway.gb'), 4);
    expect(monthlyOf(resource(e, 'NetworkFlowLog0C7D188B'))).toBeCloseTo(20 * P('logs.vendedIngest.gb'), 4);
    // retention 90 days: 3 months of 20 GB/month kept.
    expect(monthlyOf(resource(e, 'NetworkFlowLogGroup4F8CEEEF'))).toBeCloseTo(20 * 3 * P('logs.storage.gb'), 4);
    // g5.xlarge in a public subnet that maps public IPs, stopped out of office hours; the 100 GB root stays,
    // and so does the 200 GB models volume, priced on its own.
    expect(monthlyOf(resource(e, 'HostsServersaivllm11F561AB4'))).toBeCloseTo(H * f * P('ec2.instance.g5.xlarge') + 100 * P('ebs.gp3.storage') + H * f * P('vpc.publicIpv4.hour'), 4);
    expect(monthlyOf(resource(e, 'HostsServersaivllm1modelsFDD8F681'))).toBeCloseTo(200 * P('ebs.gp3.storage'), 4);
    for (const id of ['HostsServersaifastapi17FEF6686', 'HostsServersaifastapi260EF5118']) {
      expect(monthlyOf(resource(e, id))).toBeCloseTo(H * f * P('ec2.instance.t3.medium') + 20 * P('ebs.gp3.storage') + H * f * P('vpc.publicIpv4.hour'), 4);
    }
    // The bastion's address is its Elastic IP (priced there), so no auto-assigned IPv4; it is not scheduled.
    expect(monthlyOf(resource(e, 'HostsBastion186A0C75E'))).toBeCloseTo(H * P('ec2.instance.t2.medium') + 20 * P('ebs.gp3.storage'), 4);
    expect(monthlyOf(resource(e, 'HostsBastion1ElasticIp76DAA9F2'))).toBeCloseTo(H * P('vpc.publicIpv4.hour'), 4);
    // Kubernetes 1.33 left standard support on 2026-07-29: $0.10 + $0.50 extended support per hour.
    expect(monthlyOf(resource(e, 'ClusterC2E21B66'))).toBeCloseTo(H * P('eks.cluster.hour') + H * P('eks.cluster.extendedSupport.hour'), 4);
    // 3 t3.large nodes and their 3 × 20 GB disks exist only while the group is scaled up.
    expect(monthlyOf(resource(e, 'ClusterNodeGroupsMainNodegroup9380B666'))).toBeCloseTo(3 * H * f * P('ec2.instance.t3.large') + 3 * 20 * f * P('ebs.gp3.storage'), 4);
    // Control-plane logs: 10 GB ingested, kept 30 days.
    expect(monthlyOf(resource(e, 'ClusterControlPlaneLogsDCEEB876'))).toBeCloseTo(10 * P('logs.ingest.gb') + 10 * 1 * P('logs.storage.gb'), 4);
    expect(monthlyOf(resource(e, 'ClusterSecretsKey462B29B5'))).toBeCloseTo(P('kms.key') + 100 * P('kms.requests'), 4);
    // RDS MySQL Multi-AZ: the instance is unpriced, the storage is the Multi-AZ rate (billed while stopped);
    // MySQL 8.0 in Extended Support: 2 vCPU × 2 (the standby is charged too) at the Seoul rate, office hours.
    expect(monthlyOf(resource(e, 'DataDatabasesmainInstanceCF5BB7BD'))).toBeCloseTo(20 * P('rds.storage.gp3.multiAz') + 4 * H * f * P('rds.extendedSupport.vcpu.hour'), 4);
    expect(monthlyOf(resource(e, 'DataDatabasesmainSecretFDC8D80D3fdaad7efa858a3daf9490cf0a702aeb'))).toBeCloseTo(P('secretsmanager.secret') + 100 * P('secretsmanager.api'), 4);
    expect(monthlyOf(resource(e, 'Registrybackend1D897427'))).toBeCloseTo(5 * P('ecr.storage'), 4);
    expect(monthlyOf(resource(e, 'DnsZone1A7256CF'))).toBeCloseTo(P('route53.hostedZone') + 1 * P('route53.queries'), 4);
    // The rendered Ingresses of backend and frontend share IngressGroup nemo-prod-public: one internet-facing
    // ALB, created at run time by the AWS Load Balancer Controller, in the 2 AZs of the elb-tagged subnets.
    expect(monthlyOf(resource(e, 'k8s/alb/nemo-prod-public'))).toBeCloseTo(H * P('elb.alb.hour') + 1 * H * P('elb.alb.lcu') + 2 * H * P('vpc.publicIpv4.hour'), 4);
  });

  it('flags extended support', () => {
    expect(resource(e, 'ClusterC2E21B66').flags.join(' ')).toMatch(/EXTENDED SUPPORT: Kubernetes 1\.33/);
  });

  it('adds up to the hand-computed totals for every profile', () => {
    const fixed = 2 * H * P('vpc.publicIpv4.hour') // NAT EIP + bastion EIP
      + H * P('vpc.natGateway.hour')
      + H * f * P('ec2.instance.g5.xlarge') + 100 * P('ebs.gp3.storage') + H * f * P('vpc.publicIpv4.hour')
      + 200 * P('ebs.gp3.storage') // the models volume
      + 2 * (H * f * P('ec2.instance.t3.medium') + 20 * P('ebs.gp3.storage') + H * f * P('vpc.publicIpv4.hour'))
      + H * P('ec2.instance.t2.medium') + 20 * P('ebs.gp3.storage') // bastion, always on
      + H * (P('eks.cluster.hour') + P('eks.cluster.extendedSupport.hour'))
      + 3 * H * f * P('ec2.instance.t3.large') + 3 * 20 * f * P('ebs.gp3.storage') // node group, office hours
      + P('kms.key') + 20 * P('rds.storage.gp3.multiAz') + P('secretsmanager.secret') + P('route53.hostedZone')
      + 4 * H * f * P('rds.extendedSupport.vcpu.hour') // MySQL 8.0 Extended Support, Multi-AZ, office hours
      + H * P('elb.alb.hour') + 2 * H * P('vpc.publicIpv4.hour') // the Ingress group's ALB
      + 2 * 3 * H * P('vpc.interfaceEndpoint.hour'); // the eks and s3 interface endpoints of the bastion's kubectl, in 3 AZs
    const usage = (nat: number, flow: number, logs: number, kmsK: number, secretK: number, ecr: number, queriesM: number, backup: number, lcu: number, vpce: number) =>
      nat * P('vpc.natGateway.gb') + flow * P('logs.vendedIngest.gb') + flow * 3 * P('logs.storage.gb')
      + logs * P('logs.ingest.gb') + logs * 1 * P('logs.storage.gb') + kmsK * P('kms.requests')
      + secretK * P('secretsmanager.api') + 3 * ecr * P('ecr.storage') + queriesM * P('route53.queries') + backup * P('rds.backup.gb')
      + lcu * H * P('elb.alb.lcu') + 2 * vpce * P('vpc.interfaceEndpoint.gb');
    expect(e.totals.low).toBeCloseTo(fixed + usage(10, 1, 1, 10, 10, 1, 0.1, 0, 0.1, VPCE.low), 4);
    expect(e.totals.base).toBeCloseTo(fixed + usage(100, 20, 10, 100, 100, 5, 1, 0, 1, VPCE.base), 4);
    expect(e.totals.high).toBeCloseTo(fixed + usage(1000, 200, 100, 1000, 1000, 20, 10, 20, 5, VPCE.high), 4);
    expect(e.fixedMonthly).toBeCloseTo(fixed, 4);
  });

  it('shows what the office-hours schedule saves', () => {
    const saved = (1 - f) * H * (P('ec2.instance.g5.xlarge') + 2 * P('ec2.instance.t3.medium') + 3 * P('vpc.publicIpv4.hour'))
      + (1 - f) * 3 * H * P('ec2.instance.t3.large') + (1 - f) * 3 * 20 * P('ebs.gp3.storage')
      + (1 - f) * 4 * H * P('rds.extendedSupport.vcpu.hour');
    expect(e.savingsMonthly).toBeCloseTo(saved, 4);
  });

  it('lists exactly what it could not price', () => {
    const byReason = e.unpriced.map((u) => u.reason.match(/no sourced price for (\S+)/)?.[1]).sort();
    expect(byReason).toEqual([
      // The Extended Support surcharge of MySQL 8.0 is priced (Seoul rate); the instance class is not sourced.
      'rds.instance.mysql.db.t3.micro.multiAz',
      ...Array(7).fill('scheduler.invocations'),
    ]);
  });

  it('classifies every resource of the assembly', () => {
    expect(e.resources.filter((r) => r.reason?.startsWith('plinth has no cost rule'))).toEqual([]);
  });
});

describe('bootcamp-ec2 (seed 003)', () => {
  const e = estimatePaths([assemblyOf('bootcamp-ec2')], { now: NOW });

  it('adds up to the hand-computed totals for every profile', () => {
    const fixed = 2 * H * P('vpc.publicIpv4.hour') // NAT EIP + bastion EIP
      + H * P('vpc.natGateway.hour')
      + 3 * H * P('ec2.instance.t2.medium') + H * P('ec2.instance.t2.micro') // springboot, elk, jenkins t2.medium; bastion t2.micro
      + 3 * 8 * P('ebs.gp3.storage') + 20 * P('ebs.gp3.storage') // springboot, elk, jenkins 8 GB; bastion 20 GB
      + 20 * P('rds.storage.gp3.multiAz') + P('secretsmanager.secret')
      + 4 * H * P('rds.extendedSupport.vcpu.hour') // MySQL 8.0 Extended Support: 2 vCPU × 2 (Multi-AZ standby)
      + P('route53.hostedZone')
      + H * P('elb.alb.hour') + 2 * H * P('vpc.publicIpv4.hour'); // internet-facing ALB in 2 AZs
    const usage = (nat: number, flow: number, secretK: number, queriesM: number, lcu: number, s3gb: number, t1: number, t2: number, backup: number, ecr: number) =>
      nat * P('vpc.natGateway.gb') + flow * P('logs.vendedIngest.gb') + flow * 3 * P('logs.storage.gb')
      + secretK * P('secretsmanager.api') + queriesM * P('route53.queries') + lcu * H * P('elb.alb.lcu')
      + s3gb * P('s3.standard.storage') + t1 * P('s3.requests.tier1') + t2 * P('s3.requests.tier2') + backup * P('rds.backup.gb')
      + ecr * P('ecr.storage'); // the springboot repository
    expect(e.totals.low).toBeCloseTo(fixed + usage(10, 1, 10, 0.1, 0.1, 1, 10, 100, 0, 1), 4);
    expect(e.totals.base).toBeCloseTo(fixed + usage(100, 20, 100, 1, 1, 50, 100, 1000, 0, 5), 4);
    expect(e.totals.high).toBeCloseTo(fixed + usage(1000, 200, 1000, 10, 5, 500, 1000, 10000, 20, 20), 4);
  });

  it('prices the internet-facing ALB with one public IPv4 per AZ', () => {
    const alb = resource(e, 'LoadBalancerspublic4C13ACF2');
    expect(alb.layer).toBe('edge');
    expect(alb.components.find((c) => c.priceKey === 'vpc.publicIpv4.hour')?.quantity.base).toBe(2 * H);
  });

  it('lists the MySQL instance as unpriced, and prices its Extended Support surcharge at the Seoul rate', () => {
    expect(e.unpriced.map((u) => u.reason.match(/no sourced price for (\S+)/)?.[1]).sort()).toEqual(['rds.instance.mysql.db.t3.micro.multiAz']);
  });
});

describe('k8s-on-ec2 (seed 002)', () => {
  const e = estimatePaths([assemblyOf('k8s-on-ec2')], { now: NOW });

  it('adds up to the hand-computed totals for every profile', () => {
    const fixed = 2 * H * P('vpc.publicIpv4.hour') // NAT EIP + bastion EIP
      + H * P('vpc.natGateway.hour')
      + 3 * (H * P('ec2.instance.m6i.large') + 50 * P('ebs.gp3.storage')) // masters
      + 3 * (H * P('ec2.instance.m6i.xlarge') + 100 * P('ebs.gp3.storage')) // workers
      + H * P('ec2.instance.t3.micro') + 20 * P('ebs.gp3.storage') // bastion
      + H * P('elb.nlb.hour') // internal NLB: no public addresses
      + P('secretsmanager.secret'); // the kubeadm join secret
    const usage = (nat: number, flow: number, s3gb: number, t1: number, t2: number, nlcu: number, secretK: number) =>
      nat * P('vpc.natGateway.gb') + flow * P('logs.vendedIngest.gb') + flow * 3 * P('logs.storage.gb')
      + s3gb * P('s3.standard.storage') + t1 * P('s3.requests.tier1') + t2 * P('s3.requests.tier2') + nlcu * H * P('elb.nlb.nlcu')
      + secretK * P('secretsmanager.api');
    expect(e.totals.low).toBeCloseTo(fixed + usage(10, 1, 1, 10, 100, 0.1, 10), 4);
    expect(e.totals.base).toBeCloseTo(fixed + usage(100, 20, 50, 100, 1000, 1, 100), 4);
    expect(e.totals.high).toBeCloseTo(fixed + usage(1000, 200, 500, 1000, 10000, 5, 1000), 4);
  });

  it('prices every line', () => {
    expect(e.unpriced).toEqual([]);
  });
});

describe('three-tier-eks (seed 004)', () => {
  const e = estimatePaths([assemblyOf('three-tier-eks')], { now: NOW });

  it('adds up to the hand-computed totals for every profile', () => {
    const fixed = H * P('vpc.publicIpv4.hour') + H * P('vpc.natGateway.hour') // one NAT gateway and its EIP
      + H * P('ec2.instance.t3.micro') + 20 * P('ebs.gp3.storage') // management host
      + H * P('eks.cluster.hour') // Kubernetes 1.34: standard support until 2026-12-02
      + 2 * (H * P('ec2.instance.t3.large') + 20 * P('ebs.gp3.storage')) // two t3.large nodes and their disks
      + 20 * P('rds.storage.gp3.multiAz') + P('secretsmanager.secret') + P('kms.key') + P('route53.hostedZone')
      + 4 * H * P('rds.extendedSupport.vcpu.hour') // MySQL 8.0 Extended Support, Multi-AZ
      + H * P('elb.alb.hour') + 2 * H * P('vpc.publicIpv4.hour'); // the Ingress group's internet-facing ALB in 2 AZs
    const usage = (nat: number, flow: number, logs: number, secretK: number, kmsK: number, ecr: number, queriesM: number, lcu: number, backup: number) =>
      nat * P('vpc.natGateway.gb') + flow * P('logs.vendedIngest.gb') + flow * 3 * P('logs.storage.gb')
      + logs * P('logs.ingest.gb') + logs * 1 * P('logs.storage.gb') + secretK * P('secretsmanager.api') + kmsK * P('kms.requests')
      + 2 * ecr * P('ecr.storage') + queriesM * P('route53.queries') + lcu * H * P('elb.alb.lcu') + backup * P('rds.backup.gb');
    expect(e.totals.low).toBeCloseTo(fixed + usage(10, 1, 1, 10, 10, 1, 0.1, 0.1, 0), 4);
    expect(e.totals.base).toBeCloseTo(fixed + usage(100, 20, 10, 100, 100, 5, 1, 1, 0), 4);
    expect(e.totals.high).toBeCloseTo(fixed + usage(1000, 200, 100, 1000, 1000, 20, 10, 5, 20), 4);
  });

  it('lists the MySQL instance as unpriced, and prices its Extended Support surcharge at the Seoul rate', () => {
    expect(e.unpriced.map((u) => u.reason.match(/no sourced price for (\S+)/)?.[1]).sort()).toEqual(['rds.instance.mysql.db.t3.micro.multiAz']);
    expect(P('rds.extendedSupport.vcpu.hour')).toBe(0.12);
  });
});
