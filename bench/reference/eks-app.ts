/**
 * The reference for plinth's synth speed: a plain aws-eks-v2 CDK app that builds what `plinth synth examples/nemo-v3`
 * builds, written by hand the way a cdk-eks-blueprints user writes one (L2 constructs where they exist, a few L1s),
 * compiled to CommonJS and run with plain node: what a hand-written CDK app of the same size costs, with no spec, no
 * checks (cdk-nag, manifest schemas) and no analyses (verify, cost). bench/startup.ts compiles and runs it, and checks
 * that it writes the same number of CloudFormation resources of each type as nemo-v3 (139 in four stacks); CDK_OUTDIR
 * names the output directory.
 *
 * Same resources, not the same templates: logical IDs, policies and properties differ in detail. The Kubernetes
 * manifests plinth renders for Argo CD (k8s/, 30 objects) have no counterpart here; the three cluster manifests and
 * the Argo CD chart that CloudFormation applies do.
 */
import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { App, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';

const app = new App({ builtinCloudFormationValidation: false });
const env = { account: '111122223333', region: 'ap-northeast-2' };
const azs = ['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c'];

// --- Network: a VPC with 2 public and 3 private subnets, one NAT, flow logs, S3 endpoint, security groups.
const network = new Stack(app, 'Network', { env });
const vpc = new ec2.Vpc(network, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), availabilityZones: azs, subnetConfiguration: [], natGateways: 0 });
const igw = new ec2.CfnInternetGateway(network, 'Igw');
const attachment = new ec2.CfnVPCGatewayAttachment(network, 'IgwAttachment', { vpcId: vpc.vpcId, internetGatewayId: igw.ref });
const publicSubnets = ['10.0.1.0/24', '10.0.2.0/24'].map((cidrBlock, i) => {
  const subnet = new ec2.PublicSubnet(network, `Public${i}`, { vpcId: vpc.vpcId, availabilityZone: azs[i]!, cidrBlock, mapPublicIpOnLaunch: true });
  subnet.addDefaultInternetRoute(igw.ref, attachment);
  return subnet;
});
const nat = publicSubnets[0]!.addNatGateway();
const privateSubnets = ['10.0.3.0/24', '10.0.4.0/24', '10.0.5.0/24'].map((cidrBlock, i) => {
  const subnet = new ec2.PrivateSubnet(network, `Private${i}`, { vpcId: vpc.vpcId, availabilityZone: azs[i]!, cidrBlock });
  subnet.addDefaultNatRoute(nat.ref);
  return subnet;
});
vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs() });
new ec2.GatewayVpcEndpoint(network, 'S3', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnets: privateSubnets }] });

const sg = (id: string) => new ec2.SecurityGroup(network, id, { vpc, allowAllOutbound: true });
const bastionSg = sg('Bastion');
const vllmSg = sg('AiVllm');
const fastapiSg = sg('AiFastapi');
const dbSg = sg('Db');
const nodesSg = sg('Nodes');
const controlPlaneSg = sg('ControlPlane');
const albSg = sg('Alb');
bastionSg.addIngressRule(ec2.Peer.ipv4('203.0.113.7/32'), ec2.Port.tcp(22));
// The bastion's private path to the EKS API and to S3 (for its kubectl download), as nemo-v3's bastion tools have.
const endpointsSg = sg('VpcEndpoints');
for (const [id, service, privateDnsEnabled] of [['Eks', 'eks', true], ['S3Interface', 's3', false]] as const) {
  new ec2.InterfaceVpcEndpoint(network, id, {
    vpc, service: new ec2.InterfaceVpcEndpointService(`com.amazonaws.${env.region}.${service}`, 443), privateDnsEnabled,
    subnets: { subnets: privateSubnets }, securityGroups: [endpointsSg],
  });
}
for (const server of [vllmSg, fastapiSg]) {
  server.addIngressRule(nodesSg, ec2.Port.tcpRange(8000, 8002));
  server.addIngressRule(bastionSg, ec2.Port.tcp(22));
  nodesSg.addIngressRule(server, ec2.Port.tcp(9094));
  nodesSg.addIngressRule(server, ec2.Port.tcpRange(30000, 32767));
  nodesSg.addIngressRule(server, ec2.Port.tcpRange(31094, 31097));
}
vllmSg.addIngressRule(nodesSg, ec2.Port.tcp(8002));
fastapiSg.addIngressRule(nodesSg, ec2.Port.tcp(8000));
dbSg.addIngressRule(nodesSg, ec2.Port.tcp(3306));
for (const port of [443, 4443, 8443, 9443, 10250, 10251]) nodesSg.addIngressRule(controlPlaneSg, ec2.Port.tcp(port));
nodesSg.addIngressRule(nodesSg, ec2.Port.allTraffic());
nodesSg.addIngressRule(bastionSg, ec2.Port.tcp(22));
nodesSg.addIngressRule(albSg, ec2.Port.tcp(8080));
controlPlaneSg.addIngressRule(nodesSg, ec2.Port.tcp(443));
controlPlaneSg.addIngressRule(bastionSg, ec2.Port.tcp(443));
albSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));

