/**
 * The endpoint table and the flow list: every `allowFrom`, `allow` and `sshFrom` in the spec, plus the
 * flows plinth implies (a load balancer to its targets), resolved to named endpoints. Security groups
 * are generated from exactly this list, and verify checks the synthesized result against it.
 */
import type { AllowRuleSpec } from '../spec/schema.js';
import type { Diagnostics, SpecPath } from '../spec/diagnostics.js';
import { didYouMean } from '../spec/diagnostics.js';
import { formatCidr, formatIp, maskOf, parseCidr } from './cidr.js';
import { parsePorts, parseRef, REF_GRAMMAR, formatPorts } from './refs.js';
import type { EndpointKind, EndpointPlan, Flow, PortRange, TrustedGroupPlan } from './types.js';

const SSH_LIKE = [22, 3389];
const DATA_KINDS: readonly EndpointKind[] = ['db', 'efs'];

export class FlowBuilder {
  private readonly endpoints = new Map<string, EndpointPlan>();
  private readonly flows: Flow[] = [];

  public constructor(private readonly diags: Diagnostics) {}

  public addEndpoint(ref: string, kind: EndpointKind, cidrs: readonly string[] = [], hasSecurityGroup = cidrs.length === 0): void {
    this.endpoints.set(ref, { ref, kind, cidrs, hasSecurityGroup });
  }

  /** An existing security group the spec trusts: rules name it, and plinth creates no group for it. */
  public addTrustedGroup(ref: string, group: TrustedGroupPlan): void {
    this.endpoints.set(ref, { ref, kind: 'trustedGroup', cidrs: [], hasSecurityGroup: false, trustedGroup: group });
  }

  public endpoint(ref: string): EndpointPlan | undefined {
    return this.endpoints.get(ref);
  }

  /**
   * Adds flows from each source to `to` on `ports`. `publicReachable` says whether `to` can be reached
   * from the internet at all (a public address or an internet-facing load balancer).
   */
  public allow(sources: readonly string[], to: string, ports: readonly PortRange[], path: SpecPath, description: string): void {
    sources.forEach((text, i) => {
      const from = this.resolveSource(text, [...path, i]);
      if (from) for (const p of ports) this.addFlow({ from, to, ports: p, origin: [...path, i], description });
    });
  }

  /** `allow: [{ from, ports }]` rules; ports default to the destination's service ports. */
  public allowRules(rules: readonly AllowRuleSpec[] | undefined, to: string, defaultPorts: readonly PortRange[], path: SpecPath): void {
    (rules ?? []).forEach((rule, i) => {
      const rpath = [...path, i];
      let ports = defaultPorts;
      if (rule.ports) {
        ports = rule.ports.flatMap((p, j) => {
          const parsed = parsePorts(p);
          if (!parsed) {
            const problem = portProblem(p);
            this.diags.error('E_PORT', [...rpath, 'ports', j], `"${p}" is not a port or port range: ${problem.reason}.`, {
              allowed: 'a number 1-65535, "FROM-TO", or "PORT/udp"', fix: problem.fix ?? 'write e.g. 8080, "8000-8002" or "53/udp"',
            });
            return [];
          }
          return [parsed];
        });
      } else if (ports.length === 0) {
        this.noPorts(to, [...rpath, 'ports']);
      }
      const from = this.resolveSource(rule.from, [...rpath, 'from']);
      if (from) for (const p of ports) this.addFlow({ from, to, ports: p, origin: rpath, description: rule.description ?? `${rule.from} to ${to}` });
    });
  }

  public noPorts(to: string, path: SpecPath): void {
    this.diags.error('E_NO_PORTS', path, `${to} has no service ports, so plinth does not know which ports to open.`, {
      fix: `add ports: [...] to ${to}, or use allow: [{ from: ..., ports: [...] }]`,
    });
  }

  public addFlow(flow: Flow): void {
    this.checkFlow(flow);
    const same = this.flows.find((f) => f.from === flow.from && f.to === flow.to && samePorts(f.ports, flow.ports));
    if (!same) this.flows.push(flow);
  }

  public result(): { endpoints: Record<string, EndpointPlan>; flows: Flow[] } {
    return { endpoints: Object.fromEntries(this.endpoints), flows: this.flows };
  }

