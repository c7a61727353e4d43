/**
 * EC2 hosts of the plan: the bastion, management hosts and servers. One instance per planned subnet,
 * IMDSv2 only, encrypted gp3 root volume, reachable through SSM Session Manager, attached to the
 * endpoint's security group from the network (this module adds no rules).
 */
import { Aws } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { AmiPlan, InstancePlan, Plan } from '../plan/types.js';
import type { PlatformNetwork } from './platform-network.js';
import { acknowledge } from './acknowledge.js';

export interface HostsProps {
  readonly plan: Plan;
  readonly network: PlatformNetwork;
}

const SSM_CORE_POLICY = 'AmazonSSMManagedInstanceCore';

export class Hosts extends Construct {
  private readonly byRef = new Map<string, ec2.Instance[]>();

  constructor(scope: Construct, id: string, props: HostsProps) {
    super(scope, id);
    const { plan, network } = props;
    const management = new Construct(this, 'Management');
    const servers = new Construct(this, 'Servers');
    const groups: [Construct, string, InstancePlan][] = [
      ...(plan.bastion ? [[this, 'Bastion', plan.bastion] as [Construct, string, InstancePlan]] : []),
      ...plan.management.map((m) => [management, m.name, m] as [Construct, string, InstancePlan]),
      ...plan.servers.map((s) => [servers, s.name, s] as [Construct, string, InstancePlan]),
    ];
    for (const [parent, groupId, host] of groups) {
      this.byRef.set(host.ref, newHostGroup(new Construct(parent, groupId), host, plan, network));
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

function newHostGroup(scope: Construct, host: InstancePlan, plan: Plan, network: PlatformNetwork): ec2.Instance[] {
  const role = newRole(scope, host, plan.cluster?.name);
  const keyPair = host.keyPair ? ec2.KeyPair.fromKeyPairName(scope, 'KeyPair', host.keyPair) : undefined;
  const machineImage = machineImageOf(host.ami, plan.platform.region);
  const amiTemplate = amiLaunchTemplate(scope, host.ami);

  return host.subnets.map((subnetId, i) => {
    const name = host.count > 1 ? `${plan.platform.name}-${host.name}-${i + 1}` : `${plan.platform.name}-${host.name}`;
    // Ids count from 1 even for a single host, so raising count later adds instances instead of
    // renaming (and so replacing) the first one.
    const instance = new ec2.Instance(scope, String(i + 1), {
      instanceName: name,
      vpc: network.vpc,
      vpcSubnets: { subnets: [network.subnet(subnetId)] },
      securityGroup: network.securityGroup(host.ref),
      instanceType: new ec2.InstanceType(host.instanceType),
      machineImage,
      userData: host.userData !== undefined ? ec2.UserData.custom(host.userData) : undefined,
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
    return instance;
  });
}

/** EKS actions whose resource is the cluster: scoped to the platform's cluster when it has one. */
const CLUSTER_SCOPED_ACTIONS = ['eks:DescribeCluster', 'eks:ListNodegroups', 'eks:ListAddons', 'eks:AccessKubernetesApi'];

function newRole(scope: Construct, host: InstancePlan, clusterName: string | undefined): iam.Role {
  const onCluster = clusterName ? host.iamActions.filter((a) => CLUSTER_SCOPED_ACTIONS.includes(a)) : [];
  const onAll = host.iamActions.filter((a) => !onCluster.includes(a));
  const statements = [
    ...(onCluster.length ? [new iam.PolicyStatement({ actions: onCluster, resources: [`arn:${Aws.PARTITION}:eks:${Aws.REGION}:${Aws.ACCOUNT_ID}:cluster/${clusterName}`] })] : []),
    ...(onAll.length ? [new iam.PolicyStatement({ actions: onAll, resources: ['*'] })] : []),
  ];
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    description: `plinth ${host.ref}: SSM Session Manager${host.iamActions.length ? ' and the actions named in the spec' : ''}`,
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
 * instead of resizing and encrypting the root, so a fixed AMI id is assumed to follow Amazon Linux.
 */
export function rootDeviceName(ami: AmiPlan): string {
  return ami.kind === 'ssm' && ami.parameter.includes('/canonical/ubuntu/') ? '/dev/sda1' : '/dev/xvda';
}
