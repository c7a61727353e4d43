/**
 * The `cluster` section → ClusterPlan: version and support policy, endpoint access, node groups
 * (sizes, AMI types derived from the instance types), the ordered add-ons with pinned versions, access
 * entries for admins and teams, controllers and GitOps. Also the cluster's place in the reference
 * language: the `cluster/nodes` and `cluster/controlPlane` endpoints and the flows EKS needs between them.
 */
import type { Diagnostics, SpecPath } from '../spec/diagnostics.js';
import { didYouMean } from '../spec/diagnostics.js';
import { CLUSTER_LOG_TYPES, type ClusterSpec, type NodeGroupSpec, type PlatformSpec } from '../spec/schema.js';
import { checkKubernetesVersion, buildableVersions, defaultKubernetesVersion } from './calendar/check.js';
import { ADDONS, ADDON_VERSIONS } from './cluster-addons.js';
import { checkClusterReachable, warnExternalPrincipals } from './cluster-access-guards.js';
import { overlaps, parseCidr } from './cidr.js';
import type { FlowBuilder } from './flows.js';
import { tcp } from './flows.js';
import { architectureOf, resolveTier } from './instances.js';
import type {
  AccessEntryPlan, AddonPlan, ArgoCdPlan, ClusterPlan, KubernetesVersion, NetworkPlan, NodeAmiType, NodeGroupPlan, PortRange,
  PrincipalPlan, TeamPlan,
} from './types.js';

/** Versions plinth has pinned every add-on and a kubectl layer for (calendar/eks.ts). */
export const SUPPORTED_VERSIONS: readonly KubernetesVersion[] = buildableVersions();

export const NODES = 'cluster/nodes';
export const CONTROL_PLANE = 'cluster/controlPlane';

/**
 * Ports the control plane opens on nodes (pod IPs share the node security group): the kubelet, and the
 * admission webhooks and aggregated APIs of the add-ons and controllers plinth installs.
 */
const CONTROL_PLANE_TO_NODES: readonly { port: number; why: string }[] = [
  { port: 443, why: 'admission webhooks served on 443' },
  { port: 4443, why: 'metrics-server (upstream port)' },
  { port: 8443, why: 'webhooks of Karpenter and others on 8443' },
  { port: 9443, why: 'AWS Load Balancer Controller webhook' },
  { port: 10250, why: 'kubelet API: logs, exec, port-forward, metrics; webhooks of External Secrets and cert-manager' },
  { port: 10251, why: 'metrics-server of the EKS add-on' },
];

const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];
const DEFAULT_NODE_GROUPS: Record<string, NodeGroupSpec> = { default: { instanceTypes: ['t3.large'], size: { min: 2, max: 4 } } };

/** Hosts of exposed apps and services that lie in the spec's own zone (a host defaults to <name>.<zone>). */
export function exposedHostsInZone(spec: PlatformSpec): string[] {
  const zone = spec.dns?.zone;
  if (!zone) return [];
  const exposed = [
    ...Object.entries(spec.apps ?? {}).map(([name, a]) => (a.expose ? a.expose.host ?? `${name}.${zone}` : undefined)),
    ...Object.entries(spec.services ?? {}).map(([kind, s]) => {
      const expose = (s as { expose?: { host?: string } } | undefined)?.expose;
      return expose ? expose.host ?? `${kind}.${zone}` : undefined;
    }),
  ];
  return [...new Set(exposed.filter((h): h is string => h !== undefined && (h === zone || h.endsWith(`.${zone}`))))].sort();
}

/** Adds the cluster's endpoints; called with every other endpoint, before any reference is resolved. */
export function addClusterEndpoints(spec: PlatformSpec, flows: FlowBuilder): void {
  if (!spec.cluster) return;
  flows.addEndpoint(NODES, 'clusterNodes');
  flows.addEndpoint(CONTROL_PLANE, 'clusterControlPlane');
}

