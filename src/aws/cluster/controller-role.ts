/**
 * A controller's Pod Identity role: trusted by the EKS Pod Identity service, holding its definition's
 * statements and managed policies, each wildcard resource acknowledged with the definition's reason
 * for it (a wildcard without one is an error).
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.js';
import type { ControllerDefinition } from './controller.js';
import { ControllerConfigError } from './controllers/errors.js';

export function controllerRole(scope: Construct, definition: ControllerDefinition): iam.Role {
  const role = new iam.Role(scope, 'Role', {
    description: `Pod Identity role of ${definition.name} (${definition.namespace}/${definition.serviceAccount})`,
    // Pod Identity assumes the role with session tags (cluster, namespace, service account).
    assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags(),
    managedPolicies: (definition.managedPolicies ?? []).map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    ...(definition.statements.length > 0
      ? { inlinePolicies: { Controller: new iam.PolicyDocument({ statements: [...definition.statements] }) } }
      : {}),
  });
  acknowledgeWildcards(role, definition);
  return role;
}

/**
 * Acknowledges each cdk-nag IAM5 finding of the controller's policy with the definition's reason for
 * that statement, naming the actions and the resource; a wildcard without a reason is an error, so a
 * new one cannot slip in unexplained. Resources are flattened the way cdk-nag names them
 * (`arn:<AWS::Partition>:ec2:*:*:security-group/*`).
 */
function acknowledgeWildcards(role: iam.Role, definition: ControllerDefinition): void {
  // resource → reason → actions, so each reason is stated once per finding.
  const uses = new Map<string, Map<string, string[]>>();
  for (const statement of definition.statements) {
    const json = Stack.of(role).resolve(statement.toStatementJson()) as { Sid?: string; Action: string | string[]; Resource?: unknown };
    const actions = ([] as string[]).concat(json.Action);
    const wildcardActions = actions.filter((a) => a.includes('*'));
    if (wildcardActions.length > 0) {
      throw new ControllerConfigError('E_WILDCARD_ACTION', `${definition.name} grants the wildcard action(s) ${wildcardActions.join(', ')}; name the actions instead.`);
    }
    for (const resource of ([] as unknown[]).concat(json.Resource ?? []).map(flattenForNag).filter((r) => r.includes('*'))) {
      const reason = definition.wildcardReasons?.[json.Sid ?? 'default'];
      if (!reason) {
        throw new ControllerConfigError('E_UNJUSTIFIED_WILDCARD', `${definition.name}'s statement ${json.Sid ?? '(no sid)'} grants ${actions.join(', ')} on ${resource} `
          + 'without a reason; scope it to named resources or add a wildcardReasons entry saying why it cannot be.');
      }
      const byReason = uses.get(resource) ?? new Map<string, string[]>();
      byReason.set(reason, [...(byReason.get(reason) ?? []), ...actions]);
      uses.set(resource, byReason);
    }
  }
  for (const [resource, byReason] of uses) {
    const why = [...byReason].map(([reason, actions]) => `${[...new Set(actions)].join(', ')} because ${reason}`).join(' And ');
    acknowledge(role, `AwsSolutions-IAM5[Resource::${resource}]`, `${definition.name} needs ${resource} for ${why}`);
  }
}

/** A resolved CloudFormation value as cdk-nag prints it in finding ids (its flattenCfnReference). */
function flattenForNag(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (Array.isArray(node['Fn::Join'])) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flattenForNag).join(delimiter);
    }
    if ('Fn::Sub' in node) return flattenForNag(node['Fn::Sub']);
    if (Array.isArray(node['Fn::GetAtt'])) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenForNag(resource)}.${flattenForNag(attribute)}>`;
    }
    if ('Fn::ImportValue' in node) return flattenForNag(node['Fn::ImportValue']);
    if ('Ref' in node) return `<${flattenForNag(node.Ref)}>`;
  }
  return JSON.stringify(value);
}
