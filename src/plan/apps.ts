/**
 * apps + services → WorkloadsPlan. Applies the workload defaults (two replicas, requests, probes, a
 * non-root user, a read-only root file system), resolves images against the registry, and turns every
 * `talksTo` into exact NetworkPolicy peers plus, where the traffic leaves the cluster, a plan flow from
 * `cluster/nodes` (pods use the nodes' security group), so security groups and verify see it too.
 */
import type { Diagnostics, SpecPath } from '../spec/diagnostics.js';
import { didYouMean } from '../spec/diagnostics.js';
import type { PlatformSpec } from '../spec/schema.js';
import type { AppSpec, ExposeSpec, ProbeSpec, ServicesSpec } from '../spec/workloads.js';
import { CATALOG, CHARTS, chartOf, ELASTIC_STACK_VERSION, OPERATOR_WAVE, SERVICE_WAVE } from './catalog.js';
import { NODES } from './cluster.js';
import type { FlowBuilder } from './flows.js';
import { tcp } from './flows.js';
import { parsePorts } from './refs.js';
import type { Plan, PortRange } from './types.js';
import type {
  AppPlan, AwsAccessPlan, ChartPlan, ExposurePlan, ImagePlan, IngressGroupPlan, IngressScheme, Labels, NamespacePlan, PeerRulePlan,
  ProbePlan, SecretPlan, ServiceKind, ServicePlan, ServiceSettings, VolumePlan, WorkloadsPlan,
} from './workloads.js';

/** The parts of the plan workloads are resolved against, plus the spec and the shared builders. */
export interface WorkloadContext
  extends Pick<Plan, 'network' | 'cluster' | 'databases' | 'fileSystems' | 'buckets' | 'repositories' | 'servers' | 'dns'> {
  readonly spec: PlatformSpec;
  readonly flows: FlowBuilder;
  readonly diags: Diagnostics;
}

/** The ClusterSecretStore the External Secrets controller is installed with (src/aws/cluster/controllers). */
export const SECRET_STORE = 'aws-secrets-manager';
/** The gp3 StorageClass persistent volumes use (EBS CSI driver). */
export const EBS_STORAGE_CLASS = 'gp3';
/** Default non-root user: above the range distributions give system and login users. */
export const DEFAULT_USER = 10001;

/** S3 actions an app with `talksTo: [s3:BUCKET]` gets on that bucket, and nothing else. */
export const S3_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 's3:AbortMultipartUpload'] as const;

/** Where the EKS Pod Identity agent answers on every node. */
export const POD_IDENTITY_AGENT = '169.254.170.23/32';

/** The Secrets Manager name of a database's master credentials; aws/data.ts names the secret so. */
export function databaseSecretName(platform: string, environment: string, database: string): string {
  return `${platform}-${environment}/db/${database}`;
}

/** Labels of an app's pods. */
export function appLabels(name: string): Labels {
  return { 'app.kubernetes.io/name': name };
}

const TALKS_TO_KINDS = 'apps/NAME, services/NAME, db/NAME, efs/NAME, servers/NAME[:PORT], sites/NAME[:PORT], s3:BUCKET, internet[:PORT], cidr:A.B.C.D/N[:PORT]';