/** Office-hours stop/start: EventBridge Scheduler calling the AWS API directly (no Lambda). */
function schedules(scope: Construct, targets: readonly [string, string, Record<string, unknown>][]) {
  const role = new iam.Role(scope, 'OfficeHoursRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:StartInstances', 'ec2:StopInstances', 'eks:UpdateNodegroupConfig', 'rds:StartDBInstance', 'rds:StopDBInstance'], resources: ['*'] }));
  for (const [id, api, input] of targets) {
    new scheduler.CfnSchedule(scope, id, {
      scheduleExpression: id.startsWith('Start') ? 'cron(0 8 ? * MON-FRI *)' : 'cron(0 20 ? * MON-FRI *)', scheduleExpressionTimezone: 'Asia/Seoul',
      flexibleTimeWindow: { mode: 'OFF' },
      target: { arn: `arn:aws:scheduler:::aws-sdk:${api}`, roleArn: role.roleArn, input: JSON.stringify(input) },
    });
  }
}

// --- Data: the MySQL database with its generated secret, three ECR repositories, the hosted zone.
const data = new Stack(app, 'Data', { env });
const db = new rds.DatabaseInstance(data, 'Db', {
  engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0 }),
  instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO), allocatedStorage: 20,
  vpc, vpcSubnets: { subnets: privateSubnets }, securityGroups: [dbSg], instanceIdentifier: 'nemo-db-instance', databaseName: 'prod_db',
  credentials: rds.Credentials.fromGeneratedSecret('prod'),
  multiAz: true, storageEncrypted: true, backupRetention: Duration.days(7), deletionProtection: true, removalPolicy: RemovalPolicy.SNAPSHOT,
});
for (const name of ['backend', 'frontend', 'ai']) {
  new ecr.Repository(data, `Repo-${name}`, {
    repositoryName: `nemo/${name}`, imageScanOnPush: true, imageTagMutability: ecr.TagMutability.IMMUTABLE,
    lifecycleRules: [{ tagPrefixList: ['prod-'], maxImageCount: 30 }],
  });
}
const zone = new route53.PublicHostedZone(data, 'Zone', { zoneName: 'onurivit01.store' });
schedules(data, [['StopDb', 'rds:stopDBInstance', { DbInstanceIdentifier: db.instanceIdentifier }], ['StartDb', 'rds:startDBInstance', { DbInstanceIdentifier: db.instanceIdentifier }],
  ['RestopDb', 'rds:stopDBInstance', { DbInstanceIdentifier: db.instanceIdentifier }]]);

