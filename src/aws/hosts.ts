/**
 * EC2 hosts of the plan: the bastion, management hosts and servers. One instance per planned subnet,
 * IMDSv2 only, encrypted gp3 root volume, reachable through SSM Session Manager, attached to the
 * endpoint's security group from the network (this module adds no rules). Servers may also get EBS
 * data volumes, containers (rendered user data), kubeadm roles and permissions from the spec.
 */
import { Aws, Fn, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { AmiPlan, InstancePlan, KubeadmPlan, KubernetesVersion, Plan, ServerPlan } from '../plan/types.js';
import type { PlatformNetwork } from './platform-network.js';
import { acknowledge } from './acknowledge.js';
import { kubectlBundle } from './bastion-kubectl.js';
import { permissionStatements, secretArnByName } from './permission-statements.js';
import { renderBastionTools } from './user-data/bastion-tools.js';
import { renderContainerHost } from './user-data/containers.js';
import { everyBoot } from './user-data/every-boot.js';
import { renderKubeadmNode } from './user-data/kubeadm.js';

/** A host group: the bastion, a management host or a server (which may run containers or kubeadm). */
export type HostPlan = InstancePlan & Partial<Pick<ServerPlan, 'volumes' | 'containers' | 'permissions'>>
  & Partial<Pick<NonNullable<Plan['bastion']>, 'tools'>>;

export interface HostsProps {
  /** The platform's name prefix (`<name>`, or `<name>-<env>` for a non-base environment), in instance names and the join secret's description. */
  readonly platformName: string;
  /** The platform's region: the AMI lookup, the ECR registry host and kubeadm user data use it. */
  readonly region: string;
  /** The host groups to create (bastion, management hosts, servers), see `hostsOf`. */
  readonly hosts: readonly HostPlan[];
  /** The VPC, subnets and security groups the hosts are placed in. */
  readonly network: PlatformNetwork;
  /** The EKS cluster cluster-scoped actions of management hosts are limited to. @default - none */
  readonly clusterName?: string;
  /** ARN of a bucket of the spec, for `buckets/NAME:...` permissions. @default - no bucket permissions possible */
  readonly bucketArn?: (name: string) => string;
  /** Self-managed Kubernetes: which groups are nodes, and the API endpoint's DNS name. @default - none */
  readonly kubeadm?: { readonly plan: KubeadmPlan; readonly endpointHost: string };
  /**
   * The cluster kubectl on the bastion talks to (`tools: [kubectl]`), and, with `egress: vpc`, the DNS
   * entries of the S3 interface endpoint the bastion copies kubectl through. @default - no kubectl
   */
  readonly bastionKubectl?: {
    readonly clusterName: string;
    readonly kubernetesVersion: KubernetesVersion;
    /** @default - S3 reached directly (bastion egress: all) */
    readonly s3EndpointDnsEntries?: readonly string[];
  };
}

/** The host groups of a plan, in the order they are created. */
export function hostsOf(plan: Pick<Plan, 'bastion' | 'management' | 'servers'>): HostPlan[] {
  return [...(plan.bastion ? [plan.bastion] : []), ...plan.management, ...plan.servers];
}

const SSM_CORE_POLICY = 'AmazonSSMManagedInstanceCore';

const VOLUME_REMOVAL = { snapshot: RemovalPolicy.SNAPSHOT, retain: RemovalPolicy.RETAIN, destroy: RemovalPolicy.DESTROY } as const;

export class Hosts extends Construct {
  private readonly byRef = new Map<string, ec2.Instance[]>();
  /** The secret kubeadm nodes share join material through; undefined without kubeadm. */
  public readonly kubeadmJoinSecret: secretsmanager.Secret | undefined;

  constructor(scope: Construct, id: string, props: HostsProps) {
    super(scope, id);
    const management = new Construct(this, 'Management');
    const servers = new Construct(this, 'Servers');
    this.kubeadmJoinSecret = props.kubeadm ? newJoinSecret(this, props.platformName) : undefined;
    for (const host of props.hosts) {
      const parent = host.ref === 'bastion' ? this : host.ref.startsWith('mgmt/') ? management : servers;
      const groupId = host.ref === 'bastion' ? 'Bastion' : host.name;
      this.byRef.set(host.ref, newHostGroup(new Construct(parent, groupId), host, props, this.kubeadmJoinSecret));
    }
  }

  /** The instances of a host reference (`bastion`, `mgmt/<name>`, `servers/<name>`), in plan order. */
  instances(ref: string): ec2.Instance[] {
    const instances = this.byRef.get(ref);
    if (!instances) {
      throw new Error(`E_UNKNOWN_HOST: there are no hosts "${ref}"; known hosts are ${[...this.byRef.keys()].join(', ') || '(none)'}.`);
    }
    return instances;
  }
}

/**
 * Join material is written by the first control-plane node at run time; the template holds only the
 * placeholder, and CloudFormation never rewrites it on update because the property does not change.
 */
function newJoinSecret(scope: Construct, platformName: string): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, 'KubeadmJoin', {
    description: `plinth ${platformName}: kubeadm join material, published by the first control-plane node and refreshed hourly`,
    secretStringValue: SecretValue.unsafePlainText('{"state":"pending"}'),
    // Nothing to keep: the cluster's CA lives on the control-plane nodes, and the material expires in 2 hours.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  acknowledge(secret, 'AwsSolutions-SMG4', 'The first control-plane node replaces the bootstrap token and certificate key every hour (systemd timer), and both expire after 2 hours; a rotation Lambda would add nothing.');
  return secret;
}

function kubeadmRoleOf(host: HostPlan, kubeadm: KubeadmPlan | undefined): 'control-plane' | 'worker' | undefined {
  if (!kubeadm || !host.ref.startsWith('servers/')) return undefined;
  if (host.name === kubeadm.controlPlane) return 'control-plane';
  return kubeadm.workers.includes(host.name) ? 'worker' : undefined;
}

function newHostGroup(scope: Construct, host: HostPlan, props: HostsProps, joinSecret: secretsmanager.Secret | undefined): ec2.Instance[] {
  const { network } = props;
  const kubeadmRole = kubeadmRoleOf(host, props.kubeadm?.plan);
  const role = newRole(scope, host, props);
  if (kubeadmRole && joinSecret) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'KubeadmJoinMaterial',
      actions: kubeadmRole === 'control-plane' ? ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'] : ['secretsmanager:GetSecretValue'],
      resources: [joinSecret.secretArn],
    }));
  }
  const keyPair = host.keyPair ? ec2.KeyPair.fromKeyPairName(scope, 'KeyPair', host.keyPair) : undefined;
  const machineImage = machineImageOf(host.ami, props.region);
  const amiTemplate = amiLaunchTemplate(scope, host.ami);
  const registry = `${Aws.ACCOUNT_ID}.dkr.ecr.${props.region}.${Aws.URL_SUFFIX}`;
  const toolsUserData = host.tools?.length ? bastionToolsUserData(scope, role, props) : undefined;

  return host.subnets.map((subnetId, i) => {
    const name = host.count > 1 ? `${props.platformName}-${host.name}-${i + 1}` : `${props.platformName}-${host.name}`;
    const subnet = network.subnet(subnetId);
    // Ids count from 1 even for a single host, so raising count later adds instances instead of
    // renaming (and so replacing) the first one.
    const instanceId = String(i + 1);
    const volumes = (host.volumes ?? []).map((v) => {
      const volume = new ec2.CfnVolume(scope, `${instanceId}-${v.name}`, {
        availabilityZone: subnet.availabilityZone,
        size: v.sizeGiB,
        volumeType: 'gp3',
        encrypted: true,
        tags: [{ key: 'Name', value: `${name}-${v.name}` }],
      });
      // Unnamed, so a retained or snapshotted volume never blocks a redeploy from creating a new one.
      volume.applyRemovalPolicy(VOLUME_REMOVAL[v.removal]);
      acknowledge(volume, 'CloudFormation-Validate::W3010', 'A volume must sit in its instance\'s AZ, the AZ of the planned subnet from network.azs, never a look-up.');
      return { plan: v, volume };
    });
    // Rendered scripts run at every boot (every-boot.ts): a changed image or env reaches a running
    // server through CloudFormation's stop/start on a UserData change. A user's own script stays as given.
    const userData = toolsUserData ?? (kubeadmRole && props.kubeadm && joinSecret
      ? everyBoot(renderKubeadmNode({ plan: props.kubeadm.plan, role: kubeadmRole, index: i + 1, region: props.region, endpointHost: props.kubeadm.endpointHost, joinSecretArn: joinSecret.secretArn }))
      : (host.containers?.length || volumes.length)
        ? everyBoot(renderContainerHost({
          hostRef: host.ref, region: props.region, registry,
          volumes: volumes.map(({ plan: v, volume }) => ({ volumeId: volume.ref, path: v.path, deviceName: v.deviceName })),
          containers: host.containers ?? [],
        }))
        : host.userData);
    if (userData !== undefined && Buffer.byteLength(userData) > 16 * 1024) {
      throw new Error(`E_USER_DATA_SIZE: the user data rendered for ${host.ref} is ${Buffer.byteLength(userData)} bytes; EC2 accepts at most 16 KiB. Move long environment values into a Secrets Manager secret (secrets: [secretsmanager:NAME]).`);
    }
    const instance = new ec2.Instance(scope, instanceId, {
      instanceName: name,
      vpc: network.vpc,
      vpcSubnets: { subnets: [subnet] },
      securityGroup: network.securityGroup(host.ref),
      instanceType: new ec2.InstanceType(host.instanceType),
      machineImage,
      userData: userData !== undefined ? ec2.UserData.custom(userData) : undefined,
      // A changed script stops and starts the instance (same id, same volumes) instead of replacing it;
      // the script re-runs at that boot (every-boot.ts).
      userDataCausesReplacement: false,
      keyPair,
      role,
      // No associatePublicIpAddress: plan.publicIp is true exactly when the subnet auto-assigns a public
      // IPv4 or an Elastic IP is attached below, so the subnet and the EIP already decide it (and CDK
      // refuses `true` for subnets of a VPC imported without subnet lists).

      // Set on the instance itself rather than through requireImdsv2, which adds a launch template
      // per instance. Hop limit 2 lets containers on the host (Docker bridge) reach IMDSv2.
      httpTokens: ec2.HttpTokens.REQUIRED,
      httpPutResponseHopLimit: 2,
      blockDevices: [{
        deviceName: rootDeviceName(host.ami),
        volume: ec2.BlockDeviceVolume.ebs(host.diskGiB, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true, deleteOnTermination: true }),
      }],
      propagateTagsToVolumeOnCreation: true,
      detailedMonitoring: true,
      // No termination protection: CloudFormation could then neither remove nor replace the host, and a
      // replacement would leave the old instance running. `plinth plan` and `plinth deploy` refuse a change
      // that replaces a host (its disk goes with it) unless --allow-replace names it (src/analyse/plan).
    });
    // ec2.Instance always writes ImageId; the AMI comes from the launch template instead.
    const cfn = instance.node.defaultChild as ec2.CfnInstance;
    cfn.addPropertyDeletionOverride('ImageId');
    cfn.launchTemplate = { launchTemplateId: amiTemplate.ref, version: amiTemplate.attrLatestVersionNumber };
    acknowledge(instance, 'AwsSolutions-EC29', 'Termination protection would make CloudFormation fail to remove or replace the host and leave the old '
      + 'instance running; instead `plinth plan` and `plinth deploy` refuse a change that replaces a host unless --allow-replace names it.');
    acknowledge(instance, 'CloudFormation-Validate::W3010', 'The AZ is the one of the planned subnet (CDK renders it from the subnet); it comes from network.azs, never from a look-up.');
    if (host.elasticIp) {
      const eip = new ec2.CfnEIP(instance, 'ElasticIp', { domain: 'vpc', tags: [{ key: 'Name', value: name }] });
      new ec2.CfnEIPAssociation(instance, 'ElasticIpAssociation', { allocationId: eip.attrAllocationId, instanceId: instance.instanceId });
    }
    for (const { plan: v, volume } of volumes) {
      new ec2.CfnVolumeAttachment(scope, `${instanceId}-${v.name}-Attachment`, { instanceId: instance.instanceId, volumeId: volume.ref, device: v.deviceName });
    }
    return instance;
  });
}

