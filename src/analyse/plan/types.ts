/**
 * The change between two versions of a platform's CloudFormation, as `plinth plan` reports it. Pure data:
 * no AWS call, no CDK construct; built from templates plinth wrote or CloudFormation returned.
 */

/** A CloudFormation template (JSON), as synthesized or as returned by GetTemplate. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResourceBody>;
  readonly Outputs?: Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>;
  readonly [key: string]: unknown;
}

export interface CfnResourceBody {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: string | readonly string[];
  readonly [key: string]: unknown;
}

/** One stack of an assembly. */
export interface PlanStack {
  /** The assembly's artifact id (`Network`, `Data`, ...). */
  readonly id: string;
  /** The deployed stack name (`nemo-prod-network`). */
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** Ids of the stacks this one is deployed after. */
  readonly dependsOn: readonly string[];
  /** Construct path (without the stack id) of each logical id, for messages and --allow-replace. */
  readonly paths: Readonly<Record<string, string>>;
  readonly terminationProtection?: boolean;
  readonly region?: string;
}

export type ResourceAction = 'add' | 'modify' | 'replace' | 'may-replace' | 'remove';

export interface ResourceChange {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  /** Construct path, e.g. `Data/Databases/main/Instance`; the key --allow-replace matches. */
  readonly path: string;
  readonly action: ResourceAction;
  /** Properties whose change causes the replacement (replace / may-replace). */
  readonly replacingProperties: readonly string[];
  /** What happens to the old resource's data: lost, kept (retained or snapshotted) or none (stateless). */
  readonly data: 'lost' | 'kept' | 'snapshot' | 'none';
  /** A stateful resource replaced (or possibly replaced) without an --allow-replace for it. */
  readonly refused: boolean;
  /** A modify that stops the resource for a while (e.g. an instance stopped and started for new user data), and why. */
  readonly interruption?: string;
}

export type RefusalCode =
  /** A replacement of a stateful resource that the user did not allow. */
  | 'STATEFUL_REPLACEMENT'
  /** A replacement of a resource with an explicit physical name: CloudFormation cannot create the new one. */
  | 'NAMED_REPLACEMENT'
  /** An export deleted while a stack still imports it, at some step of the deploy. */
  | 'EXPORT_IN_USE'
  /** An import of an export that no stack provides at that step. */
  | 'EXPORT_MISSING'
  /** A removed stack with termination protection. */
  | 'PROTECTED'
  /** A resource a failed first create would keep under a name the retry needs again. */
  | 'RETRY_COLLISION';

export interface Refusal {
  readonly code: RefusalCode;
  readonly stack: string;
  readonly message: string;
  /** What the user can do. */
  readonly fix: string;
}

/** One CloudFormation operation of a deploy, in order. */
export interface DeployStep {
  readonly stack: string;
  readonly stackName: string;
  readonly operation: 'deploy' | 'delete';
  /**
   * `transition`: the new template plus the resources and exports it removes, so consumers can stop
   * importing them before they go; `final`: the template as synthesized.
   */
  readonly template: 'transition' | 'final';
  readonly why: string;
}

/** A resource that destroy leaves in the account, and how to delete it by hand. */
export interface KeptResource {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly path: string;
  readonly policy: string;
  /** The physical name when the template fixes it (otherwise the stack's resource list has it). */
  readonly name: string | undefined;
  readonly deleteCommand: string;
}

export interface StackChange {
  readonly stack: string;
  readonly stackName: string;
  readonly status: 'create' | 'update' | 'delete' | 'unchanged';
  readonly resources: readonly ResourceChange[];
}

export interface ChangeReport {
  /** Stacks in the order deploy applies them (removed stacks last). */
  readonly stacks: readonly StackChange[];
  readonly steps: readonly DeployStep[];
  readonly refusals: readonly Refusal[];
  /** What `plinth destroy` would keep of the new version. */
  readonly kept: readonly KeptResource[];
  /** True when nothing needs the user's attention (no refusal). */
  readonly safe: boolean;
  /** Transition templates (stack id → template) that steps marked `transition` deploy. */
  readonly transitions: Readonly<Record<string, CfnTemplate>>;
}

export interface PlanOptions {
  /** Construct paths (or prefixes, case-insensitive) whose replacement the user accepts. */
  readonly allowReplace?: readonly string[];
}
