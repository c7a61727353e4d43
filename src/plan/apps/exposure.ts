/**
 * Exposure: the ALB ingress groups, each app's or service's route on them, and their checks.
 */
import type { Diagnostics, SpecPath } from '../../spec/diagnostics.js';
import type { PlatformSpec } from '../../spec/schema.js';
import type { ExposeSpec, ServicesSpec } from '../../spec/workloads.js';
import { NODES } from '../cluster.js';
import type { FlowBuilder } from '../flows.js';
import { tcp } from '../flows.js';
import type { ExposurePlan, IngressGroupPlan, IngressScheme } from '../workloads.js';
import { type WorkloadContext } from './context.js';

export const INGRESS_SCHEMES: readonly IngressScheme[] = ['public', 'internal'];

/** The endpoint of an IngressGroup's ALB in the reference language. */
export function ingressRef(scheme: IngressScheme): string {
  return `lb/${scheme}`;
}

/** Name tag of an ingress ALB's security group, which the Ingresses name (k8s/ingress.ts). */
export function ingressSecurityGroupName(spec: PlatformSpec, scheme: IngressScheme): string {
  return `${spec.platform.name}-${spec.platform.environment ?? 'prod'}-ingress-${scheme}`;
}

export function exposedSchemes(spec: PlatformSpec): IngressScheme[] {
  const exposures = [...Object.values(spec.apps ?? {}), ...Object.values((spec.services ?? {}) as ServicesSpec)].map((w) => w?.expose?.ingress);
  return INGRESS_SCHEMES.filter((scheme) => exposures.includes(scheme));
}

/**
 * Adds `lb/public` and `lb/internal` to the endpoint table when some app or service is exposed on
 * that ALB, before any reference is resolved, so every section can name them as it names any load
 * balancer. The names are then taken: a load balancer of `loadBalancers` may not use them.
 */
export function addIngressEndpoints(spec: PlatformSpec, flows: FlowBuilder, diags: Diagnostics): void {
  const schemes = exposedSchemes(spec);
  const platform = spec.platform.name;
  if (schemes.length > 0 && platform.startsWith('sg-')) {
    diags.error('E_PLATFORM_NAME_SG', ['platform', 'name'], `The ingress ALB's security group is named ${ingressSecurityGroupName(spec, schemes[0]!)}, and the AWS Load Balancer Controller reads a name starting with "sg-" as a security group id, so it would never find the group.`, {
      fix: `rename the platform so it does not start with "sg-", e.g. ${platform.slice(3)}`,
    });
  }
  for (const scheme of schemes) {
    if (spec.loadBalancers?.[scheme]) {
      diags.error('E_LB_NAME_TAKEN', ['loadBalancers', scheme], `lb/${scheme} is the ${scheme === 'public' ? 'internet-facing' : 'internal'} ALB plinth creates for the apps exposed with ingress: ${scheme}, so loadBalancers may not use the name "${scheme}" while an app or service is exposed there.`, {
        allowed: 'any other name; public and internal are reserved for the ingress ALBs',
        fix: `rename loadBalancers.${scheme} (e.g. to ${scheme === 'public' ? 'web' : 'intranet'}) and the references to lb/${scheme} that mean it`,
      });
      continue;
    }
    flows.addEndpoint(ingressRef(scheme), 'lb');
  }
}

export function planIngressGroups(ctx: WorkloadContext): IngressGroupPlan[] {
  const { spec, network } = ctx;
  const platform = `${spec.platform.name}-${spec.platform.environment ?? 'prod'}`;
  const subnetsOf = (types: readonly string[]) => network.tiers.filter((t) => types.includes(t.type)).flatMap((t) => t.subnets);
  return INGRESS_SCHEMES.map((scheme) => {
    const subnets = subnetsOf(scheme === 'public' ? ['public'] : ['private', 'isolated']);
    const existing = subnets.flatMap((s) => (s.existing ? [s.existing.subnetId] : []));
    return {
      scheme,
      name: `${platform}-${scheme}`,
      ref: ingressRef(scheme),
      securityGroupName: ingressSecurityGroupName(spec, scheme),
      subnetCidrs: subnets.map((s) => s.cidr),
      ...(existing.length > 0 ? { pinnedSubnetIds: existing } : {}),
    };
  });
}

