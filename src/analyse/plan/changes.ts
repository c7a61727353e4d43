/**
 * Resource changes of one stack. Which property changes replace a resource comes from
 * `@aws-cdk/cloudformation-diff` (what `cdk diff` uses), which reads the CloudFormation resource
 * specification's update behaviour per property: no hand-written replacement table.
 */
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { interruption } from './interruptions.js';
import { keptOnDelete, physicalName, STATEFUL_TYPES } from './resources.js';
import type { CfnResourceBody, CfnTemplate, Refusal, ResourceAction, ResourceChange } from './types.js';

export interface StackDiffInput {
  readonly stack: string;
  readonly before: CfnTemplate | undefined;
  readonly after: CfnTemplate | undefined;
  readonly paths: Readonly<Record<string, string>>;
  readonly allowReplace: readonly string[];
}

export interface StackDiff {
  readonly resources: readonly ResourceChange[];
  readonly refusals: readonly Refusal[];
}

const ACTION: Partial<Record<ResourceImpact, ResourceAction>> = {
  [ResourceImpact.WILL_CREATE]: 'add',
  [ResourceImpact.WILL_UPDATE]: 'modify',
  [ResourceImpact.WILL_REPLACE]: 'replace',
  [ResourceImpact.MAY_REPLACE]: 'may-replace',
  [ResourceImpact.WILL_DESTROY]: 'remove',
  [ResourceImpact.WILL_ORPHAN]: 'remove',
};

/** `--allow-replace Data/Databases/main` allows every resource under that construct path. */
export function allowed(path: string, allowReplace: readonly string[]): boolean {
  const p = path.toLowerCase();
  return allowReplace.some((a) => {
    const prefix = a.toLowerCase().replace(/^\/+|\/+$/g, '');
    return p === prefix || p.startsWith(`${prefix}/`);
  });
}

export function diffStack(input: StackDiffInput): StackDiff {
  const diff = fullDiff(input.before ?? {}, input.after ?? {});
  const resources: ResourceChange[] = [];
  const refusals: Refusal[] = [];
  for (const [logicalId, change] of Object.entries(diff.resources.changes)) {
    if (!change.isDifferent) continue;
    // A type the specification does not know (a custom resource such as the EKS manifest handler's
    // Custom::AWSCDK-EKS-KubernetesResource) gets NO_CHANGE for every property change: cloudformation-diff
    // rates properties only from the specification. CloudFormation still sends the handler an Update.
    let action = ACTION[change.changeImpact] ?? (change.changeImpact === ResourceImpact.NO_CHANGE && change.isUpdate ? 'modify' : undefined);
    if (!action) continue;
    const old = change.oldValue as CfnResourceBody | undefined;
    const type = (change.newValue ?? change.oldValue)!.Type;
    const path = input.paths[logicalId] ?? logicalId;
    const stateful = STATEFUL_TYPES.has(type);
    let replacingProperties = action === 'replace' || action === 'may-replace'
      ? Object.entries(change.propertyUpdates)
        .filter(([, p]) => p.changeImpact === ResourceImpact.WILL_REPLACE || p.changeImpact === ResourceImpact.MAY_REPLACE)
        .map(([k]) => k)
      : [];
    // A "may replace" that the resource reference documents as an interruption (see interruptions.ts).
    const interrupts = action === 'may-replace' ? interruption(type, replacingProperties) : undefined;
    if (interrupts !== undefined) {
      action = 'modify';
      replacingProperties = [];
    }
    const replacing = action === 'replace' || action === 'may-replace';
    const refused = replacing && stateful && !allowed(path, input.allowReplace);
    resources.push({
      stack: input.stack, logicalId, type, path, action, replacingProperties, refused,
      data: dataOutcome(action, stateful, old),
      ...(interrupts !== undefined ? { interruption: interrupts } : {}),
    });
    if (refused) {
      refusals.push({
        code: 'STATEFUL_REPLACEMENT',
        stack: input.stack,
        message: `${path} (${type}) would be ${action === 'replace' ? 'replaced' : 'possibly replaced'} because ${replacingProperties.join(', ') || 'its properties'} changed: the new one starts empty`,
        fix: `undo that change, or accept a new empty ${type.split('::')[2]} with --allow-replace ${path}`,
      });
    }
    const name = replacing && old ? physicalName(old) : undefined;
    if (name !== undefined && physicalName((change.newValue as CfnResourceBody | undefined) ?? old!) === name) {
      refusals.push({
        code: 'NAMED_REPLACEMENT',
        stack: input.stack,
        message: `${path} (${type}) is named "${name}" and would be replaced: CloudFormation cannot create the new one while the old one holds the name`,
        fix: 'undo the change that replaces it, or rename it in the same change',
      });
    }
  }
  return { resources, refusals };
}

function dataOutcome(action: ResourceAction, stateful: boolean, old: CfnResourceBody | undefined): ResourceChange['data'] {
  if (!stateful || action === 'add' || action === 'modify' || !old) return 'none';
  // A replacement deletes the old resource unless UpdateReplacePolicy keeps it; a removal follows DeletionPolicy.
  const policy = action === 'remove' ? old.DeletionPolicy : old.UpdateReplacePolicy;
  const outcome = keptOnDelete({ ...old, DeletionPolicy: policy });
  return outcome === 'deleted' ? 'lost' : outcome === 'kept' ? 'kept' : 'snapshot';
}
