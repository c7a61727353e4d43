/**
 * The reference language shared by every section: `allowFrom`, `sshFrom`, and later `talksTo` and
 * `intents` all name endpoints the same way.
 *
 *   internet | vpc | bastion | vpn            fixed endpoints
 *   cidr:203.0.113.7/32                       an address range
 *   sites/office  lb/public  db/main  efs/shared  servers/ai-vllm  mgmt/ops
 *   sg/corp-vpn                               an existing security group the spec trusts (network.trustedGroups)
 *   cluster/nodes  cluster/controlPlane                the EKS nodes (and pods) and the control plane
 *   ...:8002  ...:8000-8002  ...:53/udp       an optional port suffix (destinations only)
 */
import { parseCidr, isNetworkAligned } from './cidr.js';
import type { PortRange } from './types.js';

export const FIXED_ENDPOINTS = ['internet', 'vpc', 'bastion', 'vpn'] as const;
export const NAMED_KINDS = ['sites', 'sg', 'lb', 'db', 'efs', 'servers', 'mgmt', 'cluster'] as const;

export interface ParsedRef {
  /** The endpoint part, normalised (`servers/ai-vllm`, `cidr:10.0.0.0/8`). */
  readonly endpoint: string;
  readonly ports: PortRange | undefined;
}

export type RefParse = { readonly ok: true; readonly ref: ParsedRef } | { readonly ok: false; readonly problem: string };

export const REF_GRAMMAR =
  'internet, vpc, bastion, vpn, cidr:A.B.C.D/N, cluster/nodes, cluster/controlPlane, or KIND/NAME with KIND one of sites, sg, lb, db, efs, servers, mgmt; optionally followed by :PORT, :FROM-TO or :PORT/udp';

/** Parses a reference's syntax; whether the name exists is checked by the plan's endpoint table. */
export function parseRef(text: string): RefParse {
  let body = text.trim();
  let portText: string | undefined;
  if (body.startsWith('cidr:')) {
    const rest = body.slice('cidr:'.length);
    const colon = rest.indexOf(':');
    const cidrText = colon === -1 ? rest : rest.slice(0, colon);
    portText = colon === -1 ? undefined : rest.slice(colon + 1);
    const cidr = parseCidr(cidrText);
    if (!cidr) return { ok: false, problem: `"${cidrText}" is not an IPv4 CIDR` };
    if (!isNetworkAligned(cidr)) return { ok: false, problem: `"${cidrText}" has host bits set` };
    body = `cidr:${cidrText}`;
  } else {
    const colon = body.indexOf(':');
    if (colon !== -1) {
      portText = body.slice(colon + 1);
      body = body.slice(0, colon);
    }
    if (!(FIXED_ENDPOINTS as readonly string[]).includes(body)) {
      const slash = body.indexOf('/');
      const kind = slash === -1 ? body : body.slice(0, slash);
      const name = slash === -1 ? '' : body.slice(slash + 1);
      if (!(NAMED_KINDS as readonly string[]).includes(kind)) {
        return { ok: false, problem: `"${text}" is not a known endpoint` };
      }
      if (!name) return { ok: false, problem: `"${text}" names no ${kind}; write ${kind}/NAME` };
    }
  }
  if (portText === undefined) return { ok: true, ref: { endpoint: body, ports: undefined } };
  const ports = parsePorts(portText);
  if (!ports) return { ok: false, problem: `"${portText}" is not a port, a range FROM-TO, or PORT/udp (ports are 1-65535)` };
  return { ok: true, ref: { endpoint: body, ports } };
}

/** `443`, `8000-8002`, `53/udp`, `30000-32767/tcp`. */
export function parsePorts(text: string | number): PortRange | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp))?$/.exec(String(text).trim());
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1 || to > 65535 || to < from) return undefined;
  return { protocol: (m[3] as 'tcp' | 'udp' | undefined) ?? 'tcp', from, to };
}

export function formatPorts(p: PortRange): string {
  const range = p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`;
  return p.protocol === 'tcp' ? range : p.protocol === 'all' ? 'all' : `${range}/${p.protocol}`;
}