export function clusterNameOf(spec: PlatformSpec): string | undefined {
  return spec.cluster && (spec.cluster.name ?? `${spec.platform.name}-${spec.platform.environment ?? 'prod'}`);
}

export function planCluster(spec: PlatformSpec, network: NetworkPlan, flows: FlowBuilder, diags: Diagnostics, today: Date): ClusterPlan | undefined {
  const c = spec.cluster;
  if (!c) return undefined;
  const path = ['cluster'];
  const name = clusterNameOf(spec)!;
  const version = planVersion(c, today, diags);

  const tier = resolveTier(c.tier, ['private'], [...path, 'tier'], network.tiers, diags);
  if (tier && new Set(tier.subnets.map((s) => s.az)).size < 2) {
    diags.error('E_CLUSTER_AZS', c.tier ? [...path, 'tier'] : path, `The EKS control plane needs subnets in at least two AZs, and tier "${tier.name}" spans one.`, {
      fix: `give tier "${tier.name}" a subnet in a second AZ, or choose a tier that spans two`,
    });
  }

  const nodeGroups = Object.entries(c.nodeGroups ?? DEFAULT_NODE_GROUPS)
    .map(([groupName, g]) => planNodeGroup(groupName, g, c.nodeGroups ? [...path, 'nodeGroups', groupName] : path, tier?.name, network, diags));
  checkNodegroupNames(c.nodeGroups ?? {}, [...path, 'nodeGroups'], diags);
  if (nodeGroups.length > 0 && nodeGroups.every((g) => g.desiredSize === 0)) {
    diags.error('E_CLUSTER_NO_NODES', [...path, 'nodeGroups'], 'Every node group starts with 0 nodes, so CoreDNS and the other add-ons would wait for a node until the deployment fails.', {
      fix: 'give one node group desired: 1 or more',
    });
  }

  const argocd = planArgoCd(c, spec.platform.region, diags);
  const controllers = {
    loadBalancer: c.controllers?.loadBalancer ?? true,
    externalSecrets: c.controllers?.externalSecrets ?? false,
    // An exposed host in the platform's zone needs a record pointing at its ALB; external-dns writes it.
    externalDns: c.controllers?.externalDns ?? exposedHostsInZone(spec).length > 0,
    imageUpdater: c.controllers?.imageUpdater ?? false,
    nvidiaDevicePlugin: nodeGroups.some((g) => g.gpu && g.amiType.startsWith('AL2023')),
  };
  if (controllers.imageUpdater && argocd.mode === 'none') {
    diags.error('E_IMAGE_UPDATER_WITHOUT_ARGOCD', [...path, 'controllers', 'imageUpdater'], 'Argo CD Image Updater updates Argo CD applications, and this cluster has no Argo CD.', {
      fix: 'add gitops: { repo: ... } (Argo CD is then installed), or set argocd: helm',
    });
  }
  if (controllers.imageUpdater && Object.keys(spec.registry?.repositories ?? {}).length === 0) {
    diags.error('E_IMAGE_UPDATER_WITHOUT_REPOSITORIES', [...path, 'controllers', 'imageUpdater'], 'Argo CD Image Updater watches the platform\'s ECR repositories, and the spec has none.', {
      fix: 'add registry: { repositories: { NAME: {} } }, or remove imageUpdater',
    });
  }
  const unrecorded = controllers.externalDns ? [] : exposedHostsInZone(spec);
  if (unrecorded.length > 0) {
    diags.warning('W_EXPOSED_HOST_NO_RECORD', [...path, 'controllers', 'externalDns'], `${unrecorded.join(', ')} ${unrecorded.length === 1 ? 'lies' : 'lie'} in the zone ${spec.dns!.zone}, and with externalDns off nothing writes ${unrecorded.length === 1 ? 'its record' : 'their records'}: the host${unrecorded.length === 1 ? '' : 's'} will not resolve until someone adds an alias to the ALB by hand.`, {
      fix: 'remove externalDns: false (it defaults to on when an exposed host lies in the zone)',
    });
  }
  if (controllers.externalDns && !spec.dns) {
    diags.error('E_EXTERNAL_DNS_WITHOUT_ZONE', [...path, 'controllers', 'externalDns'], 'external-dns writes records into the platform\'s hosted zone, and the spec has no dns section.', {
      fix: 'add dns: { zone: example.com }, or remove externalDns',
    });
  }

  if (controllers.externalSecrets && Object.keys(spec.data?.databases ?? {}).length === 0) {
    diags.error('E_EXTERNAL_SECRETS_NOTHING', [...path, 'controllers', 'externalSecrets'], 'External Secrets reads the platform\'s secrets (the database credentials), and the spec has no database.', {
      fix: 'remove externalSecrets, or add a database under data.databases',
    });
  }

  const autoscaling = c.autoscaling ?? 'none';
  if (autoscaling === 'cluster-autoscaler' && nodeGroups.every((g) => g.minSize === g.maxSize)) {
    diags.error('E_AUTOSCALING_FIXED', [...path, 'autoscaling'], 'cluster-autoscaler has nothing to scale: every node group has a fixed size.', {
      fix: 'give a node group size: { min: ..., max: ... } with max above min, or set autoscaling: none',
    });
  }

  if (c.karpenterCapacity && autoscaling !== 'karpenter') {
    diags.error('E_KARPENTER_CAPACITY', [...path, 'karpenterCapacity'], 'karpenterCapacity only applies to Karpenter\'s NodePool, and autoscaling is not karpenter.', {
      fix: 'set autoscaling: karpenter, or remove karpenterCapacity (node groups take capacity: spot)',
    });
  }

  const teams = planTeams(c, diags);
  addClusterFlows(c, flows);
  const access = planAccess(c, teams, spec.platform.account, flows, diags);
  checkClusterReachable(c, access, diags);
  warnExternalPrincipals(c, access, diags);

  return {
    ref: 'cluster',
    name,
    version,
    supportType: c.supportType === 'extended' ? 'EXTENDED' : 'STANDARD',
    publicAccessCidrs: planEndpointAccess(c, diags),
    secretsEncryption: c.secretsEncryption ?? true,
    logTypes: c.logTypes ?? [...CLUSTER_LOG_TYPES],
    logRetentionDays: c.logRetentionDays ?? 30,
    tier: tier?.name ?? '',
    subnets: tier?.subnets.map((s) => s.id) ?? [],
    nodeGroups,
    addons: planAddons(version, Object.keys(spec.data?.fileSystems ?? {}).length > 0, diags),
    access,
    teams,
    controllers,
    autoscaling,
    karpenterCapacity: [...new Set(c.karpenterCapacity ?? ['on-demand' as const])],
    gitops: c.gitops && { repo: c.gitops.repo, path: c.gitops.path ?? '.', revision: c.gitops.revision ?? 'HEAD' },
    argocd,
    ...planServiceCidr(network.cidr),
  };
}

