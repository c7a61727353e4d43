/**
 * `intents:` → checked statements for verify. The language follows Network Access Analyzer's scopes:
 * `from`/`to` select paths (a match scope), `only` lists the paths that are fine among them (an
 * exclude scope), and the verb says what must hold:
 *
 *   { from: internet, to: "*", only: [lb/public:443, lb/public:80] }   nothing else is reachable
 *   { from: "*", to: db/main, only: [servers/app:3306] }                nobody else reaches it
 *   { from: apps/frontend, to: db/main, deny: true }                    no path at all
 *   { to: lb/internal, via: vpn }                                       from outside the VPC only through the VPN
 *   { from: servers/app, to: internet:443, reach: true }                this must work
 *
 * References are the spec's own (refs.ts), plus `*`. A port suffix always means the destination
 * port, also on `only` entries that name sources.
 */
import type { Diagnostics, SpecPath } from '../spec/diagnostics.js';
import { didYouMean } from '../spec/diagnostics.js';
import { formatPorts, NAMED_KINDS, parsePorts, parseRef, REF_GRAMMAR } from './refs.js';
import type { EndpointPlan, PortRange } from './types.js';

export type IntentVerb = 'only' | 'deny' | 'via' | 'reach';

export interface IntentRef {
  /** An endpoint reference (`db/main`, `cidr:203.0.113.7/32`, `apps/frontend`). */
  readonly endpoint: string;
  /** Destination ports; undefined = every port. */
  readonly ports: PortRange | undefined;
}

export interface IntentPlan {
  /** The intent's name, or `intents[N]`. */
  readonly name: string;
  readonly description: string | undefined;
  /** Sources, or `*` for anything. */
  readonly from: readonly IntentRef[] | '*';
  /** Destinations, or `*` for anything. */
  readonly to: readonly IntentRef[] | '*';
  readonly verb: IntentVerb;
  /** `only`: the allowed paths, naming the side written as `*`. */
  readonly only: readonly IntentRef[];
  /** `via`: the endpoint every path from outside the VPC must come through. */
  readonly via: string | undefined;
  readonly origin: SpecPath;
  /** The intent as written, on one line, for reports. */
  readonly text: string;
}

/** What the spec schema accepts for one intent. */
export interface IntentSpec {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly from?: string | readonly string[] | undefined;
  readonly to?: string | readonly string[] | undefined;
  readonly only?: readonly string[] | undefined;
  readonly deny?: true | undefined;
  readonly via?: string | undefined;
  readonly reach?: true | undefined;
}

/**
 * Kinds of the cluster's workloads, which refs.ts (security group endpoints) does not parse: pods of
 * apps and services. The ingress ALBs are endpoints like any load balancer (`lb/public`, `lb/internal`).
 */
const EXTRA_KINDS = ['apps', 'services'];

const VERBS: readonly IntentVerb[] = ['only', 'deny', 'via', 'reach'];

/**
 * `endpoints` is the plan's endpoint table; `workloadRefs` the apps and services of the cluster
 * (`apps/NAME`, `services/NAME`: pods rather than endpoints with a security group).
 */
export function planIntents(specs: readonly IntentSpec[], endpoints: Readonly<Record<string, EndpointPlan>>, workloadRefs: readonly string[], diags: Diagnostics): IntentPlan[] {
  const out: IntentPlan[] = [];
  specs.forEach((spec, i) => {
    const path: SpecPath = ['intents', i];
    const verbs = VERBS.filter((v) => spec[v] !== undefined);
    if (verbs.length !== 1) {
      diags.error('E_INTENT_VERB', path, verbs.length === 0
        ? 'This intent says which paths it selects but not what must hold for them.'
        : `This intent has ${verbs.join(' and ')}; an intent states exactly one thing.`, {
        allowed: 'only: [...], deny: true, via: REF, or reach: true',
        fix: verbs.length === 0 ? 'add e.g. deny: true, or only: [lb/public:443]' : 'split it into one intent per statement',
      });
      return;
    }
    const verb = verbs[0]!;
    const resolver = new IntentRefs(endpoints, new Set(workloadRefs), diags);
    const from = resolver.side(spec.from, [...path, 'from'], false);
    const to = resolver.side(spec.to, [...path, 'to'], true);
    const only = (spec.only ?? []).map((r, j) => resolver.one(r, [...path, 'only', j], true)).filter((r) => r !== undefined);
    const via = spec.via === undefined ? undefined : resolver.one(spec.via, [...path, 'via'], false)?.endpoint;
    if (from === undefined || to === undefined) return;
    if (verb === 'only' && (from === '*') === (to === '*')) {
      diags.error('E_INTENT_ONLY_SIDE', [...path, 'only'], from === '*'
        ? 'Both from and to are "*", so the only list cannot say which side it names.'
        : 'only lists the paths allowed on the side written as "*", but neither from nor to is "*".', {
        fix: 'write from: "*" to list the allowed sources, or to: "*" to list the allowed destinations',
      });
      return;
    }
    if (verb === 'reach' && (from === '*' || to === '*')) {
      diags.error('E_INTENT_REACH_WILDCARD', path, 'reach: true says specific sources must reach specific destinations; "*" cannot be required.', {
        fix: 'name the sources in from and the destinations (with ports) in to',
      });
      return;
    }
    if (verb === 'reach' && to !== '*' && to.some((t) => !t.ports)) {
      diags.error('E_INTENT_REACH_PORTS', [...path, 'to'], 'reach: true needs the ports that must work on every destination.', {
        fix: 'add a port suffix, e.g. to: db/main:3306',
      });
      return;
    }
    if (verb === 'deny' && from === '*' && to === '*') {
      diags.error('E_INTENT_TOO_WIDE', path, 'from: "*" to: "*" with deny: true would forbid every connection.', { fix: 'name the sources or the destinations' });
      return;
    }
    if (verb === 'via' && via === undefined) return;
    out.push({
      name: spec.name ?? `intents[${i}]`, description: spec.description, from, to, verb, only, via, origin: path,
      text: formatIntent(spec),
    });
  });
  return out;
}