/**
 * The bastion's tools (plan/bastion-tools.ts): kubectl as a CDK asset its role may read, object by
 * object, and DescribeCluster on the one cluster, for `aws eks update-kubeconfig`.
 */
function bastionToolsUserData(scope: Construct, role: iam.Role, props: HostsProps): string {
  const k = props.bastionKubectl;
  if (!k) return everyBoot(renderBastionTools({ region: props.region }));
  const bundle = kubectlBundle(k.kubernetesVersion);
  const asset = new s3assets.Asset(scope, 'Kubectl', { path: bundle.zipPath, assetHash: bundle.assetHash });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'KubectlAsset',
    actions: ['s3:GetObject'],
    resources: [`arn:${Aws.PARTITION}:s3:::${asset.s3BucketName}/${asset.s3ObjectKey}`],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'UpdateKubeconfig',
    actions: ['eks:DescribeCluster'],
    resources: [`arn:${Aws.PARTITION}:eks:${Aws.REGION}:${Aws.ACCOUNT_ID}:cluster/${k.clusterName}`],
  }));
  return everyBoot(renderBastionTools({
    region: props.region,
    kubectl: {
      clusterName: k.clusterName,
      bucket: asset.s3BucketName,
      key: asset.s3ObjectKey,
      sha256: bundle.sha256,
      version: bundle.version,
      s3EndpointDnsEntries: k.s3EndpointDnsEntries && Fn.join(',', [...k.s3EndpointDnsEntries]),
    },
  }));
}

