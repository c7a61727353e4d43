/**
 * The order of CloudFormation operations that takes the deployed stacks to the new ones without
 * CloudFormation refusing an export still in use, and a replay of those operations that proves it.
 *
 * Stacks reference each other through exports (strong references), which keep a producer's security
 * group or subnet from being deleted while a consumer uses it. Their cost is the "deadly embrace": an
 * export cannot be deleted while another stack imports it, so removing `servers.jenkins` (its group is
 * exported by the network stack, imported by compute) fails when the network stack goes first. plinth
 * deploys in two passes when (and only when) a change removes an export that a deployed stack imports:
 *
 *   1. in dependency order, every stack; a stack that removes an export still imported gets a
 *      *transition* template: the new template plus the resources and outputs it removes, unchanged;
 *   2. stacks the new version drops are deleted, consumers first;
 *   3. in reverse dependency order, each transitioned stack gets its final template.
 *
 * This is the procedure the aws-cdk-lib README ("The deadly embrace") describes, done by plinth.
 */
import { exportedValues, importedNames } from './exports.js';
import type { CfnResourceBody, CfnTemplate, DeployStep, PlanStack, Refusal } from './types.js';

export interface Steps {
  readonly steps: readonly DeployStep[];
  /** Transition templates by stack id (only for stacks that need one). */
  readonly transitions: Readonly<Record<string, CfnTemplate>>;
}

/** Stacks in dependency order (producers first); ties keep the given order. */
export function deployOrder(stacks: readonly PlanStack[]): PlanStack[] {
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const done = new Set<string>();
  const out: PlanStack[] = [];
  const visit = (s: PlanStack, path: ReadonlySet<string>) => {
    if (done.has(s.id) || path.has(s.id)) return;
    for (const d of s.dependsOn) {
      const dep = byId.get(d);
      if (dep) visit(dep, new Set([...path, s.id]));
    }
    done.add(s.id);
    out.push(s);
  };
  for (const s of stacks) visit(s, new Set());
  return out;
}

/** The new template plus the resources and outputs the old one had and the new one drops. */
export function transitionTemplate(before: CfnTemplate, after: CfnTemplate): CfnTemplate {
  const resources: Record<string, CfnResourceBody> = { ...(after.Resources ?? {}) };
  for (const [id, r] of Object.entries(before.Resources ?? {})) if (!(id in resources)) resources[id] = r;
  const outputs = { ...(after.Outputs ?? {}) };
  const newExports = new Set(Object.keys(exportedValues(after)));
  for (const [id, o] of Object.entries(before.Outputs ?? {})) {
    const name = typeof o.Export?.Name === 'string' ? o.Export.Name : undefined;
    if (!(id in outputs) && !(name && newExports.has(name))) outputs[id] = o;
  }
  return { ...after, Resources: resources, Outputs: outputs };
}

export function planSteps(before: readonly PlanStack[], after: readonly PlanStack[]): Steps {
  const oldById = new Map(before.map((s) => [s.id, s]));
  const newIds = new Set(after.map((s) => s.id));
  const ordered = deployOrder(after);
  const transitions: Record<string, CfnTemplate> = {};
  for (const s of ordered) {
    const old = oldById.get(s.id);
    if (!old) continue;
    const dropped = Object.keys(exportedValues(old.template)).filter((name) => !(name in exportedValues(s.template)));
    const stillImported = dropped.filter((name) => before.some((o) => o.id !== s.id && importedNames(o.template).has(name)));
    if (stillImported.length > 0) transitions[s.id] = transitionTemplate(old.template, s.template);
  }
  const steps: DeployStep[] = [];
  for (const s of ordered) {
    const t = transitions[s.id];
    steps.push({
      stack: s.id, stackName: s.stackName, operation: 'deploy', template: t ? 'transition' : 'final',
      why: t ? 'keeps the exports other stacks still import until they stop' : oldById.has(s.id) ? 'update' : 'create',
    });
  }
  for (const s of deployOrder(before).reverse()) {
    if (!newIds.has(s.id)) steps.push({ stack: s.id, stackName: s.stackName, operation: 'delete', template: 'final', why: 'no longer in the spec' });
  }
  for (const s of [...ordered].reverse()) {
    if (transitions[s.id]) steps.push({ stack: s.id, stackName: s.stackName, operation: 'deploy', template: 'final', why: 'removes what nothing imports any more' });
  }
  return { steps, transitions };
}