// --- Cluster: EKS with encrypted secrets, control-plane logs, one managed node group, add-ons, controllers, Argo CD.
const clusterStack = new Stack(app, 'Cluster', { env });
const logGroup = new logs.LogGroup(clusterStack, 'ControlPlaneLogs', { logGroupName: '/aws/eks/nemo_EKS_kluster/cluster', retention: logs.RetentionDays.ONE_MONTH });
const cluster = new eks.Cluster(clusterStack, 'Cluster', {
  clusterName: 'nemo_EKS_kluster', version: eks.KubernetesVersion.V1_33, vpc, vpcSubnets: [{ subnets: privateSubnets }], securityGroup: controlPlaneSg,
  endpointAccess: eks.EndpointAccess.PRIVATE, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
  secretsEncryptionKey: new kms.Key(clusterStack, 'SecretsKey', { enableKeyRotation: true }),
  clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR],
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(clusterStack, 'Kubectl') },
});
cluster.node.addDependency(logGroup);
for (const addon of ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent', 'coredns', 'metrics-server']) new eks.Addon(clusterStack, `Addon-${addon}`, { cluster, addonName: addon });
const ebsRole = new iam.Role(clusterStack, 'EbsCsiRole', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags() });
ebsRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEBSCSIDriverPolicy'));
new eks.CfnAddon(clusterStack, 'Addon-aws-ebs-csi-driver', { clusterName: cluster.clusterName, addonName: 'aws-ebs-csi-driver', podIdentityAssociations: [{ serviceAccount: 'ebs-csi-controller-sa', roleArn: ebsRole.roleArn }] });
const nodeRole = new iam.Role(clusterStack, 'NodeRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
for (const policy of ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonSSMManagedInstanceCore']) nodeRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(policy));
const nodeTemplate = new ec2.CfnLaunchTemplate(clusterStack, 'NodeTemplate', {
  launchTemplateData: {
    keyName: 'nemo-key', securityGroupIds: [nodesSg.securityGroupId], metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 },
    blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 20, volumeType: 'gp3', encrypted: true } }],
  },
});
const nodegroup = cluster.addNodegroupCapacity('Main', {
  instanceTypes: [new ec2.InstanceType('t3.large')], minSize: 3, maxSize: 3, desiredSize: 3, nodeRole, subnets: { subnets: privateSubnets },
  launchTemplateSpec: { id: nodeTemplate.ref, version: nodeTemplate.attrLatestVersionNumber },
});
for (const [name, namespace] of [['aws-load-balancer-controller', 'kube-system'], ['external-secrets', 'external-secrets'], ['argocd-image-updater', 'argocd'], ['external-dns', 'external-dns']] as const) {
  const statement = new iam.PolicyStatement({ actions: ['ec2:Describe*', 'elasticloadbalancing:Describe*', 'route53:ChangeResourceRecordSets', 'secretsmanager:GetSecretValue', 'ecr:DescribeImages'], resources: ['*'] });
  // The load balancer controller's (long) policy as a policy of its own, the others inline.
  const role = new iam.Role(clusterStack, `${name}-role`, {
    assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags(),
    inlinePolicies: name === 'aws-load-balancer-controller' ? undefined : { access: new iam.PolicyDocument({ statements: [statement] }) },
  });
  if (name === 'aws-load-balancer-controller') role.addToPolicy(statement);
  new eks.CfnPodIdentityAssociation(clusterStack, `${name}-pia`, { clusterName: cluster.clusterName, namespace, serviceAccount: name, roleArn: role.roleArn });
}
cluster.addManifest('Baseline', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'nemo' } }, {
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true' },
});
const argocd = cluster.addHelmChart('ArgoCd', { chart: 'argo-cd', repository: 'https://argoproj.github.io/argo-helm', namespace: 'argocd', version: '8.0.0' });
const application = (name: string, path: string) => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' },
  spec: { project: 'default', source: { repoURL: 'https://github.com/nemo-project/nemo-gitops.git', path, targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc' }, syncPolicy: { automated: { prune: true } } },
});
cluster.addManifest('ControllerApplications', application('aws-load-balancer-controller', 'controllers/lbc'), application('external-secrets', 'controllers/eso'), application('external-dns', 'controllers/dns')).node.addDependency(argocd);
cluster.addManifest('WorkloadApplications', application('apps', 'apps')).node.addDependency(argocd);
schedules(clusterStack, [['StopNodes', 'eks:updateNodegroupConfig', { ClusterName: cluster.clusterName, NodegroupName: nodegroup.nodegroupName, ScalingConfig: { MinSize: 0, DesiredSize: 0 } }],
  ['StartNodes', 'eks:updateNodegroupConfig', { ClusterName: cluster.clusterName, NodegroupName: nodegroup.nodegroupName, ScalingConfig: { MinSize: 3, DesiredSize: 3 } }]]);