export function planWorkloads(ctx: WorkloadContext): WorkloadsPlan | undefined {
  const { spec, diags } = ctx;
  const appSpecs = spec.apps ?? {};
  const serviceSpecs = (spec.services ?? {}) as ServicesSpec;
  const serviceKinds = (Object.keys(serviceSpecs) as ServiceKind[]).filter((k) => serviceSpecs[k] !== undefined);
  if (Object.keys(appSpecs).length === 0 && serviceKinds.length === 0) return undefined;

  if (!ctx.cluster) {
    const section = Object.keys(appSpecs).length > 0 ? 'apps' : 'services';
    diags.error('E_WORKLOADS_WITHOUT_CLUSTER', [section], `${section} run on an EKS cluster, and the spec has no cluster section.`, {
      fix: 'add cluster: { nodeGroups: { default: { instanceTypes: [t3.large], size: 3 } } }',
    });
    return undefined;
  }
  const cluster = ctx.cluster;
  const platform = spec.platform.name;
  const environment = spec.platform.environment ?? 'prod';
  const vpcCidr = ctx.network.cidr;
  const groups = planIngressGroups(ctx);
  const defaultNamespace = platform;

  // Names first: every talksTo can point at any app or service, wherever it is defined.
  const appNamespaces = new Map(Object.entries(appSpecs).map(([name, a]) => [name, a.namespace ?? defaultNamespace]));
  checkReservedNamespaces(appSpecs, defaultNamespace, diags);
  // A site behind the VPN is not the internet: an app reaches it only by naming it (talksTo: sites/NAME).
  const notInternet = [vpcCidr, ...ctx.network.vpns.flatMap((v) => v.remoteCidrs)];
  const resolver = new TalksToResolver(ctx, appSpecs, appNamespaces, serviceKinds, notInternet);

  const apps = Object.entries(appSpecs).map(([name, a]) => planApp(ctx, name, a, appNamespaces.get(name)!, resolver, groups, platform, environment));
  const services = serviceKinds.map((kind) => planService(ctx, kind, serviceSpecs, resolver, groups, platform, environment));

  // Inbound rules follow from outbound ones: `backend talksTo apps/api` lets backend in to api.
  const inbound = resolver.inboundRules();
  const withInbound = <T extends { ref: string; ingress: readonly PeerRulePlan[] }>(w: T): T => ({ ...w, ingress: [...w.ingress, ...(inbound.get(w.ref) ?? [])] });

  checkPaths([...apps, ...services], diags);
  checkExposurePrerequisites(ctx, [...apps, ...services]);
  checkSecretsPrerequisites(ctx, [...apps, ...services]);
  checkImagePatterns(ctx, apps);

  const teamNamespaces = new Set(cluster.teams.flatMap((t) => t.namespaces));
  const namespaceNames = [...new Set([...apps.map((a) => a.namespace), ...services.map((s) => s.namespace)])].sort();
  const charts = planCharts(services);
  const namespaces: NamespacePlan[] = namespaceNames.map((n) => ({
    name: n,
    create: !teamNamespaces.has(n),
    podSecurity: charts.some((c) => c.namespace === n && c.podSecurity === 'privileged') ? 'privileged' : 'baseline',
  }));

  const efsUsed = [...new Set(apps.flatMap((a) => a.volumes.flatMap((v) => (v.kind === 'efs' ? [v.fileSystem] : []))))].sort();
  return {
    apps: apps.map(withInbound),
    services: services.map(withInbound),
    charts,
    ingressGroups: finishGroups(ctx, groups, [...apps, ...services]),
    namespaces,
    secretStore: SECRET_STORE,
    efsStorageClasses: efsUsed.map((fileSystem) => ({ fileSystem, storageClass: `efs-${fileSystem}` })),
    ebsStorageClass: EBS_STORAGE_CLASS,
    vpcCidr,
    apiServiceIp: cluster.apiServiceIp,
  };
}

/**
 * Namespaces Kubernetes and EKS own: plinth would write a default-deny policy and a pod-security label
 * into them, cutting off CoreDNS, kube-proxy, the VPC CNI and the controllers.
 */
export const RESERVED_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'] as const;

function checkReservedNamespaces(appSpecs: Readonly<Record<string, AppSpec>>, defaultNamespace: string, diags: Diagnostics): void {
  for (const [name, a] of Object.entries(appSpecs)) {
    const ns = a.namespace ?? defaultNamespace;
    if (!(RESERVED_NAMESPACES as readonly string[]).includes(ns)) continue;
    diags.error('E_APP_RESERVED_NAMESPACE', a.namespace ? ['apps', name, 'namespace'] : ['platform', 'name'],
      `apps/${name} would run in ${ns}, a namespace that belongs to Kubernetes and EKS; plinth's default-deny policy and pod-security label there would cut off the cluster's own components.`, {
        allowed: 'any other namespace',
        fix: `give it a namespace of its own, e.g. namespace: ${name}`,
      });
  }
}

// --- apps -----------------------------------------------------------------------------------

