/** The intents: section, planned like the rest of the spec: located errors with a fix, and what each verb means. */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/diagnostics.js';
import { parseYamlSpec } from '../../src/spec/load.js';
import { planSpec } from '../../src/plan/load.js';

const SPEC = `platform: { name: demo, region: ap-northeast-2 }
network: { cidr: 10.0.0.0/16, azs: 2 }
access:
  bastion: { sshFrom: [cidr:203.0.113.10/32] }
servers:
  app: { ports: [8080], allowFrom: [bastion] }
data:
  databases:
    main: { engine: mysql, version: "8.4", allowFrom: [servers/app] }
`;

function plan(intents: string) {
  return planSpec(parseYamlSpec(`${SPEC}intents:\n${intents}`, 'plinth.yaml'));
}

function diagnostics(intents: string) {
  try {
    plan(intents);
  } catch (e) {
    if (e instanceof SpecError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected a SpecError');
}

describe('planning intents', () => {
  it('resolves each verb, with destination ports and "*"', () => {
    const p = plan(`
  - { from: internet, to: "*", only: [bastion:22] }
  - { name: db, from: "*", to: db/main, only: [servers/app:3306] }
  - { from: servers/app, to: internet:443, reach: true }
  - { to: servers/app:8080, via: bastion }
  - { from: [bastion, servers/app], to: db/main, deny: true }
`);
    expect(p.intents.map((i) => i.verb)).toEqual(['only', 'only', 'reach', 'via', 'deny']);
    expect(p.intents[0]).toMatchObject({ name: 'intents[0]', from: [{ endpoint: 'internet' }], to: '*', only: [{ endpoint: 'bastion', ports: { protocol: 'tcp', from: 22, to: 22 } }] });
    expect(p.intents[1]!.name).toBe('db');
    expect(p.intents[3]).toMatchObject({ from: '*', via: 'bastion' });
    expect(p.intents[4]!.text).toBe('{ from: [bastion, servers/app], to: db/main, deny: true }');
  });

  it('names an unknown endpoint at its line, with did-you-mean', () => {
    const [d] = diagnostics('  - { from: "*", to: db/mian, deny: true }\n');
    expect(d).toMatchObject({ code: 'E_UNKNOWN_REF', path: ['intents', 0, 'to'], fix: 'did you mean "db/main"?' });
    expect(d!.location).toMatchObject({ file: 'plinth.yaml', line: 11 });
  });

  it('has one name per load balancer: ingress/public is not a reference, lb/public is', () => {
    const withAlb = `${SPEC}loadBalancers:\n  public: { listeners: [{ port: 80, targetGroup: app }], targetGroups: { app: { servers: [app], port: 8080 } } }\n`;
    let d: unknown;
    try {
      planSpec(parseYamlSpec(`${withAlb}intents:\n  - { from: internet, to: ingress/public:80, reach: true }\n`, 'plinth.yaml'));
    } catch (e) {
      if (e instanceof SpecError) d = e.diagnostics[0];
    }
    expect(d).toMatchObject({ code: 'E_UNKNOWN_REF', path: ['intents', 0, 'to'], fix: 'did you mean "lb/public"?' });
    expect(d).toHaveProperty('location.line', 13);
    const p = planSpec(parseYamlSpec(`${withAlb}intents:\n  - { from: internet, to: lb/public:80, reach: true }\n`, 'plinth.yaml'));
    expect(p.intents[0]!.to).toEqual([{ endpoint: 'lb/public', ports: { protocol: 'tcp', from: 80, to: 80 } }]);
  });

  it('asks for exactly one verb', () => {
    expect(diagnostics('  - { from: internet, to: bastion }\n')[0]).toMatchObject({ code: 'E_INTENT_VERB', path: ['intents', 0] });
    expect(diagnostics('  - { from: internet, to: bastion, deny: true, reach: true }\n')[0]!.message).toMatch(/deny and reach/);
  });

  it('only needs one side written as "*", which its list names', () => {
    expect(diagnostics('  - { from: internet, to: bastion, only: [bastion:22] }\n')[0]).toMatchObject({ code: 'E_INTENT_ONLY_SIDE', path: ['intents', 0, 'only'] });
  });

  it('reach needs concrete endpoints and destination ports', () => {
    expect(diagnostics('  - { from: servers/app, to: db/main, reach: true }\n')[0]).toMatchObject({ code: 'E_INTENT_REACH_PORTS', fix: 'add a port suffix, e.g. to: db/main:3306' });
    expect(diagnostics('  - { from: "*", to: db/main:3306, reach: true }\n')[0]!.code).toBe('E_INTENT_REACH_WILDCARD');
  });

  it('refuses ports on sources, and keys it does not know', () => {
    expect(diagnostics('  - { from: "bastion:22", to: db/main, deny: true }\n')[0]).toMatchObject({ code: 'E_SOURCE_PORT', path: ['intents', 0, 'from'] });
    const [d] = diagnostics('  - { from: internet, to: db/main, denny: true }\n');
    expect(d).toMatchObject({ code: 'E_UNKNOWN_KEY', fix: 'did you mean "deny"?' });
  });
});
