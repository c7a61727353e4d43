/** Findings as legend notes, and the checks a diagram's red edges and notes name. */
import type { Finding } from '../../verify/findings.js';
import type { Diagram, DiagramEdge } from '../types.js';
import type { RuleInfo } from './verdicts.js';

export function findingNote(f: Finding): string {
  return `${f.status === 'violation' ? '✗' : '?'} ${f.ruleId} ${f.ruleName}: ${f.message}`;
}

export function rulesUsed(edges: readonly DiagramEdge[], notes: readonly string[], rules: readonly RuleInfo[]): Diagram['rules'] {
  const ids = new Set(edges.flatMap((e) => e.rules));
  for (const n of notes) {
    const m = /^[✗?] (\S+)/.exec(n);
    if (m) ids.add(m[1]!);
  }
  return rules.filter((r) => ids.has(r.id));
}
