/**
 * What runs on a server and what its role may touch: data volumes, containers (systemd units around
 * Docker) and permissions in the shared reference language (`buckets/videos/out/:write`,
 * `repositories/ai:pull`). Pure: the user-data scripts are rendered from this plan in aws/user-data/.
 */
import type { Diagnostics, SpecPath } from '../spec/diagnostics.js';
import { didYouMean } from '../spec/diagnostics.js';
import { databaseSecretName } from './apps.js';
import type { BucketPlan, ContainerPlan, DataVolumePlan, PermissionPlan, RepositoryPlan } from './types.js';

export interface ServerRuntimeInput {
  readonly instanceType: string;
  readonly volumes?: Readonly<Record<string, { readonly sizeGiB: number; readonly path: string; readonly removal?: 'snapshot' | 'retain' | 'destroy' }>>;
  readonly containers?: Readonly<Record<string, {
    readonly image: string;
    readonly ports?: readonly (number | string)[];
    readonly command?: readonly string[];
    readonly args?: readonly string[];
    readonly env?: Readonly<Record<string, string | number | boolean>>;
    readonly secrets?: readonly string[];
    readonly volumes?: Readonly<Record<string, string>>;
    readonly gpus?: boolean;
    readonly restart?: 'always' | 'on-failure';
  }>>;
  readonly permissions?: readonly string[];
}

export interface ServerRuntimeContext {
  readonly platform: string;
  readonly environment: string;
  readonly buckets: readonly BucketPlan[];
  readonly repositories: readonly RepositoryPlan[];
  readonly databases: readonly { readonly name: string }[];
  readonly diags: Diagnostics;
}

export interface ServerRuntimePlan {
  readonly volumes: readonly DataVolumePlan[];
  readonly containers: readonly ContainerPlan[];
  readonly permissions: readonly PermissionPlan[];
}

/** Instance families with NVIDIA GPUs (g4dn, g5, g6, p4d, p5, ...); g5g is Graviton with an NVIDIA T4G. */
export function hasNvidiaGpu(instanceType: string): boolean {
  return /^(g\d|p\d)[a-z]*\./.test(instanceType);
}

export function planServerRuntime(input: ServerRuntimeInput, ctx: ServerRuntimeContext, path: SpecPath): ServerRuntimePlan {
  const volumes = Object.entries(input.volumes ?? {}).map(([name, v], i): DataVolumePlan => ({
    name, sizeGiB: v.sizeGiB, path: v.path, removal: v.removal ?? 'snapshot', deviceName: `/dev/sd${String.fromCharCode('f'.charCodeAt(0) + i)}`,
  }));
  const mountPaths = new Map<string, string>();
  for (const v of volumes) {
    const clash = mountPaths.get(v.path);
    if (clash) ctx.diags.error('E_VOLUME_PATH', [...path, 'volumes', v.name, 'path'], `Volumes "${clash}" and "${v.name}" are both mounted at ${v.path}.`, { fix: 'give each volume its own path' });
    mountPaths.set(v.path, v.name);
  }

  const permissions = (input.permissions ?? []).flatMap((text, i) => parsePermission(text, ctx, [...path, 'permissions', i]));
  const containers = Object.entries(input.containers ?? {}).map(([name, c]) => {
    const cPath = [...path, 'containers', name];
    const image = planServerImage(c.image, ctx, [...cPath, 'image']);
    if (image.kind === 'registry' && !permissions.some((p) => p.kind === 'repository' && p.repository === image.repository)) {
      permissions.push({ kind: 'repository', repository: image.repository, access: 'pull' });
    }
    if (c.gpus && !hasNvidiaGpu(input.instanceType)) {
      ctx.diags.error('E_CONTAINER_GPU', [...cPath, 'gpus'], `${input.instanceType} has no NVIDIA GPU, so the container cannot be given one.`, {
        fix: 'use a GPU instance type (g5.xlarge, g6.xlarge, ...) or remove gpus',
      });
    }
    const ports = (c.ports ?? []).map((p) => {
      const [host, container] = typeof p === 'number' ? [p, p] : p.split(':').map(Number) as [number, number];
      return { host, container };
    });
    const mounts = Object.entries(c.volumes ?? {}).flatMap(([volume, containerPath]) => {
      const found = volumes.find((v) => v.name === volume);
      if (!found) {
        ctx.diags.error('E_UNKNOWN_VOLUME', [...cPath, 'volumes', volume], `The server has no data volume "${volume}".`, {
          allowed: volumes.map((v) => v.name).join(', ') || '(no volumes defined)', fix: didYouMean(volume, volumes.map((v) => v.name)) ?? 'define it under the server\'s volumes',
        });
        return [];
      }
      return [{ hostPath: found.path, containerPath }];
    });
    const secrets = (c.secrets ?? []).flatMap((ref, i) => planServerSecret(ref, ctx, [...cPath, 'secrets', i]));
    const plan: ContainerPlan = {
      name,
      image,
      ports,
      command: c.command ?? [],
      args: c.args ?? [],
      env: Object.entries(c.env ?? {}).map(([k, v]) => [k, String(v)] as const),
      secrets,
      mounts,
      gpus: c.gpus ?? false,
      restart: c.restart ?? 'always',
    };
    return plan;
  });
  const published = new Map<number, string>();
  for (const c of containers) {
    for (const p of c.ports) {
      const other = published.get(p.host);
      if (other) ctx.diags.error('E_CONTAINER_PORT', [...path, 'containers', c.name, 'ports'], `Host port ${p.host} is already published by container "${other}".`, { fix: 'publish each host port once' });
      published.set(p.host, c.name);
    }
  }
  return { volumes, containers, permissions };
}

