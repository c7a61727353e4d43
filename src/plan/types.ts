/**
 * The resolved plan: every default applied, every CIDR carved, every name resolved, and the list of
 * intended flows as plain data. The aws/ constructs read only this; verify, cost and diagram read
 * `flows` and `endpoints` to know what the user meant.
 */

import type { BastionTool } from './bastion-tools.js';
import type { Diagnostic, SpecPath } from '../spec/diagnostics.js';
import type { IntentPlan } from './intents.js';
import type { WorkloadsPlan } from './workloads.js';

export type { SpecPath };

export type TierType = 'public' | 'private' | 'isolated';

export interface SubnetPlan {
  /** Stable id used in construct ids, e.g. `public-a`. */
  readonly id: string;
  readonly tier: string;
  readonly az: string;
  readonly cidr: string;
  /** A subnet that exists already (network.vpcId): referenced, never created. @default - plinth creates it */
  readonly existing?: { readonly subnetId: string; readonly routeTableId: string | undefined };
}

export interface TierPlan {
  readonly name: string;
  readonly type: TierType;
  readonly subnets: readonly SubnetPlan[];
  readonly mapPublicIpOnLaunch: boolean;
}

export type NatMode = 'none' | 'single' | 'perAz' | 'regional';

export interface NatPlan {
  readonly mode: NatMode;
  /** Subnet ids (SubnetPlan.id) hosting zonal NAT gateways; empty for none/regional. */
  readonly subnets: readonly string[];
}

export interface SiteVpnPlan {
  readonly name: string;
  readonly customerGatewayIp: string;
  readonly bgpAsn: number;
  readonly remoteCidrs: readonly string[];
  readonly routeTiers: readonly string[];
}

export interface TransitGatewayPlan {
  readonly id: string;
  readonly tier: string;
  readonly routes: readonly string[];
  readonly routeTiers: readonly string[];
}

export interface NetworkPlan {
  /** The existing VPC plinth builds into; undefined when plinth creates the VPC. */
  readonly existingVpcId?: string | undefined;
  readonly cidr: string;
  readonly azs: readonly string[];
  readonly tiers: readonly TierPlan[];
  readonly nat: NatPlan;
  readonly dnsSupport: boolean;
  readonly dnsHostnames: boolean;
  readonly flowLogs: { readonly retentionDays: number; readonly trafficType: 'ALL' | 'ACCEPT' | 'REJECT' } | undefined;
  readonly gatewayEndpoints: readonly ('s3' | 'dynamodb')[];
  readonly interfaceEndpoints: readonly string[];
  readonly interfaceEndpointTier: string | undefined;
  readonly vpns: readonly SiteVpnPlan[];
  readonly transitGateway: TransitGatewayPlan | undefined;
  /**
   * Names of EKS clusters that will use this VPC; subnets get `kubernetes.io/cluster/<name>` tags.
   * Empty until the cluster section exists; the role/elb tags are written regardless.
   */
  readonly clusterNames: readonly string[];
}

export type AmiPlan =
  | { readonly kind: 'ssm'; readonly parameter: string }
  | { readonly kind: 'id'; readonly id: string; readonly rootDevice: '/dev/xvda' | '/dev/sda1' };

export interface InstancePlan {
  /** Endpoint reference of the instance (group), e.g. `servers/elk`, `bastion`, `mgmt/ops`. */
  readonly ref: string;
  readonly name: string;
  readonly instanceType: string;
  readonly ami: AmiPlan;
  readonly tier: string;
  /** One subnet per instance, spread round-robin over the tier's subnets. */
  readonly subnets: readonly string[];
  readonly count: number;
  readonly diskGiB: number;
  readonly keyPair: string | undefined;
  /** The user-data script's contents (read by the spec loader), if any. */
  readonly userData: string | undefined;
  readonly elasticIp: boolean;
  /** Extra IAM actions on `*` (management hosts). */
  readonly iamActions: readonly string[];
  /** Whether the host gets a public IPv4 (public tier with auto-assign, or an Elastic IP). */
  readonly publicIp: boolean;
}

