/**
 * Installs controller definitions (controllers/index.ts) on an aws-eks-v2 cluster.
 *
 * Every controller with AWS permissions gets an IAM role trusting `pods.eks.amazonaws.com`
 * (controller-role.ts) and a native Pod Identity association for its namespace/service account: no
 * IRSA, no OIDC provider, and so no Lambda-backed resource beyond the cluster's own kubectl provider. Then, one of two paths:
 *
 * - without gitops, one CDK Helm step per controller (each a `Custom::AWSCDK-EKS-HelmChart`), then one
 *   manifest with the objects the controllers' CRDs define. Lower waves install first and are deleted
 *   last, so the load balancer controller outlives every Ingress and Service; `ingressReady` is the
 *   handle for anything else that creates them.
 * - with gitops, a Helm step for Argo CD only (or none, with the EKS capability), one manifest of
 *   Argo CD Applications for the other controllers (controllers/argo-cd-applications.ts) and one with
 *   the workloads' app-of-apps, which depends on it: three custom resources whatever the controllers.
 */
import { Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, DependencyGroup, type IDependable } from 'constructs';
import { acknowledge } from '../acknowledge.js';
import { constructIdOf } from '../construct-id.js';
import type { ControllerDefinition, NodeRoleRequirement } from './controller.js';
import { eventQueue } from './controller-event-queue.js';
import { controllerRole } from './controller-role.js';
import { controllerApplications, type GitOpsSource, workloadsApplication } from './controllers/argo-cd-applications.js';
import type { ArgoCdCapability } from './controllers/argo-cd-capability.js';
import { ARGO_CD_NAMESPACE } from './controllers/argo-cd.js';
import { ControllerConfigError } from './controllers/errors.js';

export interface GitOpsOptions extends GitOpsSource {
  /**
   * The EKS-managed Argo CD (argoCdCapability()) to install through, instead of the argo-cd chart.
   * @default - the self-hosted argo-cd chart, which must then be among the definitions
   */
  readonly capability?: ArgoCdCapability;
}

export interface InstallControllersProps {
  /** The cluster the controllers are installed on (its kubectl provider applies them). */
  readonly cluster: eks.ICluster;
  /** The controllers, as data (controllers/index.ts's controllerDefinitions). */
  readonly definitions: readonly ControllerDefinition[];
  /**
   * Install through Argo CD: only Argo CD by Helm, the other controllers as Applications, and the
   * workloads from this repository.
   * @default - every controller by its own Helm step
   */
  readonly gitops?: GitOpsOptions;
  /**
   * What must exist before any controller pod can be scheduled: the node groups (which the cluster
   * construct orders after the vpc-cni and eks-pod-identity-agent add-ons).
   * @default - none
   */
  readonly nodeGroups?: readonly IDependable[];
}

/** What a controller's EC2 nodes need to join the cluster (Karpenter's). */
export interface ControllerNodeRole {
  readonly role: iam.Role;
  readonly accessEntry: eks.AccessEntry;
}

export class ClusterControllers extends Construct {
  /** Pod Identity roles by controller name (controllers without AWS permissions have none). */
  readonly roles: Readonly<Record<string, iam.Role>>;
  readonly podIdentityAssociations: Readonly<Record<string, eks.CfnPodIdentityAssociation>>;
  /** CDK Helm steps by controller name: all controllers without gitops, only Argo CD with it. */
  readonly charts: Readonly<Record<string, eks.HelmChart>>;
  /** The manifest steps, in order (controller objects; or Applications, then workloads). */
  readonly manifests: readonly eks.KubernetesManifest[];
  /**
   * Depend on this before creating anything that makes a load balancer (Ingress, LoadBalancer Service):
   * it is then deleted before the load balancer controller, which is still there to delete the ALB/NLB.
   */
  readonly ingressReady: IDependable;
  readonly nodeRoles: Readonly<Record<string, ControllerNodeRole>>;
  readonly eventQueues: Readonly<Record<string, sqs.Queue>>;

