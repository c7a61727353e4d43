/**
 * Posture rules: one rule, one file, one pure function over the templates' resources (cdk-nag's
 * shape), run by default on any template. Where reachability rules ask "who can reach what", these
 * ask what a security reviewer checks first: metadata service, encryption at rest, data that a stack
 * deletion would destroy, public buckets, plain-HTTP listeners, mutable image tags, wildcard IAM.
 * A value the templates cannot resolve is reported "unknown" with its reason, never passed.
 */
import type { ResourceRef } from '../../model/assumptions.js';
import { Unknown, type StackResource } from '../../model/resolve.js';
import type { TemplateResources } from '../../model/resources.js';
import type { Finding, Level } from '../findings.js';

export interface PostureRule {
  /** Stable id, e.g. `PS1`. */
  readonly id: string;
  /** The rule's name, which is its file's name. */
  readonly name: string;
  readonly level: Level;
  readonly cause: string;
  readonly why: string;
  check(resources: TemplateResources): Finding[];
}

/** A violation, or "unknown" when the deciding value is an Unknown. */
export function postureFinding(rule: Pick<PostureRule, 'id' | 'name' | 'level'>, r: StackResource, message: string, unknown?: Unknown): Finding {
  return {
    ruleId: rule.id, ruleName: rule.name, level: rule.level,
    status: unknown ? 'unknown' : 'violation',
    message: unknown ? `${message} (cannot be decided from the template: ${unknown.reason})` : message,
    resource: r.ref satisfies ResourceRef,
    assumptions: [],
  };
}

export function nameOf(r: StackResource): string {
  return `${r.ref.stack}/${r.logicalId}`;
}

/** The DeletionPolicy CloudFormation applies: as written, else its documented default for the type. */
export function deletionPolicyOf(r: StackResource, resources: TemplateResources): string | Unknown {
  const written = r.body.DeletionPolicy;
  if (written !== undefined) {
    const v = resources.resolve(r, written);
    return typeof v === 'string' ? v : new Unknown('DeletionPolicy is computed');
  }
  // "The default policy is Snapshot for AWS::RDS::DBCluster resources and for AWS::RDS::DBInstance resources
  // that don't specify the DBClusterIdentifier property" (CloudFormation, DeletionPolicy attribute).
  if (r.body.Type === 'AWS::RDS::DBCluster') return 'Snapshot';
  if (r.body.Type === 'AWS::RDS::DBInstance' && r.body.Properties?.DBClusterIdentifier === undefined) return 'Snapshot';
  return 'Delete';
}