function planServerImage(text: string, ctx: ServerRuntimeContext, path: SpecPath): ContainerPlan['image'] {
  const m = /^registry\/([a-z0-9][a-z0-9._/-]*):([A-Za-z0-9_.-]+)$/.exec(text);
  if (text.startsWith('registry/')) {
    const names = ctx.repositories.map((r) => r.name);
    if (!m || !names.includes(m[1]!)) {
      ctx.diags.error('E_UNKNOWN_REPOSITORY', path, `"${text}" is not registry/REPO:TAG with a repository of registry.repositories and a fixed tag.`, {
        allowed: names.map((n) => `registry/${n}:TAG`).join(', ') || '(no repositories defined)',
        fix: (m && didYouMean(m[1]!, names)) ?? 'define the repository under registry.repositories and pin a tag (servers have no Image Updater, so no tag patterns)',
      });
      return { kind: 'public', reference: text };
    }
    return { kind: 'registry', repository: m[1]!, tag: m[2]! };
  }
  const tag = /:([^/:]+)$/.exec(text)?.[1];
  if (/\s/.test(text) || (tag === undefined && !text.includes('@sha256:')) || tag === 'latest' || tag?.includes('*')) {
    ctx.diags.error('E_IMAGE_TAG', path, `"${text}" does not pin an image version, so every restart of the server may run a different image.`, {
      fix: `pin a version tag or a digest, e.g. "${text.replace(/:[^/:]*$/, '')}:1.2.3"`,
    });
  }
  return { kind: 'public', reference: text };
}

function planServerSecret(ref: string, ctx: ServerRuntimeContext, path: SpecPath): ContainerPlan['secrets'][number][] {
  const db = /^db\/([a-z][a-z0-9-]*)$/.exec(ref);
  const sm = /^secretsmanager:([A-Za-z0-9/_+=.@-]+)$/.exec(ref);
  if (db) {
    const names = ctx.databases.map((d) => d.name);
    if (!names.includes(db[1]!)) {
      ctx.diags.error('E_UNKNOWN_REF', path, `"${ref}" does not name anything in this spec: there is no database "${db[1]}".`, {
        allowed: names.map((n) => `db/${n}`).join(', ') || 'nothing yet: no database is defined', fix: didYouMean(ref, names.map((n) => `db/${n}`)) ?? 'define it under data.databases',
      });
      return [];
    }
    return [{ ref, secretName: databaseSecretName(ctx.platform, ctx.environment, db[1]!), envPrefix: `DB_${envName(db[1]!)}_` }];
  }
  if (sm) {
    const short = sm[1]!.split('/').pop()!;
    return [{ ref, secretName: sm[1]!, envPrefix: `${envName(short)}_` }];
  }
  ctx.diags.error('E_SECRET_REF', path, `"${ref}" is not a secret plinth can deliver.`, {
    allowed: 'db/NAME (the database\'s master credentials) or secretsmanager:SECRET-NAME', fix: 'write e.g. db/main or secretsmanager:prod/api-keys',
  });
  return [];
}

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** `buckets/videos/generated/:write` → bucket videos, prefix generated/, write. */
export function parsePermission(text: string, ctx: Pick<ServerRuntimeContext, 'buckets' | 'repositories' | 'diags'>, path: SpecPath): PermissionPlan[] {
  const bucket = /^buckets\/([a-z0-9-]+)(?:\/([^:*]*))?:(read|write|readwrite)$/.exec(text);
  if (bucket) {
    const names = ctx.buckets.map((b) => b.name);
    if (!names.includes(bucket[1]!)) {
      ctx.diags.error('E_UNKNOWN_REF', path, `"${text}" names no bucket of data.buckets.`, {
        allowed: names.map((n) => `buckets/${n}:write`).join(', ') || 'nothing yet: no bucket is defined', fix: didYouMean(bucket[1]!, names) ?? 'define it under data.buckets',
      });
      return [];
    }
    const prefix = bucket[2] ?? '';
    if (prefix !== '' && !prefix.endsWith('/')) {
      ctx.diags.error('E_PERMISSION_PREFIX', path, `The prefix "${prefix}" of "${text}" does not end with "/", so it would also match "${prefix}-other/...".`, {
        fix: `write buckets/${bucket[1]}/${prefix}/:${bucket[3]}`,
      });
    }
    return [{ kind: 'bucket', bucket: bucket[1]!, prefix, access: bucket[3] as 'read' | 'write' | 'readwrite' }];
  }
  const repo = /^repositories\/([a-z0-9][a-z0-9._/-]*):(pull|push)$/.exec(text);
  if (repo) {
    const names = ctx.repositories.map((r) => r.name);
    if (!names.includes(repo[1]!)) {
      ctx.diags.error('E_UNKNOWN_REPOSITORY', path, `"${text}" names no repository of registry.repositories.`, {
        allowed: names.map((n) => `repositories/${n}:pull`).join(', ') || '(no repositories defined)', fix: didYouMean(repo[1]!, names) ?? 'define it under registry.repositories',
      });
      return [];
    }
    return [{ kind: 'repository', repository: repo[1]!, access: repo[2] as 'pull' | 'push' }];
  }
  ctx.diags.error('E_PERMISSION', path, `"${text}" is not a permission plinth understands.`, {
    allowed: 'buckets/NAME[/PREFIX/]:read|write|readwrite, repositories/NAME:pull|push', fix: 'write e.g. buckets/videos/generated/:write',
  });
  return [];
}