  private readonly cluster: eks.ICluster;

  constructor(scope: Construct, id: string, props: InstallControllersProps) {
    super(scope, id);
    this.cluster = props.cluster;
    const definitions = [...props.definitions].sort((a, b) => waveOf(a) - waveOf(b));
    const names = definitions.map((d) => d.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) throw new ControllerConfigError('E_DUPLICATE_CONTROLLER', `two controller definitions are named "${duplicate}"; release names must be unique.`);

    const roles: Record<string, iam.Role> = {};
    const associations: Record<string, eks.CfnPodIdentityAssociation> = {};
    const nodeRoles: Record<string, ControllerNodeRole> = {};
    const eventQueues: Record<string, sqs.Queue> = {};
    const prerequisites = new Map<string, IDependable[]>();
    for (const definition of definitions) {
      const scopeOf = this.controllerScope(definition);
      const needs: IDependable[] = [...(props.nodeGroups ?? [])];
      if (definition.statements.length > 0 || definition.managedPolicies?.length) {
        roles[definition.name] = controllerRole(scopeOf, definition);
        associations[definition.name] = new eks.CfnPodIdentityAssociation(scopeOf, 'PodIdentity', {
          clusterName: this.cluster.clusterName,
          namespace: definition.namespace,
          serviceAccount: definition.serviceAccount,
          roleArn: roles[definition.name]!.roleArn,
        });
        // Credentials are injected when a pod starts: the association must exist first.
        needs.push(associations[definition.name]!);
      }
      if (definition.awsResources?.nodeRole) {
        nodeRoles[definition.name] = this.nodeRole(scopeOf, definition.awsResources.nodeRole);
        needs.push(nodeRoles[definition.name]!.accessEntry);
      }
      if (definition.awsResources?.eventQueue) {
        eventQueues[definition.name] = eventQueue(scopeOf, definition.awsResources.eventQueue);
        needs.push(eventQueues[definition.name]!);
      }
      prerequisites.set(definition.name, needs);
    }
    this.roles = roles;
    this.podIdentityAssociations = associations;
    this.nodeRoles = nodeRoles;
    this.eventQueues = eventQueues;

    const installed = props.gitops
      ? this.installWithArgoCd(definitions, prerequisites, props.gitops)
      : this.installWithHelm(definitions, prerequisites);
    this.charts = installed.charts;
    this.manifests = installed.manifests;
    this.ingressReady = installed.ingressReady;
  }

  private installWithHelm(definitions: readonly ControllerDefinition[], prerequisites: Map<string, IDependable[]>): Installed {
    const charts: Record<string, eks.HelmChart> = {};
    for (const definition of definitions) {
      const chart = this.helmChart(definition);
      chart.node.addDependency(...prerequisites.get(definition.name)!);
      for (const earlier of definitions.filter((d) => waveOf(d) < waveOf(definition))) chart.node.addDependency(charts[earlier.name]!);
      charts[definition.name] = chart;
    }
    const objects = definitions.flatMap((d) => d.manifests ?? []);
    const manifests: eks.KubernetesManifest[] = [];
    if (objects.length > 0) {
      const manifest = this.manifest('ControllerObjects', objects);
      manifest.node.addDependency(...Object.values(charts));
      manifests.push(manifest);
    }
    const firstWave = Math.min(...definitions.map(waveOf));
    const ingressReady = new DependencyGroup(...definitions.filter((d) => waveOf(d) === firstWave).map((d) => charts[d.name]!));
    return { charts, manifests, ingressReady };
  }

