/**
 * A cloud assembly directory as `plinth plan` reads it: each stack's template, deploy dependencies,
 * termination protection and construct paths (from <Stack>.metadata.json), so changes are named the
 * way the spec names them (`Data/Databases/main/Instance`) rather than by logical id.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnTemplate, PlanStack } from './types.js';

export class AssemblyReadError extends Error {
  public override readonly name = 'AssemblyReadError';
}

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly dependencies?: readonly string[];
  readonly metadata?: Record<string, readonly { type: string; data: unknown }[]>;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string; readonly terminationProtection?: boolean };
}

export function readPlanAssembly(dir: string): PlanStack[] {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new AssemblyReadError(`${dir} is not a cloud assembly (no manifest.json): pass the directory "plinth synth --out DIR" or "plinth deploy" wrote`);
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  const artifacts = manifest.artifacts ?? {};
  const stackIds = new Set(Object.entries(artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([id]) => id));
  return [...stackIds].map((id) => {
    const a = artifacts[id]!;
    const template = JSON.parse(readFileSync(join(dir, a.properties?.templateFile ?? `${id}.template.json`), 'utf8')) as CfnTemplate;
    return {
      id,
      stackName: a.properties?.stackName ?? id,
      template,
      dependsOn: (a.dependencies ?? []).filter((d) => stackIds.has(d)),
      paths: constructPaths(dir, id, a),
      terminationProtection: a.properties?.terminationProtection ?? false,
      region: a.environment?.split('/')[3],
    };
  });
}

function constructPaths(dir: string, id: string, artifact: ManifestArtifact): Record<string, string> {
  const file = join(dir, `${id}.metadata.json`);
  const metadata = artifact.metadata ?? (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as ManifestArtifact['metadata'] : {});
  const paths: Record<string, string> = {};
  for (const [path, entries] of Object.entries(metadata ?? {})) {
    for (const e of entries) {
      if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') {
        paths[e.data] = path.replace(/^\/[^/]+\//, '').replace(/\/Resource$/, '');
      }
    }
  }
  return paths;
}
