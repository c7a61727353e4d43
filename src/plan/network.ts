/**
 * Network planning: AZ names, subnet tiers (explicit or carved CIDRs, with containment and overlap
 * checks), NAT placement, endpoints, site-to-site VPN and Transit Gateway routing.
 */
import { azNamesFor, KNOWN_AZ_REGIONS } from './azs.js';
import { carve, contains, formatCidr, maskOf, overlaps, parseCidr, isNetworkAligned, type Cidr } from './cidr.js';
import type { Diagnostics } from '../spec/diagnostics.js';
import { didYouMean, formatPath } from '../spec/diagnostics.js';
import { bastionToolEndpoints } from './bastion-tools.js';
import { resolveTier } from './instances.js';
import { checkExistingVpc, planExistingTier } from './existing-network.js';
import type { PlatformSpec, SubnetTierSpec } from '../spec/schema.js';
import type { NetworkPlan, SubnetPlan, TierPlan, TierType } from './types.js';

const TIER_TYPES: readonly TierType[] = ['public', 'private', 'isolated'];
const DEFAULT_TIERS: Record<string, SubnetTierSpec> = { public: {}, private: {} };

export function planNetwork(spec: PlatformSpec, diags: Diagnostics): NetworkPlan {
  const net = spec.network;
  const written = parseCidr(net.cidr);
  // Plan subnets against the network the user evidently meant, so one typo is reported once.
  const vpc = written && { base: (written.base & maskOf(written.prefix)) >>> 0, prefix: written.prefix };
  const problem = !written ? 'is not an IPv4 CIDR (four numbers 0-255 and a prefix 0-32)'
    : !isNetworkAligned(written) ? `has host bits set; the network is ${formatCidr(vpc!)}`
      : written.prefix < 16 ? `is /${written.prefix}; a VPC can be at most /16 (65,536 addresses)`
        : written.prefix > 28 ? `is /${written.prefix}; a VPC must be at least /28 (16 addresses)` : undefined;
  if (problem) {
    diags.error('E_VPC_CIDR', ['network', 'cidr'], `VPC CIDR ${net.cidr} ${problem}.`, {
      allowed: 'an IPv4 network from /16 to /28 with no host bits set, e.g. 10.0.0.0/16',
      fix: written && !isNetworkAligned(written) && written.prefix >= 16 && written.prefix <= 28
        ? `use ${formatCidr(vpc!)}` : 'use a private range such as 10.0.0.0/16',
    });
  }
  const azs = planAzs(spec, diags);
  checkExistingVpc(spec, diags);
  const existing = net.vpcId !== undefined;
  const tiers = vpc ? planTiers(spec, vpc, azs, diags) : [];
  const byType = (type: TierType) => tiers.filter((t) => t.type === type).map((t) => t.name);
  const inside = (type: TierType[]) => tiers.filter((t) => type.includes(t.type)).map((t) => t.name);

  const checkTier = (name: string | undefined, path: (string | number)[], types: TierType[]): string | undefined =>
    name === undefined ? undefined : resolveTier(name, types, path, tiers, diags)?.name ?? name;

  // NAT
  // An existing VPC has whatever egress its owner gave it; plinth adds none.
  const natMode = existing ? 'none' : net.nat ?? (byType('private').length > 0 ? 'single' : 'none');
  let natSubnets: string[] = [];
  const natTierName = checkTier(net.natTier, ['network', 'natTier'], ['public']) ?? byType('public')[0];
  if (natMode !== 'none' && natMode !== 'regional') {
    const natTier = tiers.find((t) => t.name === natTierName);
    if (!natTier) {
      // With nat defaulted, the tiers are what the user wrote and can change.
      diags.error('E_NAT_WITHOUT_PUBLIC', net.nat ? ['network', 'nat'] : ['network', 'subnets'], net.nat
        ? `nat: ${natMode} needs a public tier to host the NAT gateway.`
        : 'Private tiers reach the internet through a NAT gateway (nat: single by default), and a NAT gateway needs a public tier.', {
        allowed: 'a tier with type: public under network.subnets',
        fix: net.nat ? 'add a public tier, or set nat: none' : 'add a public tier, make the private tiers isolated, or set nat: none',
      });
    } else {
      natSubnets = natMode === 'single' ? natTier.subnets.slice(0, 1).map((s) => s.id) : natTier.subnets.map((s) => s.id);
    }
  }
  if (natMode === 'regional' && byType('public').length === 0) {
    diags.error('E_NAT_WITHOUT_PUBLIC', ['network', 'nat'], 'nat: regional needs an internet gateway, which plinth adds only with a public tier.', {
      fix: 'add a public tier, or set nat: none',
    });
  }

  const flow = net.flowLogs ?? true;
  const gatewayEndpoints = net.endpoints?.gateway ?? (existing ? [] : ['s3' as const]);
  if (existing && gatewayEndpoints.length > 0) {
    const unknown = tiers.flatMap((t) => t.subnets).filter((s) => !s.existing?.routeTableId);
    if (unknown.length > 0) {
      diags.error('E_EXISTING_ROUTE_TABLE_MISSING', ['network', 'endpoints', 'gateway'], `Gateway endpoints are routes in route tables, and the route tables of ${unknown.map((s) => s.existing?.subnetId ?? s.id).join(', ')} are not stated.`, {
        fix: 'add routeTableId to each existing subnet, or remove network.endpoints.gateway (an existing VPC gets none by default)',
      });
    }
  }
  const flowLogs = flow === false ? undefined : {
    retentionDays: (typeof flow === 'object' ? flow.retentionDays : undefined) ?? 90,
    trafficType: (typeof flow === 'object' ? flow.trafficType : undefined) ?? 'ALL',
  };

  const firstPrivate = byType('private')[0] ?? byType('isolated')[0];
  const routeTierDefault = inside(['private', 'isolated']);
  const checkTierList = (names: readonly string[] | undefined, path: (string | number)[]) =>
    (names ?? routeTierDefault).map((n, i) => (names ? checkTier(n, [...path, i], TIER_TYPES.slice()) ?? n : n));

  const vpns = Object.entries(net.vpn ?? {}).map(([name, v]) => {
    for (const [i, c] of v.remoteCidrs.entries()) {
      const remote = parseCidr(c);
      if (remote && vpc && overlaps(remote, vpc)) {
        diags.error('E_VPN_OVERLAP', ['network', 'vpn', name, 'remoteCidrs', i], `Remote network ${c} overlaps the VPC ${net.cidr}; routes to it would be ambiguous.`, {
          fix: 'use the remote network\'s real, non-overlapping range, or re-address the VPC',
        });
      }
    }
    return {
      name,
      customerGatewayIp: v.customerGatewayIp,
      bgpAsn: v.bgpAsn ?? 65000,
      remoteCidrs: v.remoteCidrs,
      routeTiers: checkTierList(v.routeTiers, ['network', 'vpn', name, 'routeTiers']),
    };
  });

  const tgw = net.transitGateway;
  const transitGateway = tgw && {
    id: tgw.id,
    tier: checkTier(tgw.tier, ['network', 'transitGateway', 'tier'], ['private', 'isolated']) ?? firstPrivate ?? '',
    routes: tgw.routes,
    routeTiers: checkTierList(tgw.routeTiers, ['network', 'transitGateway', 'routeTiers']),
  };
  if (tgw && !transitGateway?.tier) {
    diags.error('E_TGW_WITHOUT_PRIVATE', ['network', 'transitGateway'], 'A Transit Gateway attachment needs a private or isolated tier.', {
      fix: 'add a private tier under network.subnets',
    });
  }

  // Written endpoints first, then those the bastion's tools need (bastion-tools.ts), each once.
  const interfaceEndpoints = [...new Set([...(net.endpoints?.interface ?? []), ...bastionToolEndpoints(spec)])];
  const interfaceEndpointTier = interfaceEndpoints.length === 0 ? undefined
    : checkTier(net.endpoints?.tier, ['network', 'endpoints', 'tier'], ['private', 'isolated']) ?? firstPrivate;

  return {
    existingVpcId: net.vpcId,
    cidr: net.cidr,
    azs,
    tiers,
    nat: { mode: natMode, subnets: natSubnets },
    dnsSupport: net.dnsSupport ?? true,
    dnsHostnames: net.dnsHostnames ?? true,
    flowLogs,
    gatewayEndpoints,
    interfaceEndpoints,
    interfaceEndpointTier,
    vpns,
    transitGateway: transitGateway && transitGateway.tier ? transitGateway : undefined,
    clusterNames: [],
  };
}