  private installWithArgoCd(definitions: readonly ControllerDefinition[], prerequisites: Map<string, IDependable[]>, gitops: GitOpsOptions): Installed {
    const bootstrap = definitions.filter((d) => d.bootstrap);
    if (bootstrap.length === 0 && !gitops.capability) {
      throw new ControllerConfigError('E_GITOPS_NO_ARGOCD', 'gitops needs Argo CD, and there is neither an argo-cd chart among the definitions nor an Argo CD capability; '
        + 'enable argocd (install: chart) or pass gitops.capability.');
    }
    if (bootstrap.length > 0 && gitops.capability) {
      throw new ControllerConfigError('E_TWO_ARGOCD', `gitops was given both the EKS Argo CD capability and the ${bootstrap.map((d) => d.name).join(', ')} chart; `
        + 'use one: argocd.install "capability" leaves the chart out.');
    }
    const charts: Record<string, eks.HelmChart> = {};
    for (const definition of bootstrap) {
      charts[definition.name] = this.helmChart(definition);
      charts[definition.name]!.node.addDependency(...prerequisites.get(definition.name)!);
    }
    const namespace = gitops.capability?.namespace ?? ARGO_CD_NAMESPACE;
    const applications = this.manifest('ControllerApplications', controllerApplications({
      definitions: definitions.filter((d) => !d.bootstrap),
      namespace,
      capability: gitops.capability ? { clusterArn: this.cluster.clusterArn, roleArn: gitops.capability.role.roleArn } : undefined,
    }));
    applications.node.addDependency(...Object.values(charts), ...definitions.flatMap((d) => prerequisites.get(d.name)!));
    if (gitops.capability) applications.node.addDependency(gitops.capability.capability);
    const workloads = this.manifest('WorkloadApplications', [workloadsApplication(gitops, namespace)]);
    workloads.node.addDependency(applications);
    return { charts, manifests: [applications, workloads], ingressReady: applications };
  }

  private controllerScope(definition: ControllerDefinition): Construct {
    return new Construct(this, constructIdOf(definition.name));
  }

  private helmChart(definition: ControllerDefinition): eks.HelmChart {
    const scope = this.node.findChild(constructIdOf(definition.name));
    return new eks.HelmChart(scope, 'Chart', {
      cluster: this.cluster,
      repository: definition.chart.repository,
      chart: definition.chart.chart,
      version: definition.chart.version,
      release: definition.name,
      namespace: definition.namespace,
      createNamespace: true,
      values: { ...definition.values },
      wait: definition.wait ?? false,
      // A waited install pulls images onto fresh nodes; the kubectl handler allows 15 minutes in all.
      ...(definition.wait ? { timeout: Duration.minutes(10) } : {}),
    });
  }

  private manifest(id: string, objects: readonly Readonly<Record<string, unknown>>[]): eks.KubernetesManifest {
    // overwrite: `kubectl apply` also on create, so a retried deployment does not fail on objects it made.
    return new eks.KubernetesManifest(this, id, { cluster: this.cluster, manifest: objects.map((o) => ({ ...o })), overwrite: true });
  }

  private nodeRole(scope: Construct, requirement: NodeRoleRequirement): ControllerNodeRole {
    const role = new iam.Role(scope, 'NodeRole', {
      roleName: requirement.roleName,
      description: requirement.description,
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: requirement.managedPolicies.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    for (const name of requirement.managedPolicies) {
      acknowledge(role, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`, `${name} is one of the AWS managed policies EKS documents for worker nodes `
        + '(kubelet registration, VPC CNI, image pulls, SSM); AWS updates them as the node software changes, which a copy would miss.');
    }
    // EC2_LINUX entries carry no access policies: EKS maps the role to the system:nodes group itself.
    const accessEntry = new eks.AccessEntry(scope, 'NodeAccess', {
      cluster: this.cluster,
      principal: role.roleArn,
      accessEntryType: eks.AccessEntryType.EC2_LINUX,
      accessPolicies: [],
    });
    return { role, accessEntry };
  }
}

interface Installed {
  readonly charts: Record<string, eks.HelmChart>;
  readonly manifests: eks.KubernetesManifest[];
  readonly ingressReady: IDependable;
}

export function installControllers(scope: Construct, props: InstallControllersProps): ClusterControllers {
  return new ClusterControllers(scope, 'Controllers', props);
}

function waveOf(definition: ControllerDefinition): number {
  return definition.wave ?? 1;
}
