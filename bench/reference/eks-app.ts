/**
 * The reference for plinth's synth speed: a plain aws-eks-v2 CDK app of nemo-v3's size, written the way a
 * cdk-eks-blueprints user's app is (constructs, a few add-ons and Helm charts, a database and servers), compiled
 * to CommonJS and run with plain node: what a hand-written CDK app costs, with no spec, no checks and no
 * analyses. bench/startup.ts compiles and runs it; CDK_OUTDIR names the output directory.
 */
import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';

const app = new App({ builtinCloudFormationValidation: false });
const env = { region: 'ap-northeast-2' };

const network = new Stack(app, 'Network', { env });
const vpc = new ec2.Vpc(network, 'Vpc', {
  ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), maxAzs: 2, natGateways: 1,
  subnetConfiguration: [
    { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
    { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
  ],
});
vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
const bastionSg = new ec2.SecurityGroup(network, 'BastionSg', { vpc });
const serverSg = new ec2.SecurityGroup(network, 'ServerSg', { vpc });
const dbSg = new ec2.SecurityGroup(network, 'DbSg', { vpc, allowAllOutbound: false });
serverSg.addIngressRule(bastionSg, ec2.Port.tcp(22));
dbSg.addIngressRule(serverSg, ec2.Port.tcp(3306));

const data = new Stack(app, 'Data', { env });
new rds.DatabaseInstance(data, 'Db', {
  engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0 }),
  instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
  vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, securityGroups: [dbSg],
  multiAz: true, storageEncrypted: true, backupRetention: Duration.days(7), deletionProtection: true,
  removalPolicy: RemovalPolicy.SNAPSHOT,
});
for (const name of ['frontend', 'backend']) new ecr.Repository(data, `Repo-${name}`, { repositoryName: `nemo/${name}`, imageScanOnPush: true });

const compute = new Stack(app, 'Compute', { env });
const ami = ec2.MachineImage.latestAmazonLinux2023();
for (const [name, type, sg] of [['Bastion', 't3.micro', bastionSg], ['AiVllm', 'g5.xlarge', serverSg], ['AiFastapi', 'g5.xlarge', serverSg]] as const) {
  const role = new iam.Role(compute, `${name}Role`, { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'));
  new ec2.Instance(compute, name, {
    vpc, instanceType: new ec2.InstanceType(type), machineImage: ami, securityGroup: sg, role, requireImdsv2: true,
    vpcSubnets: { subnetType: name === 'Bastion' ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS },
    blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(100, { encrypted: true }) }],
  });
}

const clusterStack = new Stack(app, 'Cluster', { env });
const cluster = new eks.Cluster(clusterStack, 'Cluster', {
  version: eks.KubernetesVersion.V1_33, vpc, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
  kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(clusterStack, 'Kubectl') },
});
cluster.addNodegroupCapacity('System', { instanceTypes: [new ec2.InstanceType('m6i.large')], minSize: 2, maxSize: 4 });
cluster.addNodegroupCapacity('Apps', { instanceTypes: [new ec2.InstanceType('m6i.xlarge')], minSize: 2, maxSize: 6 });
for (const addon of ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent', 'aws-ebs-csi-driver', 'metrics-server']) {
  new eks.Addon(clusterStack, `Addon-${addon}`, { cluster, addonName: addon });
}
for (const [name, namespace] of [['aws-load-balancer-controller', 'kube-system'], ['external-dns', 'external-dns'], ['external-secrets', 'external-secrets']] as const) {
  const role = new iam.Role(clusterStack, `${name}-role`, { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:Describe*', 'elasticloadbalancing:Describe*'], resources: ['*'] }));
  new eks.CfnPodIdentityAssociation(clusterStack, `${name}-pia`, { clusterName: cluster.clusterName, namespace, serviceAccount: name, roleArn: role.roleArn });
}
cluster.addHelmChart('ArgoCd', { chart: 'argo-cd', repository: 'https://argoproj.github.io/argo-helm', namespace: 'argocd', version: '8.0.0' });
cluster.addManifest('Apps', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
cluster.addManifest('StorageClass', {
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true' },
});

app.synth();
