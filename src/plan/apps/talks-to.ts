/**
 * `talksTo` → NetworkPolicy peers, AWS access (Pod Identity) and plan flows from `cluster/nodes`.
 */
import type { SpecPath } from '../../spec/diagnostics.js';
import { didYouMean } from '../../spec/diagnostics.js';
import type { AppSpec } from '../../spec/workloads.js';
import { CATALOG } from '../catalog.js';
import { NODES } from '../cluster.js';
import { tcp } from '../flows.js';
import { parsePorts } from '../refs.js';
import type { PortRange } from '../types.js';
import type { AwsAccessPlan, Labels, PeerRulePlan, ServiceKind } from '../workloads.js';
import { type WorkloadContext, S3_ACTIONS, POD_IDENTITY_AGENT, appLabels } from './context.js';
import { sourceCidrs } from './services.js';

export const TALKS_TO_KINDS = 'apps/NAME, services/NAME, db/NAME, efs/NAME, servers/NAME[:PORT], sites/NAME[:PORT], s3:BUCKET, internet[:PORT], cidr:A.B.C.D/N[:PORT]';

// --- talksTo --------------------------------------------------------------------------------

export interface Resolved {
  readonly egress: PeerRulePlan[];
  readonly awsAccess: AwsAccessPlan[];
}

/** Turns talksTo references into egress peers (and the matching inbound rules on the other side). */
export class TalksToResolver {
  private readonly inbound = new Map<string, PeerRulePlan[]>();

  public constructor(
    private readonly ctx: WorkloadContext,
    private readonly apps: Readonly<Record<string, AppSpec>>,
    private readonly appNamespaces: ReadonlyMap<string, string>,
    private readonly services: readonly ServiceKind[],
    /** What `internet` and S3 egress leave out: the VPC, and the networks behind the site-to-site VPNs. */
    private readonly notInternet: readonly string[],
  ) {}

  public inboundRules(): ReadonlyMap<string, readonly PeerRulePlan[]> {
    return this.inbound;
  }

  public resolve(from: string, namespace: string, labels: Labels, refs: readonly string[], path: SpecPath): Resolved {
    const out: Resolved = { egress: [], awsAccess: [] };
    refs.forEach((text, i) => this.one(from, namespace, labels, text.trim(), [...path, i], out));
    return out;
  }