function planVersion(c: ClusterSpec, today: Date, diags: Diagnostics): KubernetesVersion {
  const fallback = defaultKubernetesVersion(today);
  const written = c.version ?? fallback;
  const path = c.version ? ['cluster', 'version'] : ['cluster'];
  if ((SUPPORTED_VERSIONS as readonly string[]).includes(written)) {
    checkKubernetesVersion(written as KubernetesVersion, c.supportType === 'extended', path, today, diags);
    return written as KubernetesVersion;
  }
  const bare = written.replace(/^v/, '').split('.').slice(0, 2).join('.');
  const newest = SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1]!;
  diags.error('E_CLUSTER_VERSION', path, `Kubernetes ${written} is not a version plinth can run: it pins add-ons and a kubectl layer for ${SUPPORTED_VERSIONS[0]} to ${newest}.`, {
    allowed: SUPPORTED_VERSIONS.map((v) => `"${v}"`).join(', '),
    fix: (SUPPORTED_VERSIONS as readonly string[]).includes(bare) ? `write "${bare}"` : `write "${fallback}", the newest version in EKS standard support`,
  });
  return fallback;
}

/** Public CIDRs of the endpoint; the whole internet is refused (the API would face every scanner and leaked credential). */
function planEndpointAccess(c: ClusterSpec, diags: Diagnostics): string[] {
  const path = ['cluster'];
  const cidrs = c.publicAccessCidrs ?? [];
  if ((c.endpointAccess ?? 'private') === 'private') {
    if (c.publicAccessCidrs) {
      diags.error('E_CLUSTER_PUBLIC_CIDRS', [...path, 'publicAccessCidrs'], 'publicAccessCidrs has no effect: the endpoint is private.', {
        fix: 'set endpointAccess: publicAndPrivate, or remove publicAccessCidrs',
      });
    }
    return [];
  }
  if (cidrs.length === 0) {
    diags.error('E_CLUSTER_PUBLIC_CIDRS', [...path, 'endpointAccess'], 'A public API endpoint needs publicAccessCidrs: the addresses allowed to reach it.', {
      fix: 'add publicAccessCidrs: [203.0.113.7/32] with your office or VPN egress addresses',
    });
  }
  cidrs.forEach((cidr, i) => {
    if (parseCidr(cidr)?.prefix === 0) {
      diags.error('E_CLUSTER_ENDPOINT_OPEN', [...path, 'publicAccessCidrs', i], `${cidr} would open the Kubernetes API endpoint to the whole internet.`, {
        allowed: 'the egress addresses of your office, VPN or CI runners',
        fix: 'list those addresses, or keep endpointAccess: private and reach the API through the bastion, a mgmt host or the client VPN (apiFrom)',
      });
    }
  });
  return cidrs;
}