export interface ServerPlan extends InstancePlan {
  readonly ports: readonly number[];
  /** EBS data volumes, one of each per instance. */
  readonly volumes: readonly DataVolumePlan[];
  /** Containers run as systemd units by the rendered user data. */
  readonly containers: readonly ContainerPlan[];
  /** What the host role may do (repositories of registry containers included). */
  readonly permissions: readonly PermissionPlan[];
}

export interface DataVolumePlan {
  readonly name: string;
  readonly sizeGiB: number;
  /** Mount point on the host. */
  readonly path: string;
  readonly removal: 'snapshot' | 'retain' | 'destroy';
  /** Block device name of the attachment (/dev/sdf, /dev/sdg, ...). */
  readonly deviceName: string;
}

export interface ContainerPlan {
  readonly name: string;
  readonly image:
    | { readonly kind: 'registry'; readonly repository: string; readonly tag: string }
    | { readonly kind: 'public'; readonly reference: string };
  readonly ports: readonly { readonly host: number; readonly container: number }[];
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly env: readonly (readonly [string, string])[];
  /** Secrets Manager secrets read at each start; JSON keys become `<envPrefix><KEY>` variables. */
  readonly secrets: readonly { readonly ref: string; readonly secretName: string; readonly envPrefix: string }[];
  readonly mounts: readonly { readonly hostPath: string; readonly containerPath: string }[];
  readonly gpus: boolean;
  readonly restart: 'always' | 'on-failure';
}

export type PermissionPlan =
  | { readonly kind: 'bucket'; readonly bucket: string; readonly prefix: string; readonly access: 'read' | 'write' | 'readwrite' }
  | { readonly kind: 'repository'; readonly repository: string; readonly access: 'pull' | 'push' };

/** A machine outside AWS that gets short-lived credentials through IAM Roles Anywhere. */
export interface ExternalPrincipalPlan {
  readonly name: string;
  /** PEM of the CA that issues the machine's certificate. */
  readonly trustAnchorPem: string;
  readonly commonName: string;
  readonly permissions: readonly PermissionPlan[];
  readonly sessionMinutes: number;
}

/** Self-managed Kubernetes (kubeadm) on servers groups. */
export interface KubeadmPlan {
  readonly version: '1.32' | '1.33' | '1.34';
  readonly controlPlane: string;
  readonly workers: readonly string[];
  /** The network load balancer whose 6443 listener is the API endpoint. */
  readonly endpointLb: string;
  readonly cni: 'calico';
  readonly podCidr: string;
  readonly ingressNginx: { readonly httpNodePort: number; readonly httpsNodePort: number } | undefined;
}

export interface ClientVpnPlan {
  readonly clientCidr: string;
  readonly serverCertificateArn: string;
  readonly clientRootCertificateArn: string;
  readonly tier: string;
  readonly authorizeCidrs: readonly { readonly tier: string; readonly cidr: string }[];
  readonly splitTunnel: boolean;
}

export type ListenerProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'UDP' | 'TLS';

export interface ListenerPlan {
  readonly port: number;
  readonly protocol: ListenerProtocol;
  readonly action: { readonly kind: 'forward'; readonly targetGroup: string } | { readonly kind: 'redirect'; readonly port: number };
}

export interface TargetGroupPlan {
  readonly name: string;
  readonly servers: readonly string[];
  readonly port: number;
  readonly protocol: ListenerProtocol;
  readonly healthCheck: { readonly path: string | undefined; readonly port: number | undefined; readonly healthyHttpCodes: string | undefined };
  /** NLB only; undefined keeps the AWS default (on for instance targets). */
  readonly preserveClientIp: boolean | undefined;
}

export interface LoadBalancerPlan {
  readonly ref: string;
  readonly name: string;
  readonly type: 'application' | 'network';
  readonly scheme: 'internet-facing' | 'internal';
  readonly tier: string;
  readonly listeners: readonly ListenerPlan[];
  readonly targetGroups: readonly TargetGroupPlan[];
  readonly crossZone: boolean;
  readonly dnsNames: readonly string[];
  /** Whether a listener needs the platform certificate. */
  readonly usesCertificate: boolean;
}

