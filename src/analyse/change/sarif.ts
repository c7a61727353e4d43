/**
 * SARIF 2.1.0 for what the change introduces: verify's findings that are new with it (and those of
 * intents it breaks) in verify's own SARIF shape, plus one result per risk of the verdict, so code
 * scanning shows the exposure on the pull request.
 */
import { join, relative } from 'node:path';
import { allChecks, type Finding } from '../verify/index.js';
import { formatSarif } from '../verify/format.js';
import type { ChangeReview } from './review.js';
import type { AnalysedSide } from './side.js';

const RISK_RULES = [
  { id: 'R_EXPOSED', name: 'ChangeExposes', level: 'error' as const, cause: 'The change lets a source outside the VPC reach something it could not reach before.', why: 'New exposure is what a reviewer must not miss; the witness shows the path.' },
  { id: 'R_DATA_REACHABLE', name: 'ChangeOpensData', level: 'error' as const, cause: 'The change lets something new reach a database or file system.', why: 'Data stores are reached by few on purpose; a widened allowFrom is easy to miss in a diff.' },
  { id: 'R_OPENED', name: 'ChangeOpens', level: 'warning' as const, cause: 'The change allows a new flow inside the VPC.', why: 'Reported when the policy fails on internal flows.' },
  { id: 'R_DATA_LOST', name: 'ChangeLosesData', level: 'error' as const, cause: 'The change removes a stateful resource whose data is deleted with it.', why: 'Deleted data does not come back with a revert.' },
  { id: 'R_INTENT_BROKEN', name: 'ChangeBreaksIntent', level: 'error' as const, cause: 'An intent fails on the new version.', why: 'The spec states it must hold.' },
  { id: 'R_NEW_FINDING', name: 'ChangeAddsFinding', level: 'error' as const, cause: 'verify reports an error on the new version that the old one did not have.', why: 'The change introduces it.' },
  { id: 'R_CLOUDFORMATION', name: 'ChangeRefusedByCloudFormation', level: 'error' as const, cause: 'CloudFormation would refuse an operation of the change (an export still imported, a protected or stateful resource replaced without --allow-replace).', why: 'The deploy would stop half-way; the CloudFormation section says which stack and the fix.' },
  { id: 'R_COST', name: 'ChangeCost', level: 'warning' as const, cause: 'The monthly estimate grows beyond the configured threshold.', why: 'The team set the threshold.' },
];

/**
 * `specFile`: where the risks are reported (code scanning wants a location for every result); the
 * spec is what the pull request changed. @default - the new version's assembly manifest
 */
export function formatChangeSarif(review: ChangeReview, after: AnalysedSide, specFile?: string, baseDir = process.cwd()): object {
  const brokenIntents = new Set(review.findings.intents.filter((i) => i.after === 'violation').map((i) => i.text));
  const findings: Finding[] = [
    ...review.findings.added,
    ...after.verify.findings.filter((f) => f.origin && brokenIntents.has(f.origin.text)),
  ];
  const rules = [...allChecks(), ...RISK_RULES];
  const sarif = formatSarif({ ...after.verify, findings }, rules, baseDir) as { runs: { tool: { driver: { name: string } }; results: object[] }[] };
  const run = sarif.runs[0]!;
  run.tool.driver.name = 'plinth plan';
  for (const risk of review.verdict.risks) {
    const rule = RISK_RULES.find((r) => r.id === risk.code)!;
    const uri = relative(baseDir, specFile ?? join(after.dir, 'manifest.json')).split('\\').join('/');
    run.results.push({
      ruleId: risk.code, ruleIndex: rules.indexOf(rule), level: rule.level, message: { text: risk.text },
      locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } } }],
      partialFingerprints: { plinthRisk: `${risk.code}|${risk.text}` },
    });
  }
  return sarif;
}
