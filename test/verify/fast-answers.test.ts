/**
 * verify's shortcuts give the answers of the full path search (issue 14, the 10× stress model):
 *
 * - `Engine.answer` (what gets through and its assumptions, decided without building the paths that
 *   certainly let nothing through) against `Engine.reach` on a fresh engine, for every source "*"
 *   stands for × every class and the internet, in both modes;
 * - PV7 NaclReturnTraffic with its per-subnet bounds against the same check asking every class.
 *
 * On generated models: the stress generator at a small size, the same with values the templates do
 * not resolve (parameters without default, imported groups, an unplaced instance), and network ACLs
 * drawn at random on private and public subnets so that replies are lost.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/analyse/model/build.js';
import { Engine, type Destination } from '../../src/analyse/model/engine/reach.js';
import { INTERNET } from '../../src/analyse/model/packets.js';
import type { Model } from '../../src/analyse/model/types.js';
import { returnTrafficFindings } from '../../src/analyse/verify/rules/NaclReturnTraffic.js';
import { random, stressModel, type StressSize } from '../../bench/verify-stress.js';

const SMALL: StressSize = { resources: 110, groups: 12, rules: 240, workloads: 12, policies: 24 };

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

function modelOf(edit?: (resources: Resources, body: Record<string, unknown>) => void): Model {
  const stress = stressModel(SMALL);
  const template = stress.templates[0]!;
  const body = template.body as unknown as Record<string, unknown> & { Resources: Resources };
  edit?.(body.Resources, body);
  return buildModel(stress.templates, { k8s: stress.k8s });
}

/** Values the templates do not resolve: a CIDR parameter without default, an imported group, an instance whose subnet is a parameter. */
function unresolved(resources: Resources, body: Record<string, unknown>): void {
  body.Parameters = { AdminCidr: { Type: 'String' }, SomeSubnet: { Type: 'AWS::EC2::Subnet::Id' } };
  const groups = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::EC2::SecurityGroup');
  groups.forEach(([, g], i) => {
    const rules = g.Properties.SecurityGroupIngress as Record<string, unknown>[];
    if (i % 3 === 0) rules.push({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: { Ref: 'AdminCidr' } });
    if (i % 4 === 1) rules.push({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: 'sg-0123456789abcdef0' });
  });
  resources.Unplaced = { Type: 'AWS::EC2::Instance', Properties: { SubnetId: { Ref: 'SomeSubnet' }, SecurityGroupIds: [{ 'Fn::GetAtt': ['Group1', 'GroupId'] }] } };
}


/** Random ACLs on one public and two private subnets (the NAT gateway's subnet among them for some seeds). */
function randomAcls(seed: number) {
  return (resources: Resources): void => {
    const rnd = random(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    for (const key of Object.keys(resources)) if (key.startsWith('PrivateAcl')) delete resources[key];
    const cidrs = ['0.0.0.0/0', '10.0.0.0/16', '10.0.0.0/24', '10.0.3.0/24', '10.0.4.0/24', '198.51.100.0/24'];
    const ports: [number, number][] = [[1024, 65535], [0, 1023], [443, 443], [1024, 30000], [32768, 65535], [22, 22], [0, 65535]];
    const subnets = [pick(['PublicSubnet0', 'PublicSubnet1']), 'PrivateSubnet3', pick(['PrivateSubnet4', 'PrivateSubnet5'])];
    subnets.forEach((subnet, a) => {
      const acl = `RandomAcl${a}`;
      resources[acl] = { Type: 'AWS::EC2::NetworkAcl', Properties: { VpcId: { Ref: 'Vpc' } } };
      resources[`${acl}Assoc`] = { Type: 'AWS::EC2::SubnetNetworkAclAssociation', Properties: { SubnetId: { Ref: subnet }, NetworkAclId: { Ref: acl } } };
      const count = 3 + Math.floor(rnd() * 5);
      for (let e = 0; e < count; e++) {
        const protocol = rnd() < 0.75 ? 6 : -1;
        const [from, to] = pick(ports);
        resources[`${acl}Entry${e}`] = {
          Type: 'AWS::EC2::NetworkAclEntry',
          Properties: {
            NetworkAclId: { Ref: acl }, RuleNumber: 100 + e * 10, Egress: rnd() < 0.5, RuleAction: rnd() < 0.85 ? 'allow' : 'deny',
            CidrBlock: pick(cidrs), Protocol: protocol, ...(protocol === 6 ? { PortRange: { From: from, To: to } } : {}),
          },
        };
      }
    });
  };
}

/** Every source "*" stands for × every class and the internet: answer() on one engine, reach() on a fresh one. */
function compareAnswers(model: Model): { questions: number; reached: number; inexact: number } {
  const fast = new Engine(model);
  const full = new Engine(model);
  const internet: Destination = { kind: 'external', name: 'internet', peers: INTERNET };
  let questions = 0;
  let reached = 0;
  let inexact = 0;
  for (const mode of ['may', 'must'] as const) {
    for (const source of full.universe()) {
      const destinations: Destination[] = [...model.classes.map((cls): Destination => ({ kind: 'class', cls })), ...(source.kind === 'external' ? [] : [internet])];
      for (const destination of destinations) {
        const answer = fast.answer(source, destination, mode);
        const reach = full.reach(source, destination, mode);
        const what = `${source.kind === 'class' ? source.cls.name : source.name} → ${destination.kind === 'class' ? destination.cls.name : destination.name} (${mode})`;
        expect(answer.allowed.sure.equals(reach.allowed.sure), `${what}: sure ${answer.allowed.sure.toString()} vs ${reach.allowed.sure.toString()}`).toBe(true);
        expect(answer.allowed.maybe.equals(reach.allowed.maybe), `${what}: maybe ${answer.allowed.maybe.toString()} vs ${reach.allowed.maybe.toString()}`).toBe(true);
        expect(answer.assumptions, what).toEqual(reach.assumptions);
        questions++;
        if (!reach.allowed.isEmpty()) reached++;
        if (!reach.allowed.isExact()) inexact++;
      }
    }
  }
  return { questions, reached, inexact };
}

describe('Engine.answer is the full search\'s answer', () => {
  it('on the generated stress model', () => {
    const { questions, reached } = compareAnswers(modelOf());
    expect(questions).toBeGreaterThan(4_000);
    // Both kinds of question occur: most pairs are empty, many are not.
    expect(reached).toBeGreaterThan(1_000);
    expect(questions - reached).toBeGreaterThan(1_000);
  });

  it('with values the templates do not resolve (assumptions, unplaced classes)', () => {
    const { reached, inexact } = compareAnswers(modelOf(unresolved));
    expect(reached).toBeGreaterThan(1_000);
    expect(inexact).toBeGreaterThan(100);
  });

  it('with random network ACLs', () => {
    for (const seed of [1, 2, 3]) compareAnswers(modelOf(randomAcls(seed)));
  });
});

describe('PV7 NaclReturnTraffic with its per-subnet bounds reports what asking every class reports', () => {
  it('on random network ACLs', () => {
    let findings = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const model = modelOf(randomAcls(seed));
      const pruned = returnTrafficFindings({ model, engine: new Engine(model), plan: undefined }, true);
      const exhaustive = returnTrafficFindings({ model, engine: new Engine(model), plan: undefined }, false);
      expect(JSON.stringify(pruned), `seed ${seed}`).toBe(JSON.stringify(exhaustive));
      findings += pruned.length;
    }
    // The ACLs lose replies often enough for the comparison to mean something.
    expect(findings).toBeGreaterThan(10);
  });
});
