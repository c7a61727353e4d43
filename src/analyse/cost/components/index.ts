/** The cost rules: resource type → rule. One rule per file, as cdk-nag keeps one rule per file. */
import type { CostRule } from '../rule.js';
import { autoScalingGroup } from './auto-scaling-group.js';
import { cdkEksCluster } from './cdk-eks-cluster.js';
import { classicLoadBalancer } from './classic-load-balancer.js';
import { clientVpnAssociation, clientVpnEndpoint } from './client-vpn.js';
import { ebsVolume } from './ebs-volume.js';
import { ec2Instance } from './ec2-instance.js';
import { ecrRepository } from './ecr-repository.js';
import { efsFileSystem } from './efs-file-system.js';
import { eksCluster } from './eks-cluster.js';
import { eksNodegroup } from './eks-nodegroup.js';
import { elasticIp } from './elastic-ip.js';
import { flowLog } from './flow-log.js';
import type { RuntimeRule } from './k8s.js';
import { k8sIngress } from './k8s-ingress.js';
import { k8sLoadBalancerService } from './k8s-load-balancer-service.js';
import { k8sPersistentVolumeClaim } from './k8s-persistent-volume-claim.js';
import { karpenterNodes } from './karpenter-nodes.js';
import { kmsKey } from './kms-key.js';
import { lambdaFunction } from './lambda-function.js';
import { loadBalancer } from './load-balancer.js';
import { logGroup } from './log-group.js';
import { natGateway } from './nat-gateway.js';
import { rdsInstance } from './rds-instance.js';
import { route53HostedZone } from './route53-hosted-zone.js';
import { s3Bucket } from './s3-bucket.js';
import { schedulerSchedule } from './scheduler-schedule.js';
import { secretsManagerSecret } from './secrets-manager-secret.js';
import { transitGatewayAttachment } from './transit-gateway-attachment.js';
import { vpcEndpoint } from './vpc-endpoint.js';
import { vpnConnection } from './vpn-connection.js';

export const RULES: readonly CostRule[] = [
  ec2Instance, ebsVolume, elasticIp, natGateway, vpcEndpoint, transitGatewayAttachment, vpnConnection,
  clientVpnAssociation, clientVpnEndpoint, flowLog, logGroup, loadBalancer, eksCluster, eksNodegroup,
  rdsInstance, efsFileSystem, s3Bucket, ecrRepository, route53HostedZone, kmsKey, secretsManagerSecret,
  lambdaFunction, schedulerSchedule, autoScalingGroup, classicLoadBalancer, cdkEksCluster,
];

export const RUNTIME_RULES: readonly RuntimeRule[] = [k8sIngress, k8sLoadBalancerService, k8sPersistentVolumeClaim, karpenterNodes];

export const RULES_BY_TYPE: ReadonlyMap<string, CostRule> = new Map(RULES.flatMap((rule) => rule.types.map((t) => [t, rule] as const)));

export { freeReason, FREE_TYPES } from './free.js';
