/**
 * The resolved workloads: every app and catalogued service with defaults applied, images resolved to
 * registries, and each `talksTo` turned into exact network peers. k8s/ renders only this; verify reads
 * the rendered manifests, and the AWS side of each flow is in `Plan.flows` (from `cluster/nodes`).
 */
import type { PortRange, SpecPath } from './types.js';

/** Labels every pod of an app carries; NetworkPolicies and Services select on these. */
export type Labels = Readonly<Record<string, string>>;

export type ImagePlan =
  /** An ECR repository of the spec; `tag` is exact, or a pattern Argo CD Image Updater follows. */
  | {
    readonly kind: 'registry'; readonly repository: string; readonly uri: string;
    /** The exact tag, or with a pattern the initial tag the Deployment starts on until Image Updater writes a newer one. */
    readonly tag: string | undefined;
    readonly tagPattern: string | undefined;
    /** The pattern as the anchored regular expression Image Updater filters tags with. */
    readonly tagRegex: string | undefined;
  }
  | { readonly kind: 'external'; readonly reference: string };

/** Who a pod may reach, or who may reach it: pods somewhere in the cluster, or address ranges. */
export type PeerPlan =
  | { readonly kind: 'pods'; readonly namespace: string; readonly labels: Labels }
  | { readonly kind: 'cidrs'; readonly cidrs: readonly string[]; readonly except: readonly string[] };

/** One NetworkPolicy rule: a peer and the ports (empty = every port). */
export interface PeerRulePlan {
  readonly peer: PeerPlan;
  readonly ports: readonly PortRange[];
  /** The reference as written (`db/main`, `apps/backend`), or what plinth implies (`lb/public`, `dns`). */
  readonly ref: string;
  readonly origin: SpecPath;
}

export interface ProbePlan {
  readonly path: string | undefined;
  readonly port: number;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
}

/** A Secrets Manager secret copied into a Kubernetes Secret by External Secrets. */
export interface SecretPlan {
  /** `db/main` or `secretsmanager:NAME`. */
  readonly ref: string;
  /** Name of the Kubernetes Secret (and of its ExternalSecret). */
  readonly name: string;
  /** The Secrets Manager secret name. */
  readonly remoteName: string;
  /** Prefix of the environment variables, e.g. `DB_MAIN_`. */
  readonly envPrefix: string;
}

export type VolumePlan =
  | { readonly kind: 'ebs'; readonly name: string; readonly path: string; readonly sizeGiB: number }
  | { readonly kind: 'efs'; readonly name: string; readonly path: string; readonly fileSystem: string };

export type IngressScheme = 'public' | 'internal';

export interface ExposurePlan {
  readonly scheme: IngressScheme;
  readonly host: string;
  /** Longest first: the ALB evaluates rules in order. */
  readonly paths: readonly string[];
  readonly rewrite: string | undefined;
  readonly tls: boolean;
  /**
   * Session stickiness at the ALB (`sessionAffinity: clientIP`): with IP targets the ALB sends requests
   * straight to pods, past kube-proxy where a Service's affinity lives, so it must be the target group's.
   */
  readonly sticky: boolean;
  readonly healthCheckPath: string;
  /** The Service and port the ALB targets. */
  readonly serviceName: string;
  readonly servicePort: number;
  /** The pod port behind the Service: with IP targets the ALB connects to it directly. */
  readonly targetPort: number;
  /**
   * Endpoints this exposure admits to its ALB (`internet`; `vpn`, `vpc`, `sites/NAME`, ...), each with
   * where it was written. The ALB is shared, so its security group admits the union over the group.
   */
  readonly allowFrom: readonly { readonly ref: string; readonly origin: SpecPath }[];
  /** `alb.ingress.kubernetes.io/group.order`: more specific paths first across the group. */
  readonly order: number;
}

/** One ALB shared by every Ingress of a scheme (an IngressGroup). */
export interface IngressGroupPlan {
  readonly scheme: IngressScheme;
  /** `alb.ingress.kubernetes.io/group.name`. */
  readonly name: string;
  /** The ALB's endpoint in the reference language: `lb/public` or `lb/internal`. */
  readonly ref: string;
  /**
   * Name tag of the ALB's security group, which plinth creates from the plan's flows; the Ingresses
   * name it in `alb.ingress.kubernetes.io/security-groups`, so the controller attaches it instead of
   * creating a group of its own.
   */
  readonly securityGroupName: string;
  /** Subnets the ALB can sit in: the source addresses pods see for its traffic. */
  readonly subnetCidrs: readonly string[];
  /**
   * In an existing VPC, the ids of those subnets: plinth does not tag subnets it does not own, so the
   * Ingresses name them instead of leaving the controller to discover them. @default - discovered by tag
   */
  readonly pinnedSubnetIds?: readonly string[];
}

export interface ResourcesPlan {
  readonly cpu: string;
  readonly memory: string;
  readonly cpuLimit: string | undefined;
}

export interface AutoscalePlan {
  readonly min: number;
  readonly max: number;
  readonly cpuPercent: number | undefined;
  readonly memoryPercent: number | undefined;
}

