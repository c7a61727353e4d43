/**
 * Intents whose status changed, and verify findings that are new (or gone) with the change. One
 * statement is judged on both versions: the new spec's intents are checked on the old templates too.
 */
import type { Finding } from '../verify/index.js';
import type { AnalysedSide } from './side.js';

export type IntentStatus = 'holds' | 'violation' | 'unknown' | 'absent';

export interface IntentChange {
  readonly name: string;
  readonly text: string;
  readonly before: IntentStatus;
  readonly after: IntentStatus;
  /** The new version's first finding about it (or the old one's, for an intent that now holds). */
  readonly message: string | undefined;
  /** A path that breaks it, hop by hop, when the new version breaks it. */
  readonly witness: readonly string[];
}

export interface FindingsDiff {
  readonly intents: readonly IntentChange[];
  /** Findings of the new version the old one did not have, among checks run on both. */
  readonly added: readonly Finding[];
  readonly resolved: readonly Finding[];
}

const INTENT_RULES = new Set(['PI1', 'PI2', 'PI3', 'PI4']);

function statusOf(findings: readonly Finding[]): IntentStatus {
  if (findings.some((f) => f.status === 'violation')) return 'violation';
  return findings.length > 0 ? 'unknown' : 'holds';
}

function findingKey(f: Finding): string {
  return `${f.ruleId}|${f.message}`;
}

export function diffFindings(before: AnalysedSide, after: AnalysedSide): FindingsDiff {
  const intents: IntentChange[] = [];
  const names = new Map<string, string>();
  for (const i of [...(before.plan?.intents ?? []), ...(after.plan?.intents ?? [])]) names.set(i.text, i.name);
  const about = (side: AnalysedSide, text: string) => side.verify.findings.filter((f) => INTENT_RULES.has(f.ruleId) && f.origin?.text === text);
  const afterTexts = new Set((after.plan?.intents ?? []).map((i) => i.text));
  for (const [text, name] of names) {
    // The old version is checked against its own intents and the new spec's (analyseSide's `intents`).
    const b = statusOf(about(before, text));
    const a: IntentStatus = afterTexts.has(text) ? statusOf(about(after, text)) : 'absent';
    if (a === b) continue;
    const first = about(after, text)[0] ?? about(before, text)[0];
    const witness = about(after, text).find((f) => f.witness)?.witness;
    intents.push({
      name, text, before: b, after: a, message: first?.message,
      witness: witness ? [witness.path, ...witness.hops.map((h) => `${h.step}: ${h.verdict.text}`)] : [],
    });
  }
  // Only checks both versions ran can say "new": a spec's flow checks do not run on bare templates.
  const ran = (side: AnalysedSide) => new Set(side.verify.checks.map((c) => c.id));
  const both = [...ran(after)].filter((id) => ran(before).has(id));
  const common = (f: Finding) => both.includes(f.ruleId) && !INTENT_RULES.has(f.ruleId);
  const beforeKeys = new Set(before.verify.findings.map(findingKey));
  const afterKeys = new Set(after.verify.findings.map(findingKey));
  return {
    intents,
    added: after.verify.findings.filter((f) => common(f) && !beforeKeys.has(findingKey(f))),
    resolved: before.verify.findings.filter((f) => common(f) && !afterKeys.has(findingKey(f))),
  };
}