function planApp(
  ctx: WorkloadContext, name: string, a: AppSpec, namespace: string, resolver: TalksToResolver,
  groups: readonly IngressGroupPlan[], platform: string, environment: string,
): AppPlan {
  const { diags } = ctx;
  const path: SpecPath = ['apps', name];
  const ref = `apps/${name}`;

  if (a.port !== undefined && a.ports !== undefined) {
    diags.error('E_APP_PORTS', [...path, 'port'], `apps.${name} sets both port and ports.`, { fix: `write ports: [${[a.port, ...a.ports.filter((p) => p !== a.port)].join(', ')}] and remove port` });
  }
  const ports = a.ports ?? (a.port !== undefined ? [a.port] : []);
  if (new Set(ports).size !== ports.length) {
    diags.error('E_APP_PORTS', [...path, 'ports'], `apps.${name} lists a port twice.`, { fix: 'list each port once' });
  }

  // With autoscale, replicas is the count the Deployment starts with; the HPA takes over from there.
  if (a.autoscale && a.replicas !== undefined && a.autoscale.min <= a.autoscale.max && (a.replicas < a.autoscale.min || a.replicas > a.autoscale.max)) {
    diags.error('E_AUTOSCALE_INITIAL_RANGE', [...path, 'replicas'], `apps.${name} starts with replicas: ${a.replicas}, outside its autoscale range ${a.autoscale.min}..${a.autoscale.max}; the autoscaler would move it at once.`, {
      allowed: `an integer from ${a.autoscale.min} to ${a.autoscale.max}`,
      fix: `set replicas between ${a.autoscale.min} and ${a.autoscale.max}, or remove it to start at autoscale.min`,
    });
  }
  if (a.autoscale && a.autoscale.min > a.autoscale.max) {
    diags.error('E_AUTOSCALE_RANGE', [...path, 'autoscale', 'min'], `autoscale.min (${a.autoscale.min}) is larger than autoscale.max (${a.autoscale.max}).`, { fix: 'make min at most max' });
  }

  const volumes = planVolumes(ctx, a, path);
  const stateful = volumes.some((v) => v.kind === 'ebs');
  if (stateful && a.autoscale) {
    diags.error('E_AUTOSCALE_STATEFUL', [...path, 'autoscale'], `apps.${name} has EBS volumes (one per pod), and autoscaling would create and strand volumes as it scales.`, {
      fix: 'use fixed replicas, or an efs: volume shared by every pod',
    });
  }
  const replicas = a.autoscale ? a.replicas : a.replicas ?? (stateful ? 1 : 2);
  const autoscale = a.autoscale && {
    min: a.autoscale.min,
    max: a.autoscale.max,
    cpuPercent: a.autoscale.cpu ?? (a.autoscale.memory === undefined ? 70 : undefined),
    memoryPercent: a.autoscale.memory,
  };
  const podCount = autoscale ? autoscale.min : replicas ?? 0;
  if (autoscale && replicas !== undefined && !ctx.cluster?.gitops) {
    // kubectl apply sets the live count back to the manifest's (Kubernetes, "Horizontal Pod Autoscaling",
    // Migrating Deployments and StatefulSets to horizontal autoscaling); Argo CD delivery avoids it (k8s/gitops.ts).
    diags.warning('W_AUTOSCALE_INITIAL_REAPPLIED', [...path, 'replicas'], `apps.${name} starts with ${replicas} pods and is autoscaled; without cluster.gitops, every deploy that changes any workload manifest re-applies them all with kubectl apply (one CloudFormation resource), which sets the pod count back to ${replicas} until the autoscaler scales it again.`, {
      fix: 'add cluster.gitops (Argo CD then leaves spec.replicas to the autoscaler), or remove replicas so the Deployment starts at autoscale.min and carries no count',
    });
  }

  const probe = (p: ProbeSpec | false | undefined, delay: number, field: string): ProbePlan | undefined => {
    if (p === false || ports.length === 0 && p === undefined) return undefined;
    const port = p?.port ?? ports[0];
    if (port === undefined) {
      diags.error('E_PROBE_PORT', [...path, field], `The ${field} probe of apps.${name} has no port, and the app declares none.`, { fix: `add port: to the app or to ${field}` });
      return undefined;
    }
    return { path: p?.path, port, initialDelaySeconds: p?.initialDelaySeconds ?? delay, periodSeconds: p?.periodSeconds ?? 10 };
  };
  const readiness = probe(a.readiness, 10, 'readiness');
  const liveness = probe(a.liveness, 30, 'liveness');

  const image = planImage(ctx, a.image, [...path, 'image'], a.initialTag);
  const exposure = a.expose ? planExposure(ctx, name, a.expose, [...path, 'expose'], { service: name, port: ports[0], podPort: ports[0] }, readiness?.path, a.sessionAffinity === 'clientIP') : undefined;
  const secrets = planSecrets(ctx, name, a.secrets ?? [], [...path, 'secrets'], platform, environment);
  const talks = resolver.resolve(ref, namespace, appLabels(name), a.talksTo ?? [], [...path, 'talksTo']);
  for (const v of volumes) {
    if (v.kind === 'efs') ctx.flows.addFlow({ from: NODES, to: `efs/${v.fileSystem}`, ports: tcp(2049), origin: [...path, 'volumes', v.name, 'efs'], description: `${ref} mounts efs/${v.fileSystem}` });
  }

  const env = Object.entries(a.env ?? {}).map(([k, v]) => ({ name: k, value: String(v) }));
  for (const e of env) {
    if (/(PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY)/i.test(e.name) && e.value.length > 0) {
      diags.error('E_PLAINTEXT_SECRET', [...path, 'env', e.name], `apps.${name}.env.${e.name} looks like a secret; env values are stored in plain text in Git and in the cluster.`, {
        fix: 'put it in Secrets Manager and list it under secrets: [secretsmanager:NAME]',
      });
    }
  }

  return {
    ref,
    name,
    namespace,
    kind: stateful ? 'StatefulSet' : 'Deployment',
    image,
    replicas,
    autoscale,
    ports,
    command: a.command,
    args: a.args,
    env,
    secrets,
    resources: {
      cpu: String(a.resources?.cpu ?? '250m'),
      memory: a.resources?.memory ?? '512Mi',
      cpuLimit: a.resources?.cpuLimit === undefined ? undefined : String(a.resources.cpuLimit),
    },
    readiness,
    liveness,
    sessionAffinity: a.sessionAffinity === 'clientIP' ? 'ClientIP' : 'None',
    runAsUser: a.runAsUser ?? DEFAULT_USER,
    writablePaths: a.writablePaths ?? ['/tmp'],
    volumes,
    disruptionBudget: a.disruptionBudget ?? podCount > 1,
    exposure,
    labels: appLabels(name),
    egress: talks.egress,
    ingress: exposure ? [albRule(groups, exposure)] : [],
    awsAccess: talks.awsAccess,
  };
}