  /** Resolves a source reference to an endpoint ref, reporting unknown names and port suffixes. */
  public resolveSource(text: string, path: SpecPath): string | undefined {
    const parsed = parseRef(text);
    if (!parsed.ok) {
      this.diags.error('E_REF_SYNTAX', path, `${parsed.problem}.`, {
        allowed: REF_GRAMMAR,
        fix: cidrFix(text) ?? this.suggestion(text) ?? 'write a reference such as servers/web or cidr:203.0.113.7/32',
      });
      return undefined;
    }
    const { endpoint, ports } = parsed.ref;
    if (ports) {
      this.diags.error('E_SOURCE_PORT', path, `"${text}" is a source; ports belong to the destination.`, {
        fix: `write "${endpoint}" and put the ports on the destination`,
      });
    }
    if (endpoint.startsWith('cidr:')) {
      if (!this.endpoints.has(endpoint)) this.addEndpoint(endpoint, 'cidr', [endpoint.slice(5)], false);
      return endpoint;
    }
    if (!this.endpoints.has(endpoint)) {
      const slash = endpoint.indexOf('/');
      const kind = slash === -1 ? endpoint : endpoint.slice(0, slash);
      const sameKind = [...this.endpoints.keys()].filter((k) => !k.startsWith('cidr:') && (slash === -1 ? !k.includes('/') : k.startsWith(`${kind}/`)));
      const home = DEFINED_IN[kind];
      this.diags.error('E_UNKNOWN_REF', path, `"${endpoint}" does not name anything in this spec${home ? `: there is no ${home.noun}${slash === -1 ? '' : ` "${endpoint.slice(slash + 1)}"`}` : ''}.`, {
        allowed: sameKind.join(', ') || `nothing yet: no ${home?.noun ?? kind} is defined`,
        // Fixed endpoints are not suggested for each other: "vpc" is far wider than the "vpn" that was meant.
        fix: (slash === -1 ? undefined : didYouMean(endpoint, sameKind))
          ?? (home ? `define it under ${home.section}, or reference one that exists` : 'reference an existing endpoint'),
      });
      return undefined;
    }
    return endpoint;
  }

  private suggestion(text: string): string | undefined {
    return didYouMean(text, [...this.endpoints.keys()].filter((k) => !k.startsWith('cidr:')));
  }

  private checkFlow(flow: Flow): void {
    const from = this.endpoints.get(flow.from);
    const to = this.endpoints.get(flow.to);
    if (!from || !to) return;
    if (isWholeInternet(from) && SSH_LIKE.some((p) => flow.ports.protocol !== 'udp' && flow.ports.from <= p && p <= flow.ports.to)) {
      this.diags.error('E_SSH_FROM_INTERNET', flow.origin, `Remote administration (${formatPorts(flow.ports)}) of ${flow.to} from ${flow.from === 'internet' ? 'the whole internet' : flow.from} is not allowed.`, {
        allowed: 'specific addresses (cidr:203.0.113.7/32), vpn, bastion or vpc',
        fix: 'use your admin address as cidr:A.B.C.D/32, or drop SSH and use SSM Session Manager (the default)',
      });
    }
    if (isWholeInternet(from) && DATA_KINDS.includes(to.kind)) {
      this.diags.error('E_DATA_PUBLIC', flow.origin, `${flow.to} would be open to the internet; databases and file systems are never public.`, {
        allowed: 'servers/NAME, bastion, vpn, vpc, cidr: ranges inside your network',
        fix: 'allow the application that uses it, not internet',
      });
    }
  }
}

function portProblem(text: string | number): { reason: string; fix?: string } {
  const m = /^(\d+)(?:-(\d+))?/.exec(String(text).trim());
  if (!m) return { reason: 'it is not a number, a range FROM-TO, or PORT/udp' };
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1 || to > 65535) return { reason: 'ports are 1-65535' };
  if (to < from) return { reason: 'the range runs backwards', fix: `write "${to}-${from}"` };
  return { reason: 'only /tcp or /udp may follow the port' };
}

/** Where each kind of endpoint is defined, for "define it under ..." hints. */
const DEFINED_IN: Readonly<Record<string, { noun: string; section: string }>> = {
  bastion: { noun: 'bastion', section: 'access.bastion' },
  vpn: { noun: 'client VPN', section: 'access.clientVpn' },
  sites: { noun: 'site-to-site VPN', section: 'network.vpn' },
  sg: { noun: 'trusted security group', section: 'network.trustedGroups' },
  lb: { noun: 'load balancer', section: 'loadBalancers' },
  db: { noun: 'database', section: 'data.databases' },
  efs: { noun: 'file system', section: 'data.fileSystems' },
  servers: { noun: 'server', section: 'servers' },
  mgmt: { noun: 'management host', section: 'access.management' },
  cluster: { noun: 'cluster endpoint', section: 'cluster' },
};

/** A bare address or a CIDR with host bits is a near miss for `cidr:`; say exactly what to write. */
function cidrFix(text: string): string | undefined {
  const body = text.trim().replace(/^cidr:/, '');
  const cidr = parseCidr(body) ?? parseCidr(`${body}/32`);
  if (!cidr) return undefined;
  const network = formatCidr({ base: (cidr.base & maskOf(cidr.prefix)) >>> 0, prefix: cidr.prefix });
  if (network !== formatCidr(cidr)) return `write "cidr:${network}" for the network, or "cidr:${formatIp(cidr.base)}/32" for one address`;
  return `write "cidr:${network}"`;
}

function isWholeInternet(e: EndpointPlan): boolean {
  return e.kind === 'internet' || (e.kind === 'cidr' && e.cidrs.some((c) => parseCidr(c)?.prefix === 0));
}

function samePorts(a: PortRange, b: PortRange): boolean {
  return a.protocol === b.protocol && a.from === b.from && a.to === b.to;
}

export function tcp(port: number): PortRange {
  return { protocol: 'tcp', from: port, to: port };
}
