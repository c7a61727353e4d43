/**
 * Deploy's wait for a new zone's delegation, offline: the public NS lookup and the clock are injected,
 * so each case replays what a resolver answers over time (not delegated, the registrar's own servers,
 * a mix, then the zone's) and the deadline passes in no real time.
 */
import { describe, expect, it } from 'vitest';
import type { ChangeReport } from '../../src/analyse/plan/types.js';
import { awaitDelegation, certificateStackAfter, dnsTimeoutOf } from '../../src/cli/commands/deploy.js';
import type { Output } from '../../src/cli/io.js';
import { delegationState, waitForDelegation, type NsAnswer } from '../../src/ops/delegation.js';

const ZONE = ['ns-1203.awsdns-22.org', 'ns-96.awsdns-12.com', 'ns-1748.awsdns-26.co.uk', 'ns-733.awsdns-27.net'];
const REGISTRAR = ['dns1.registrar-servers.com', 'dns2.registrar-servers.com'];
const DNS = { zoneName: 'vidgen.dev', zoneId: undefined, certificateNames: ['vidgen.dev', '*.vidgen.dev'] };

/** A resolver that answers the given answers in turn (the last one for ever), and a clock it moves. */
function replay(answers: readonly NsAnswer[]) {
  let now = 0;
  let calls = 0;
  const asked: string[] = [];
  return {
    lookup: async (domain: string) => {
      asked.push(domain);
      return answers[Math.min(calls++, answers.length - 1)]!;
    },
    clock: { now: () => now, sleep: async (ms: number) => { now += ms; } },
    asked,
    calls: () => calls,
  };
}

function capture(): { out: Output; info: string[]; errors: string[] } {
  const info: string[] = [];
  const errors: string[] = [];
  return { info, errors, out: { json: false, info: (t) => info.push(t), error: (t) => errors.push(t), result: () => undefined } };
}

describe('delegationState', () => {
  it('Compliance: every public NS record is one of the zone\'s (any case, trailing dot) → delegated', () => {
    expect(delegationState(ZONE, { nameServers: ['NS-96.awsdns-12.com.', 'ns-733.awsdns-27.net'] })).toEqual({ kind: 'delegated' });
  });

  it('Noncompliance: no NS yet, the registrar\'s servers, or a mix with them → not delegated', () => {
    expect(delegationState(ZONE, { nameServers: [] })).toEqual({ kind: 'none' });
    expect(delegationState(ZONE, { nameServers: REGISTRAR })).toEqual({ kind: 'elsewhere', seen: REGISTRAR });
    expect(delegationState(ZONE, { nameServers: [ZONE[0]!, REGISTRAR[0]!] }).kind).toBe('elsewhere');
  });

  it('Noncompliance: no resolver answered → unknown, not "not delegated"', () => {
    expect(delegationState(ZONE, { unreachable: 'ETIMEOUT from 1.1.1.1, 8.8.8.8' })).toEqual({ kind: 'unknown', reason: 'ETIMEOUT from 1.1.1.1, 8.8.8.8' });
  });
});

describe('waitForDelegation', () => {
  it('polls until the registrar change reaches public DNS, and reports each change of state once', async () => {
    const r = replay([{ nameServers: [] }, { nameServers: [] }, { nameServers: REGISTRAR }, { nameServers: ZONE }]);
    const seen: string[] = [];
    const result = await waitForDelegation({ domain: 'vidgen.dev', zoneNameServers: ZONE, lookup: r.lookup, timeoutMs: 600_000, pollMs: 30_000, clock: r.clock, onChange: (s) => seen.push(s.kind) });
    expect(result).toEqual({ delegated: true, last: { kind: 'delegated' }, waitedMs: 90_000 });
    expect(seen).toEqual(['none', 'elsewhere', 'delegated']);
    expect(r.asked).toEqual(['vidgen.dev', 'vidgen.dev', 'vidgen.dev', 'vidgen.dev']);
  });

  it('gives up at the deadline, with the last thing it saw', async () => {
    const r = replay([{ nameServers: REGISTRAR }]);
    const result = await waitForDelegation({ domain: 'vidgen.dev', zoneNameServers: ZONE, lookup: r.lookup, timeoutMs: 100_000, pollMs: 30_000, clock: r.clock });
    expect(result.delegated).toBe(false);
    expect(result.last).toEqual({ kind: 'elsewhere', seen: REGISTRAR });
    expect(result.waitedMs).toBe(100_000);
    // 0, 30, 60, 90 s, then a last look exactly at the deadline.
    expect(r.calls()).toBe(5);
  });
});