class IntentRefs {
  public constructor(
    private readonly endpoints: Readonly<Record<string, EndpointPlan>>,
    private readonly workloads: ReadonlySet<string>,
    private readonly diags: Diagnostics,
  ) {}

  public side(value: string | readonly string[] | undefined, path: SpecPath, destination: boolean): readonly IntentRef[] | '*' | undefined {
    if (value === undefined || value === '*') return '*';
    const list = typeof value === 'string' ? [value] : value;
    if (list.includes('*')) {
      if (list.length > 1) {
        this.diags.error('E_INTENT_WILDCARD', path, '"*" already means anything; it cannot be combined with other references.', { fix: 'write "*" alone, or list the references' });
        return undefined;
      }
      return '*';
    }
    const refs = list.map((r, i) => this.one(r, typeof value === 'string' ? path : [...path, i], destination));
    return refs.every((r) => r !== undefined) ? (refs as IntentRef[]) : undefined;
  }

  public one(text: string, path: SpecPath, portsAllowed: boolean): IntentRef | undefined {
    const parsed = parseIntentRef(text);
    if (!parsed.ok) {
      this.diags.error('E_REF_SYNTAX', path, `${parsed.problem}.`, { allowed: `"*", ${REF_GRAMMAR}; also apps/NAME, services/NAME` });
      return undefined;
    }
    const { endpoint, ports } = parsed.ref;
    if (ports && !portsAllowed) {
      this.diags.error('E_SOURCE_PORT', path, `"${text}" is a source; ports belong to the destination.`, { fix: `write "${endpoint}" and put the ports on the destination` });
      return undefined;
    }
    if (!endpoint.startsWith('cidr:') && !this.endpoints[endpoint] && !this.workloads.has(endpoint)) {
      const slash = endpoint.indexOf('/');
      const kind = slash === -1 ? endpoint : endpoint.slice(0, slash);
      const known = [...Object.keys(this.endpoints).filter((k) => !k.startsWith('cidr:')), ...this.workloads];
      const sameKind = known.filter((k) => (slash === -1 ? !k.includes('/') : k.startsWith(`${kind}/`)));
      // A kind the language does not have (`ingress/public`) is usually a name under another kind (`lb/public`).
      const sameName = slash === -1 ? [] : known.filter((k) => k.slice(k.indexOf('/') + 1) === endpoint.slice(slash + 1));
      this.diags.error('E_UNKNOWN_REF', path, `"${endpoint}" does not name anything in this spec.`, {
        allowed: (sameKind.length > 0 ? sameKind : known).join(', '),
        fix: didYouMean(endpoint, sameKind.length > 0 ? sameKind : known)
          ?? (sameName.length > 0 ? `did you mean "${sameName[0]}"?` : 'reference an endpoint the spec defines'),
      });
      return undefined;
    }
    return { endpoint, ports };
  }
}

function parseIntentRef(text: string): { ok: true; ref: IntentRef } | { ok: false; problem: string } {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const kind = slash === -1 ? '' : trimmed.slice(0, slash);
  // Any other KIND/NAME is read as written; the endpoint table says whether it exists, with a did-you-mean.
  const unknownKind = slash > 0 && /^[a-z][a-zA-Z-]*$/.test(kind) && !(NAMED_KINDS as readonly string[]).includes(kind);
  if (EXTRA_KINDS.includes(kind) || unknownKind || trimmed.startsWith('vpc-endpoints')) {
    const colon = trimmed.indexOf(':');
    const endpoint = colon === -1 ? trimmed : trimmed.slice(0, colon);
    if (kind && endpoint.length <= kind.length + 1) return { ok: false, problem: `"${text}" names no ${kind}; write ${kind}/NAME` };
    if (colon === -1) return { ok: true, ref: { endpoint, ports: undefined } };
    const ports = parsePorts(trimmed.slice(colon + 1));
    return ports ? { ok: true, ref: { endpoint, ports } } : { ok: false, problem: `"${trimmed.slice(colon + 1)}" is not a port, a range FROM-TO, or PORT/udp (ports are 1-65535)` };
  }
  const parsed = parseRef(trimmed);
  return parsed.ok ? { ok: true, ref: parsed.ref } : parsed;
}

function formatIntent(spec: IntentSpec): string {
  const side = (v: string | readonly string[] | undefined) => (v === undefined ? '"*"' : typeof v === 'string' ? (v === '*' ? '"*"' : v) : `[${v.join(', ')}]`);
  const parts = [`from: ${side(spec.from)}`, `to: ${side(spec.to)}`];
  if (spec.only) parts.push(`only: [${spec.only.join(', ')}]`);
  if (spec.deny) parts.push('deny: true');
  if (spec.via) parts.push(`via: ${spec.via}`);
  if (spec.reach) parts.push('reach: true');
  return `{ ${parts.join(', ')} }`;
}

export function formatIntentRef(r: IntentRef): string {
  return r.ports ? `${r.endpoint}:${formatPorts(r.ports)}` : r.endpoint;
}
