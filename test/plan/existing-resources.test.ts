/**
 * Existing buckets (data.buckets.NAME.existing) and trusted security groups (network.trustedGroups):
 * what they plan to, and the contradictions refused before anything is built, each located.
 */
import { describe, expect, it } from 'vitest';
import { diagnosticsOf, lineOf, planYaml } from '../spec-diagnostics.js';

const BASE = `platform: { name: demo, region: ap-northeast-2 }
network:
  cidr: 10.40.0.0/16
  azs: 2
  trustedGroups:
    corp-vpn: { id: sg-0c0ffee0c0ffee001, cidrs: [10.40.0.0/24], description: corporate VPN }
servers:
  app:
    ports: [8080]
    allowFrom: [sg/corp-vpn]
    permissions: ["buckets/shared/reports/:read"]
data:
  buckets:
    shared: { existing: corp-shared-reports }
    own: {}
`;

const plan = planYaml;
const errors = (yaml: string) => diagnosticsOf(() => plan(yaml));

describe('existing buckets and trusted groups', () => {
  it('GIVEN an existing bucket WHEN planned THEN it keeps its own name beside the plan name', () => {
    const p = plan(BASE);
    expect(p.buckets.map((b) => [b.name, b.existingName])).toEqual([['shared', 'corp-shared-reports'], ['own', undefined]]);
  });

  it('GIVEN existing: true WHEN planned THEN the key is the bucket name', () => {
    const p = plan(BASE.replace('existing: corp-shared-reports', 'existing: true'));
    expect(p.buckets[0]!.existingName).toBe('shared');
  });

  it('GIVEN a trusted group WHEN planned THEN sg/NAME is an endpoint with no group of its own, and the flow names it', () => {
    const p = plan(BASE);
    expect(p.endpoints['sg/corp-vpn']).toEqual({
      ref: 'sg/corp-vpn', kind: 'trustedGroup', cidrs: [], hasSecurityGroup: false,
      trustedGroup: { groupId: 'sg-0c0ffee0c0ffee001', memberCidrs: ['10.40.0.0/24'], cidrsStated: true, description: 'corporate VPN' },
    });
    expect(p.flows.filter((f) => f.from === 'sg/corp-vpn').map((f) => [f.to, f.ports.from])).toEqual([['servers/app', 8080]]);
  });

  it('GIVEN no cidrs WHEN planned THEN its members are assumed anywhere in the VPC', () => {
    const p = plan(BASE.replace(', cidrs: [10.40.0.0/24]', ''));
    expect(p.endpoints['sg/corp-vpn']!.trustedGroup).toMatchObject({ memberCidrs: ['10.40.0.0/16'], cidrsStated: false });
  });
});

describe('contradictions, each located', () => {
  it('Noncompliance: a malformed security group id', () => {
    const yaml = BASE.replace('sg-0c0ffee0c0ffee001', 'sg-corpvpn');
    const [d] = errors(yaml);
    expect(d!.path).toEqual(['network', 'trustedGroups', 'corp-vpn', 'id']);
    expect(d!.message).toContain('must be a security group id such as sg-0123456789abcdef0');
    expect(d!.location?.line).toBe(lineOf(yaml, 'sg-corpvpn'));
  });

  it('Noncompliance: a malformed bucket name', () => {
    const yaml = BASE.replace('corp-shared-reports', 'Corp_Shared');
    const [d] = errors(yaml);
    expect(d!.path).toEqual(['data', 'buckets', 'shared', 'existing']);
    expect(d!.message).toContain('must be an S3 bucket name');
    expect(d!.location?.line).toBe(lineOf(yaml, 'Corp_Shared'));
  });

  it('Noncompliance: a bucket name S3 reserves', () => {
    const [d] = errors(BASE.replace('corp-shared-reports', 'corp-shared-s3alias'));
    expect(d!.message).toContain('no reserved prefix');
  });

  it('Noncompliance: existing: true on a key too short to be a bucket name', () => {
    const [d] = errors(BASE.replace('shared: { existing: corp-shared-reports }', 'ab: { existing: true }').replace('buckets/shared/', 'buckets/ab/'));
    expect(d).toMatchObject({ code: 'E_BUCKET_NAME', path: ['data', 'buckets', 'ab', 'existing'] });
  });

  it('Noncompliance: a setting only a created bucket can have', () => {
    const yaml = BASE.replace('{ existing: corp-shared-reports }', '{ existing: corp-shared-reports, versioned: false }');
    const [d] = errors(yaml);
    expect(d).toMatchObject({ code: 'E_EXISTING_SETTING', path: ['data', 'buckets', 'shared', 'versioned'] });
    expect(d!.message).toContain('existing bucket corp-shared-reports');
  });

  it('Noncompliance: an unknown trusted group, with did-you-mean', () => {
    const yaml = BASE.replace('allowFrom: [sg/corp-vpn]', 'allowFrom: [sg/corp-vnp]');
    const [d] = errors(yaml);
    expect(d).toMatchObject({ code: 'E_UNKNOWN_REF', path: ['servers', 'app', 'allowFrom', 0] });
    expect(d!.message).toContain('there is no trusted security group "corp-vnp"');
    expect(d!.fix).toContain('sg/corp-vpn');
  });

  it('Noncompliance: one group trusted under two names', () => {
    const yaml = BASE.replace('description: corporate VPN }', 'description: corporate VPN }\n    vpn-again: { id: sg-0c0ffee0c0ffee001 }');
    const [d] = errors(yaml);
    expect(d).toMatchObject({ code: 'E_TRUSTED_GROUP_TWICE', path: ['network', 'trustedGroups', 'vpn-again', 'id'] });
  });

  it('Compliance: the base spec plans', () => {
    expect(() => plan(BASE)).not.toThrow();
  });
});