/** EKS actions whose resource is the cluster: scoped to the platform's cluster when it has one. */
const CLUSTER_SCOPED_ACTIONS = ['eks:DescribeCluster', 'eks:ListNodegroups', 'eks:ListAddons', 'eks:AccessKubernetesApi'];

function newRole(scope: Construct, host: HostPlan, props: HostsProps): iam.Role {
  const { clusterName } = props;
  const onCluster = clusterName ? host.iamActions.filter((a) => CLUSTER_SCOPED_ACTIONS.includes(a)) : [];
  const onAll = host.iamActions.filter((a) => !onCluster.includes(a));
  const secretNames = [...new Set((host.containers ?? []).flatMap((c) => c.secrets.map((x) => x.secretName)))];
  const granted = permissionStatements(host.permissions ?? [], (bucket) => {
    if (!props.bucketArn) throw new Error(`E_NO_BUCKETS: ${host.ref} has a bucket permission, but the hosts were given no bucket ARNs.`);
    return props.bucketArn(bucket);
  });
  const statements = [
    ...(onCluster.length ? [new iam.PolicyStatement({ actions: onCluster, resources: [`arn:${Aws.PARTITION}:eks:${Aws.REGION}:${Aws.ACCOUNT_ID}:cluster/${clusterName}`] })] : []),
    ...(onAll.length ? [new iam.PolicyStatement({ actions: onAll, resources: ['*'] })] : []),
    ...granted,
    ...(secretNames.length ? [new iam.PolicyStatement({ sid: 'ContainerSecrets', actions: ['secretsmanager:GetSecretValue'], resources: secretNames.map(secretArnByName) })] : []),
  ];
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    description: `plinth ${host.ref}: SSM Session Manager${statements.length ? ' and the permissions the spec and its containers need' : ''}`,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(SSM_CORE_POLICY)],
    inlinePolicies: statements.length ? { HostActions: new iam.PolicyDocument({ statements }) } : undefined,
  });
  acknowledge(role, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${SSM_CORE_POLICY}]`, 'AmazonSSMManagedInstanceCore is the minimal policy AWS maintains for the SSM agent (Session Manager '
      + 'instead of open SSH ports); AWS updates it when the agent needs new calls, which a copy would miss.');
  if (onAll.length) {
    acknowledge(role, 'AwsSolutions-IAM5[Resource::*]', `The spec grants ${host.ref} exactly ${onAll.join(', ')}; list and describe calls such as `
        + `eks:ListClusters support no resource narrower than *${clusterName ? '' : ', and the plan names no cluster ARNs to scope to'}.`);
    for (const action of onAll.filter((a) => a.includes('*'))) {
      acknowledge(role, `AwsSolutions-IAM5[Action::${action}]`, `The wildcard action ${action} is written in the spec (access.management.${host.name}.iamActions) on purpose.`);
    }
  }
  if (granted.some((st) => st.sid === 'EcrLogin')) {
    acknowledge(role, 'AwsSolutions-IAM5[Resource::*]', `ecr:GetAuthorizationToken supports no resource narrower than * (ECR IAM reference); ${host.ref} pulls only from its own repositories, scoped by repository ARN.`);
  }
  for (const name of secretNames) {
    acknowledge(role, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${name}-??????]`,
      `Secrets Manager appends six random characters to the name ${name} in the ARN; the wildcard matches exactly that one secret, which a container of ${host.ref} reads at start.`);
  }
  return role;
}

