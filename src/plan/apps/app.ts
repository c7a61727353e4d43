/**
 * One app → AppPlan: ports, replicas and autoscaling, volumes, probes, image, secrets, exposure and `talksTo`.
 */
import type { SpecPath } from '../../spec/diagnostics.js';
import { didYouMean } from '../../spec/diagnostics.js';
import type { AppSpec, ProbeSpec } from '../../spec/workloads.js';
import { NODES } from '../cluster.js';
import { tcp } from '../flows.js';
import type { AppPlan, ExposurePlan, ImagePlan, IngressGroupPlan, PeerRulePlan, ProbePlan, SecretPlan, VolumePlan } from '../workloads.js';
import { type WorkloadContext, DEFAULT_USER, databaseSecretName, appLabels } from './context.js';
import { planExposure } from './exposure.js';
import { TalksToResolver } from './talks-to.js';

export function planApp(
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

export function albRule(groups: readonly IngressGroupPlan[], exposure: ExposurePlan): PeerRulePlan {
  const group = groups.find((g) => g.scheme === exposure.scheme)!;
  return {
    peer: { kind: 'cidrs', cidrs: group.subnetCidrs, except: [] },
    ports: [tcp(exposure.targetPort)],
    ref: group.ref,
    origin: [],
  };
}

export function planVolumes(ctx: WorkloadContext, a: AppSpec, path: SpecPath): VolumePlan[] {
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
export function planImage(ctx: WorkloadContext, text: string, path: SpecPath, initialTag?: string): ImagePlan {
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
export const TAG_PLACEHOLDER = /\*|YYYYMMDD|HHMM/;

/** `prod-YYYYMMDD-HHMM` → `^prod-\d{8}-\d{4}$`; `prod-*` → `^prod-.*$`. The registry's tag convention, exactly. */
export function tagPatternRegex(pattern: string): string {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return `^${escaped.replace(/YYYYMMDD/g, '\\d{8}').replace(/HHMM/g, '\\d{4}').replace(/\*/g, '.*')}$`;
}

export function planSecrets(ctx: WorkloadContext, owner: string, refs: readonly string[], path: SpecPath, platform: string, environment: string): SecretPlan[] {
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

export function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