describe('deploy\'s delegation wait', () => {
  it('Compliance: an already delegated domain goes straight on after one lookup', async () => {
    const r = replay([{ nameServers: ZONE }]);
    const { out, info } = capture();
    expect(await awaitDelegation(out, { dns: DNS, zoneNameServers: ZONE, certificateStack: 'vidgen-prod-compute', timeoutMinutes: 30, lookup: r.lookup, clock: r.clock })).toBe(true);
    expect(r.calls()).toBe(1);
    expect(info.join('\n')).toMatch(/Waiting up to 30 min for vidgen.dev .* before vidgen-prod-compute/);
    expect(info.join('\n')).toContain('vidgen.dev is delegated to the new zone.');
  });

  it('Noncompliance: never delegated → false, with the NS records to set, the registrar step, and how to resume', async () => {
    const r = replay([{ nameServers: REGISTRAR }]);
    const { out, errors } = capture();
    expect(await awaitDelegation(out, { dns: DNS, zoneNameServers: ZONE, certificateStack: 'vidgen-prod-compute', timeoutMinutes: 2, lookup: r.lookup, clock: r.clock })).toBe(false);
    const text = errors.join('\n');
    expect(text).toContain('Stopped: vidgen.dev is still not delegated to the new zone after 2 min');
    expect(text).toContain('dns1.registrar-servers.com');
    for (const ns of ZONE) expect(text).toContain(`  ${ns}`);
    expect(text).toMatch(/At the registrar of vidgen.dev/);
    expect(text).toMatch(/run plinth deploy again: the stacks deployed so far are kept/);
    expect(text).toContain('dns.zoneId');
  });

  it('--dns-timeout 0 does not look up at all', async () => {
    const r = replay([{ nameServers: [] }]);
    const { out, info } = capture();
    expect(await awaitDelegation(out, { dns: DNS, zoneNameServers: ZONE, certificateStack: 'c', timeoutMinutes: 0, lookup: r.lookup, clock: r.clock })).toBe(true);
    expect(r.calls()).toBe(0);
    expect(info.join('\n')).toMatch(/72 hours/);
  });

  it('--dns-timeout takes minutes; anything else is a usage error', () => {
    expect(dnsTimeoutOf(undefined)).toBe(30);
    expect(dnsTimeoutOf('90')).toBe(90);
    expect(dnsTimeoutOf('0')).toBe(0);
    expect(() => dnsTimeoutOf('ten')).toThrow(/--dns-timeout takes minutes/);
    expect(() => dnsTimeoutOf('-5')).toThrow(/--dns-timeout takes minutes/);
  });
});

describe('which stack waits for the delegation', () => {
  const change = (stack: string, type: string, action: 'add' | 'modify' | 'replace') => ({
    stack, stackName: `demo-prod-${stack.toLowerCase()}`, status: 'update' as const,
    resources: [{ stack, logicalId: 'X', type, path: `${stack}/X`, action, replacingProperties: [], data: 'none' as const, refused: false }],
  });
  const report = (stacks: ChangeReport['stacks']): ChangeReport => ({
    stacks, refusals: [], kept: [], safe: true, transitions: {},
    steps: stacks.map((s) => ({ stack: s.stack, stackName: s.stackName, operation: 'deploy' as const, template: 'final' as const, why: 'create' })),
  } as unknown as ChangeReport);

  it('the first later stack that creates a certificate; none when the certificate already exists', () => {
    const created = report([change('Data', 'AWS::Route53::HostedZone', 'add'), change('Cluster', 'AWS::EKS::Cluster', 'add'), change('Compute', 'AWS::CertificateManager::Certificate', 'add')]);
    expect(certificateStackAfter(created, 0)).toBe('demo-prod-compute');
    const kept = report([change('Data', 'AWS::Route53::HostedZone', 'modify'), change('Compute', 'AWS::CertificateManager::Certificate', 'modify')]);
    expect(certificateStackAfter(kept, 0)).toBeUndefined();
  });
});