export interface AppPlan {
  /** `apps/<name>`. */
  readonly ref: string;
  readonly name: string;
  readonly namespace: string;
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly image: ImagePlan;
  /** With autoscale: the count the Deployment starts with, or undefined (the HPA starts it at min). */
  readonly replicas: number | undefined;
  readonly autoscale: AutoscalePlan | undefined;
  readonly ports: readonly number[];
  readonly command: readonly string[] | undefined;
  readonly args: readonly string[] | undefined;
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly secrets: readonly SecretPlan[];
  readonly resources: ResourcesPlan;
  readonly readiness: ProbePlan | undefined;
  readonly liveness: ProbePlan | undefined;
  readonly sessionAffinity: 'None' | 'ClientIP';
  readonly runAsUser: number;
  readonly writablePaths: readonly string[];
  readonly volumes: readonly VolumePlan[];
  readonly disruptionBudget: boolean;
  readonly exposure: ExposurePlan | undefined;
  readonly labels: Labels;
  /** Whom the pods may reach besides DNS. */
  readonly egress: readonly PeerRulePlan[];
  /** Who may reach the pods. */
  readonly ingress: readonly PeerRulePlan[];
  /** AWS permissions through Pod Identity; none = no role. */
  readonly awsAccess: readonly AwsAccessPlan[];
}

/** Least-privilege access to one AWS resource, granted to an app's service account. */
export interface AwsAccessPlan {
  readonly ref: string;
  readonly kind: 's3';
  /** The bucket's plan name (`videos` for `s3:videos`). */
  readonly resource: string;
  readonly actions: readonly string[];
  readonly origin: SpecPath;
}

/** A pinned Helm chart a service is installed from. */
export interface ChartPlan {
  /** Release name. */
  readonly release: string;
  readonly namespace: string;
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  readonly values: Readonly<Record<string, unknown>>;
  /** Charts whose CRDs a service's own manifests need are installed first (lower wave). */
  readonly wave: number;
  /** The Pod Security level the chart's own pods need in its namespace. */
  readonly podSecurity: 'baseline' | 'privileged';
  /** How long Helm may wait for the release's resources to become ready (explicit, sized to the chart). */
  readonly timeoutMinutes: number;
  /** Whether Helm waits for readiness (operators: their CRDs and webhooks must be up before their resources). */
  readonly wait: boolean;
  /** Secrets the chart's pods read, which must exist before the chart is installed. */
  readonly needsSecrets: readonly string[];
}

export type ServiceKind = 'kafka' | 'redis' | 'elasticsearch' | 'kibana' | 'airflow' | 'prometheus' | 'grafana';

export interface ServicePlan {
  /** `services/<kind>`. */
  readonly ref: string;
  readonly kind: ServiceKind;
  readonly namespace: string;
  /** Labels of the service's pods that clients reach. */
  readonly labels: Labels;
  /** Ports clients use. */
  readonly ports: readonly number[];
  /** The in-cluster address clients use, e.g. `kafka-kafka-bootstrap.kafka.svc:9092`. */
  readonly endpoint: string;
  readonly settings: ServiceSettings;
  readonly secrets: readonly SecretPlan[];
  readonly exposure: ExposurePlan | undefined;
  readonly egress: readonly PeerRulePlan[];
  readonly ingress: readonly PeerRulePlan[];
}

export type ServiceSettings =
  | { readonly kind: 'kafka'; readonly brokers: number; readonly storageGiB: number; readonly external: { readonly port: number; readonly nodePort: number } | undefined }
  | { readonly kind: 'redis'; readonly replicas: number; readonly sentinel: boolean; readonly storageGiB: number }
  | { readonly kind: 'elasticsearch'; readonly nodes: number; readonly storageGiB: number; readonly version: string }
  | { readonly kind: 'kibana'; readonly version: string }
  | { readonly kind: 'airflow'; readonly database: { readonly engine: 'mysql' | 'postgres'; readonly secret: SecretPlan } }
  | { readonly kind: 'prometheus'; readonly retentionDays: number; readonly storageGiB: number }
  | { readonly kind: 'grafana' };

/** A namespace plinth renders policies into, and whether it also creates the Namespace object. */
export interface NamespacePlan {
  readonly name: string;
  /** False when a team of `cluster.teams` already creates it. */
  readonly create: boolean;
  /**
   * The Pod Security Admission level enforced: baseline, unless a chart installed into the namespace
   * runs pods baseline rejects (kube-prometheus-stack's node-exporter: hostNetwork, hostPID, hostPath).
   */
  readonly podSecurity: 'baseline' | 'privileged';
}

export interface WorkloadsPlan {
  readonly apps: readonly AppPlan[];
  readonly services: readonly ServicePlan[];
  /** Operator and service charts, in install order. */
  readonly charts: readonly ChartPlan[];
  readonly ingressGroups: readonly IngressGroupPlan[];
  readonly namespaces: readonly NamespacePlan[];
  /** Name of the External Secrets ClusterSecretStore the controllers install. */
  readonly secretStore: string;
  /** File systems apps mount: each needs an EFS StorageClass holding its id. */
  readonly efsStorageClasses: readonly { readonly fileSystem: string; readonly storageClass: string }[];
  /** The EBS StorageClass persistent volumes use. */
  readonly ebsStorageClass: string;
  /** The VPC CIDR, excluded from "internet" peers. */
  readonly vpcCidr: string;
  /** The `kubernetes` Service's cluster IP; operators in default-deny namespaces are allowed to it on 443. */
  readonly apiServiceIp: string;
}