/**
 * EKS picks 10.100.0.0/16 or 172.20.0.0/16 for Services when none is given, by whether the VPC is in
 * 10.0.0.0/8 (EKS API reference, KubernetesNetworkConfigRequest.serviceIpv4Cidr). plinth makes the
 * same choice explicitly, so the `kubernetes` Service address (.1) is known to the network policies.
 */
function planServiceCidr(vpcCidr: string): { serviceIpv4Cidr: string; apiServiceIp: string } {
  const vpc = parseCidr(vpcCidr);
  const serviceIpv4Cidr = vpc && overlaps(vpc, parseCidr('172.20.0.0/16')!) ? '10.100.0.0/16' : '172.20.0.0/16';
  return { serviceIpv4Cidr, apiServiceIp: serviceIpv4Cidr.replace(/0\/16$/, '1') };
}

// --- node groups -------------------------------------------------------------------------------

type InstanceClass = { readonly architecture: 'x86_64' | 'arm64'; readonly accelerator: 'none' | 'nvidia' | 'neuron' };

/** NVIDIA families (g4ad is AMD and not listed); g5g is Graviton with NVIDIA T4g. */
const NVIDIA_FAMILY = /^(g3s?|g4dn|g5g?|g6[ef]?|gr6f?|g7e?|p\d[a-z0-9-]*)$/;
const NEURON_FAMILY = /^(inf|trn)\d[a-z0-9-]*$/;

export function classifyInstanceType(instanceType: string): InstanceClass {
  const family = instanceType.split('.')[0] ?? '';
  const accelerator = NVIDIA_FAMILY.test(family) ? 'nvidia' : NEURON_FAMILY.test(family) ? 'neuron' : 'none';
  return { architecture: family === 'g5g' ? 'arm64' : architectureOf(instanceType), accelerator };
}

/** The AMI type EKS needs for these instances: AL2023 for the architecture, NVIDIA or NEURON for accelerators. */
export function defaultAmiType(cls: InstanceClass): NodeAmiType {
  if (cls.accelerator === 'neuron') return 'AL2023_x86_64_NEURON';
  const arch = cls.architecture === 'arm64' ? 'ARM_64' : 'x86_64';
  return `AL2023_${arch}_${cls.accelerator === 'nvidia' ? 'NVIDIA' : 'STANDARD'}` as NodeAmiType;
}