export interface DatabasePlan {
  readonly ref: string;
  readonly name: string;
  readonly engine: 'mysql' | 'postgres';
  readonly version: string;
  readonly instanceClass: string;
  readonly storageGiB: number;
  readonly maxStorageGiB: number | undefined;
  readonly multiAz: boolean;
  readonly databaseName: string | undefined;
  readonly username: string;
  /** The DB instance identifier the spec names; undefined lets CloudFormation generate one. */
  readonly identifier: string | undefined;
  readonly port: number;
  readonly tier: string;
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  readonly removal: 'snapshot' | 'retain' | 'destroy';
  /** Always set: CloudFormation's default enrols a major past standard support in paid Extended Support. */
  readonly engineLifecycleSupport: 'open-source-rds-extended-support' | 'open-source-rds-extended-support-disabled';
}

export interface FileSystemPlan {
  readonly ref: string;
  readonly name: string;
  readonly tier: string;
  readonly throughputMode: 'bursting' | 'elastic';
  readonly removal: 'retain' | 'destroy';
}

export interface BucketPlan {
  readonly ref: string;
  readonly name: string;
  readonly versioned: boolean;
  readonly removal: 'retain' | 'destroy';
  readonly expireNoncurrentDays: number;
  /** The name of an existing bucket, referenced by ARN and never created or deleted. @default - plinth creates the bucket */
  readonly existingName?: string | undefined;
}

export interface RepositoryPlan {
  readonly name: string;
  /** The repository exists already: it is referenced by name, never created or deleted. */
  readonly existing: boolean;
  readonly keep: { readonly tagPattern: string; readonly newest: number } | undefined;
  readonly untaggedExpireDays: number;
  readonly mutableTags: boolean;
  readonly scanOnPush: boolean;
  readonly removal: 'retain' | 'destroy';
}

export interface DnsPlan {
  readonly zoneName: string;
  readonly zoneId: string | undefined;
  /** Names on the certificate; empty = no certificate. */
  readonly certificateNames: readonly string[];
}

/** What kind of thing an endpoint is; decides whether it owns a security group. */
export type EndpointKind =
  | 'internet' | 'vpc' | 'cidr' | 'site' | 'vpn' | 'trustedGroup'
  | 'bastion' | 'mgmt' | 'server' | 'lb' | 'db' | 'efs' | 'interfaceEndpoints'
  | 'clusterNodes' | 'clusterControlPlane';

export interface EndpointPlan {
  /** The reference users write: `db/main`, `bastion`, `cidr:203.0.113.7/32`. */
  readonly ref: string;
  readonly kind: EndpointKind;
  /** Address ranges for CIDR-like endpoints (internet, vpc, cidr, site, vpn). */
  readonly cidrs: readonly string[];
  /** Whether plinth creates a security group for it (every resource endpoint does). */
  readonly hasSecurityGroup: boolean;
  /** An existing security group (`sg/NAME`): rules name its id. @default - not one */
  readonly trustedGroup?: TrustedGroupPlan;
}

/** An existing security group the spec trusts (network.trustedGroups). */
export interface TrustedGroupPlan {
  readonly groupId: string;
  /** Where its members are, as the spec states (default: the VPC CIDR); verify places them there. */
  readonly memberCidrs: readonly string[];
  /** Whether memberCidrs were stated, or defaulted to the VPC. */
  readonly cidrsStated: boolean;
  readonly description: string;
}

export interface PortRange {
  readonly protocol: 'tcp' | 'udp' | 'icmp' | 'all';
  readonly from: number;
  readonly to: number;
}

/** One intended flow: `from` may open connections to `to` on `ports`. Nothing else is intended. */
export interface Flow {
  readonly from: string;
  readonly to: string;
  readonly ports: PortRange;
  /** Where it comes from in the spec (for error messages and verify's witnesses). */
  readonly origin: SpecPath;
  readonly description: string;
}

