/**
 * `plinth plan`'s CloudFormation section: what a deploy of `after` over `before` adds, modifies,
 * replaces and removes, stack by stack in deploy order; which of those lose data; what CloudFormation
 * would refuse; and what destroy would keep. Pure: templates in, a ChangeReport out.
 */
import { diffStack } from './changes.js';
import { keptByDestroy } from './keep.js';
import { blocksRetry } from './resources.js';
import { deployOrder, planSteps, replay } from './steps.js';
import type { ChangeReport, PlanOptions, PlanStack, Refusal, StackChange } from './types.js';

export type * from './types.js';
export { deployOrder, planSteps, transitionTemplate } from './steps.js';
export { keptByDestroy } from './keep.js';
export { blocksRetry, physicalName, STATEFUL_TYPES } from './resources.js';

export function planChanges(before: readonly PlanStack[], after: readonly PlanStack[], options: PlanOptions = {}): ChangeReport {
  const allowReplace = options.allowReplace ?? [];
  const oldById = new Map(before.map((s) => [s.id, s]));
  const newIds = new Set(after.map((s) => s.id));
  const stacks: StackChange[] = [];
  const refusals: Refusal[] = [];
  const replaced: Record<string, Set<string>> = {};
  const ordered = [...deployOrder(after), ...deployOrder(before).filter((s) => !newIds.has(s.id)).reverse()];
  for (const s of ordered) {
    const old = oldById.get(s.id);
    const isNew = newIds.has(s.id);
    const diff = diffStack({
      stack: s.id, before: old?.template, after: isNew ? s.template : undefined,
      paths: { ...(old?.paths ?? {}), ...(isNew ? s.paths : {}) }, allowReplace,
    });
    replaced[s.id] = new Set(diff.resources.filter((r) => r.action === 'replace').map((r) => r.logicalId));
    refusals.push(...diff.refusals);
    const status = !old ? 'create' : !isNew ? 'delete' : diff.resources.length > 0 ? 'update' : 'unchanged';
    stacks.push({ stack: s.id, stackName: s.stackName, status, resources: diff.resources });
  }
  const steps = planSteps(before, after);
  refusals.push(...replay(before, after, steps, replaced));
  for (const s of after) {
    for (const [id, r] of Object.entries(s.template.Resources ?? {})) {
      const name = blocksRetry(r);
      if (name !== undefined) {
        refusals.push({
          code: 'RETRY_COLLISION', stack: s.id,
          message: `${s.paths[id] ?? id} is named "${name}" with DeletionPolicy Retain: a failed first create would keep it and the retry would collide with it`,
          fix: 'use RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (DeletionPolicy RetainExceptOnCreate)',
        });
      }
    }
  }
  return { stacks, steps: steps.steps, refusals, kept: keptByDestroy(after, after[0]?.region), safe: refusals.length === 0, transitions: steps.transitions };
}
export { changeReportSection } from './format.js';
export type { PlanSection } from './section.js';
export { readPlanAssembly, AssemblyReadError } from './assembly.js';
export { waitsFor } from './waits.js';
