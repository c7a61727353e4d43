/**
 * The Kubernetes manifests' YAML documents, parsed once for every reader: verify's model
 * (model/k8s.ts) and the diagram's Kubernetes view (diagram/model/manifests.ts) both read the same
 * files, and parsing is most of their cost on a large platform (550 files at 500 apps).
 *
 * Bounded: the most recent texts only, so a long-lived process never keeps every manifest it saw.
 * Readers take values out of the documents and never change them.
 */
import { parseAllDocuments } from 'yaml';

const KEEP = 2_048;
const parsed = new Map<string, readonly unknown[]>();

/** Each document of a YAML (or JSON) text as plain values; null for an empty document. */
export function manifestDocuments(text: string): readonly unknown[] {
  const hit = parsed.get(text);
  if (hit) return hit;
  const documents = parseAllDocuments(text).map((doc) => doc.toJS() as unknown);
  if (parsed.size >= KEEP) parsed.delete(parsed.keys().next().value!);
  parsed.set(text, documents);
  return documents;
}