export interface Plan {
  readonly platform: {
    readonly name: string;
    readonly region: string;
    readonly account: string | undefined;
    readonly environment: string;
    /**
     * Prefix of Name tags and other resource names: the platform name in the base environment (so
     * adding environments renames nothing already deployed), `<name>-<environment>` in the others.
     */
    readonly namePrefix: string;
    readonly tags: Readonly<Record<string, string>>;
  };
  readonly network: NetworkPlan;
  readonly bastion: (InstancePlan & {
    readonly egress: 'all' | 'vpc';
    /** Tools installed at boot without the internet (plan/bastion-tools.ts). */
    readonly tools: readonly BastionTool[];
  }) | undefined;
  readonly management: readonly InstancePlan[];
  readonly clientVpn: ClientVpnPlan | undefined;
  readonly external: readonly ExternalPrincipalPlan[];
  readonly servers: readonly ServerPlan[];
  readonly kubeadm: KubeadmPlan | undefined;
  readonly loadBalancers: readonly LoadBalancerPlan[];
  readonly databases: readonly DatabasePlan[];
  readonly fileSystems: readonly FileSystemPlan[];
  readonly buckets: readonly BucketPlan[];
  readonly repositories: readonly RepositoryPlan[];
  readonly dns: DnsPlan | undefined;
  /** The EKS cluster, if the spec has one. */
  readonly cluster: ClusterPlan | undefined;
  readonly schedules: readonly SchedulePlan[];
  /** Apps and catalogued services on the cluster; undefined when the spec has neither. */
  readonly workloads: WorkloadsPlan | undefined;
  /** Every named endpoint, keyed by its reference. */
  readonly endpoints: Readonly<Record<string, EndpointPlan>>;
  readonly flows: readonly Flow[];
  /** The spec's `intents:`, resolved; verify proves them on the synthesized templates. */
  readonly intents: readonly IntentPlan[];
  /** What the operator should know but the spec may mean (support dates ahead, capacity limits). */
  readonly warnings: readonly Diagnostic[];
}

// --- cluster -----------------------------------------------------------------------------------

/** Kubernetes minor versions the bundled kubectl layer (v1.33, ±1 minor) can drive. */
export type KubernetesVersion = '1.32' | '1.33' | '1.34' | '1.35' | '1.36';

export type NodeAmiType =
  | 'AL2023_x86_64_STANDARD' | 'AL2023_ARM_64_STANDARD' | 'AL2023_x86_64_NVIDIA' | 'AL2023_ARM_64_NVIDIA' | 'AL2023_x86_64_NEURON'
  | 'BOTTLEROCKET_x86_64' | 'BOTTLEROCKET_ARM_64' | 'BOTTLEROCKET_x86_64_NVIDIA' | 'BOTTLEROCKET_ARM_64_NVIDIA';

export type ClusterLogType = 'api' | 'audit' | 'authenticator' | 'controllerManager' | 'scheduler';