function albRule(groups: readonly IngressGroupPlan[], exposure: ExposurePlan): PeerRulePlan {
  const group = groups.find((g) => g.scheme === exposure.scheme)!;
  return {
    peer: { kind: 'cidrs', cidrs: group.subnetCidrs, except: [] },
    ports: [tcp(exposure.targetPort)],
    ref: group.ref,
    origin: [],
  };
}

function planVolumes(ctx: WorkloadContext, a: AppSpec, path: SpecPath): VolumePlan[] {
  return Object.entries(a.volumes ?? {}).map(([vname, v]) => {
    if (v.efs !== undefined) {
      if (v.sizeGiB !== undefined) {
        ctx.diags.error('E_VOLUME_EFS_SIZE', [...path, 'volumes', vname, 'sizeGiB'], 'An EFS file system grows by itself; sizeGiB applies to EBS volumes only.', { fix: 'remove sizeGiB, or remove efs to get an EBS volume' });
      }
      if (!ctx.fileSystems.some((f) => f.name === v.efs)) {
        const names = ctx.fileSystems.map((f) => f.name);
        ctx.diags.error('E_UNKNOWN_FILE_SYSTEM', [...path, 'volumes', vname, 'efs'], `There is no file system "${v.efs}" in data.fileSystems.`, {
          allowed: names.join(', ') || '(none defined)', fix: didYouMean(v.efs, names) ?? `define it under data.fileSystems.${v.efs}`,
        });
      }
      return { kind: 'efs' as const, name: vname, path: v.path, fileSystem: v.efs };
    }
    return { kind: 'ebs' as const, name: vname, path: v.path, sizeGiB: v.sizeGiB ?? 10 };
  });
}

