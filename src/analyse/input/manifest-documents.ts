/**
 * The YAML documents of a Kubernetes manifest file as plain data, parsed once per process: `plinth synth`
 * runs verify and then the cost line on the manifests it has just written, and each reads every file under
 * k8s/ (parsing YAML is most of what reading them costs). Keyed by path, size and modification time, so a
 * file that changes is parsed again; each caller gets its own copy, free to change.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const parsed = new Map<string, { readonly size: number; readonly mtimeMs: number; readonly documents: readonly unknown[] }>();

export function manifestDocuments(file: string): unknown[] {
  const { size, mtimeMs } = statSync(file);
  const cached = parsed.get(file);
  if (cached && cached.size === size && cached.mtimeMs === mtimeMs) return structuredClone(cached.documents) as unknown[];
  const documents = [...parseAllDocuments(readFileSync(file, 'utf8'))].map((doc) => doc.toJS() as unknown);
  parsed.set(file, { size, mtimeMs, documents });
  return structuredClone(documents);
}