function planAzs(spec: PlatformSpec, diags: Diagnostics): string[] {
  const { region } = spec.platform;
  const azs = spec.network.azs;
  if (typeof azs === 'number') {
    const known = azNamesFor(region);
    if (!known) {
      diags.error('E_AZ_COUNT_UNKNOWN_REGION', ['network', 'azs'], `plinth has no built-in AZ list for ${region}, so it cannot pick ${azs} AZ names (it never looks them up in AWS).`, {
        allowed: `a count for ${KNOWN_AZ_REGIONS.join(', ')}; a list of AZ names anywhere`,
        fix: `list the AZ names, e.g. azs: [${region}a, ${region}b]`,
      });
      return [];
    }
    if (azs > known.length) {
      diags.error('E_AZ_COUNT', ['network', 'azs'], `${region} has ${known.length} AZs in plinth's table; ${azs} were asked for.`, {
        allowed: `1 to ${known.length}: ${known.join(', ')}`,
        fix: `use azs: ${known.length} or fewer`,
      });
      return known;
    }
    return known.slice(0, azs);
  }
  const seen = new Set<string>();
  azs.forEach((az, i) => {
    if (!az.startsWith(region) || !/^[a-z]$/.test(az.slice(region.length))) {
      diags.error('E_AZ_NAME', ['network', 'azs', i], `"${az}" is not an AZ of ${region}.`, {
        allowed: `${region} followed by one letter, e.g. ${region}a`,
        fix: `write ${region}a, ${region}b, ...`,
      });
    }
    if (seen.has(az)) diags.error('E_AZ_DUPLICATE', ['network', 'azs', i], `AZ ${az} is listed twice.`, { fix: 'list each AZ once' });
    seen.add(az);
  });
  return azs;
}