// --- Compute: the bastion (Elastic IP) and the AI servers, the ALB's certificate, the bastion's cluster access.
const compute = new Stack(app, 'Compute', { env });
const instances: ec2.Instance[] = [];
for (const [name, type, count, group, subnet, ami] of [
  ['AiVllm', 'g5.xlarge', 1, vllmSg, publicSubnets[1]!, ec2.MachineImage.fromSsmParameter('/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-amazon-linux-2023/latest/ami-id')],
  ['AiFastapi', 't3.medium', 2, fastapiSg, publicSubnets[1]!, ec2.MachineImage.latestAmazonLinux2023()],
  ['Bastion', 't2.medium', 1, bastionSg, publicSubnets[0]!, ec2.MachineImage.latestAmazonLinux2023()],
] as const) {
  const role = new iam.Role(compute, `${name}Role`, { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'));
  const template = new ec2.LaunchTemplate(compute, `${name}Template`, { machineImage: ami, requireImdsv2: true });
  for (let i = 1; i <= count; i++) {
    const instance = new ec2.Instance(compute, `${name}${i}`, {
      vpc, vpcSubnets: { subnets: [subnet] }, instanceType: new ec2.InstanceType(type), machineImage: ami, securityGroup: group, role, keyPair: ec2.KeyPair.fromKeyPairName(compute, `${name}${i}Key`, 'nemo-key'),
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(name === 'AiVllm' ? 100 : 20, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }) }],
    });
    (instance.node.defaultChild as ec2.CfnInstance).launchTemplate = { launchTemplateId: template.launchTemplateId, version: template.latestVersionNumber };
    instances.push(instance);
    if (name === 'AiVllm') {
      const volume = new ec2.Volume(compute, `${name}${i}Models`, { availabilityZone: azs[1]!, size: Size.gibibytes(200), encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, removalPolicy: RemovalPolicy.SNAPSHOT });
      new ec2.CfnVolumeAttachment(compute, `${name}${i}ModelsAttachment`, { instanceId: instance.instanceId, volumeId: volume.volumeId, device: '/dev/sdf' });
    }
    if (name === 'Bastion') {
      role.addToPolicy(new iam.PolicyStatement({ actions: ['eks:DescribeCluster'], resources: [cluster.clusterArn] }));
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::cdk-hnb659fds-assets-${env.account}-${env.region}/kubectl.zip`] }));
      const eip = new ec2.CfnEIP(compute, 'BastionEip', { domain: 'vpc' });
      new ec2.CfnEIPAssociation(compute, 'BastionEipAssociation', { allocationId: eip.attrAllocationId, instanceId: instance.instanceId });
      new eks.AccessEntry(compute, 'BastionAccess', { cluster, principal: role.roleArn, accessPolicies: [eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER })] });
    }
  }
}
new acm.Certificate(compute, 'Certificate', { domainName: 'onurivit01.store', validation: acm.CertificateValidation.fromDns(zone) });
schedules(compute, [['StopServers', 'ec2:stopInstances', { InstanceIds: instances.slice(0, 3).map((i) => i.instanceId) }], ['StartServers', 'ec2:startInstances', { InstanceIds: instances.slice(0, 3).map((i) => i.instanceId) }]]);

app.synth();
