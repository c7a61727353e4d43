/**
 * Waiting for a new hosted zone's delegation, with a deadline of our own.
 *
 * A DNS-validated ACM certificate stays PENDING_VALIDATION until ACM finds its CNAME record in public
 * DNS; "ACM makes repeated attempts to validate a certificate for 72 hours and then times out" (ACM API
 * reference, CertificateDetail.Status). Meanwhile the stack holding the certificate "will remain in the
 * CREATE_IN_PROGRESS state" (CloudFormation, AWS::CertificateManager::Certificate). The CNAME sits in
 * the new zone, which the internet reads only once the registrar (or parent zone) delegates the domain
 * to the zone's name servers. So deploy asks a public resolver for the domain's NS records, the way
 * ACM's own lookup finds the zone, and goes on only when they are the zone's, or stops at its deadline
 * with what to do, instead of sitting in CREATE_IN_PROGRESS for up to three days.
 */
import { Resolver } from 'node:dns/promises';

/** Public recursive resolvers: what the internet (and ACM) sees, not a corporate split-horizon view. */
export const PUBLIC_RESOLVERS: readonly string[] = ['1.1.1.1', '8.8.8.8'];

/** The domain's NS records as a public resolver answers; `unreachable` when no resolver answered at all. */
export type NsAnswer = { readonly nameServers: readonly string[] } | { readonly unreachable: string };
export type NsLookup = (domain: string) => Promise<NsAnswer>;

/** Answers meaning "no delegation (yet)": no such name, no NS records, or a lame delegation. */
const NOT_DELEGATED = new Set(['ENOTFOUND', 'ENODATA', 'ESERVFAIL', 'EREFUSED']);

export function publicNsLookup(servers: readonly string[] = PUBLIC_RESOLVERS): NsLookup {
  const resolver = new Resolver({ timeout: 5000, tries: 2 });
  resolver.setServers([...servers]);
  return async (domain) => {
    try {
      return { nameServers: await resolver.resolveNs(domain) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (NOT_DELEGATED.has(code)) return { nameServers: [] };
      return { unreachable: `${code || 'error'} from ${servers.join(', ')}` };
    }
  };
}

export type DelegationState =
  | { readonly kind: 'delegated' }
  /** Public DNS names no name server for the domain: not registered, or not delegated yet. */
  | { readonly kind: 'none' }
  /** Public DNS names other name servers (the registrar's defaults, an old zone), maybe some of the zone's too. */
  | { readonly kind: 'elsewhere'; readonly seen: readonly string[] }
  | { readonly kind: 'unknown'; readonly reason: string };

const normal = (ns: string) => ns.trim().toLowerCase().replace(/\.$/, '');

/**
 * Delegated when public DNS answers with name servers and every one is the zone's. A mix (some left from
 * the registrar) is not: resolvers then ask the wrong servers part of the time, and ACM may see no CNAME.
 */
export function delegationState(zoneNameServers: readonly string[], answer: NsAnswer): DelegationState {
  if ('unreachable' in answer) return { kind: 'unknown', reason: answer.unreachable };
  const seen = answer.nameServers.map(normal);
  if (seen.length === 0) return { kind: 'none' };
  const ours = new Set(zoneNameServers.map(normal));
  return seen.every((ns) => ours.has(ns)) ? { kind: 'delegated' } : { kind: 'elsewhere', seen: [...seen].sort() };
}

export interface WaitOptions {
  readonly domain: string;
  readonly zoneNameServers: readonly string[];
  readonly lookup: NsLookup;
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** Between two lookups. @default 30 s */
  readonly pollMs?: number;
  /** @default Date.now and setTimeout; tests pass a fake clock. */
  readonly clock?: { now(): number; sleep(ms: number): Promise<void> };
  /** Called when the state changes (first lookup included), to tell the user. */
  readonly onChange?: (state: DelegationState) => void;
}

export interface WaitResult {
  readonly delegated: boolean;
  readonly last: DelegationState;
  readonly waitedMs: number;
}

export async function waitForDelegation(o: WaitOptions): Promise<WaitResult> {
  const clock = o.clock ?? { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  const started = clock.now();
  let previous = '';
  for (;;) {
    const state = delegationState(o.zoneNameServers, await o.lookup(o.domain));
    const key = JSON.stringify(state);
    if (key !== previous) o.onChange?.(state);
    previous = key;
    const waitedMs = clock.now() - started;
    if (state.kind === 'delegated') return { delegated: true, last: state, waitedMs };
    if (waitedMs >= o.timeoutMs) return { delegated: false, last: state, waitedMs };
    await clock.sleep(Math.min(o.pollMs ?? 30_000, o.timeoutMs - waitedMs));
  }
}

/** One line on what public DNS says now, for the wait's progress and its exit message. */
export function describeState(domain: string, state: DelegationState): string {
  switch (state.kind) {
    case 'delegated': return `${domain} is delegated to the new zone.`;
    case 'none': return `public DNS has no name servers for ${domain} yet (not delegated, or the change has not reached the resolvers).`;
    case 'elsewhere': return `public DNS still names other name servers for ${domain}: ${state.seen.join(', ')}.`;
    case 'unknown': return `cannot ask public DNS about ${domain} (${state.reason}); check this machine's outbound DNS (UDP/TCP 53).`;
  }
}
