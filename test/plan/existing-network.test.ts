/** network.vpcId: what an existing VPC may be told, and the contradictions plinth refuses before building. */
import { describe, expect, it } from 'vitest';
import { diagnosticsOf, lineOf, planYaml } from '../spec-diagnostics.js';

const HEAD = `platform: { name: demo, region: ap-northeast-2 }
network:
  vpcId: vpc-0a1b2c3d4e5f60718
  cidr: 10.40.0.0/16
  azs: [ap-northeast-2a, ap-northeast-2c]
`;

const PUBLIC = `    public:
      existing:
        - { id: subnet-0aa11bb22cc33dd41, cidr: 10.40.0.0/24, az: ap-northeast-2a }
        - { id: subnet-0aa11bb22cc33dd42, cidr: 10.40.1.0/24, az: ap-northeast-2c }
`;
const PRIVATE = `    private:
      existing:
        - { id: subnet-0aa11bb22cc33dd51, cidr: 10.40.16.0/20, az: ap-northeast-2a, routeTableId: rtb-0aa11bb22cc33dd61 }
        - { id: subnet-0aa11bb22cc33dd52, cidr: 10.40.32.0/20, az: ap-northeast-2c, routeTableId: rtb-0aa11bb22cc33dd62 }
`;

function spec(subnets: string, extra = ''): string {
  return `${HEAD}${extra}  subnets:\n${subnets}`;
}

const plan = planYaml;
const errors = (yaml: string) => diagnosticsOf(() => plan(yaml));

describe('an existing VPC', () => {
  it('GIVEN stated subnets WHEN planned THEN each keeps its id, CIDR, AZ and route table, in AZ order', () => {
    const p = plan(spec(PUBLIC + PRIVATE));
    expect(p.network.existingVpcId).toBe('vpc-0a1b2c3d4e5f60718');
    expect(p.network.tiers.find((t) => t.name === 'private')!.subnets).toEqual([
      { id: 'private-a', tier: 'private', az: 'ap-northeast-2a', cidr: '10.40.16.0/20', existing: { subnetId: 'subnet-0aa11bb22cc33dd51', routeTableId: 'rtb-0aa11bb22cc33dd61' } },
      { id: 'private-c', tier: 'private', az: 'ap-northeast-2c', cidr: '10.40.32.0/20', existing: { subnetId: 'subnet-0aa11bb22cc33dd52', routeTableId: 'rtb-0aa11bb22cc33dd62' } },
    ]);
  });

  it('adds no NAT and no gateway endpoint: both would change routing plinth does not own', () => {
    const p = plan(spec(PUBLIC + PRIVATE));
    expect(p.network.nat).toEqual({ mode: 'none', subnets: [] });
    expect(p.network.gatewayEndpoints).toEqual([]);
  });

  it('adds gateway endpoints when asked and every route table is stated', () => {
    expect(plan(spec(PRIVATE, '  endpoints: { gateway: [s3] }\n')).network.gatewayEndpoints).toEqual(['s3']);
  });
});

describe('contradictions, each located', () => {
  it('Noncompliance: a subnet CIDR outside the stated VPC CIDR', () => {
    const yaml = spec(PUBLIC.replace('10.40.1.0/24', '10.41.1.0/24'));
    const [d] = errors(yaml);
    expect(d).toMatchObject({ code: 'E_SUBNET_OUTSIDE_VPC', path: ['network', 'subnets', 'public', 'existing', 1, 'cidr'] });
    expect(d!.message).toContain('subnet-0aa11bb22cc33dd42 (10.41.1.0/24) is not inside the VPC\'s stated CIDR 10.40.0.0/16');
    expect(d!.location?.line).toBe(lineOf(yaml, '10.41.1.0/24'));
  });

  it('Noncompliance: an AZ that is not one of network.azs', () => {
    const yaml = spec(PUBLIC.replace('az: ap-northeast-2c', 'az: ap-northeast-2b'));
    const [d] = errors(yaml);
    expect(d).toMatchObject({ code: 'E_EXISTING_SUBNET_AZ', path: ['network', 'subnets', 'public', 'existing', 1, 'az'], allowed: 'ap-northeast-2a, ap-northeast-2c' });
  });

  it('Noncompliance: two subnets of one tier in one AZ', () => {
    const [d] = errors(spec(PUBLIC.replace('az: ap-northeast-2c', 'az: ap-northeast-2a')));
    expect(d).toMatchObject({ code: 'E_EXISTING_SUBNET_AZ_TWICE', path: ['network', 'subnets', 'public', 'existing', 1, 'az'] });
  });

  it('Noncompliance: overlapping stated subnets', () => {
    const [d] = errors(spec(PUBLIC + PRIVATE.replace('10.40.32.0/20', '10.40.0.0/20')));
    expect(d).toMatchObject({ code: 'E_SUBNET_OVERLAP', path: ['network', 'subnets', 'private', 'existing', 1, 'cidr'] });
  });

  it('Noncompliance: a tier plinth would have to create inside the existing VPC', () => {
    const [d] = errors(spec(`${PUBLIC}    data: { type: isolated }\n`));
    expect(d).toMatchObject({ code: 'E_EXISTING_VPC_NEW_SUBNETS', path: ['network', 'subnets', 'data'] });
  });

  it('Noncompliance: NAT, VPN and DNS settings of a VPC plinth does not own', () => {
    const found = errors(spec(PUBLIC + PRIVATE, '  nat: single\n  dnsHostnames: true\n'));
    expect(found.map((d) => [d.code, d.path.join('.')])).toEqual([
      ['E_EXISTING_VPC_SETTING', 'network.nat'],
      ['E_EXISTING_VPC_SETTING', 'network.dnsHostnames'],
    ]);
  });

  it('Noncompliance: existing subnets without network.vpcId', () => {
    const [d] = errors(spec(PUBLIC).replace('  vpcId: vpc-0a1b2c3d4e5f60718\n', ''));
    expect(d).toMatchObject({ code: 'E_EXISTING_SUBNET_WITHOUT_VPC', path: ['network', 'subnets', 'public', 'existing'] });
  });

  it('Noncompliance: settings for subnets plinth would create, on existing ones', () => {
    const [d] = errors(spec(PUBLIC.replace('    public:\n', '    public:\n      mapPublicIpOnLaunch: true\n')));
    expect(d).toMatchObject({ code: 'E_EXISTING_SETTING', path: ['network', 'subnets', 'public', 'mapPublicIpOnLaunch'] });
  });

  it('Noncompliance: gateway endpoints without the route tables they would change', () => {
    const [d] = errors(spec(PUBLIC + PRIVATE, '  endpoints: { gateway: [s3] }\n'));
    expect(d).toMatchObject({ code: 'E_EXISTING_ROUTE_TABLE_MISSING', path: ['network', 'endpoints', 'gateway'] });
    expect(d!.message).toContain('subnet-0aa11bb22cc33dd41, subnet-0aa11bb22cc33dd42');
  });

  it('Noncompliance: an existing repository with settings only a created one takes', () => {
    const [d] = errors(`${spec(PRIVATE)}registry:\n  repositories:\n    api: { existing: true, scanOnPush: false }\n`);
    expect(d).toMatchObject({ code: 'E_EXISTING_SETTING', path: ['registry', 'repositories', 'api', 'scanOnPush'] });
  });

  it('Compliance: a consistent statement plans without errors', () => {
    expect(() => plan(spec(PUBLIC + PRIVATE))).not.toThrow();
  });
});