/** `registry/backend:prod-*` → the ECR URI; anything else is passed through as written. */
function planImage(ctx: WorkloadContext, text: string, path: SpecPath, initialTag?: string): ImagePlan {
  const { diags, spec } = ctx;
  if (/\s/.test(text) || /^[A-Z]/.test(text) || text.endsWith(':') || text.startsWith(':')) {
    diags.error('E_IMAGE', path, `"${text}" is not an image reference.`, {
      allowed: 'registry/REPO:TAG for a repository of this spec, or an image such as nginx:1.27 or public.ecr.aws/org/app:1.0',
      fix: 'write e.g. registry/backend:prod-YYYYMMDD-HHMM or nginx:1.27',
    });
    return { kind: 'external', reference: text };
  }
  if (!text.startsWith('registry/')) {
    const tag = /:([^/]+)$/.exec(text)?.[1];
    if (tag === undefined && !text.includes('@sha256:')) {
      diags.error('E_IMAGE_TAG', path, `"${text}" names no tag, so every pod restart may run a different image (:latest).`, {
        fix: `pin a version, e.g. "${text}:1.2.3"`,
      });
    } else if (tag === 'latest') {
      diags.error('E_IMAGE_TAG', path, `"${text}" uses :latest, so every pod restart may run a different image.`, { fix: 'pin a version tag' });
    } else if (tag?.includes('*')) {
      diags.error('E_IMAGE_PATTERN_EXTERNAL', path, `Tag patterns work only for repositories of this spec (registry/REPO:PATTERN); "${text}" is elsewhere.`, { fix: 'pin a version tag' });
    }
    return { kind: 'external', reference: text };
  }
  const m = /^registry\/([a-z0-9][a-z0-9._/-]*)(?::([A-Za-z0-9_.*-]+))?$/.exec(text);
  const repository = m?.[1];
  const tag = m?.[2];
  const names = ctx.repositories.map((r) => r.name);
  if (!repository || !names.includes(repository)) {
    diags.error('E_UNKNOWN_REPOSITORY', path, `"${text}" names no repository of registry.repositories.`, {
      allowed: names.map((n) => `registry/${n}:TAG`).join(', ') || '(no repositories defined)',
      fix: (repository && didYouMean(repository, names)) ?? 'define the repository under registry.repositories, or use a full image reference',
    });
    return { kind: 'external', reference: text };
  }
  if (tag === undefined) {
    diags.error('E_IMAGE_TAG', path, `"${text}" names no tag.`, { fix: `write registry/${repository}:TAG, or a pattern such as registry/${repository}:prod-YYYYMMDD-HHMM with initialTag` });
  }
  if (!spec.platform.account) {
    diags.error('E_IMAGE_ACCOUNT', path, `registry/${repository} resolves to an ECR address holding the account id, and platform.account is not set.`, {
      fix: 'add platform.account: "123456789012" (manifests are written to files, so the address must be known at synth)',
    });
  }
  const uri = `${spec.platform.account ?? '000000000000'}.dkr.ecr.${spec.platform.region}.amazonaws.com/${repository}`;
  const isPattern = tag !== undefined && TAG_PLACEHOLDER.test(tag);
  if (!isPattern) return { kind: 'registry', repository, uri, tag, tagPattern: undefined, tagRegex: undefined };
  const tagRegex = tagPatternRegex(tag);
  const appPath = path.slice(0, -1);
  if (initialTag === undefined) {
    diags.error('E_IMAGE_INITIAL_TAG', appPath, `registry/${repository}:${tag} is a pattern, so the Deployment would start on :latest, which the release pipeline never pushes.`, {
      fix: `add initialTag: the newest ${tag} tag already in the repository (Image Updater moves it forward from there)`,
    });
  } else if (!new RegExp(tagRegex).test(initialTag)) {
    diags.error('E_IMAGE_INITIAL_TAG', [...appPath, 'initialTag'], `initialTag ${initialTag} does not match the pattern ${tag} (${tagRegex}), so Image Updater would replace it with a tag of another convention.`, {
      fix: `write a tag of the form ${tag}`,
    });
  }
  if (tag.includes('*')) {
    diags.warning('W_IMAGE_PATTERN_WILDCARD', path, `Image Updater picks the alphabetically last tag matching ${tag}; with a free-form * a tag like ${tag.replace(/\*/g, 'hotfix')} sorts after every dated one and wins for good.`, {
      fix: `spell the convention out, e.g. ${tag.replace(/\*/g, 'YYYYMMDD-HHMM')}`,
    });
  }
  return { kind: 'registry', repository, uri, tag: initialTag, tagPattern: tag, tagRegex };
}

/** Placeholders a tag pattern may hold. */
const TAG_PLACEHOLDER = /\*|YYYYMMDD|HHMM/;

/** `prod-YYYYMMDD-HHMM` → `^prod-\d{8}-\d{4}$`; `prod-*` → `^prod-.*$`. The registry's tag convention, exactly. */
export function tagPatternRegex(pattern: string): string {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return `^${escaped.replace(/YYYYMMDD/g, '\\d{8}').replace(/HHMM/g, '\\d{4}').replace(/\*/g, '.*')}$`;
}

function planSecrets(ctx: WorkloadContext, owner: string, refs: readonly string[], path: SpecPath, platform: string, environment: string): SecretPlan[] {
  const { diags } = ctx;
  const out: SecretPlan[] = [];
  refs.forEach((ref, i) => {
    const db = /^db\/([a-z][a-z0-9-]*)$/.exec(ref);
    const sm = /^secretsmanager:([A-Za-z0-9/_+=.@-]+)$/.exec(ref);
    if (db) {
      const name = db[1]!;
      const names = ctx.databases.map((d) => d.name);
      if (!names.includes(name)) {
        diags.error('E_UNKNOWN_REF', [...path, i], `"${ref}" does not name anything in this spec: there is no database "${name}".`, {
          allowed: names.map((n) => `db/${n}`).join(', ') || 'nothing yet: no database is defined', fix: didYouMean(ref, names.map((n) => `db/${n}`)) ?? 'define it under data.databases',
        });
        return;
      }
      out.push({ ref, name: `${owner}-db-${name}`, remoteName: databaseSecretName(platform, environment, name), envPrefix: `DB_${envName(name)}_` });
    } else if (sm) {
      const remote = sm[1]!;
      const short = remote.split('/').pop()!.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
      out.push({ ref, name: `${owner}-${short || 'secret'}`, remoteName: remote, envPrefix: `${envName(short)}_` });
    } else {
      diags.error('E_SECRET_REF', [...path, i], `"${ref}" is not a secret plinth can deliver.`, {
        allowed: 'db/NAME (the database\'s master credentials) or secretsmanager:SECRET-NAME', fix: 'write e.g. db/main or secretsmanager:prod/api-keys',
      });
    }
  });
  return out;
}

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

