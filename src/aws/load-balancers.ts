/**
 * Load balancers of the plan, the platform certificate they serve, and alias records in the zone.
 * Listeners are created closed (`open: false`) and targets are registered by instance id, so CDK adds
 * no security group rule: who may reach a load balancer, and the load balancer its targets, is
 * decided by the network's flows alone.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ListenerPlan, LoadBalancerPlan, TargetGroupPlan } from '../plan/types.js';
import type { WorkloadsPlan } from '../plan/workloads.js';
import type { PlatformNetwork } from './platform-network.js';
import { acknowledge } from './acknowledge.js';

export interface LoadBalancersProps {
  /** Where each load balancer's subnets and security group come from. */
  readonly network: PlatformNetwork;
  /** The load balancers to create. @default - none */
  readonly loadBalancers?: readonly LoadBalancerPlan[];
  /** Instance ids of a server group by its name (`elk`), registered in the target groups that name it. */
  readonly instanceIdsOf: (server: string) => readonly string[];
  /** The platform's hosted zone; required when a listener uses the certificate or a load balancer has dnsNames. @default - none */
  readonly zone?: route53.IHostedZone;
  /** Names on the platform certificate, the first being its domain name. @default - none (no listener may need it) */
  readonly certificateNames?: readonly string[];
  /**
   * Create the certificate even when no listener uses it: the ALBs the AWS Load Balancer Controller makes
   * for HTTPS Ingresses find theirs in ACM by host name (see ingressesServeTls).
   * @default false
   */
  readonly certificateForIngresses?: boolean;
  /**
   * How long load balancer access logs are kept.
   * @default 90
   */
  readonly accessLogRetentionDays?: number;
}

type LoadBalancer = elbv2.ApplicationLoadBalancer | elbv2.NetworkLoadBalancer;

/**
 * TLS 1.2 and 1.3 with forward-secret AEAD ciphers only; the policy AWS recommends for clients that
 * still need TLS 1.2.
 */
const SSL_POLICY = elbv2.SslPolicy.RECOMMENDED_TLS;

export class LoadBalancers extends Construct {
  /** The DNS-validated certificate, when a listener or an Ingress serves HTTPS or TLS. */
  readonly certificate: acm.Certificate | undefined;
  /** Load balancers by plan name. */
  readonly loadBalancers: Readonly<Record<string, LoadBalancer>>;
  /** The bucket receiving every load balancer's access logs, under a prefix per load balancer. */
  readonly accessLogBucket: s3.Bucket | undefined;

  constructor(scope: Construct, id: string, props: LoadBalancersProps) {
    super(scope, id);
    const { zone, loadBalancers = [] } = props;

    this.certificate = loadBalancers.some((lb) => lb.usesCertificate) || props.certificateForIngresses
      ? newCertificate(this, props.certificateNames ?? [], zone)
      : undefined;
    this.accessLogBucket = loadBalancers.length > 0 ? newAccessLogBucket(this, props.accessLogRetentionDays ?? 90) : undefined;

    this.loadBalancers = Object.fromEntries(loadBalancers.map((lbPlan) => {
      const lb = lbPlan.type === 'application'
        ? newApplicationLoadBalancer(this, lbPlan, props, this.certificate)
        : newNetworkLoadBalancer(this, lbPlan, props, this.certificate);
      lb.logAccessLogs(this.accessLogBucket!, lbPlan.name);
      for (const dnsName of lbPlan.dnsNames) {
        new route53.ARecord(lb, `Alias-${dnsName}`, {
          zone: requireZone(zone, `the record ${dnsName} of ${lbPlan.ref}`),
          recordName: dnsName,
          target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(lb)),
        });
      }
      return [lbPlan.name, lb];
    }));
  }
}

function requireZone(zone: route53.IHostedZone | undefined, what: string): route53.IHostedZone {
  if (!zone) throw new Error(`E_NO_ZONE: ${what} needs the platform's hosted zone, and none was passed to LoadBalancers; add a dns section to the spec.`);
  return zone;
}

