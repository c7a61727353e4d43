/**
 * Container repositories of the plan. Repository names are the plan's names exactly (`backend`,
 * `frontend`), because build pipelines push to them by name. Tags are immutable by default so a
 * deployed tag always means the same image. An existing repository is only referenced by name
 * (`Repository.fromRepositoryName`, no look-up): nothing in the templates creates or deletes it.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import type { RepositoryPlan } from '../plan/types.js';

export interface RegistryProps {
  /** The repositories to create, or (`existing`) to reference by name. @default - none */
  readonly repositories?: readonly RepositoryPlan[];
}

export class Registry extends Construct {
  /** ECR repositories by plan name. */
  readonly repositories: Readonly<Record<string, ecr.IRepository>>;

  constructor(scope: Construct, id: string, props: RegistryProps = {}) {
    super(scope, id);
    this.repositories = Object.fromEntries((props.repositories ?? []).map((r) => [
      r.name, r.existing ? ecr.Repository.fromRepositoryName(this, r.name, r.name) : newRepository(this, r),
    ]));
  }
}

function newRepository(scope: Construct, repo: RepositoryPlan): ecr.Repository {
  return new ecr.Repository(scope, repo.name, {
    repositoryName: repo.name,
    imageTagMutability: repo.mutableTags ? ecr.TagMutability.MUTABLE : ecr.TagMutability.IMMUTABLE,
    imageScanOnPush: repo.scanOnPush,
    encryption: ecr.RepositoryEncryption.AES_256,
    // Never emptyOnDelete: deleting the stack must not delete images that running workloads pull.
    // A non-empty repository with removal: destroy makes the deletion fail, which is the safer surprise.
    removalPolicy: repo.removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    // Explicit priorities keep the rendered policy stable. The two rules select disjoint images
    // (untagged vs tagged), so their order does not change what expires; only a TagStatus.ANY rule
    // would have to come last.
    lifecycleRules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${repo.untaggedExpireDays} days`,
        tagStatus: ecr.TagStatus.UNTAGGED,
        maxImageAge: Duration.days(repo.untaggedExpireDays),
      },
      ...(repo.keep
        ? [{
          rulePriority: 2,
          description: `Keep the newest ${repo.keep.newest} images tagged ${repo.keep.tagPattern}`,
          tagStatus: ecr.TagStatus.TAGGED,
          tagPatternList: [repo.keep.tagPattern],
          maxImageCount: repo.keep.newest,
        }]
        : []),
    ],
  });
}
