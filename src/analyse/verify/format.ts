/**
 * The report in three forms: text for people (default), JSON for scripts, and SARIF 2.1.0 for
 * code-scanning UIs (GitHub, GitLab, Azure DevOps), where each finding points at the template
 * resource (or the spec line) and carries its witness path as a code flow.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Hop } from '../model/engine/component.js';
import type { Finding, VerifyReport } from './findings.js';
import { formatLocation } from '../../spec/diagnostics.js';

const MARK = { violation: '✗', unknown: '?', holds: '✓' } as const;

function hopLines(hops: readonly Hop[], indent: string): string[] {
  const out: string[] = [];
  hops.forEach((h, i) => {
    const mark = h.verdict.allows === true ? ' ' : h.verdict.allows === false ? '✗' : '?';
    const where = h.verdict.resource ? `  [${h.verdict.resource.logicalId}]` : '';
    out.push(`${indent}${String(i + 1).padStart(2)}. ${mark} ${h.step.padEnd(26)} ${h.verdict.text}${where}`);
    if (h.verdict.inner) out.push(...hopLines(h.verdict.inner, `${indent}      `));
  });
  return out;
}

export function findingLines(f: Finding): string[] {
  const lines = [`${MARK[f.status]} ${f.ruleId} ${f.ruleName} (${f.status === 'unknown' ? 'unknown' : f.level})`, `  ${f.message}`];
  if (f.origin?.location) lines.push(`  declared at ${formatLocation(f.origin.location)}`);
  if (f.resource) lines.push(`  at ${f.resource.logicalId} (${f.resource.type}) in ${displayPath(f.resource.file)}`);
  if (f.witness) {
    lines.push(`  witness: ${f.witness.packet} — ${f.witness.path}`);
    if (f.witness.packets) lines.push(`  (all that gets through: ${f.witness.packets})`);
    lines.push(...hopLines(f.witness.hops, '    '));
  }
  if (f.blocked) {
    lines.push(`  blocked: ${f.blocked.packet}, from ${f.blocked.from} to ${f.blocked.to}; every component that stops it:`);
    for (const p of f.blocked.paths) {
      lines.push(`    on ${p.path}:`);
      for (const b of p.blockers) lines.push(`      ${b.allows === false ? '✗' : '?'} ${b.text}${b.resource ? `  [${b.resource.logicalId}]` : ''}`);
    }
  }
  if (f.assumptions.length > 0) lines.push(`  depends on assumptions ${f.assumptions.join(', ')}`);
  return lines;
}

export function formatText(report: VerifyReport): string {
  const m = report.model;
  const lines = [
    `plinth verify: ${report.inputs.map(displayPath).join(', ')}`,
    `model: ${m.vpcs} VPC${m.vpcs === 1 ? '' : 's'}, ${m.subnets} subnets, ${m.securityGroups} security groups, ${m.classes} interface classes (${m.interfaces} interfaces), verified in ${Math.round(report.durationMs)} ms`,
    '',
  ];
  for (const check of report.checks) {
    const found = report.findings.filter((f) => f.ruleId === check.id);
    if (found.length === 0) {
      lines.push(`${MARK.holds} ${check.id} ${check.name}`);
      continue;
    }
    for (const f of found) lines.push(...findingLines(f), '');
  }
  for (const c of report.notApplicable) lines.push(`– ${c.id} ${c.name}: not applicable, ${c.why}`);
  const referenced = new Set(report.findings.flatMap((f) => f.assumptions));
  if (report.assumptions.length > 0) {
    lines.push('', 'assumptions (what verify could not know from the templates):');
    for (const a of report.assumptions) {
      lines.push(`  ${a.id}${referenced.has(a.id) ? '*' : ' '} ${a.text}${a.resource ? ` [${a.resource.logicalId} in ${a.resource.stack}]` : ''}`);
    }
  }
  const violations = report.findings.filter((f) => f.status === 'violation' && f.level === 'error').length;
  const warnings = report.findings.filter((f) => f.status === 'violation' && f.level === 'warning').length;
  const unknown = report.findings.filter((f) => f.status === 'unknown').length;
  const holds = report.checks.filter((c) => c.status === 'holds').length;
  lines.push('', `${report.ok ? 'ok' : 'FAILED'}: ${violations} violation${violations === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${unknown} unknown, ${holds} of ${report.checks.length} checks hold.`);
  return `${lines.join('\n')}\n`;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

// ---------------------------------------------------------------------------------------------
// SARIF 2.1.0

export interface SarifRuleInfo {
  readonly id: string;
  readonly name: string;
  readonly level: 'error' | 'warning';
  readonly cause: string;
  readonly why: string;
}

const lineCache = new Map<string, string[]>();

/** The 1-based line where a template defines a logical id (`"Id": {` or `Id:`), if found. */
function lineOf(file: string, logicalId: string): number | undefined {
  let lines = lineCache.get(file);
  if (!lines) {
    try {
      lines = readFileSync(file, 'utf8').split('\n');
    } catch {
      lines = [];
    }
    lineCache.set(file, lines);
  }
  const json = `"${logicalId}":`;
  const yaml = new RegExp(`^\\s{1,4}${logicalId.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:`);
  const i = lines.findIndex((l) => l.includes(json) || yaml.test(l));
  return i === -1 ? undefined : i + 1;
}