/**
 * The ALBs the AWS Load Balancer Controller creates for HTTPS Ingresses find their certificate in ACM
 * by host name, so the platform certificate must exist even when no load balancer of the spec uses it.
 */
export function ingressesServeTls(workloads: WorkloadsPlan | undefined): boolean {
  return [...(workloads?.apps ?? []), ...(workloads?.services ?? [])].some((w) => w.exposure?.tls);
}

function newCertificate(scope: Construct, certificateNames: readonly string[], zone: route53.IHostedZone | undefined): acm.Certificate {
  const [domainName, ...alternativeNames] = certificateNames;
  if (!domainName) {
    throw new Error('E_NO_CERTIFICATE_NAMES: an HTTPS/TLS listener needs the platform certificate, and dns.certificate names nothing; add dns.zone or certificate names.');
  }
  return new acm.Certificate(scope, 'Certificate', {
    domainName,
    subjectAlternativeNames: alternativeNames.length > 0 ? alternativeNames : undefined,
    validation: acm.CertificateValidation.fromDns(requireZone(zone, 'the DNS-validated certificate')),
  });
}

function newAccessLogBucket(scope: Construct, retentionDays: number): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'AccessLogs', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    // ALB log delivery supports SSE-S3 only; a KMS default key would make its deliveries fail.
    encryption: s3.BucketEncryption.S3_MANAGED,
    lifecycleRules: [{ expiration: Duration.days(retentionDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    // Access logs are security evidence: they outlive the stack. Never autoDeleteObjects (a Lambda).
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
  acknowledge(bucket, 'AwsSolutions-S1', 'This bucket only receives load balancer access logs, written by the ELB service; logging its own '
      + 'requests would need another log bucket that raises the same finding.');
  return bucket;
}

function targetInstances(tg: TargetGroupPlan, instanceIdsOf: LoadBalancersProps['instanceIdsOf']): targets.InstanceIdTarget[] {
  // Registered by id: unlike passing the instance as a connectable, CDK then adds no security group
  // rule from the load balancer to the instance.
  return tg.servers.flatMap((server) => instanceIdsOf(server)).map((id) => new targets.InstanceIdTarget(id, tg.port));
}

function newApplicationLoadBalancer(
  scope: Construct,
  lbPlan: LoadBalancerPlan,
  props: LoadBalancersProps,
  certificate: acm.Certificate | undefined,
): elbv2.ApplicationLoadBalancer {
  const { network, instanceIdsOf } = props;
  const lb = new elbv2.ApplicationLoadBalancer(scope, lbPlan.name, {
    vpc: network.vpc,
    vpcSubnets: { subnets: network.subnetsOf(lbPlan.tier) },
    internetFacing: lbPlan.scheme === 'internet-facing',
    securityGroup: network.securityGroup(lbPlan.ref),
    dropInvalidHeaderFields: true,
    // Stateless: replacing a load balancer loses nothing, the alias records follow it, and deletion
    // protection would only make CloudFormation fail on a replacement.
    deletionProtection: false,
  });
  const targetGroups = new Map(lbPlan.targetGroups.map((tg) => [tg.name, new elbv2.ApplicationTargetGroup(lb, `Targets-${tg.name}`, {
    vpc: network.vpc,
    port: tg.port,
    protocol: tg.protocol === 'HTTPS' ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
    targetType: elbv2.TargetType.INSTANCE,
    targets: targetInstances(tg, instanceIdsOf),
    healthCheck: {
      path: tg.healthCheck.path,
      port: tg.healthCheck.port?.toString(),
      healthyHttpCodes: tg.healthCheck.healthyHttpCodes,
    },
  })]));

  for (const listener of lbPlan.listeners) {
    const https = listener.protocol === 'HTTPS';
    lb.addListener(`Listener${listener.port}`, {
      port: listener.port,
      protocol: https ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
      open: false,
      ...(https ? { certificates: [requireCertificate(certificate, lbPlan, listener)], sslPolicy: SSL_POLICY } : {}),
      defaultAction: listener.action.kind === 'forward'
        ? elbv2.ListenerAction.forward([requireTargetGroup(targetGroups, lbPlan, listener.action.targetGroup)])
        : elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: String(listener.action.port), permanent: true }),
    });
  }
  return lb;
}

