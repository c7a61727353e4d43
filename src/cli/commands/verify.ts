import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readIntentsFile } from '../../analyse/verify/intents-file.js';
import { workloadRefs } from '../../analyse/model/build/services/index.js';
import { allChecks, verify, verifyTemplates, withManifests } from '../../analyse/verify/index.js';
import { findingLines, formatSarif, formatText } from '../../analyse/verify/format.js';
import type { VerifyReport } from '../../analyse/verify/findings.js';
import type { Plan } from '../../plan/types.js';
import { UsageError, type LoadedSpec } from '../../spec/load.js';
import { openAnalysisInput } from '../analysis-input.js';
import { EXIT_FAIL } from '../io.js';
import type { Command } from './index.js';
import { envOf } from './spec-arg.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export const verifyCommand: Command = {
  args: '[SPEC|DIR|TEMPLATE...] [--spec SPEC] [--intents FILE] [--format text|json|sarif] [--output FILE]',
  summary: 'prove the network intents on synthesized templates, before anything is deployed',
  help: `SPEC (plinth.yaml or a directory holding one) is synthesized to a temporary assembly first.
DIR is a cloud assembly (cdk.out, with manifest.json), or a directory of CloudFormation templates;
Kubernetes manifests under DIR/k8s are read too. TEMPLATE is a CloudFormation template, JSON or YAML
(any template, not only plinth's). cost and diagram take exactly the same inputs.

options:
  --spec SPEC      check the spec's flows and intents against an assembly synthesized earlier
  --intents FILE   intents for templates without a spec: the spec's intents: language in a file of
                   its own; references are internet, vpc, cidr:A.B.C.D/N, "*" and resource/LOGICAL_ID
                   (a bastion's SSH from one /32 passes PV2 when an intent declares it), and
                   apps/NAME, services/NAME for the pods of the manifests under DIR/k8s
  --format F       text (default), json, or sarif (SARIF 2.1.0 for code scanning)
  --output FILE    write the report to FILE instead of stdout (text goes to stdout too)
  --strict         also fail when a check is unknown (depends on an assumption)

exit codes: 0 every check holds, 1 a violation (or an unknown with --strict), 2 usage error`,
  options: {
    spec: { type: 'string' },
    intents: { type: 'string' },
    format: { type: 'string' },
    output: { type: 'string' },
    strict: { type: 'boolean' },
  },
  async run({ positionals, values, out }) {
    const format = (out.json ? 'json' : String(values.format ?? 'text')) as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format ${String(values.format)} is not one of ${FORMATS.join(', ')}.`);
    if (values.intents !== undefined && !existsSync(String(values.intents))) throw new UsageError(`--intents ${String(values.intents)} does not exist. Pass a YAML file with an intents: list.`);
    const input = await openAnalysisInput(positionals, { command: 'verify', spec: values.spec === undefined ? undefined : String(values.spec), env: envOf(values) });
    let report: VerifyReport;
    try {
      const loaded = withManifests(input);
      const declared = values.intents === undefined ? undefined : readIntentsFile(resolve(String(values.intents)), loaded.templates, workloadRefs(loaded.templates, loaded.k8s));
      report = verifyTemplates(loaded.templates, {
        plan: input.spec?.plan, intents: declared?.intents, k8s: loaded.k8s,
        locate: (path) => (input.spec && path[0] !== 'intents' ? input.spec.loaded.locate(path) : declared?.locate(path) ?? input.spec?.loaded.locate(path)),
      }, input.inputs);
    } finally {
      input.close();
    }

    const text = format === 'text' ? formatText(report)
      : format === 'json' ? `${JSON.stringify(report, null, 2)}\n`
        : `${JSON.stringify(formatSarif(report, allChecks()), null, 2)}\n`;
    if (values.output !== undefined) {
      writeFileSync(String(values.output), text);
      if (format !== 'text') out.info(`Wrote the ${format} report to ${String(values.output)}.`);
    }
    // A text report goes to stdout even with --output (see the help); json and sarif go to one place.
    if (values.output === undefined || format === 'text') process.stdout.write(text);
    const unknown = report.findings.some((f) => f.status === 'unknown');
    return report.ok && !(values.strict === true && unknown) ? 0 : EXIT_FAIL;
  },
};

/** `plinth synth` runs verify on what it wrote, with the spec's flows and intents. */
export function verifySynthesized(outdir: string, plan: Plan, locate: LoadedSpec['locate']): VerifyReport {
  return verify([outdir], { plan, locate });
}

/** The lines `plinth synth` prints: one line when everything holds, each finding in full otherwise. */
export function verificationSummary(report: VerifyReport): string {
  const failed = report.findings.filter((f) => f.status === 'violation' || f.status === 'unknown');
  // The count is of the checks that apply: an intent check applies once an intent uses its verb.
  const skipped = report.notApplicable.length > 0 ? ` Not applicable: ${report.notApplicable.map((c) => `${c.id} (${c.why})`).join(', ')}.` : '';
  const head = `plinth verify: ${report.checks.filter((c) => c.status === 'holds').length} of ${report.checks.length} checks hold`
    + `${failed.length ? `, ${failed.length} finding${failed.length === 1 ? '' : 's'}` : ''} (${Math.round(report.durationMs)} ms).${skipped}`;
  if (failed.length === 0) return head;
  return [head, ...failed.flatMap((f) => ['', ...findingLines(f)]), '', report.ok ? 'Run plinth verify for the assumptions.' : 'Fix the violations above, or run plinth synth --no-verify to write the templates anyway.'].join('\n');
}
