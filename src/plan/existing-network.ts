/**
 * Building into an existing VPC (network.vpcId). The spec states the VPC's CIDR and every subnet's
 * id, CIDR and AZ, so synth never looks anything up (aws-cdk-lib's `Vpc.fromVpcAttributes` and
 * `Subnet.fromSubnetAttributes` take them as given) and verify and the diagram know where things sit.
 * plinth creates nothing it was told exists, and changes nothing it does not own: no subnets, gateways,
 * NAT or routes; statements that contradict each other are errors here, before anything is built.
 */
import type { Diagnostics, SpecPath } from '../spec/diagnostics.js';
import { didYouMean, formatPath } from '../spec/diagnostics.js';
import type { PlatformSpec, SubnetTierSpec } from '../spec/schema.js';
import { contains, formatCidr, isNetworkAligned, maskOf, overlaps, parseCidr, type Cidr } from './cidr.js';
import type { SubnetPlan } from './types.js';

/** Settings of a VPC or of its routing that only the VPC's owner can change. */
const OWNER_SETTINGS: readonly { key: keyof PlatformSpec['network']; why: string }[] = [
  { key: 'nat', why: 'NAT gateways and the routes to them belong to the existing VPC; private tiers use whatever egress it has' },
  { key: 'natTier', why: 'plinth places no NAT gateway in an existing VPC' },
  { key: 'dnsSupport', why: 'DNS settings are attributes of the existing VPC' },
  { key: 'dnsHostnames', why: 'DNS settings are attributes of the existing VPC' },
  { key: 'vpn', why: 'a site-to-site VPN would add routes to route tables plinth does not own' },
  { key: 'transitGateway', why: 'a Transit Gateway attachment would add routes to route tables plinth does not own' },
];

/** Contradictions between network.vpcId and the rest of the network section. */
export function checkExistingVpc(spec: PlatformSpec, diags: Diagnostics): void {
  const net = spec.network;
  const tiers = Object.entries(net.subnets ?? {});
  if (!net.vpcId) {
    for (const [name] of tiers.filter(([, t]) => t.existing)) {
      diags.error('E_EXISTING_SUBNET_WITHOUT_VPC', ['network', 'subnets', name, 'existing'], `Tier "${name}" lists existing subnets, but network.vpcId does not say which VPC they belong to, so plinth would create a new VPC without them.`, {
        fix: 'add network.vpcId (the subnets\' VPC), or remove existing to let plinth create the tier',
      });
    }
    return;
  }
  if (!net.subnets) {
    diags.error('E_EXISTING_VPC_TIERS', ['network', 'vpcId'], 'With an existing VPC, plinth needs its subnets: it creates none there.', {
      fix: 'add network.subnets with each tier\'s existing subnets, e.g. private: { existing: [{ id: subnet-..., cidr: 10.0.1.0/24, az: ... }] }',
    });
  }
  for (const [name, tier] of tiers.filter(([, t]) => !t.existing)) {
    diags.error('E_EXISTING_VPC_NEW_SUBNETS', ['network', 'subnets', name], `Tier "${name}" has no existing subnets; in an existing VPC plinth creates no subnets (it could not route them).`, {
      fix: `list the tier's subnets under network.subnets.${name}.existing (id, cidr, az), or remove the tier`,
    });
  }
  for (const { key, why } of OWNER_SETTINGS.filter((s) => net[s.key] !== undefined)) {
    diags.error('E_EXISTING_VPC_SETTING', ['network', key], `network.${key} cannot apply to the existing VPC ${net.vpcId}: ${why}.`, {
      fix: `remove network.${key}, or let plinth create the VPC (remove network.vpcId)`,
    });
  }
}

