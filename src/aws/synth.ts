/**
 * Synthesis: plan → cloud assembly on disk, plus what the validation plugins (cdk-nag, and
 * optionally aws-cdk-lib's CloudFormation validator) found and what was acknowledged, and why.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Plan } from '../plan/types.js';
import { UsageError } from '../spec/load.js';
import { writeManifests, type WrittenManifests } from '../k8s/write.js';
import { buildPlatformApp, type PlatformAppOptions } from './app.js';

export interface ValidationFinding {
  /** `AwsSolutions` or `CloudFormation Validate`. */
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly description: string;
  readonly constructPaths: readonly string[];
}

export interface Acknowledgement {
  readonly rule: string;
  readonly reason: string;
  readonly constructPath: string;
}

export interface StackSummary {
  readonly id: string;
  readonly stackName: string;
  readonly templateFile: string;
  readonly resourceCount: number;
  readonly terminationProtection: boolean;
}

export interface SynthResult {
  readonly outdir: string;
  readonly stacks: readonly StackSummary[];
  readonly findings: readonly ValidationFinding[];
  readonly acknowledgements: readonly Acknowledgement[];
  /** Kubernetes manifests written under <outdir>/k8s (apps and services); undefined without workloads. */
  readonly manifests: WrittenManifests | undefined;
}

export interface SynthOptions extends PlatformAppOptions {
  readonly outdir: string;
  /**
   * Schema-check the Kubernetes manifests before writing them (synth, deploy). The analyses of a spec
   * (cost, verify, diagram, plan) read the files, not the checks, and skip it. @default true
   */
  readonly manifestCheck?: boolean;
}

/** Files that mark a directory as a cloud assembly plinth may replace. */
const ASSEMBLY_MARKERS = ['manifest.json', 'cdk.out'];

export function synthesizePlatform(plan: Plan, options: SynthOptions): SynthResult {
  prepareOutdir(options.outdir);
  const stacks = buildPlatformApp(plan, options);
  const assembly = stacks.app.synth();
  return {
    outdir: options.outdir,
    stacks: assembly.stacks.map((s) => ({
      id: s.id,
      stackName: s.stackName,
      templateFile: s.templateFile,
      resourceCount: Object.keys((s.template as { Resources?: object }).Resources ?? {}).length,
      terminationProtection: s.terminationProtection ?? false,
    })),
    findings: readFindings(options.outdir),
    acknowledgements: collectAcknowledgements(stacks.app),
    manifests: writeManifests(plan, options.outdir, { validate: options.manifestCheck ?? true }),
  };
}

/**
 * Synthesis writes into the directory without removing old files, so a stack dropped from the spec
 * would linger. Replace an earlier assembly; refuse to touch a directory that holds anything else.
 */
function prepareOutdir(outdir: string): void {
  if (existsSync(outdir)) {
    const entries = readdirSync(outdir);
    if (entries.length > 0 && !ASSEMBLY_MARKERS.some((m) => entries.includes(m))) {
      throw new OutdirNotAssemblyError(outdir);
    }
    rmSync(outdir, { recursive: true, force: true });
  }
  mkdirSync(outdir, { recursive: true });
}

/** The output directory holds something other than an earlier assembly: a usage error (exit 2). */
export class OutdirNotAssemblyError extends UsageError {
  public constructor(public readonly outdir: string) {
    super(`${outdir} exists and is not a cloud assembly; plinth will not overwrite it. Choose another --out directory or remove it.`);
  }
}

interface Report {
  pluginReports?: { pluginName: string; violations: { ruleName: string; description: string; severity: string; violatingConstructs?: { constructPath?: string }[] }[] }[];
}

function readFindings(outdir: string): ValidationFinding[] {
  const file = join(outdir, 'validation-report.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  return (report.pluginReports ?? []).flatMap((p) => p.violations.map((v) => ({
    plugin: p.pluginName,
    rule: v.ruleName,
    severity: v.severity,
    description: v.description,
    constructPaths: (v.violatingConstructs ?? []).map((c) => c.constructPath ?? '(unknown)'),
  })));
}

/** Acknowledgements are stored as construct metadata: `{ "Annotation::AwsSolutions-S1": "reason" }`. */
function collectAcknowledgements(root: IConstruct): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        out.push({ rule: key.slice(key.indexOf('::') + 2), reason: String(reason), constructPath: c.node.path });
      }
    }
  }
  return out;
}
