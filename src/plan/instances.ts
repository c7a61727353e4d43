/**
 * EC2 hosts: bastion, management instances and servers share one planning path (AMI, tier, subnets,
 * disk, public addressing); only their defaults differ.
 */
import { AMI_FAMILIES } from '../spec/schema.js';
import type { Diagnostics } from '../spec/diagnostics.js';
import { didYouMean } from '../spec/diagnostics.js';
import type { AmiPlan, InstancePlan, NetworkPlan, TierPlan, TierType } from './types.js';

type AmiFamily = (typeof AMI_FAMILIES)[number];

export interface InstanceInput {
  readonly instanceType?: string;
  readonly ami?: AmiFamily | { ssmParameter: string } | { id: string; rootDevice?: '/dev/xvda' | '/dev/sda1' };
  readonly tier?: string;
  readonly azs?: readonly string[];
  readonly diskGiB?: number;
  readonly keyPair?: string;
  readonly userData?: string;
  readonly count?: number;
  readonly elasticIp?: boolean;
  readonly iamActions?: readonly string[];
}

export interface InstanceDefaults {
  readonly instanceType: string;
  readonly tierTypes: readonly TierType[];
}

/** Graviton families (t4g, m7g, c7gn, r8gd, ...) are arm64; everything else is x86_64. */
export function architectureOf(instanceType: string): 'arm64' | 'x86_64' {
  const family = instanceType.split('.')[0] ?? '';
  return /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family) && !/^(g|p|inf|trn|dl)\d/.test(family) ? 'arm64' : 'x86_64';
}

/** Public SSM parameters AWS and the distributions publish; resolved by CloudFormation at deploy time. */
export function amiParameter(family: AmiFamily, arch: 'arm64' | 'x86_64'): string {
  const deb = arch === 'arm64' ? 'arm64' : 'amd64';
  switch (family) {
    case 'amazon-linux-2023':
      return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`;
    case 'amazon-linux-2023-gpu':
      return `/aws/service/deeplearning/ami/${arch}/base-oss-nvidia-driver-gpu-amazon-linux-2023/latest/ami-id`;
    case 'amazon-linux-2':
      return `/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-${arch}-gp2`;
    case 'ubuntu-22.04':
      return `/aws/service/canonical/ubuntu/server/22.04/stable/current/${deb}/hvm/ebs-gp2/ami-id`;
    case 'ubuntu-24.04':
      return `/aws/service/canonical/ubuntu/server/24.04/stable/current/${deb}/hvm/ebs-gp3/ami-id`;
    case 'debian-12':
      return `/aws/service/debian/release/12/latest/${deb}`;
  }
}

export function planInstance(
  ref: string,
  name: string,
  input: InstanceInput,
  defaults: InstanceDefaults,
  path: (string | number)[],
  network: NetworkPlan,
  diags: Diagnostics,
  readFile: (relativePath: string) => string | undefined,
): InstancePlan {
  const instanceType = input.instanceType ?? defaults.instanceType;
  const ami: AmiPlan = typeof input.ami === 'object'
    ? ('id' in input.ami ? { kind: 'id', id: input.ami.id, rootDevice: input.ami.rootDevice ?? '/dev/xvda' } : { kind: 'ssm', parameter: input.ami.ssmParameter })
    : { kind: 'ssm', parameter: amiParameter(input.ami ?? 'amazon-linux-2023', architectureOf(instanceType)) };

  const tier = resolveTier(input.tier, defaults.tierTypes, [...path, 'tier'], network.tiers, diags);
  const count = input.count ?? 1;
  let candidates = tier?.subnets ?? [];
  if (tier && input.azs) {
    input.azs.forEach((az, i) => {
      if (!tier.subnets.some((s) => s.az === az)) {
        const tierAzs = tier.subnets.map((s) => s.az);
        diags.error('E_INSTANCE_AZ', [...path, 'azs', i], `Tier "${tier.name}" has no subnet in ${az}.`, {
          allowed: tierAzs.join(', '), fix: didYouMean(az, tierAzs) ?? 'choose an AZ the tier spans',
        });
      }
    });
    candidates = tier.subnets.filter((s) => input.azs!.includes(s.az));
  }
  const subnets = candidates.length > 0 ? Array.from({ length: count }, (_, i) => candidates[i % candidates.length]!.id) : [];
  const elasticIp = input.elasticIp ?? false;
  if (elasticIp && tier && tier.type !== 'public') {
    diags.error('E_EIP_PRIVATE_TIER', [...path, 'elasticIp'], `${ref} is in the ${tier.type} tier "${tier.name}"; an Elastic IP there is unreachable from the internet.`, {
      fix: 'place it in a public tier, or remove elasticIp',
    });
  }

  let userData: string | undefined;
  if (input.userData !== undefined) {
    userData = readFile(input.userData);
    if (userData === undefined) {
      diags.error('E_USER_DATA_MISSING', [...path, 'userData'], `The user-data file "${input.userData}" does not exist.`, {
        fix: 'give a path relative to the spec file',
      });
    } else if (Buffer.byteLength(userData) > 16 * 1024) {
      diags.error('E_USER_DATA_SIZE', [...path, 'userData'], `The user-data file "${input.userData}" is ${Buffer.byteLength(userData)} bytes; EC2 accepts at most 16 KiB.`, {
        fix: 'download larger scripts from S3 in a short bootstrap script',
      });
    }
  }

  return {
    ref,
    name,
    instanceType,
    ami,
    tier: tier?.name ?? '',
    subnets,
    count,
    diskGiB: input.diskGiB ?? 20,
    keyPair: input.keyPair,
    userData,
    elasticIp,
    iamActions: input.iamActions ?? [],
    publicIp: !!tier && tier.type === 'public' && (elasticIp || tier.mapPublicIpOnLaunch),
  };
}

/** The named tier, or the first tier of an allowed type; reports unknown names and wrong types. */
export function resolveTier(
  name: string | undefined,
  types: readonly TierType[],
  path: (string | number)[],
  tiers: readonly TierPlan[],
  diags: Diagnostics,
): TierPlan | undefined {
  const names = tiers.map((t) => t.name);
  if (name === undefined) {
    const tier = types.map((type) => tiers.find((t) => t.type === type)).find((t) => t !== undefined);
    if (!tier) {
      diags.error('E_NO_TIER', path, `This needs ${article(types.join(' or '))} subnet tier, and the network has none.`, {
        fix: `add ${article(types[0]!)} tier under network.subnets`,
      });
    }
    return tier;
  }
  const tier = tiers.find((t) => t.name === name);
  if (!tier) {
    diags.error('E_UNKNOWN_TIER', path, `There is no subnet tier "${name}".`, {
      allowed: names.join(', '),
      fix: didYouMean(name, names) ?? 'name a tier defined under network.subnets',
    });
    return undefined;
  }
  if (!types.includes(tier.type)) {
    diags.error('E_TIER_TYPE', path, `Tier "${name}" is ${tier.type}; this needs ${article(types.join(' or '))} tier.`, {
      allowed: tiers.filter((t) => types.includes(t.type)).map((t) => t.name).join(', ') || `(no ${types.join('/')} tier)`,
      fix: `choose ${article(types.join(' or '))} tier`,
    });
    return undefined;
  }
  return tier;
}

/** `only 1 AZ`, `2 AZs`: how many AZs a tier's subnets cover, for messages. */
export function spannedAzs(tier: TierPlan): string {
  const n = new Set(tier.subnets.map((s) => s.az)).size;
  return n === 1 ? 'only 1 AZ' : `${n} AZs`;
}

function article(word: string): string {
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}