const NETWORK_PROTOCOLS = {
  TCP: elbv2.Protocol.TCP,
  UDP: elbv2.Protocol.UDP,
  TLS: elbv2.Protocol.TLS,
  HTTP: elbv2.Protocol.HTTP,
  HTTPS: elbv2.Protocol.HTTPS,
} as const;

function newNetworkLoadBalancer(
  scope: Construct,
  lbPlan: LoadBalancerPlan,
  props: LoadBalancersProps,
  certificate: acm.Certificate | undefined,
): elbv2.NetworkLoadBalancer {
  const { network, instanceIdsOf } = props;
  const lb = new elbv2.NetworkLoadBalancer(scope, lbPlan.name, {
    vpc: network.vpc,
    vpcSubnets: { subnets: network.subnetsOf(lbPlan.tier) },
    internetFacing: lbPlan.scheme === 'internet-facing',
    // NLBs filter with security groups too; one is attached at creation because it cannot be added later.
    securityGroups: [network.securityGroup(lbPlan.ref)],
    crossZoneEnabled: lbPlan.crossZone,
    deletionProtection: false,
  });
  const targetGroups = new Map(lbPlan.targetGroups.map((tg) => [tg.name, new elbv2.NetworkTargetGroup(lb, `Targets-${tg.name}`, {
    vpc: network.vpc,
    port: tg.port,
    protocol: NETWORK_PROTOCOLS[tg.protocol],
    targetType: elbv2.TargetType.INSTANCE,
    preserveClientIp: tg.preserveClientIp,
    targets: targetInstances(tg, instanceIdsOf),
    // A path asks for an HTTP check; otherwise the check is a TCP connect on the traffic port.
    healthCheck: tg.healthCheck.path !== undefined
      ? { protocol: elbv2.Protocol.HTTP, path: tg.healthCheck.path, port: tg.healthCheck.port?.toString(), healthyHttpCodes: tg.healthCheck.healthyHttpCodes }
      : { port: tg.healthCheck.port?.toString() },
  })]));

  for (const listener of lbPlan.listeners) {
    if (listener.action.kind !== 'forward') {
      throw new Error(`E_NLB_REDIRECT: ${lbPlan.ref} listener ${listener.port} redirects, and network load balancers cannot; forward to a target group instead.`);
    }
    const tls = listener.protocol === 'TLS';
    lb.addListener(`Listener${listener.port}`, {
      port: listener.port,
      protocol: NETWORK_PROTOCOLS[listener.protocol],
      ...(tls ? { certificates: [requireCertificate(certificate, lbPlan, listener)], sslPolicy: SSL_POLICY } : {}),
      defaultAction: elbv2.NetworkListenerAction.forward([requireTargetGroup(targetGroups, lbPlan, listener.action.targetGroup)]),
    });
  }
  return lb;
}

function requireCertificate(certificate: acm.Certificate | undefined, lbPlan: LoadBalancerPlan, listener: ListenerPlan): elbv2.ListenerCertificate {
  if (!certificate) {
    throw new Error(`E_NO_CERTIFICATE: ${lbPlan.ref} listener ${listener.port} (${listener.protocol}) needs the platform certificate, and there is none; add a dns section to the spec.`);
  }
  return elbv2.ListenerCertificate.fromCertificateManager(certificate);
}

function requireTargetGroup<T>(groups: Map<string, T>, lbPlan: LoadBalancerPlan, name: string): T {
  const group = groups.get(name);
  if (!group) {
    throw new Error(`E_UNKNOWN_TARGET_GROUP: ${lbPlan.ref} has no target group "${name}"; it has ${[...groups.keys()].join(', ') || '(none)'}.`);
  }
  return group;
}