function amiProblem(ami: NodeAmiType, cls: InstanceClass): string | undefined {
  const amiArch = ami.includes('ARM_64') ? 'arm64' : 'x86_64';
  if (amiArch !== cls.architecture) return `${ami} is for ${amiArch} instances, and these are ${cls.architecture}`;
  if (ami.endsWith('NVIDIA') && cls.accelerator !== 'nvidia') return `${ami} is for NVIDIA GPU instances (g4dn, g5, g6, p4d, ...), and these have no NVIDIA GPU`;
  if (ami.endsWith('NEURON') && cls.accelerator !== 'neuron') return `${ami} is for Inferentia and Trainium instances, and these are neither`;
  if (cls.accelerator === 'nvidia' && !ami.endsWith('NVIDIA')) return `these instances have NVIDIA GPUs, and ${ami} has no GPU driver`;
  if (cls.accelerator === 'neuron' && !ami.endsWith('NEURON')) return `these instances have Neuron accelerators, and ${ami} has no Neuron driver`;
  return undefined;
}

/**
 * Node group names are unique in a cluster (CreateNodegroup answers ResourceInUseException for a taken
 * one, https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html), so two groups of
 * the spec cannot carry the same name. Each environment has its own cluster, so the same name in two
 * environments is fine (unlike an RDS identifier, which plan/environments.ts checks per account).
 */
function checkNodegroupNames(groups: Readonly<Record<string, NodeGroupSpec>>, path: SpecPath, diags: Diagnostics): void {
  const first = new Map<string, string>();
  for (const [key, g] of Object.entries(groups)) {
    if (g.name === undefined) continue;
    const earlier = first.get(g.name);
    if (earlier === undefined) {
      first.set(g.name, key);
      continue;
    }
    diags.error('E_NODEGROUP_NAME_TAKEN', [...path, key, 'name'], `Node groups "${earlier}" and "${key}" are both named "${g.name}"; a node group name is unique in its cluster.`, {
      fix: `give node group "${key}" another name, or remove its name to let CloudFormation generate one`,
    });
  }
}

