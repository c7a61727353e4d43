/**
 * The CloudFormation side of `plinth plan` and `plinth deploy`: which assembly counts as deployed,
 * the --allow-replace values, and printing the CloudFormation section on its own (deploy's refusal).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PlanSection } from '../../analyse/plan/index.js';
import type { Output } from '../io.js';

/** Where `plinth deploy` keeps a copy of the assembly it deployed last, next to the output DIR. */
export const deployedCopy = (outdir: string) => `${resolve(outdir)}.deployed`;

/** The assembly a plan compares with by default: what deploy last deployed, else the last synth. */
export function previousAssembly(outdir = 'cdk.out'): string | undefined {
  return [deployedCopy(outdir), resolve(outdir)].find((d) => existsSync(join(d, 'manifest.json')));
}

export function allowReplaceOf(value: unknown): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
}

export function printSections(out: Output, sections: readonly PlanSection[]): void {
  for (const s of sections) out.info([`== ${s.title}${s.attention ? ' (needs attention)' : ''}`, ...s.text, ''].join('\n'));
}