/**
 * Keeps the groups some workload is exposed on and adds their flows. The ALB is shared, so its
 * security group admits the union of what its members admit, on the listener ports of any member
 * (80, and 443 with TLS: 80 then only redirects), and reaches each member's pods on their port: with
 * IP targets the ALB connects to the pods, which carry the nodes' security group (VPC CNI).
 */
export function finishGroups(ctx: WorkloadContext, groups: readonly IngressGroupPlan[], workloads: readonly { ref: string; exposure: ExposurePlan | undefined }[]): IngressGroupPlan[] {
  return groups.filter((g) => {
    const members = workloads.flatMap((w) => (w.exposure?.scheme === g.scheme ? [{ ref: w.ref, exposure: w.exposure }] : []));
    if (members.length === 0) return false;
    const listeners = [...(members.some((m) => m.exposure.tls) ? [443] : []), 80].map(tcp);
    for (const { exposure } of members) {
      for (const source of exposure.allowFrom) {
        for (const ports of listeners) ctx.flows.addFlow({ from: source.ref, to: g.ref, ports, origin: source.origin, description: `clients of the ${g.scheme} ALB (${g.ref})` });
      }
    }
    for (const { ref, exposure } of members) {
      const [kind, name] = ref.split('/');
      ctx.flows.addFlow({ from: g.ref, to: NODES, ports: tcp(exposure.targetPort), origin: [kind!, name!, 'expose'], description: `${g.ref} to its targets` });
    }
    return true;
  });
}

export function planExposure(
  ctx: WorkloadContext, owner: string, e: ExposeSpec, path: SpecPath, target: { service: string; port: number | undefined; podPort: number | undefined },
  readinessPath: string | undefined,
  sticky = false,
): ExposurePlan | undefined {
  const { diags, dns } = ctx;
  if (target.port === undefined || target.podPort === undefined) {
    diags.error('E_EXPOSE_NO_PORT', path, `${owner} is exposed but listens on no port.`, { fix: 'add port: to the app' });
    return undefined;
  }
  const host = e.host ?? (dns ? `${owner}.${dns.zoneName}` : undefined);
  if (!host) {
    diags.error('E_EXPOSE_NO_HOST', path, `${owner} is exposed without a host, and the spec has no dns zone to name one.`, { fix: 'add host: www.example.com, or a dns: { zone: ... } section' });
    return undefined;
  }
  const certificateNames = dns?.certificateNames ?? [];
  const covered = certificateNames.some((n) => n === host || (n.startsWith('*.') && host.endsWith(n.slice(1)) && !host.slice(0, host.length - n.length + 1).includes('.')));
  const tls = e.tls ?? certificateNames.length > 0;
  if (e.ingress === 'public' && !tls && e.tls !== false) {
    diags.error('E_EXPOSE_PLAIN_HTTP', [...path, 'ingress'], `${host} would be served to the internet on plain HTTP: the spec has no certificate (no dns section).`, {
      fix: 'add dns: { zone: ... } so the platform certificate serves HTTPS, or write tls: false to publish it without TLS on purpose',
    });
  }
  if (tls && !covered) {
    diags.error('E_EXPOSE_CERTIFICATE', [...path, e.host ? 'host' : 'ingress'], `${host} is served over HTTPS, and no certificate of the spec covers it${certificateNames.length ? ` (the certificate names ${certificateNames.join(', ')})` : ''}.`, {
      fix: dns ? `use a host in ${dns.zoneName} (one level below it at most), or list it in dns.certificate.names` : 'add dns: { zone: ... } for a certificate, or set tls: false',
    });
  }
  const paths = e.paths ?? ['/'];
  if (e.rewrite !== undefined && paths.length !== 1) {
    diags.error('E_REWRITE_PATHS', [...path, 'rewrite'], `A rewrite replaces one path prefix, and ${owner} exposes ${paths.length} paths.`, { fix: 'expose one path, or drop rewrite' });
  }
  if (e.rewrite !== undefined && paths[0] === '/') {
    diags.error('E_REWRITE_ROOT', [...path, 'rewrite'], `A rewrite of "/" would rewrite every request of ${host}.`, { fix: 'expose a narrower path such as /api' });
  }
  return {
    scheme: e.ingress,
    host,
    paths: [...paths].sort((a, b) => b.length - a.length || a.localeCompare(b)),
    rewrite: e.rewrite,
    tls,
    sticky,
    healthCheckPath: e.healthCheckPath ?? readinessPath ?? '/',
    serviceName: target.service,
    servicePort: target.port,
    targetPort: target.podPort,
    allowFrom: exposureSources(ctx, e, path),
    // Shorter paths later: "/" must not shadow "/api" on the shared ALB. Orders are 1..1000.
    order: Math.max(1, 1000 - 10 * Math.max(0, ...paths.map((p) => p.split('/').filter(Boolean).length * 10 + p.length))),
  };
}