// --- exposure -------------------------------------------------------------------------------

const INGRESS_SCHEMES: readonly IngressScheme[] = ['public', 'internal'];

/** The endpoint of an IngressGroup's ALB in the reference language. */
export function ingressRef(scheme: IngressScheme): string {
  return `lb/${scheme}`;
}

/** Name tag of an ingress ALB's security group, which the Ingresses name (k8s/ingress.ts). */
function ingressSecurityGroupName(spec: PlatformSpec, scheme: IngressScheme): string {
  return `${spec.platform.name}-${spec.platform.environment ?? 'prod'}-ingress-${scheme}`;
}

function exposedSchemes(spec: PlatformSpec): IngressScheme[] {
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

function planIngressGroups(ctx: WorkloadContext): IngressGroupPlan[] {
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
function finishGroups(ctx: WorkloadContext, groups: readonly IngressGroupPlan[], workloads: readonly { ref: string; exposure: ExposurePlan | undefined }[]): IngressGroupPlan[] {
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

function planExposure(
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
function exposureSources(ctx: WorkloadContext, e: ExposeSpec, path: SpecPath): { ref: string; origin: SpecPath }[] {
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

function checkPaths(workloads: readonly { ref: string; exposure: ExposurePlan | undefined }[], diags: Diagnostics): void {
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

function checkExposurePrerequisites(ctx: WorkloadContext, workloads: readonly { ref: string; exposure: ExposurePlan | undefined }[]): void {
  const exposed = workloads.find((w) => w.exposure);
  if (exposed && ctx.cluster && !ctx.cluster.controllers.loadBalancer) {
    const [kind, name] = exposed.ref.split('/');
    ctx.diags.error('E_EXPOSE_WITHOUT_LB_CONTROLLER', [kind!, name!, 'expose'], 'Ingresses become ALBs through the AWS Load Balancer Controller, which cluster.controllers.loadBalancer turns off.', {
      fix: 'remove cluster.controllers.loadBalancer: false',
    });
  }
}

function checkSecretsPrerequisites(ctx: WorkloadContext, workloads: readonly { ref: string; secrets: readonly SecretPlan[] }[]): void {
  const user = workloads.find((w) => w.secrets.length > 0);
  if (user && ctx.cluster && !ctx.cluster.controllers.externalSecrets) {
    const [kind, name] = user.ref.split('/');
    ctx.diags.error('E_SECRETS_WITHOUT_EXTERNAL_SECRETS', kind === 'apps' ? [kind, name!, 'secrets'] : [kind!, name!], `${user.ref} reads secrets through External Secrets, which the cluster does not run.`, {
      fix: 'set cluster.controllers.externalSecrets: true',
    });
  }
}

function checkImagePatterns(ctx: WorkloadContext, apps: readonly AppPlan[]): void {
  const cluster = ctx.cluster;
  for (const a of apps) {
    if (a.image.kind !== 'registry' || a.image.tagPattern === undefined) continue;
    if (!cluster?.gitops || !cluster.controllers.imageUpdater) {
      ctx.diags.error('E_IMAGE_PATTERN_WITHOUT_UPDATER', ['apps', a.name, 'image'], `The tag pattern ${a.image.tagPattern} needs Argo CD Image Updater to pick the newest matching image, and the cluster does not run it.`, {
        fix: 'add cluster.gitops and cluster.controllers.imageUpdater: true, or write an exact tag',
      });
    }
  }
}

// --- talksTo --------------------------------------------------------------------------------

interface Resolved {
  readonly egress: PeerRulePlan[];
  readonly awsAccess: AwsAccessPlan[];
}

/** Turns talksTo references into egress peers (and the matching inbound rules on the other side). */
class TalksToResolver {
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

// --- services -------------------------------------------------------------------------------

function planService(
  ctx: WorkloadContext, kind: ServiceKind, specs: ServicesSpec, resolver: TalksToResolver,
  groups: readonly IngressGroupPlan[], platform: string, environment: string,
): ServicePlan {
  const { diags, flows } = ctx;
  const entry = CATALOG[kind];
  const path: SpecPath = ['services', kind];
  const s = specs[kind]!;
  const ref = `services/${kind}`;
  for (const needed of entry.requires) {
    if (!specs[needed]) {
      diags.error('E_SERVICE_REQUIRES', path, `services.${kind} needs services.${needed}, which the spec does not define.`, { fix: `add services: { ${needed}: {} }` });
    }
  }
  const exposure = s.expose
    ? entry.http
      ? planExposure(ctx, kind, s.expose, [...path, 'expose'], { service: entry.http.service, port: entry.http.port, podPort: entry.http.podPort }, undefined)
      : reportNotHttp(ctx, kind, [...path, 'expose'])
    : undefined;
  const talks = resolver.resolve(ref, entry.namespace, entry.labels, s.talksTo ?? [], [...path, 'talksTo']);
  const ingress: PeerRulePlan[] = exposure ? [albRule(groups, exposure)] : [];
  let secrets: SecretPlan[] = [];
  let settings: ServiceSettings;
  switch (kind) {
    case 'kafka': {
      const k = specs.kafka!;
      const external = k.externalListener && { port: k.externalListener.port ?? 9094, nodePort: k.externalListener.nodePort ?? 31094 };
      settings = { kind, brokers: k.brokers ?? 3, storageGiB: k.storageGiB ?? 20, external };
      if (external && k.externalListener) {
        const brokerPorts = { protocol: 'tcp' as const, from: external.nodePort, to: external.nodePort + (k.brokers ?? 3) };
        const lpath = [...path, 'externalListener', 'allowFrom'];
        // Node ports on the nodes' security group, and the listener port for the pods behind them.
        flows.allow(k.externalListener.allowFrom, NODES, [brokerPorts, tcp(external.port)], lpath, 'Kafka external listener');
        const cidrs = k.externalListener.allowFrom.flatMap((text) => sourceCidrs(ctx, text.trim()));
        ingress.push({ peer: { kind: 'cidrs', cidrs: [...new Set(cidrs)], except: [] }, ports: [tcp(external.port)], ref: 'kafka/external', origin: lpath });
      }
      break;
    }
    case 'redis': {
      const r = specs.redis!;
      settings = { kind, replicas: r.replicas ?? 2, sentinel: r.sentinel ?? true, storageGiB: r.storageGiB ?? 8 };
      break;
    }
    case 'elasticsearch': {
      const e = specs.elasticsearch!;
      settings = { kind, nodes: e.nodes ?? 3, storageGiB: e.storageGiB ?? 50, version: ELASTIC_STACK_VERSION };
      break;
    }
    case 'kibana':
      settings = { kind, version: ELASTIC_STACK_VERSION };
      // Kibana reads and writes its own indices in Elasticsearch.
      resolver.resolve(ref, entry.namespace, entry.labels, ['services/elasticsearch'], path).egress.forEach((r) => talks.egress.push(r));
      break;
    case 'airflow': {
      const a = specs.airflow!;
      const dbName = /^db\/(.+)$/.exec(a.database)?.[1];
      const db = ctx.databases.find((d) => d.name === dbName);
      if (!db) {
        diags.error('E_UNKNOWN_REF', [...path, 'database'], `"${a.database}" does not name a database of this spec.`, {
          allowed: ctx.databases.map((d) => d.ref).join(', ') || 'nothing yet: no database is defined',
          fix: didYouMean(a.database, ctx.databases.map((d) => d.ref)) ?? 'define it under data.databases',
        });
      }
      if (db && !db.databaseName) {
        diags.error('E_AIRFLOW_DATABASE_NAME', [...path, 'database'], `Airflow connects to a named database, and ${db.ref} creates none.`, {
          fix: `add databaseName: airflow to data.databases.${db.name}`,
        });
      }
      secrets = planSecrets(ctx, 'airflow', db ? [db.ref] : [], [...path, 'database'], platform, environment);
      settings = { kind, database: { engine: db?.engine ?? 'postgres', secret: secrets[0] ?? { ref: a.database, name: 'airflow-db', remoteName: '', envPrefix: '' } } };
      if (db && !(s.talksTo ?? []).some((t) => t.startsWith(db.ref))) {
        resolver.resolve(ref, entry.namespace, entry.labels, [db.ref], [...path, 'database']).egress.forEach((r) => talks.egress.push(r));
      }
      break;
    }
    case 'prometheus': {
      const p = specs.prometheus!;
      settings = { kind, retentionDays: p.retentionDays ?? 15, storageGiB: p.storageGiB ?? 50 };
      break;
    }
    case 'grafana':
      settings = { kind };
      resolver.resolve(ref, entry.namespace, entry.labels, ['services/prometheus'], path).egress.forEach((r) => talks.egress.push(r));
      break;
  }
  return {
    ref, kind, namespace: entry.namespace, labels: entry.labels, ports: entry.ports, endpoint: entry.endpoint,
    settings, secrets, exposure, egress: talks.egress, ingress,
  };
}

function reportNotHttp(ctx: WorkloadContext, kind: ServiceKind, path: SpecPath): undefined {
  const exposable = (Object.keys(CATALOG) as ServiceKind[]).filter((k) => CATALOG[k].http);
  ctx.diags.error('E_SERVICE_NOT_HTTP', path, `services.${kind} does not speak HTTP, so an ALB cannot route to it.`, {
    allowed: `expose on ${exposable.join(', ')}`, fix: 'remove expose; clients in the cluster reach it through talksTo',
  });
  return undefined;
}

/** The address ranges of a source endpoint, for NetworkPolicy ipBlocks (servers: their tier). */
function sourceCidrs(ctx: WorkloadContext, text: string): string[] {
  const e = ctx.flows.endpoint(text);
  if (!e) return [];
  if (e.cidrs.length > 0) return [...e.cidrs];
  const server = ctx.servers.find((s) => s.ref === text);
  const tier = server && ctx.network.tiers.find((t) => t.name === server.tier);
  if (tier) {
    return server.subnets.map((id) => tier.subnets.find((s) => s.id === id)?.cidr).filter((c): c is string => c !== undefined);
  }
  return [ctx.network.cidr];
}

function planCharts(services: readonly ServicePlan[]): ChartPlan[] {
  const has = (k: ServiceKind) => services.some((s) => s.kind === k);
  const charts: ChartPlan[] = [];
  if (has('kafka')) {
    charts.push(chartOf(CHARTS.strimzi, 'strimzi', 'kafka', OPERATOR_WAVE, { watchNamespaces: [], resources: { requests: { cpu: '100m', memory: '384Mi' }, limits: { memory: '384Mi' } } }));
  }
  if (has('elasticsearch') || has('kibana')) {
    charts.push(chartOf(CHARTS.eck, 'eck-operator', 'elastic', OPERATOR_WAVE, { managedNamespaces: ['elastic'], createClusterScopedResources: true, config: { metrics: { port: 0 } } }));
  }
  const redis = services.find((s) => s.settings.kind === 'redis')?.settings;
  if (redis?.kind === 'redis') {
    charts.push(chartOf(CHARTS.redisHa, 'redis', 'redis', SERVICE_WAVE, {
      replicas: redis.replicas + 1,
      sentinel: { quorum: Math.floor((redis.replicas + 1) / 2) + 1 },
      hardAntiAffinity: false,
      persistentVolume: { enabled: true, size: `${redis.storageGiB}Gi`, storageClass: EBS_STORAGE_CLASS },
      haproxy: { enabled: false },
      ...(redis.sentinel ? {} : { sentinel: { quorum: 1 } }),
    }));
  }
  const airflow = services.find((s) => s.settings.kind === 'airflow')?.settings;
  if (airflow?.kind === 'airflow') {
    charts.push(chartOf(CHARTS.airflow, 'airflow', 'airflow', SERVICE_WAVE, {
      postgresql: { enabled: false },
      data: { metadataSecretName: 'airflow-metadata' },
      executor: 'KubernetesExecutor',
      redis: { enabled: false },
      statsd: { enabled: false },
      // As post-install hooks these Jobs run only after every pod is Ready, and the pods wait for the
      // migration in an init container: under helm --wait, a deadlock. The chart documents
      // useHelmHooks: false for tools that wait (Argo CD, Flux, Terraform); they then run as plain Jobs.
      migrateDatabaseJob: { useHelmHooks: false, applyCustomEnv: false },
      createUserJob: { useHelmHooks: false, applyCustomEnv: false },
    }, ['airflow-metadata']));
  }
  const prometheus = services.find((s) => s.settings.kind === 'prometheus')?.settings;
  if (prometheus?.kind === 'prometheus') {
    charts.push(chartOf(CHARTS.kubePrometheusStack, 'kube-prometheus-stack', 'monitoring', SERVICE_WAVE, {
      fullnameOverride: 'monitoring',
      grafana: { enabled: has('grafana'), fullnameOverride: 'grafana' },
      alertmanager: { enabled: false },
      prometheus: {
        prometheusSpec: {
          retention: `${prometheus.retentionDays}d`,
          storageSpec: { volumeClaimTemplate: { spec: { storageClassName: EBS_STORAGE_CLASS, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${prometheus.storageGiB}Gi` } } } } },
        },
      },
    }));
  }
  return charts;
}