/** One tier's existing subnets, checked against the VPC, the AZs and every subnet before them. */
export function planExistingTier(
  name: string, tier: SubnetTierSpec, vpc: Cidr, azs: readonly string[],
  taken: { cidr: Cidr; path: SpecPath; text: string }[], subnetId: (tier: string, az: string) => string, diags: Diagnostics,
): SubnetPlan[] {
  const base = ['network', 'subnets', name];
  for (const key of ['cidrs', 'mask', 'mapPublicIpOnLaunch'] as const) {
    if (tier[key] === undefined) continue;
    diags.error('E_EXISTING_SETTING', [...base, key], `Tier "${name}" lists existing subnets, so ${key} cannot apply: plinth does not create or change them.`, {
      fix: `remove ${key}; the existing subnets' own settings stand`,
    });
  }
  const allowedAzs = tier.azs ?? azs;
  const subnets: SubnetPlan[] = [];
  const seenAzs = new Set<string>();
  for (const [i, s] of (tier.existing ?? []).entries()) {
    const path = [...base, 'existing', i];
    const cidr = parseCidr(s.cidr);
    if (!allowedAzs.includes(s.az)) {
      diags.error('E_EXISTING_SUBNET_AZ', [...path, 'az'], `Subnet ${s.id} is stated to be in ${s.az}, which is not one of ${tier.azs ? `network.subnets.${name}.azs` : 'network.azs'} (${allowedAzs.join(', ')}).`, {
        allowed: allowedAzs.join(', '),
        fix: didYouMean(s.az, allowedAzs) ?? `correct the subnet's AZ (aws ec2 describe-subnets --subnet-ids ${s.id}), or add ${s.az} to network.azs`,
      });
      continue;
    }
    if (seenAzs.has(s.az)) {
      diags.error('E_EXISTING_SUBNET_AZ_TWICE', [...path, 'az'], `Tier "${name}" already has a subnet in ${s.az}; a tier holds one subnet per AZ.`, {
        fix: 'keep one subnet per AZ in each tier; put the other in a tier of its own',
      });
      continue;
    }
    if (!cidr || !isNetworkAligned(cidr) || cidr.prefix < 16 || cidr.prefix > 28) {
      const network = cidr && formatCidr({ base: (cidr.base & maskOf(cidr.prefix)) >>> 0, prefix: cidr.prefix });
      diags.error('E_SUBNET_CIDR', [...path, 'cidr'], `Subnet ${s.id} is stated as ${s.cidr}, which is not a subnet CIDR (a /16 to /28 network address).`, {
        fix: network && cidr && isNetworkAligned(cidr) === false ? `use ${network}` : 'copy the CIDR from aws ec2 describe-subnets',
      });
      continue;
    }
    if (!contains(vpc, cidr)) {
      diags.error('E_SUBNET_OUTSIDE_VPC', [...path, 'cidr'], `Subnet ${s.id} (${s.cidr}) is not inside the VPC's stated CIDR ${formatCidr(vpc)}; one of the two is wrong.`, {
        allowed: `a CIDR inside ${formatCidr(vpc)}`,
        fix: 'check both with aws ec2 describe-subnets / describe-vpcs; a subnet in a secondary CIDR block is not supported yet',
      });
      continue;
    }
    const clash = taken.find((t) => overlaps(t.cidr, cidr));
    if (clash) {
      diags.error('E_SUBNET_OVERLAP', [...path, 'cidr'], `Subnet ${s.id} (${s.cidr}) overlaps ${clash.text} (${formatPath(clash.path)}); subnets of one VPC never overlap.`, {
        fix: 'correct the CIDR, or remove the subnet listed twice',
      });
      continue;
    }
    seenAzs.add(s.az);
    taken.push({ cidr, path: [...path, 'cidr'], text: `${s.cidr} (${s.id})` });
    subnets.push({ id: subnetId(name, s.az), tier: name, az: s.az, cidr: s.cidr, existing: { subnetId: s.id, routeTableId: s.routeTableId } });
  }
  // Subnets are used in AZ order, like the ones plinth creates.
  return subnets.sort((a, b) => azs.indexOf(a.az) - azs.indexOf(b.az));
}