/**
 * Replays the steps on the deployed templates and reports every operation CloudFormation would refuse:
 * deleting or changing an export another stack imports, importing an export nobody provides, deleting
 * a termination-protected stack. `replaced` lists logical ids (per stack) whose physical id changes, so
 * an export of such a resource changes value.
 */
export function replay(
  before: readonly PlanStack[], after: readonly PlanStack[], steps: Steps, replaced: Readonly<Record<string, ReadonlySet<string>>>,
): Refusal[] {
  const state = new Map<string, CfnTemplate>(before.map((s) => [s.id, s.template]));
  const newById = new Map(after.map((s) => [s.id, s]));
  const oldById = new Map(before.map((s) => [s.id, s]));
  const refusals: Refusal[] = [];
  const importers = (name: string, except: string) => [...state].filter(([id, t]) => id !== except && importedNames(t).has(name)).map(([id]) => id);
  for (const step of steps.steps) {
    const current = state.get(step.stack);
    if (step.operation === 'delete') {
      if (oldById.get(step.stack)?.terminationProtection) {
        refusals.push({ code: 'PROTECTED', stack: step.stack, message: `${step.stackName} has termination protection and cannot be deleted`, fix: `aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name ${step.stackName}` });
      }
      for (const name of Object.keys(exportedValues(current ?? {}))) {
        for (const user of importers(name, step.stack)) refusals.push(exportInUse(step.stack, name, user, 'deleted with its stack'));
      }
      state.delete(step.stack);
      continue;
    }
    const next = step.template === 'transition' ? steps.transitions[step.stack]! : newById.get(step.stack)!.template;
    const oldExports = exportedValues(current ?? {});
    const newExports = exportedValues(next);
    for (const [name, value] of Object.entries(oldExports)) {
      const users = importers(name, step.stack);
      if (users.length === 0) continue;
      if (!(name in newExports)) for (const u of users) refusals.push(exportInUse(step.stack, name, u, 'removed'));
      else if (JSON.stringify(newExports[name]) !== JSON.stringify(value) || refersTo(value, replaced[step.stack])) {
        for (const u of users) refusals.push(exportInUse(step.stack, name, u, 'changed (its resource is replaced or its value differs)'));
      }
    }
    for (const name of importedNames(next)) {
      const provided = [...state].some(([id, t]) => id !== step.stack && name in exportedValues(t));
      if (!provided) {
        refusals.push({ code: 'EXPORT_MISSING', stack: step.stack, message: `${step.stackName} imports ${name}, which no deployed stack exports at that point`, fix: 'deploy the producing stack first (plinth deploy orders stacks by their dependencies)' });
      }
    }
    state.set(step.stack, next);
  }
  return refusals;
}

function exportInUse(stack: string, name: string, user: string, what: string): Refusal {
  return {
    code: 'EXPORT_IN_USE', stack,
    message: `export ${name} of ${stack} would be ${what} while ${user} imports it`,
    fix: `change ${user} so it no longer uses it first (deploy it alone), or keep the exporting resource in this change`,
  };
}

function refersTo(value: unknown, ids: ReadonlySet<string> | undefined): boolean {
  if (!ids || ids.size === 0) return false;
  const text = JSON.stringify(value);
  return [...ids].some((id) => text.includes(`"Ref":"${id}"`) || text.includes(`["${id}",`));
}