/**
 * A launch template that holds only the AMI. A public SSM parameter is written `resolve:ssm:<name>`
 * and resolved by EC2 when an instance launches: resolving it at deploy time instead (a CloudFormation
 * parameter) would make every deploy after AWS publishes a new AMI *replace* the instance and its root
 * volume. EC2 accepts `resolve:ssm:` in launch templates, not in AWS::EC2::Instance's ImageId. Every
 * other setting stays on the instance, so changing it never touches the template.
 */
function amiLaunchTemplate(scope: Construct, ami: AmiPlan): ec2.CfnLaunchTemplate {
  const template = new ec2.CfnLaunchTemplate(scope, 'Ami', {
    launchTemplateData: { imageId: ami.kind === 'ssm' ? `resolve:ssm:${ami.parameter}` : ami.id },
  });
  if (ami.kind === 'id') {
    acknowledge(template, 'CloudFormation-Validate::W9010', `The spec pins ${ami.id} (ami.id) on purpose; the platform lives in one region, where that id is valid.`);
  }
  return template;
}

/** The machine image the instance construct needs (for its OS type); a fixed id is mapped to the region. */
function machineImageOf(ami: AmiPlan, region: string): ec2.IMachineImage {
  return ami.kind === 'ssm'
    ? ec2.MachineImage.resolveSsmParameterAtLaunch(ami.parameter, { os: ec2.OperatingSystemType.LINUX })
    : ec2.MachineImage.genericLinux({ [region]: ami.id });
}

/**
 * Where the AMI's root volume is mapped: Canonical's Ubuntu images use /dev/sda1, Amazon Linux (also the
 * deep learning AMIs) and Debian use /dev/xvda. A mapping on any other name would add a second disk
 * instead of resizing and encrypting the root, so a fixed AMI id says its root device (RHEL: /dev/sda1).
 */
export function rootDeviceName(ami: AmiPlan): string {
  if (ami.kind === 'id') return ami.rootDevice;
  return ami.parameter.includes('/canonical/ubuntu/') ? '/dev/sda1' : '/dev/xvda';
}
