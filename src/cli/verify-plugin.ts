/**
 * plinth verify as a CDK policy-validation plugin: `cdk synth` (through cdk.json's
 * `plinth cdk-app`) runs it on the synthesized templates and fails on a violation, like cdk-nag.
 * It lives in cli/ because it joins aws-cdk-lib's plugin interface to analyse/, which never
 * imports aws-cdk-lib itself.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';
import { allChecks, verifyTemplates } from '../analyse/verify/index.js';
import { readTemplateFile } from '../analyse/input/templates.js';
import { readManifests } from '../analyse/model/k8s.js';
import type { Plan } from '../plan/types.js';

export interface VerifyPluginProps {
  /** The plan the app was built from: adds the spec's flows and intents to the built-in invariants. @default - invariants only */
  readonly plan?: Plan;
}

export class VerifyPlugin implements IPolicyValidationPluginBeta1 {
  public readonly name = 'plinth verify';
  public readonly version = '0.1.0';
  public readonly ruleIds = allChecks().map((c) => c.id);

  public constructor(private readonly props: VerifyPluginProps = {}) {}

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const templates = context.templatePaths.map(readTemplateFile);
    const k8sDir = context.templatePaths[0] ? join(dirname(context.templatePaths[0]), 'k8s') : undefined;
    const k8s = k8sDir && existsSync(k8sDir) ? readManifests(k8sDir) : undefined;
    const report = verifyTemplates(templates, { plan: this.props.plan, k8s });
    const fallbackTemplate = context.templatePaths[0] ?? '';
    return {
      success: report.ok,
      pluginVersion: this.version,
      violations: report.findings.map((f) => ({
        ruleName: `${f.ruleId} ${f.ruleName}`,
        description: [f.message, f.witness ? `witness: ${f.witness.packet} — ${f.witness.path}` : '', ...(f.witness?.hops.map((h) => `  ${h.step}: ${h.verdict.text}`) ?? [])]
          .filter((l) => l !== '').join('\n'),
        severity: f.status === 'unknown' ? 'info' : f.level,
        fix: allChecks().find((c) => c.id === f.ruleId)?.why,
        violatingResources: [{
          resourceLogicalId: f.resource?.logicalId ?? '(spec)',
          templatePath: f.resource && f.resource.stack !== 'k8s' ? f.resource.file : fallbackTemplate,
          locations: f.origin ? [f.origin.path.join('.')] : [],
        }],
      })),
    };
  }
}
