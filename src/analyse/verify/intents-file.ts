/**
 * `plinth verify DIR --intents FILE`: the spec's `intents:` language in a file of its own, so the
 * owner of a template plinth did not write can declare what is intended (a bastion's SSH from one
 * address, the only ports the internet may reach). References are those of the spec language that
 * make sense without a spec (`internet`, `vpc`, `cidr:A.B.C.D/N`, `*`) plus `resource/LOGICAL_ID`
 * for any resource of the templates, and the pods of the manifests (`apps/NAME`, `services/kafka`):
 *
 *   intents:
 *     - name: admin-ssh
 *       from: cidr:203.0.113.7/32
 *       to: resource/Bastion:22
 *       reach: true
 *     - from: internet
 *       to: "*"
 *       only: [resource/Bastion:22, resource/WebLoadBalancer:443]
 *
 * Mistakes are located diagnostics (file:line, what is wrong, what is allowed, the fix), as in a spec.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { planIntents, type IntentPlan, type IntentSpec } from '../../plan/intents.js';
import type { EndpointPlan } from '../../plan/types.js';
import { didYouMean, Diagnostics, SpecError, type SourceLocation, type SpecPath } from '../../spec/diagnostics.js';
import type { StackTemplate } from '../input/templates.js';

const INTENT_KEYS = ['name', 'description', 'from', 'to', 'only', 'deny', 'via', 'reach'];

export interface IntentsFile {
  readonly intents: readonly IntentPlan[];
  readonly locate: (path: SpecPath) => SourceLocation | undefined;
}

/** The endpoint table of templates without a spec: the address-like references and every resource. */
export function templateEndpoints(templates: readonly StackTemplate[], podRefs: readonly string[] = []): Record<string, EndpointPlan> {
  const out: Record<string, EndpointPlan> = {
    internet: { ref: 'internet', kind: 'internet', cidrs: ['0.0.0.0/0'], hasSecurityGroup: false },
    vpc: { ref: 'vpc', kind: 'vpc', cidrs: [], hasSecurityGroup: false },
  };
  for (const t of templates) {
    for (const id of Object.keys(t.body.Resources ?? {})) out[`resource/${id}`] = { ref: `resource/${id}`, kind: 'server', cidrs: [], hasSecurityGroup: true };
  }
  // Pods carry their nodes' security groups (VPC CNI), so they stand where a grouped resource would.
  for (const ref of podRefs) out[ref] = { ref, kind: 'server', cidrs: [], hasSecurityGroup: true };
  return out;
}

/** `podRefs`: what the manifests' pods answer to (model/build/services `workloadRefs`). */
export function readIntentsFile(file: string, templates: readonly StackTemplate[], podRefs: readonly string[] = []): IntentsFile {
  const text = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number): SourceLocation => {
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  const locate = (path: SpecPath): SourceLocation | undefined => locateIn(doc, path, at);
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    throw new SpecError([{ code: 'E_YAML', path: [], message: `The intents file is not valid YAML: ${problems[0]!.message.split('\n')[0]}.`, fix: 'check indentation, quotes and colons near this line', location: at(problems[0]!.pos[0]) }]);
  }
  const diags = new Diagnostics();
  const root = doc.toJS() as unknown;
  const list = Array.isArray(root) ? root : (root as { intents?: unknown } | null)?.intents;
  const base: SpecPath = Array.isArray(root) ? [] : ['intents'];
  if (!Array.isArray(root)) {
    for (const key of Object.keys((root as object | null) ?? {})) {
      if (key !== 'intents') diags.error('E_UNKNOWN_KEY', [key], `"${key}" is not part of an intents file.`, { allowed: 'intents', fix: didYouMean(key, ['intents']) ?? 'remove it' });
    }
  }
  if (!Array.isArray(list)) {
    diags.error('E_INTENTS_FILE', base, 'The file holds no list of intents.', { allowed: 'a mapping with intents: [...], or the list itself', fix: 'start the file with "intents:" and one "- from: ... to: ..." entry per intent' });
    throw new SpecError(diags.all).withLocations((p) => locate(p) ?? { file });
  }
  const specs: IntentSpec[] = [];
  list.forEach((item, i) => {
    const path = [...base, i];
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      diags.error('E_INTENT_SHAPE', path, 'An intent is a mapping (from, to, and one of only, deny, via, reach).', { fix: 'write e.g. { from: internet, to: "*", only: [resource/Lb:443] }' });
      return;
    }
    for (const key of Object.keys(item)) {
      if (!INTENT_KEYS.includes(key)) diags.error('E_UNKNOWN_KEY', [...path, key], `"${key}" is not a field of an intent.`, { allowed: INTENT_KEYS.join(', '), fix: didYouMean(key, INTENT_KEYS) ?? 'remove it' });
    }
    specs.push(item as IntentSpec);
  });
  // planIntents reports paths as ['intents', N]; a bare list has no "intents" key to point at.
  const planned = planIntents(specs, templateEndpoints(templates, podRefs), [], diags);
  const relocate = (p: SpecPath): SourceLocation => locate(Array.isArray(root) && p[0] === 'intents' ? p.slice(1) : p) ?? { file };
  if (diags.hasErrors) throw new SpecError(diags.all).withLocations(relocate);
  return { intents: planned, locate: (p) => relocate(p) };
}

function locateIn(doc: Document, path: SpecPath, at: (offset: number) => SourceLocation): SourceLocation | undefined {
  let node: Node | null | undefined = doc.contents as Node | null;
  let last = node;
  for (const key of path) {
    if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && p.key.value === key)?.value as Node | undefined;
    else if (isSeq(node) && typeof key === 'number') node = node.items[key] as Node | undefined;
    else break;
    if (!node) break;
    last = node;
  }
  return last?.range ? at(last.range[0]) : undefined;
}