function planNodeGroup(
  groupName: string,
  g: NodeGroupSpec,
  path: SpecPath,
  clusterTier: string | undefined,
  network: NetworkPlan,
  diags: Diagnostics,
): NodeGroupPlan {
  const classes = g.instanceTypes.map(classifyInstanceType);
  const first = classes[0]!;
  const mixed = classes.findIndex((cls) => cls.architecture !== first.architecture || cls.accelerator !== first.accelerator);
  if (mixed !== -1) {
    diags.error('E_NODEGROUP_MIXED_TYPES', [...path, 'instanceTypes', mixed], `${g.instanceTypes[mixed]} is ${describeClass(classes[mixed]!)}, unlike ${g.instanceTypes[0]} (${describeClass(first)}); one node group runs one AMI.`, {
      fix: 'put these instance types in a node group of their own',
    });
  }

  const amiType = g.amiType ?? defaultAmiType(first);
  const problem = mixed === -1 ? amiProblem(amiType, first) : undefined;
  if (problem) {
    diags.error('E_NODEGROUP_AMI', g.amiType ? [...path, 'amiType'] : [...path, 'instanceTypes'], `Node group "${groupName}": ${problem}.`, {
      allowed: defaultAmiType(first),
      fix: g.amiType ? `write amiType: ${defaultAmiType(first)}, or remove amiType to derive it` : 'choose instance types that match the AMI type',
    });
  }

  const capacity = g.capacity === 'spot' ? 'SPOT' : 'ON_DEMAND';
  if (capacity === 'SPOT' && g.instanceTypes.length < 2) {
    diags.error('E_SPOT_SINGLE_TYPE', [...path, 'instanceTypes'], `Spot node group "${groupName}" has one instance type; when AWS reclaims that pool, every node goes at once.`, {
      fix: `list two or more types of the same size, e.g. [${g.instanceTypes[0]}, ${sameSizeAlternative(g.instanceTypes[0]!)}]`,
    });
  }

  const { min, max, desired } = planSize(g, path, diags);

  const tierName = g.tier ?? clusterTier;
  const tier = tierName === undefined ? undefined
    : g.tier ? resolveTier(g.tier, ['private'], [...path, 'tier'], network.tiers, diags) : network.tiers.find((t) => t.name === tierName);
  let subnets = tier?.subnets ?? [];
  if (tier && g.azs) {
    g.azs.forEach((az, i) => {
      if (!tier.subnets.some((s) => s.az === az)) {
        const tierAzs = tier.subnets.map((s) => s.az);
        diags.error('E_INSTANCE_AZ', [...path, 'azs', i], `Tier "${tier.name}" has no subnet in ${az}.`, {
          allowed: tierAzs.join(', '), fix: didYouMean(az, tierAzs) ?? 'choose an AZ the tier spans',
        });
      }
    });
    subnets = tier.subnets.filter((s) => g.azs!.includes(s.az));
  }

  return {
    ref: `cluster/nodeGroups/${groupName}`,
    name: groupName,
    instanceTypes: g.instanceTypes,
    capacity,
    minSize: min,
    maxSize: max,
    desiredSize: desired,
    diskGiB: g.diskGiB ?? 20,
    labels: g.labels ?? {},
    taints: (g.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    amiType,
    architecture: first.architecture,
    gpu: first.accelerator === 'nvidia',
    tier: tier?.name ?? '',
    subnets: subnets.map((s) => s.id),
    keyPair: g.keyPair,
    nodegroupName: g.name,
  };
}

function planSize(g: NodeGroupSpec, path: SpecPath, diags: Diagnostics): { min: number; max: number; desired: number } {
  const size = g.size ?? 2;
  if (typeof size === 'number') return { min: size, max: size, desired: size };
  const sizePath = [...path, 'size'];
  if (size.max < size.min) {
    diags.error('E_NODEGROUP_SIZE', [...sizePath, 'max'], `max is ${size.max}, below min ${size.min}.`, { fix: `raise max to at least ${size.min}, or lower min` });
    return { min: size.min, max: size.min, desired: size.min };
  }
  const desired = size.desired ?? Math.max(size.min, 1);
  if (desired < size.min || desired > size.max) {
    diags.error('E_NODEGROUP_SIZE', [...sizePath, 'desired'], `desired is ${desired}, outside min ${size.min} and max ${size.max}.`, {
      fix: `choose desired between ${size.min} and ${size.max}`,
    });
  }
  return { min: size.min, max: size.max, desired: Math.min(Math.max(desired, size.min), size.max) };
}

function describeClass(cls: InstanceClass): string {
  return `${cls.architecture}${cls.accelerator === 'none' ? '' : ` with ${cls.accelerator === 'nvidia' ? 'NVIDIA GPUs' : 'Neuron accelerators'}`}`;
}

/** m6i.large → m6a.large: a same-size type from a neighbouring pool, for the spot hint. */
function sameSizeAlternative(instanceType: string): string {
  const [family = '', size = 'large'] = instanceType.split('.');
  const m = /^([a-z]+)(\d+)([a-z]*)$/.exec(family);
  if (!m) return `m6a.${size}`;
  const [, letters, generation, suffix] = m as unknown as [string, string, string, string];
  const alternative = suffix === 'i' ? `${letters}${generation}a`
    : suffix === 'a' ? `${letters}${generation}i`
      : suffix === '' ? `${letters}${generation}a`
        : `${letters}${Number(generation) - 1}${suffix}`;
  return `${alternative}.${size}`;
}

// --- add-ons, argo cd, teams, access -------------------------------------------------------------

/**
 * Add-on settings plinth always wants. The VPC CNI only enforces NetworkPolicies (which plinth renders
 * for every app namespace: default-deny, then the declared flows) with its network policy agent on.
 */
const ADDON_CONFIGURATION: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>> = {
  'vpc-cni': { enableNetworkPolicy: 'true' },
};

function planAddons(version: KubernetesVersion, hasFileSystems: boolean, diags: Diagnostics): AddonPlan[] {
  return ADDONS.filter((a) => a.name !== 'aws-efs-csi-driver' || hasFileSystems).flatMap((a) => {
    const pinned = ADDON_VERSIONS[a.name][version];
    if (!pinned) {
      const supported = SUPPORTED_VERSIONS.filter((v) => ADDON_VERSIONS[a.name][v]);
      diags.error('E_ADDON_VERSION', ['cluster', 'version'], `plinth has no tested version of the ${a.name} add-on for Kubernetes ${version}.`, {
        allowed: supported.map((v) => `"${v}"`).join(', '),
        fix: `use Kubernetes ${supported[supported.length - 1] ?? SUPPORTED_VERSIONS[0]}`,
      });
      return [];
    }
    return [{ name: a.name, version: pinned, phase: a.phase, podIdentity: a.podIdentity, configuration: ADDON_CONFIGURATION[a.name] }];
  });
}

function planArgoCd(c: ClusterSpec, region: string, diags: Diagnostics): ArgoCdPlan {
  const written = c.argocd ?? (c.gitops ? 'helm' : 'none');
  if (written === 'none' || written === 'helm') {
    if (written === 'none' && c.gitops) {
      diags.error('E_GITOPS_WITHOUT_ARGOCD', ['cluster', 'argocd'], 'gitops needs Argo CD to sync the repository, and argocd is none.', {
        fix: 'remove argocd: none (Argo CD is then installed by Helm), or remove gitops',
      });
    }
    return { mode: written };
  }
  const cap = written.capability;
  return {
    mode: 'capability',
    identityCenterInstanceArn: cap.identityCenterInstanceArn,
    identityCenterRegion: cap.identityCenterRegion ?? region,
    adminGroups: cap.adminGroups,
  };
}

function planTeams(c: ClusterSpec, diags: Diagnostics): TeamPlan[] {
  return Object.entries(c.teams ?? {}).map(([teamName, t]) => {
    const namespaces = t.namespaces ?? [teamName];
    namespaces.forEach((ns, i) => {
      if (SYSTEM_NAMESPACES.includes(ns)) {
        diags.error('E_TEAM_NAMESPACE', t.namespaces ? ['cluster', 'teams', teamName, 'namespaces', i] : ['cluster', 'teams', teamName],
          `Team "${teamName}" would get a Role in ${ns}, a namespace that belongs to Kubernetes and EKS.`, {
            fix: `give the team its own namespace, e.g. namespaces: [${teamName}]`,
          });
      }
    });
    return { name: teamName, namespaces, access: t.access ?? 'develop', group: `plinth:team:${teamName}` };
  });
}

const PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:iam::(\d{12}):(user|role)\/([\w+=,.@/-]+)$/;
const PRINCIPAL_FORMS = 'arn:aws:iam::123456789012:user/NAME, arn:aws:iam::123456789012:role/NAME, mgmt/NAME or bastion';

function planAccess(c: ClusterSpec, teams: readonly TeamPlan[], account: string | undefined, flows: FlowBuilder, diags: Diagnostics): AccessEntryPlan[] {
  const entries = new Map<string, { principal: PrincipalPlan; clusterAdmin: boolean; groups: string[] }>();
  const add = (text: string, where: SpecPath, grant: { admin?: boolean; group?: string }) => {
    const principal = parsePrincipal(text, where, account, flows, diags);
    if (!principal) return;
    const key = principal.kind === 'arn' ? principal.arn : principal.ref;
    const entry = entries.get(key) ?? { principal, clusterAdmin: false, groups: [] };
    entry.clusterAdmin ||= grant.admin ?? false;
    if (grant.group && !entry.groups.includes(grant.group)) entry.groups.push(grant.group);
    entries.set(key, entry);
  };
  (c.admins ?? []).forEach((text, i) => add(text, ['cluster', 'admins', i], { admin: true }));
  for (const team of teams) {
    c.teams![team.name]!.members.forEach((text, i) => add(text, ['cluster', 'teams', team.name, 'members', i], { group: team.group }));
  }
  const ids = new Map<string, number>();
  return [...entries.values()].map((e) => {
    const base = principalId(e.principal);
    const n = (ids.get(base) ?? 0) + 1;
    ids.set(base, n);
    return { principal: e.principal, clusterAdmin: e.clusterAdmin, kubernetesGroups: e.groups, id: n === 1 ? base : `${base}-${n}` };
  });
}

function parsePrincipal(text: string, where: SpecPath, account: string | undefined, flows: FlowBuilder, diags: Diagnostics): PrincipalPlan | undefined {
  const value = text.trim();
  if (PRINCIPAL_ARN.test(value)) return { kind: 'arn', arn: value };
  if (value === 'bastion' || value.startsWith('mgmt/')) {
    const endpoint = flows.endpoint(value);
    if (endpoint && (endpoint.kind === 'bastion' || endpoint.kind === 'mgmt')) return { kind: 'host', ref: value };
    const hosts = Object.values(flows.result().endpoints).filter((e) => e.kind === 'mgmt' || e.kind === 'bastion').map((e) => e.ref);
    diags.error('E_PRINCIPAL', where, `"${value}" names no host of this spec.`, {
      allowed: hosts.join(', ') || 'no bastion or management host is defined',
      fix: didYouMean(value, hosts) ?? 'define it under access, or write an IAM ARN',
    });
    return undefined;
  }
  const sts = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(value);
  const bare = /^[\w+=,.@-]+$/.test(value);
  diags.error('E_PRINCIPAL', where, `"${value}" is not an IAM user or role ARN.`, {
    allowed: PRINCIPAL_FORMS,
    fix: sts ? `access entries take the role, not a session: write "arn:aws:iam::${sts[1]}:role/${sts[2]}"`
      : bare ? `write "arn:aws:iam::${account ?? '<account id>'}:user/${value}" (or role/${value})`
        : `write ${PRINCIPAL_FORMS}`,
  });
  return undefined;
}

/** `arn:aws:iam::1:user/dev/jimin` → `user-dev-jimin`; `mgmt/ops` → `mgmt-ops`. */
function principalId(p: PrincipalPlan): string {
  const text = p.kind === 'arn' ? PRINCIPAL_ARN.exec(p.arn)!.slice(3, 5).join('/') : p.ref;
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

// --- flows ---------------------------------------------------------------------------------------

function addClusterFlows(c: ClusterSpec, flows: FlowBuilder): void {
  const origin = ['cluster'];
  const flow = (from: string, to: string, ports: PortRange, description: string) => flows.addFlow({ from, to, ports, origin, description });
  flow(NODES, CONTROL_PLANE, tcp(443), 'kubelets and pods to the Kubernetes API');
  for (const { port, why } of CONTROL_PLANE_TO_NODES) flow(CONTROL_PLANE, NODES, tcp(port), `control plane to nodes: ${why}`);
  flow(NODES, NODES, { protocol: 'all', from: -1, to: -1 }, 'pod to pod across nodes, CoreDNS');

  flows.allowRules(c.nodes?.allow, NODES, [], ['cluster', 'nodes', 'allow']);
  flows.allow(c.nodes?.sshFrom ?? [], NODES, [tcp(22)], ['cluster', 'nodes', 'sshFrom'], 'SSH to the cluster nodes');
  flows.allow(c.apiFrom ?? [], CONTROL_PLANE, [tcp(443)], ['cluster', 'apiFrom'], 'Kubernetes API clients');
}
