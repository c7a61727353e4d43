/**
 * CloudFormation that plinth did not write: hand-written templates in the style of the AWS samples,
 * verified as a user would, with intents naming resources by logical id.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTemplateFile } from '../../src/analyse/input/templates.js';
import { verify, verifyTemplates } from '../../src/analyse/verify/index.js';
import { ROOT } from '../support.js';
import { intent } from './intent-support.js';

const dir = join(ROOT, 'test', 'verify', 'templates');

describe('a two-AZ VPC with NAT and a web tier (YAML, short-form intrinsics)', () => {
  const report = verify([join(dir, 'vpc-two-az-nat.yaml')], {
    intents: [
      intent('only the web server faces the internet', { from: 'internet', to: '*', only: ['WebServerInstance:80', 'WebServerInstance:443'] }),
      intent('the app tier is reached from the web tier only', { from: '*', to: 'AppServerInstance', only: ['WebServerInstance:8080'] }),
      intent('the app tier gets out through NAT', { from: 'AppServerInstance', to: 'internet:443', reach: true }),
    ],
  });

  it('holds every invariant and intent', () => {
    expect(report.findings.filter((f) => !f.ruleId.startsWith('PS'))).toEqual([]);
    expect(report.ok).toBe(true);
    // The posture rules still look: the instances do not require IMDSv2, which only the AMI could decide.
    expect(report.findings.map((f) => `${f.ruleId} ${f.status}`)).toEqual(['PS1 unknown', 'PS1 unknown']);
  });

  it('resolved parameters, Fn::Sub, Fn::Select and Fn::GetAZs, recording what it assumed', () => {
    expect(report.model).toMatchObject({ vpcs: 1, subnets: 4 });
    const texts = report.assumptions.map((a) => a.text);
    expect(texts).toContain('Parameter VpcCIDR of stack vpc-two-az-nat is taken at its default, "10.192.0.0/16".');
    expect(texts.some((t) => t.includes('Fn::GetAZs'))).toBe(true);
  });
});

describe('an ALB, an auto scaling group and RDS across two stacks (JSON, Fn::ImportValue)', () => {
  const files = [join(dir, 'alb-rds-network.json'), join(dir, 'alb-rds-app.json')];
  const report = verify(files, {
    intents: [
      intent('only the load balancer faces the internet', { from: 'internet', to: '*', only: ['LoadBalancer:80', 'LoadBalancer:443'] }),
      intent('the database only from the web servers', { from: '*', to: 'Database', only: ['WebServerGroup:3306'] }),
      intent('the web servers only from the load balancer', { from: '*', to: 'WebServerGroup', only: ['LoadBalancer:80'] }),
      intent('the load balancer reaches its targets', { from: 'LoadBalancer', to: 'WebServerGroup:80', reach: true }),
    ],
  });

  it('follows the exports across stacks and holds', () => {
    expect(report.findings.filter((f) => !f.ruleId.startsWith('PS'))).toEqual([]);
    // Posture: an unencrypted database and a plain-HTTP listener are warnings, not reachability failures.
    expect(report.findings.filter((f) => f.status === 'violation').map((f) => f.ruleId).sort()).toEqual(['PS2', 'PS6']);
    expect(report.model.classes).toBe(3);
  });

  it('finds a database opened to the VPC as a violation of the intent, with a witness', () => {
    const [network, app] = files.map(readTemplateFile);
    const body = structuredClone(network!.body);
    (body.Resources!.DatabaseSecurityGroup!.Properties!.SecurityGroupIngress as unknown[]).push({ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, CidrIp: '10.50.0.0/16' });
    const mutated = verifyTemplates([{ ...network!, body }, app!], {
      intents: [intent('the database only from the web servers', { from: '*', to: 'Database', only: ['WebServerGroup:3306'] })],
    });
    const [f] = mutated.findings.filter((x) => x.ruleId === 'PI1' && x.status === 'violation');
    expect(f?.message).toMatch(/reaches Database on tcp\/3306/);
    expect(f?.witness?.hops.some((h) => /from 10\.50\.0\.0\/16 tcp\/3306/.test(h.verdict.text))).toBe(true);
  });
});

describe('a VPC with a VPN to the office and a NACL (one real mistake)', () => {
  const report = verify([join(dir, 'vpn-nacl.yaml')], {
    intents: [
      intent('the office reaches the app on 443', { from: 'cidr:192.168.0.0/16', to: 'AppServer:443', reach: true }),
      intent('the app is reached from the office or the bastion only', { from: '*', to: 'AppServer', only: ['cidr:192.168.0.0/16:443', 'Bastion:22'] }),
      intent('the app gets out through NAT on 443', { from: 'AppServer', to: 'internet:443', reach: true }),
    ],
  });

  it('reports the bastion open to SSH from the whole internet, with the witness path', () => {
    const ssh = report.findings.filter((f) => f.ruleId === 'PV3');
    expect(ssh).toHaveLength(1);
    expect(ssh[0]!.status).toBe('violation');
    const steps = ssh[0]!.witness!.hops.map((h) => `${h.step}: ${h.verdict.text}`).join('\n');
    expect(steps).toMatch(/internet gateway Igw/);
    expect(steps).toMatch(/0\.0\.0\.0\/0 → igw/);
    expect(steps).toMatch(/BastionGroup inbound rule #1: from 0\.0\.0\.0\/0 tcp\/22 "TODO: restrict to the office"/);
    expect(report.ok).toBe(false);
  });

  it('proves the office path through the VPN gateway, the propagated route and the ACL, and nothing else', () => {
    expect(report.findings.filter((f) => f.ruleId !== 'PV3' && !f.ruleId.startsWith('PS'))).toEqual([]);
    // The same mistake seen by the posture rule that reads the group itself, plus the IMDS default the AMI decides.
    expect(report.findings.filter((f) => f.ruleId.startsWith('PS')).map((f) => `${f.ruleId} ${f.status}`).sort()).toEqual(['PS1 unknown', 'PS1 unknown', 'PS8 violation']);
  });

  it('resolves Fn::Cidr over Fn::GetAtt and evaluates the condition on a parameter default', () => {
    expect(report.assumptions.map((a) => a.text)).toContain('Parameter OfficeGatewayIp of stack vpn-nacl is taken at its default, "198.51.100.1".');
    expect(report.model.subnets).toBe(2);
  });
});