/**
 * Who may connect to the ALB for one exposure. The public ALB admits the internet. The internal one
 * admits `allowFrom`, by default the Client VPN endpoint's security group (VPN traffic arrives from
 * the endpoint's interfaces, which carry it), or the VPC when the spec has no Client VPN.
 */
export function exposureSources(ctx: WorkloadContext, e: ExposeSpec, path: SpecPath): { ref: string; origin: SpecPath }[] {
  const { diags, flows, spec } = ctx;
  if (e.ingress === 'public') {
    if (e.allowFrom) {
      diags.error('E_EXPOSE_ALLOW_PUBLIC', [...path, 'allowFrom'], 'allowFrom narrows the internal ALB; the public ALB admits the internet by definition.', { fix: 'use ingress: internal, or remove allowFrom' });
    }
    return [{ ref: 'internet', origin: [...path, 'ingress'] }];
  }
  if (!e.allowFrom) return [{ ref: spec.access?.clientVpn ? 'vpn' : 'vpc', origin: [...path, 'ingress'] }];
  return e.allowFrom.flatMap((text, i) => {
    const origin = [...path, 'allowFrom', i];
    const ref = flows.resolveSource(text, origin);
    if (!ref) return [];
    if (ref === 'internet' || ref === 'cidr:0.0.0.0/0') {
      diags.error('E_INTERNAL_LB_INTERNET', origin, `The internal ALB has no public address; allowing ${ref} has no effect and hides intent.`, {
        fix: 'use ingress: public, or allow vpn, vpc or specific ranges',
      });
      return [];
    }
    return [{ ref, origin }];
  });
}

export function checkPaths(workloads: readonly { ref: string; exposure: ExposurePlan | undefined }[], diags: Diagnostics): void {
  const seen = new Map<string, string>();
  for (const w of workloads) {
    if (!w.exposure) continue;
    for (const [i, p] of w.exposure.paths.entries()) {
      const key = `${w.exposure.scheme} ${w.exposure.host}${p.replace(/\/$/, '') || '/'}`;
      const other = seen.get(key);
      const [kind, name] = w.ref.split('/');
      if (other && other !== w.ref) {
        diags.error('E_INGRESS_PATH_CONFLICT', [kind!, name!, 'expose', 'paths', i], `${w.exposure.host}${p} on the ${w.exposure.scheme} ALB is already routed to ${other}; the ALB would send every request to one of them.`, {
          fix: 'give one of them another path or host',
        });
      } else if (other === w.ref) {
        diags.error('E_INGRESS_PATH_CONFLICT', [kind!, name!, 'expose', 'paths', i], `${p} is listed twice.`, { fix: 'list each path once' });
      }
      seen.set(key, w.ref);
    }
  }
}

export function checkExposurePrerequisites(ctx: WorkloadContext, workloads: readonly { ref: string; exposure: ExposurePlan | undefined }[]): void {
  const exposed = workloads.find((w) => w.exposure);
  if (exposed && ctx.cluster && !ctx.cluster.controllers.loadBalancer) {
    const [kind, name] = exposed.ref.split('/');
    ctx.diags.error('E_EXPOSE_WITHOUT_LB_CONTROLLER', [kind!, name!, 'expose'], 'Ingresses become ALBs through the AWS Load Balancer Controller, which cluster.controllers.loadBalancer turns off.', {
      fix: 'remove cluster.controllers.loadBalancer: false',
    });
  }
}
