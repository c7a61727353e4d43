import { resolve } from 'node:path';
import { monthlyTotalLine } from '../../analyse/cost/index.js';
import type { SynthResult } from '../../aws/synth.js';
import { loadPlan } from '../../plan/load.js';
import type { Plan } from '../../plan/types.js';
import { formatDiagnostic } from '../../spec/diagnostics.js';
import { verificationSummary, verifySynthesized } from './verify.js';
import type { Output } from '../io.js';
import { EXIT_FAIL } from '../io.js';
import type { Command } from './index.js';
import { envOf, specArg } from './spec-arg.js';

export const synth: Command = {
  args: '[SPEC] [--out DIR] [--cfn-validate] [--no-verify]',
  summary: 'compile a spec into a CDK cloud assembly (CloudFormation templates)',
  help: `options:
  --out DIR        where to write the cloud assembly (default: cdk.out)
  --cfn-validate   also run aws-cdk-lib's CloudFormation validator (adds ~0.1-2 s)
  --no-verify      skip plinth verify (run by default on the synthesized templates)`,
  options: { out: { type: 'string' }, 'cfn-validate': { type: 'boolean' }, 'no-verify': { type: 'boolean' } },
  async run({ positionals, values, out }) {
    const { loaded, plan } = await loadPlan(specArg(positionals, 'synth'), envOf(values));
    const outdir = resolve(String(values.out ?? 'cdk.out'));
    const started = performance.now();
    // aws-cdk-lib takes ~1 s to load: only commands that synthesize pay for it.
    const { synthesizePlatform } = await import('../../aws/synth.js');
    const result = synthesizePlatform(plan, { outdir, cloudFormationValidation: values['cfn-validate'] === true });
    const seconds = (performance.now() - started) / 1000;
    const failures = blocking(result);
    const verification = values['no-verify'] === true ? undefined : verifySynthesized(outdir, plan, loaded.locate);
    const ok = failures.length === 0 && (verification?.ok ?? true);
    out.result({ ok, ...result, seconds, verify: verification, warnings: plan.warnings });
    printPlanWarnings(out, plan);
    report(out, result, seconds, failures);
    if (verification) out.info(verificationSummary(verification));
    if (!out.json) out.info(monthlyTotalLine(result.outdir));
    return ok ? 0 : EXIT_FAIL;
  },
};

/**
 * The spec's warnings (W_*: a principal that must exist before deploy, a support window ending, a
 * capacity short of the autoscaler's maximum, ...), located in the spec: what validate prints, so
 * synth and deploy do not hide what the spec itself is warned about.
 */
export function printPlanWarnings(out: Output, plan: Pick<Plan, 'warnings'>): void {
  if (plan.warnings.length === 0) return;
  for (const w of plan.warnings) out.error(formatDiagnostic(w, 'warning'));
  out.error(`${plan.warnings.length} spec warning${plan.warnings.length === 1 ? '' : 's'} (not blocking).\n`);
}

/** Unacknowledged cdk-nag errors and CloudFormation validator errors fail the synth. */
export function blocking(result: SynthResult) {
  return result.findings.filter((f) => f.severity === 'error' || f.severity === 'fatal');
}

function report(out: Output, result: SynthResult, seconds: number, failures: ReturnType<typeof blocking>): void {
  out.info(`Synthesized ${result.stacks.length} stack${result.stacks.length === 1 ? '' : 's'} into ${result.outdir} in ${seconds.toFixed(1)} s:`);
  for (const s of result.stacks) {
    out.info(`  ${s.stackName.padEnd(28)} ${String(s.resourceCount).padStart(4)} resources  ${s.templateFile}${s.terminationProtection ? '  (termination protection)' : ''}`);
  }
  if (result.manifests) {
    out.info(`  ${'Kubernetes manifests'.padEnd(28)} ${String(result.manifests.objectCount).padStart(4)} objects    ${result.manifests.directory} (${result.manifests.files.length} files, schema-checked)`);
  }
  const warnings = result.findings.filter((f) => f.severity === 'warning');
  for (const f of [...failures, ...warnings]) {
    out.error(`${f.severity} ${f.rule} (${f.plugin}): ${f.description}\n  at ${f.constructPaths.join('\n  at ')}`);
  }
  out.info(`cdk-nag AwsSolutions: ${result.findings.filter((f) => f.plugin === 'AwsSolutions' && f.severity === 'error').length} unacknowledged errors, `
    + `${result.acknowledgements.length} acknowledged with reasons.`);
}