export function formatSarif(report: VerifyReport, rules: readonly SarifRuleInfo[], baseDir = process.cwd()): object {
  const uri = (file: string) => relative(baseDir, file).split('\\').join('/') || file;
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'plinth verify',
          version: '0.1.0',
          informationUri: 'https://github.com/plinth/plinth/blob/main/docs/verify.md',
          rules: rules.map((r) => ({
            id: r.id, name: r.name,
            shortDescription: { text: r.cause },
            fullDescription: { text: `${r.cause} ${r.why}` },
            help: { text: r.why, markdown: `**${r.name}** (${r.id})\n\n${r.cause}\n\n${r.why}` },
            defaultConfiguration: { level: r.level },
          })),
        },
      },
      results: report.findings.map((f) => {
        const locations = [];
        if (f.origin?.location?.line !== undefined) {
          locations.push({ physicalLocation: { artifactLocation: { uri: uri(f.origin.location.file) }, region: { startLine: f.origin.location.line, startColumn: f.origin.location.column ?? 1 } } });
        } else if (f.resource && f.resource.stack !== 'k8s') {
          const line = lineOf(f.resource.file, f.resource.logicalId);
          locations.push({
            physicalLocation: { artifactLocation: { uri: uri(f.resource.file) }, ...(line ? { region: { startLine: line } } : {}) },
            logicalLocations: [{ name: f.resource.logicalId, fullyQualifiedName: `${f.resource.stack}/${f.resource.logicalId}`, kind: 'resource' }],
          });
        } else if (f.resource) {
          locations.push({ physicalLocation: { artifactLocation: { uri: uri(f.resource.file) } }, logicalLocations: [{ name: f.resource.logicalId, kind: 'resource' }] });
        }
        const hops = f.witness?.hops ?? [];
        return {
          ruleId: f.ruleId,
          ruleIndex: ruleIndex.get(f.ruleId) ?? 0,
          level: f.status === 'unknown' ? 'note' : f.level,
          message: { text: f.message },
          locations,
          ...(hops.length > 0 ? {
            codeFlows: [{
              message: { text: `${f.witness!.packet}: ${f.witness!.path}` },
              threadFlows: [{ locations: hops.map((h) => ({ location: { message: { text: `${h.step}: ${h.verdict.text}` } } })) }],
            }],
          } : {}),
          properties: {
            status: f.status,
            assumptions: f.assumptions,
            ...(f.blocked ? { blocked: f.blocked.paths.map((p) => ({ path: p.path, blockers: p.blockers.map((b) => b.text) })) } : {}),
          },
          partialFingerprints: { plinthFinding: fingerprint(f) },
        };
      }),
      properties: { assumptions: report.assumptions.map((a) => `${a.id}: ${a.text}`) },
    }],
  };
}

/** Stable across runs for the same finding, so code scanning tracks it instead of reopening it. */
function fingerprint(f: Finding): string {
  const text = `${f.ruleId}|${f.resource?.stack ?? ''}/${f.resource?.logicalId ?? ''}|${f.origin?.text ?? ''}|${f.message.replace(/\d+ ms/g, '')}`;
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16);
}