export interface NodeTaintPlan {
  readonly key: string;
  readonly value: string | undefined;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface NodeGroupPlan {
  /** `cluster/nodeGroups/<name>`: how schedules name it. */
  readonly ref: string;
  readonly name: string;
  readonly instanceTypes: readonly string[];
  readonly capacity: 'ON_DEMAND' | 'SPOT';
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  readonly diskGiB: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodeTaintPlan[];
  readonly amiType: NodeAmiType;
  readonly architecture: 'x86_64' | 'arm64';
  /** Whether the nodes carry NVIDIA GPUs (the NVIDIA device plugin is then installed). */
  readonly gpu: boolean;
  readonly tier: string;
  /** Plan subnet ids (SubnetPlan.id) of the group. */
  readonly subnets: readonly string[];
  readonly keyPair: string | undefined;
  /** The EKS node group name the spec sets; undefined lets CloudFormation generate one. */
  readonly nodegroupName: string | undefined;
}

/** Add-ons a node needs to become Ready go before the node groups; the rest after, so none waits DEGRADED for nodes. */
export type AddonPhase = 'beforeNodes' | 'afterNodes';

export interface AddonPlan {
  /** EKS add-on name, e.g. `vpc-cni`. */
  readonly name: string;
  /** Exact version, pinned per Kubernetes version (plan/cluster-addons.ts). */
  readonly version: string;
  readonly phase: AddonPhase;
  /** The add-on's service account and the AWS managed policy its Pod Identity role gets. */
  readonly podIdentity: { readonly serviceAccount: string; readonly managedPolicy: string } | undefined;
  /** The add-on's configuration values, if any. */
  readonly configuration: Readonly<Record<string, unknown>> | undefined;
}

/** An IAM principal: an ARN written in the spec, or the role of a plinth host (`mgmt/ops`, `bastion`). */
export type PrincipalPlan =
  | { readonly kind: 'arn'; readonly arn: string }
  | { readonly kind: 'host'; readonly ref: string };

export interface AccessEntryPlan {
  readonly principal: PrincipalPlan;
  /** AmazonEKSClusterAdminPolicy on the whole cluster. */
  readonly clusterAdmin: boolean;
  /** Kubernetes groups the principal is mapped to (team RoleBindings name these groups). */
  readonly kubernetesGroups: readonly string[];
  /** Stable, readable key used in construct ids, e.g. `user-jimin`, `mgmt-ops`. */
  readonly id: string;
}

export type TeamAccess = 'view' | 'develop' | 'admin';

export interface TeamPlan {
  readonly name: string;
  readonly namespaces: readonly string[];
  readonly access: TeamAccess;
  /** The Kubernetes group of the team's members: `plinth:team:<name>`. */
  readonly group: string;
}

export interface GitOpsPlan {
  readonly repo: string;
  readonly path: string;
  readonly revision: string;
}

export type ArgoCdPlan =
  | { readonly mode: 'none' }
  | { readonly mode: 'helm' }
  | { readonly mode: 'capability'; readonly identityCenterInstanceArn: string; readonly identityCenterRegion: string; readonly adminGroups: readonly string[] };

export interface ControllersPlan {
  readonly loadBalancer: boolean;
  readonly externalSecrets: boolean;
  readonly externalDns: boolean;
  readonly imageUpdater: boolean;
  /** Installed when a node group has NVIDIA GPUs. */
  readonly nvidiaDevicePlugin: boolean;
}

export interface ClusterPlan {
  readonly ref: 'cluster';
  readonly name: string;
  readonly version: KubernetesVersion;
  readonly supportType: 'STANDARD' | 'EXTENDED';
  /** Addresses the public endpoint admits; empty = private endpoint only. */
  readonly publicAccessCidrs: readonly string[];
  readonly secretsEncryption: boolean;
  readonly logTypes: readonly ClusterLogType[];
  readonly logRetentionDays: number;
  /** The tier of the control-plane network interfaces (and the kubectl handler). */
  readonly tier: string;
  readonly subnets: readonly string[];
  readonly nodeGroups: readonly NodeGroupPlan[];
  /** In installation order. */
  readonly addons: readonly AddonPlan[];
  readonly access: readonly AccessEntryPlan[];
  readonly teams: readonly TeamPlan[];
  readonly controllers: ControllersPlan;
  readonly autoscaling: 'cluster-autoscaler' | 'karpenter' | 'none';
  /** Capacity types Karpenter's NodePool may launch (karpenter.sh/capacity-type). */
  readonly karpenterCapacity: readonly ('on-demand' | 'spot')[];
  readonly gitops: GitOpsPlan | undefined;
  readonly argocd: ArgoCdPlan;
  /**
   * The Service CIDR, set explicitly (KubernetesNetworkConfig.ServiceIpv4Cidr) so the API server's
   * Service address is known at synth and default-deny namespaces can be allowed to reach it.
   */
  readonly serviceIpv4Cidr: string;
  /** The `kubernetes` Service's cluster IP: the first address of the Service CIDR. */
  readonly apiServiceIp: string;
}

// --- schedules ---------------------------------------------------------------------------------

/** An EventBridge Scheduler cron expression, checked field by field. */
export interface CronPlan {
  /** `cron(0 20 ? * MON-FRI *)` */
  readonly expression: string;
  readonly minutes: string;
  readonly hours: string;
  readonly dayOfMonth: string;
  readonly month: string;
  readonly dayOfWeek: string;
  readonly year: string;
}

export type ScheduleTargetPlan =
  | { readonly kind: 'servers'; readonly ref: string; readonly name: string }
  | { readonly kind: 'nodeGroup'; readonly ref: string; readonly name: string; readonly minSize: number; readonly desiredSize: number; readonly maxSize: number }
  | { readonly kind: 'db'; readonly ref: string; readonly name: string };

export interface SchedulePlan {
  readonly name: string;
  readonly timezone: string;
  readonly stop: CronPlan;
  readonly start: CronPlan | undefined;
  /**
   * For databases: AWS starts a stopped RDS instance again after 7 days, so it is stopped again every
   * day at the stop time (`cron(M H ? * * *)`).
   */
  readonly restop: CronPlan;
  readonly targets: readonly ScheduleTargetPlan[];
}
