/** Registry from its narrow props: a few repository plans in a bare stack, no Plan. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Registry } from '../../../src/aws/registry.js';
import { bareStack } from './bare.js';
import type { RepositoryPlan } from '../../../src/plan/types.js';

const repo = (name: string, extra: Partial<RepositoryPlan> = {}): RepositoryPlan => ({
  name, existing: false, keep: undefined, untaggedExpireDays: 14, mutableTags: false, scanOnPush: true, removal: 'retain', ...extra,
});

describe('Registry', () => {
  it('GIVEN a new and an existing repository WHEN synthesized THEN only the new one is created, immutable, kept, with its lifecycle rules', () => {
    const stack = bareStack('Data');
    const registry = new Registry(stack, 'Registry', {
      repositories: [repo('api', { keep: { tagPattern: 'release-*', newest: 5 } }), repo('legacy', { existing: true })],
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ECR::Repository', 1);
    template.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: {
        RepositoryName: 'api',
        ImageTagMutability: 'IMMUTABLE',
        LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('release-\\*') },
      },
    });
    expect(stack.resolve(registry.repositories.legacy!.repositoryName)).toBe('legacy');
  });

  it('GIVEN removal: destroy and mutable tags THEN the repository is deleted with the stack and its tags may move', () => {
    const stack = bareStack('Data');
    new Registry(stack, 'Registry', { repositories: [repo('scratch', { removal: 'destroy', mutableTags: true })] });
    Template.fromStack(stack).hasResource('AWS::ECR::Repository', { DeletionPolicy: 'Delete', Properties: { ImageTagMutability: 'MUTABLE' } });
  });

  it('GIVEN no repositories THEN nothing', () => {
    const stack = bareStack('Data');
    new Registry(stack, 'Registry');
    Template.fromStack(stack).resourceCountIs('AWS::ECR::Repository', 0);
  });
});
