/**
 * The Kubernetes manifests' YAML documents, parsed once for every reader: `plinth synth` runs verify and
 * then the cost line on the manifests it has just written, and verify's model (model/k8s.ts), the
 * diagram's Kubernetes view (diagram/model/manifests.ts) and cost (cost/model.ts) all read the same files.
 * Parsing YAML is most of what reading them costs (550 files at 500 apps).
 *
 * Keyed by the text itself, so a file that changed is parsed again. Bounded: the most recent texts only,
 * so a long-lived process never keeps every manifest it saw. Readers take values out of the documents
 * and never change them (they are shared).
 *
 * Parsed by js-yaml first: with its default schema (YAML 1.2 core, no merge keys) it gives the same
 * values as `yaml`'s `parseAllDocuments(...).toJS()` about five times faster (2.3 MB of manifests at 500
 * apps: 0.25 s instead of 1.0–1.4 s). Where the two differ, js-yaml throws (duplicate keys, custom tags
 * such as `!Ref`, collection keys, more than 100 aliases in a document) and `yaml` reads the
 * text as before, leniently. test/verify/manifest-documents.test.ts compares the two.
 */
import { readFileSync } from 'node:fs';
import { loadAll } from 'js-yaml';
import { parseAllDocuments } from 'yaml';

const KEEP = 2_048;
const parsed = new Map<string, readonly unknown[]>();

/** Each document of a YAML (or JSON) text as plain values; null for an empty document. */
export function manifestDocuments(text: string): readonly unknown[] {
  const hit = parsed.get(text);
  if (hit) return hit;
  const documents = fastDocuments(text) ?? parseAllDocuments(text).map((doc) => doc.toJS() as unknown);
  if (parsed.size >= KEEP) parsed.delete(parsed.keys().next().value!);
  parsed.set(text, documents);
  return documents;
}

/** The documents of one manifest file (see manifestDocuments). */
export function manifestFileDocuments(file: string): readonly unknown[] {
  return manifestDocuments(readFileSync(file, 'utf8'));
}

/** `yaml`'s toJS() refuses to expand more aliases than this (its maxAliasCount); js-yaml is held to it. */
const MAX_ALIASES = 100;

/** The documents as js-yaml reads them, or undefined where it refuses the text (then `yaml` reads it). */
function fastDocuments(text: string): unknown[] | undefined {
  try {
    return loadAll(text, { maxAliases: MAX_ALIASES });
  } catch {
    return undefined;
  }
}
