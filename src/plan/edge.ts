/**
 * Load balancers and DNS: listener defaults (443 with the platform certificate, 80 redirecting to
 * 443), protocol/type compatibility, target groups pointing at servers, alias records in the zone.
 */
import type { Diagnostics } from '../spec/diagnostics.js';
import { didYouMean } from '../spec/diagnostics.js';
import type { PlatformSpec } from '../spec/schema.js';
import { resolveTier, spannedAzs } from './instances.js';
import type { DnsPlan, ListenerPlan, ListenerProtocol, LoadBalancerPlan, NetworkPlan, TargetGroupPlan } from './types.js';

const ALB_PROTOCOLS: readonly ListenerProtocol[] = ['HTTP', 'HTTPS'];
const NLB_PROTOCOLS: readonly ListenerProtocol[] = ['TCP', 'UDP', 'TLS'];

export function planDns(spec: PlatformSpec): DnsPlan | undefined {
  const dns = spec.dns;
  if (!dns) return undefined;
  const cert = dns.certificate ?? true;
  const certificateNames = cert === false ? [] : cert === true ? [dns.zone, `*.${dns.zone}`] : cert.names;
  return { zoneName: dns.zone, zoneId: dns.zoneId, certificateNames };
}

export function planLoadBalancers(
  spec: PlatformSpec,
  network: NetworkPlan,
  dns: DnsPlan | undefined,
  diags: Diagnostics,
): LoadBalancerPlan[] {
  const serverNames = Object.keys(spec.servers ?? {});
  const hasCertificate = (dns?.certificateNames.length ?? 0) > 0;
  return Object.entries(spec.loadBalancers ?? {}).map(([name, lb]) => {
    const path = ['loadBalancers', name];
    const type = lb.type ?? 'application';
    const scheme = lb.scheme ?? 'internet-facing';
    const tier = resolveTier(lb.tier, scheme === 'internet-facing' ? ['public'] : ['private', 'isolated', 'public'], [...path, 'tier'], network.tiers, diags);
    if (tier && type === 'application' && new Set(tier.subnets.map((s) => s.az)).size < 2) {
      diags.error('E_ALB_ONE_AZ', [...path, 'tier'], `An application load balancer needs subnets in at least two AZs; tier "${tier.name}" spans ${spannedAzs(tier)}.`, {
        fix: 'add a second AZ to the tier, or use type: network',
      });
    }

    const defaultProtocol = (port: number): ListenerProtocol => (type === 'network' ? 'TCP' : port === 443 ? 'HTTPS' : 'HTTP');
    const targetGroups: TargetGroupPlan[] = Object.entries(lb.targetGroups ?? {}).map(([tgName, tg]) => {
      tg.servers.forEach((s, i) => {
        if (!serverNames.includes(s)) {
          diags.error('E_UNKNOWN_SERVER', [...path, 'targetGroups', tgName, 'servers', i], `There is no server "${s}".`, {
            allowed: serverNames.join(', ') || '(no servers defined)',
            fix: didYouMean(s, serverNames) ?? 'name a server defined under servers',
          });
        }
      });
      const protocol = tg.protocol ?? (type === 'network' ? 'TCP' : 'HTTP');
      checkProtocol(protocol, type, [...path, 'targetGroups', tgName, 'protocol'], diags);
      if (tg.preserveClientIp !== undefined && type !== 'network') {
        diags.error('E_PRESERVE_CLIENT_IP_ALB', [...path, 'targetGroups', tgName, 'preserveClientIp'], 'preserveClientIp is a network load balancer setting; an ALB always connects to targets from its own addresses.', {
          fix: 'remove preserveClientIp, or make the load balancer type: network',
        });
      }
      return {
        name: tgName,
        servers: tg.servers,
        port: tg.port,
        protocol,
        healthCheck: { path: tg.healthCheck?.path, port: tg.healthCheck?.port, healthyHttpCodes: tg.healthCheck?.healthyHttpCodes },
        preserveClientIp: tg.preserveClientIp,
      };
    });
    const tgNames = targetGroups.map((t) => t.name);

    let listeners: ListenerPlan[];
    if (lb.listeners) {
      listeners = lb.listeners.map((l, i) => {
        const lpath = [...path, 'listeners', i];
        const protocol = l.protocol ?? defaultProtocol(l.port);
        checkProtocol(protocol, type, [...lpath, 'protocol'], diags);
        if ((l.targetGroup === undefined) === (l.redirectTo === undefined)) {
          diags.error('E_LISTENER_ACTION', lpath, `Listener ${l.port} needs exactly one of targetGroup or redirectTo.`, {
            fix: tgNames.length ? `add targetGroup: ${tgNames[0]}` : 'add a target group and point the listener at it',
          });
        }
        if (l.redirectTo !== undefined && type === 'network') {
          diags.error('E_NLB_REDIRECT', [...lpath, 'redirectTo'], 'Network load balancers cannot redirect.', { fix: 'forward to a target group instead' });
        }
        if (l.targetGroup !== undefined && !tgNames.includes(l.targetGroup)) {
          diags.error('E_UNKNOWN_TARGET_GROUP', [...lpath, 'targetGroup'], `There is no target group "${l.targetGroup}" on this load balancer.`, {
            allowed: tgNames.join(', ') || '(none defined)',
            fix: didYouMean(l.targetGroup, tgNames) ?? `define it under loadBalancers.${name}.targetGroups`,
          });
        }
        return {
          port: l.port,
          protocol,
          action: l.targetGroup !== undefined
            ? { kind: 'forward' as const, targetGroup: l.targetGroup }
            : { kind: 'redirect' as const, port: l.redirectTo ?? 443 },
        };
      });
    } else if (type === 'network') {
      diags.error('E_NLB_LISTENERS', [...path, 'listeners'], 'A network load balancer needs listeners; plinth cannot guess its ports.', {
        fix: 'add listeners: [{ port: 443, targetGroup: NAME }]',
      });
      listeners = [];
    } else {
      const [only] = tgNames;
      if (tgNames.length !== 1) {
        diags.error('E_LISTENER_DEFAULT', [...path, 'listeners'], `Default listeners forward to the only target group, but this load balancer has ${tgNames.length}.`, {
          fix: 'define exactly one target group, or write listeners explicitly',
        });
      }
      if (!hasCertificate && scheme === 'internet-facing') {
        diags.error('E_ALB_NO_CERTIFICATE', path, 'An internet-facing ALB serves HTTPS by default, and the spec has no certificate.', {
          fix: 'add dns: { zone: example.com } for a DNS-validated certificate, or write listeners with protocol: HTTP explicitly',
        });
      }
      listeners = hasCertificate
        ? [
          { port: 443, protocol: 'HTTPS', action: { kind: 'forward', targetGroup: only ?? '' } },
          { port: 80, protocol: 'HTTP', action: { kind: 'redirect', port: 443 } },
        ]
        : [{ port: 80, protocol: 'HTTP', action: { kind: 'forward', targetGroup: only ?? '' } }];
    }
    const ports = listeners.map((l) => l.port);
    ports.forEach((p, i) => {
      if (ports.indexOf(p) !== i) {
        diags.error('E_LISTENER_PORT_DUPLICATE', [...path, 'listeners', i, 'port'], `Port ${p} has two listeners.`, { fix: 'give each listener its own port' });
      }
    });
    const usesCertificate = listeners.some((l) => l.protocol === 'HTTPS' || l.protocol === 'TLS');
    if (usesCertificate && !hasCertificate) {
      diags.error('E_NO_CERTIFICATE', [...path, 'listeners'], 'An HTTPS/TLS listener needs the platform certificate, and the spec has none.', {
        fix: 'add dns: { zone: example.com } (certificate on by default)',
      });
    }
    (lb.dnsNames ?? []).forEach((n, i) => {
      if (!dns) {
        diags.error('E_DNS_NAME_WITHOUT_ZONE', [...path, 'dnsNames', i], `The record ${n} needs a hosted zone, and the spec has no dns section.`, { fix: 'add dns: { zone: ... }' });
      } else if (n !== dns.zoneName && !n.endsWith(`.${dns.zoneName}`)) {
        diags.error('E_DNS_NAME_OUTSIDE_ZONE', [...path, 'dnsNames', i], `${n} is not inside the zone ${dns.zoneName}.`, {
          allowed: `${dns.zoneName} or NAME.${dns.zoneName}`, fix: `use a name ending in ${dns.zoneName}`,
        });
      }
    });
    if (lb.crossZone !== undefined && type === 'application') {
      diags.error('E_ALB_CROSS_ZONE', [...path, 'crossZone'], 'Application load balancers always balance across zones; crossZone applies to network load balancers.', { fix: 'remove crossZone' });
    }

    return {
      ref: `lb/${name}`,
      name,
      type,
      scheme,
      tier: tier?.name ?? '',
      listeners,
      targetGroups,
      crossZone: lb.crossZone ?? true,
      dnsNames: lb.dnsNames ?? [],
      usesCertificate,
    };
  });
}

function checkProtocol(protocol: ListenerProtocol, type: 'application' | 'network', path: (string | number)[], diags: Diagnostics): void {
  const allowed = type === 'application' ? ALB_PROTOCOLS : NLB_PROTOCOLS;
  if (!allowed.includes(protocol)) {
    diags.error('E_LB_PROTOCOL', path, `${protocol} is not a ${type} load balancer protocol.`, {
      allowed: allowed.join(', '), fix: type === 'application' ? 'use HTTP or HTTPS, or type: network' : 'use TCP, UDP or TLS, or type: application',
    });
  }
}