  private one(from: string, namespace: string, labels: Labels, text: string, path: SpecPath, out: Resolved): void {
    const { ctx } = this;
    const { diags, flows } = ctx;
    if (text.startsWith('s3:')) {
      const bucket = text.slice(3);
      const names = ctx.buckets.map((b) => b.name);
      if (!names.includes(bucket)) {
        diags.error('E_UNKNOWN_REF', path, `"${text}" does not name anything in this spec: there is no bucket "${bucket}".`, {
          allowed: names.map((n) => `s3:${n}`).join(', ') || 'nothing yet: no bucket is defined', fix: didYouMean(text, names.map((n) => `s3:${n}`)) ?? 'define it under data.buckets',
        });
        return;
      }
      out.awsAccess.push({ ref: text, kind: 's3', resource: bucket, actions: S3_ACTIONS, origin: path });
      // S3 has no address range a NetworkPolicy can name; HTTPS outside the VPC reaches it (through the
      // gateway endpoint), and the Pod Identity agent hands out the credentials.
      out.egress.push({ peer: { kind: 'cidrs', cidrs: ['0.0.0.0/0'], except: this.notInternet }, ports: [tcp(443)], ref: text, origin: path });
      out.egress.push({ peer: { kind: 'cidrs', cidrs: [POD_IDENTITY_AGENT], except: [] }, ports: [tcp(80)], ref: 'pod-identity-agent', origin: path });
      return;
    }
    const colon = text.startsWith('cidr:') ? text.indexOf(':', 5) : text.indexOf(':');
    const endpoint = colon === -1 ? text : text.slice(0, colon);
    const portText = colon === -1 ? undefined : text.slice(colon + 1);
    const ports = portText === undefined ? undefined : parsePorts(portText);
    if (portText !== undefined && !ports) {
      diags.error('E_PORT', path, `"${portText}" is not a port, a range FROM-TO, or PORT/udp.`, { allowed: 'a number 1-65535, "FROM-TO", or "PORT/udp"', fix: 'write e.g. db/main or servers/ai-vllm:8002' });
      return;
    }
    const slash = endpoint.indexOf('/');
    const kind = slash === -1 ? endpoint : endpoint.slice(0, slash);
    const name = slash === -1 ? '' : endpoint.slice(slash + 1);

    const toPods = (targetRef: string, ns: string, targetLabels: Labels, defaultPorts: readonly number[]) => {
      const p = ports ? [ports] : defaultPorts.map(tcp);
      out.egress.push({ peer: { kind: 'pods', namespace: ns, labels: targetLabels }, ports: p, ref: targetRef, origin: path });
      const list = this.inbound.get(targetRef) ?? [];
      list.push({ peer: { kind: 'pods', namespace, labels }, ports: p, ref: from, origin: path });
      this.inbound.set(targetRef, list);
    };
    const toCidrs = (ref: string, cidrs: readonly string[], p: readonly PortRange[], except: readonly string[] = []) => {
      out.egress.push({ peer: { kind: 'cidrs', cidrs, except }, ports: p, ref, origin: path });
    };
    const flow = (to: string, p: readonly PortRange[]) => {
      for (const port of p) flows.addFlow({ from: NODES, to, ports: port, origin: path, description: `${from} to ${to}` });
    };
    const unknown = (noun: string, section: string, candidates: readonly string[]) => {
      diags.error('E_UNKNOWN_REF', path, `"${endpoint}" does not name anything in this spec: there is no ${noun} "${name}".`, {
        allowed: candidates.join(', ') || `nothing yet: no ${noun} is defined`,
        fix: didYouMean(endpoint, candidates) ?? `define it under ${section}, or reference one that exists`,
      });
    };

    switch (kind) {
      case 'apps': {
        const a = this.apps[name];
        if (!a) return unknown('app', 'apps', Object.keys(this.apps).map((n) => `apps/${n}`));
        if (`apps/${name}` === from) {
          diags.error('E_TALKS_TO_SELF', path, `${from} talks to itself; pods of one app always reach each other only if a policy allows it, and plinth allows it.`, { fix: 'remove it' });
          return;
        }
        const appPorts = a.ports ?? (a.port !== undefined ? [a.port] : []);
        if (!ports && appPorts.length === 0) {
          diags.error('E_NO_PORTS', path, `apps/${name} listens on no port, so plinth does not know which to open.`, { fix: `add port: to apps.${name}, or write apps/${name}:PORT` });
          return;
        }
        return toPods(`apps/${name}`, this.appNamespaces.get(name)!, appLabels(name), appPorts);
      }
      case 'services': {
        const known = this.services;
        if (!(known as readonly string[]).includes(name)) return unknown('service', 'services', known.map((n) => `services/${n}`));
        const entry = CATALOG[name as ServiceKind];
        if (`services/${name}` === from) return;
        return toPods(`services/${name}`, entry.namespace, entry.labels, entry.ports);
      }
      case 'db': {
        const db = ctx.databases.find((d) => d.name === name);
        if (!db) return unknown('database', 'data.databases', ctx.databases.map((d) => d.ref));
        const p = [ports ?? tcp(db.port)];
        toCidrs(db.ref, this.tierCidrs(db.tier), p);
        return flow(db.ref, p);
      }
      case 'efs': {
        const fs = ctx.fileSystems.find((f) => f.name === name);
        if (!fs) return unknown('file system', 'data.fileSystems', ctx.fileSystems.map((f) => f.ref));
        const p = [ports ?? tcp(2049)];
        toCidrs(fs.ref, this.tierCidrs(fs.tier), p);
        return flow(fs.ref, p);
      }
      case 'servers': {
        const server = ctx.servers.find((s) => s.name === name);
        if (!server) return unknown('server', 'servers', ctx.servers.map((s) => s.ref));
        const p = ports ? [ports] : server.ports.map(tcp);
        if (p.length === 0) {
          diags.error('E_NO_PORTS', path, `servers/${name} has no service ports, so plinth does not know which to open.`, { fix: `write servers/${name}:PORT, or add ports: to servers.${name}` });
          return;
        }
        toCidrs(server.ref, sourceCidrs(ctx, server.ref), p);
        return flow(server.ref, p);
      }
      case 'sites': {
        const site = flows.endpoint(endpoint);
        if (!site) return unknown('site-to-site VPN', 'network.vpn', ctx.network.vpns.map((v) => `sites/${v.name}`));
        const p = ports ? [ports] : [];
        toCidrs(endpoint, site.cidrs, p);
        return flow(endpoint, p.length ? p : [{ protocol: 'all', from: 0, to: 65535 }]);
      }
      case 'internet': {
        const p = [ports ?? tcp(443)];
        toCidrs('internet', ['0.0.0.0/0'], p, this.notInternet);
        return flow('internet', p);
      }
      case 'cidr': {
        const cidr = endpoint.slice('cidr:'.length);
        const source = flows.resolveSource(cidr.length ? endpoint : text, path);
        if (!source) return;
        const p = ports ? [ports] : [];
        toCidrs(endpoint, [cidr], p);
        return flow(endpoint, p.length ? p : [{ protocol: 'all', from: 0, to: 65535 }]);
      }
      default:
        diags.error('E_TALKS_TO_KIND', path, `An app cannot talk to "${text}".`, {
          allowed: TALKS_TO_KINDS,
          fix: (kind === 'vpc' || kind === 'vpn' || kind === 'bastion' || kind === 'lb' || kind === 'mgmt')
            ? 'name what the app calls: a database, server, site or app'
            : didYouMean(kind, ['apps', 'services', 'db', 'efs', 'servers', 'sites', 's3', 'internet', 'cidr']) ?? `write one of ${TALKS_TO_KINDS}`,
        });
    }
  }

  private tierCidrs(tier: string): string[] {
    return this.ctx.network.tiers.find((t) => t.name === tier)?.subnets.map((s) => s.cidr) ?? [];
  }
}