function planTiers(spec: PlatformSpec, vpc: Cidr, azs: readonly string[], diags: Diagnostics): TierPlan[] {
  const entries: [string, SubnetTierSpec][] = Object.entries(spec.network.subnets ?? DEFAULT_TIERS);
  const taken: { cidr: Cidr; path: (string | number)[]; text: string }[] = [];
  const pending: { tier: string; azs: string[]; mask: number }[] = [];
  const explicit = new Map<string, SubnetPlan[]>();
  const types = new Map<string, TierType>();

  for (const [name, tier] of entries) {
    const base = ['network', 'subnets', name];
    const type = tier.type ?? ((TIER_TYPES as readonly string[]).includes(name) ? (name as TierType) : undefined);
    if (!type) {
      diags.error('E_TIER_TYPE_MISSING', [...base], `Tier "${name}" needs a type.`, {
        allowed: TIER_TYPES.join(', '),
        fix: `add type: private (or public/isolated) to network.subnets.${name}`,
      });
      continue;
    }
    types.set(name, type);
    if (tier.mapPublicIpOnLaunch && type !== 'public') {
      diags.error('E_PUBLIC_IP_PRIVATE_TIER', [...base, 'mapPublicIpOnLaunch'], `Tier "${name}" is ${type}; only public tiers may auto-assign public IPs.`, {
        fix: 'remove mapPublicIpOnLaunch, or make the tier public',
      });
    }
    let tierAzs = azs.slice();
    if (tier.azs) {
      tier.azs.forEach((az, i) => {
        if (!azs.includes(az)) {
          diags.error('E_TIER_AZ', [...base, 'azs', i], `${az} is not one of network.azs.`, {
            allowed: azs.join(', '), fix: didYouMean(az, azs) ?? 'add it to network.azs or remove it here',
          });
        }
      });
      tierAzs = tier.azs.filter((az) => azs.includes(az));
    }
    if (tier.existing) {
      explicit.set(name, planExistingTier(name, tier, vpc, azs, taken, subnetId, diags));
    } else if (spec.network.vpcId) {
      // Reported by checkExistingVpc: an existing VPC gets no new subnets.
      explicit.set(name, []);
    } else if (tier.cidrs) {
      if (tier.cidrs.length > tierAzs.length) {
        // Point at the first CIDR without an AZ: the ones before it are fine.
        diags.error('E_TIER_CIDR_COUNT', [...base, 'cidrs', tierAzs.length], `Tier "${name}" lists ${tier.cidrs.length} CIDRs for ${tierAzs.length} AZ(s), so ${tier.cidrs[tierAzs.length]} has no AZ; each CIDR is one subnet in one AZ.`, {
          allowed: `at most ${tierAzs.length} CIDRs`,
          fix: tier.azs ? `remove CIDRs, or add AZs to network.subnets.${name}.azs` : 'remove CIDRs, or add AZs to network.azs',
        });
      }
      const subnets: SubnetPlan[] = [];
      tier.cidrs.slice(0, tierAzs.length).forEach((text, i) => {
        const path = [...base, 'cidrs', i];
        const cidr = parseCidr(text);
        if (!cidr || !isNetworkAligned(cidr)) {
          const network = cidr && formatCidr({ base: (cidr.base & maskOf(cidr.prefix)) >>> 0, prefix: cidr.prefix });
          diags.error('E_SUBNET_CIDR', path, cidr
            ? `Subnet ${text} has host bits set; its network address is ${network}.`
            : `Subnet ${text} is not an IPv4 CIDR: each of the four numbers must be 0-255 and the prefix 0-32.`, {
            allowed: `a network inside ${formatCidr(vpc)}, e.g. ${formatCidr({ base: vpc.base, prefix: Math.max(vpc.prefix, 24) })}`,
            fix: network ? `use ${network}` : 'write it as A.B.C.D/N with numbers in range',
          });
          return;
        }
        if (cidr.prefix > 28 || cidr.prefix < 16) {
          diags.error('E_SUBNET_SIZE', path, `Subnet ${text} is /${cidr.prefix}; AWS subnets must be /16 to /28.`, { fix: 'use a prefix between /16 and /28' });
          return;
        }
        if (!contains(vpc, cidr)) {
          diags.error('E_SUBNET_OUTSIDE_VPC', path, `Subnet ${text} is not inside the VPC ${formatCidr(vpc)}.`, {
            allowed: `a CIDR inside ${formatCidr(vpc)}`, fix: 'choose a CIDR inside the VPC, or widen network.cidr',
          });
          return;
        }
        const clash = taken.find((t) => overlaps(t.cidr, cidr));
        if (clash) {
          diags.error('E_SUBNET_OVERLAP', path, `Subnet ${text} overlaps ${clash.text} (${formatPath(clash.path)}).`, {
            fix: 'give each subnet its own range',
          });
          return;
        }
        taken.push({ cidr, path, text });
        subnets.push({ id: subnetId(name, tierAzs[i]!), tier: name, az: tierAzs[i]!, cidr: text });
      });
      explicit.set(name, subnets);
    } else {
      pending.push({ tier: name, azs: tierAzs, mask: tier.mask ?? 24 });
    }
  }

  // Carve after every explicit CIDR is known, so carved subnets never collide with written ones.
  const carved = new Map<string, SubnetPlan[]>();
  for (const p of pending) {
    const blocks = carve(vpc, p.mask, p.azs.length, taken.map((t) => t.cidr));
    if (!blocks) {
      // A tier plinth added by default is not in the file; the VPC's size is what the user can change.
      const where = spec.network.subnets ? ['network', 'subnets', p.tier] : ['network', 'cidr'];
      diags.error('E_VPC_FULL', where, `The VPC ${formatCidr(vpc)} has no room for ${p.azs.length} more /${p.mask} subnets for tier "${p.tier}".`, {
        fix: 'widen network.cidr, use a larger mask (smaller subnets), or write cidrs explicitly',
      });
      continue;
    }
    blocks.forEach((b) => taken.push({ cidr: b, path: ['network', 'subnets', p.tier], text: formatCidr(b) }));
    carved.set(p.tier, blocks.map((b, i) => ({ id: subnetId(p.tier, p.azs[i]!), tier: p.tier, az: p.azs[i]!, cidr: formatCidr(b) })));
  }

  return entries.filter(([name]) => types.has(name)).map(([name, tier]) => ({
    name,
    type: types.get(name)!,
    subnets: explicit.get(name) ?? carved.get(name) ?? [],
    mapPublicIpOnLaunch: tier.mapPublicIpOnLaunch ?? false,
  }));
}

/** `public-a` for the public tier in ap-northeast-2a: stable, short, unique. */
function subnetId(tier: string, az: string): string {
  return `${tier}-${az.slice(-1)}`;
}
