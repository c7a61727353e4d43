/**
 * apps + services → WorkloadsPlan. Applies the workload defaults (two replicas, requests, probes, a
 * non-root user, a read-only root file system), resolves images against the registry, and turns every
 * `talksTo` into exact NetworkPolicy peers plus, where the traffic leaves the cluster, a plan flow from
 * `cluster/nodes` (pods use the nodes' security group), so security groups and verify see it too.
 */
import type { Diagnostics } from '../spec/diagnostics.js';
import type { AppSpec, ServicesSpec } from '../spec/workloads.js';
import type { AppPlan, NamespacePlan, PeerRulePlan, SecretPlan, ServiceKind, WorkloadsPlan } from './workloads.js';
import { planApp } from './apps/app.js';
import { type WorkloadContext, SECRET_STORE, EBS_STORAGE_CLASS } from './apps/context.js';
import { planIngressGroups, finishGroups, checkPaths, checkExposurePrerequisites } from './apps/exposure.js';
import { planService, planCharts } from './apps/services.js';
import { TalksToResolver } from './apps/talks-to.js';

// Re-exported where other modules import them from (aws/data.ts, aws/app-identities.ts, plan/server-runtime.ts, plan/index.ts, tests).
export { databaseSecretName, S3_ACTIONS, type WorkloadContext } from './apps/context.js';
export { tagPatternRegex } from './apps/app.js';
export { addIngressEndpoints } from './apps/exposure.js';

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
