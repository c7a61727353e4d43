import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { DnsZone } from '../../src/aws/dns.js';
import { Hosts, hostsOf } from '../../src/aws/hosts.js';
import { ingressesServeTls, LoadBalancers } from '../../src/aws/load-balancers.js';
import type { Plan } from '../../src/plan/types.js';
import { examplePlan, planFromYaml } from '../support.js';
import type { TestPlatform } from './fake-network.js';
import { acknowledgements, allResources, validationFindings, testPlatform } from './fake-network.js';

/** The compute stack of app.ts (hosts and load balancers) with the zone from the data stack. */
function edgePlatform(plan: Plan) {
  let hosts!: Hosts;
  let lbs!: LoadBalancers;
  const platform = testPlatform(plan, ({ data, compute, network }) => {
    const dns = new DnsZone(data, 'Dns', { dns: plan.dns, comment: 'plinth test' });
    hosts = new Hosts(compute, 'Hosts', { platformName: plan.platform.name, region: plan.platform.region, hosts: hostsOf(plan), network, clusterName: plan.cluster?.name });
    lbs = new LoadBalancers(compute, 'LoadBalancers', {
      network,
      loadBalancers: plan.loadBalancers,
      instanceIdsOf: (server) => hosts.instances(`servers/${server}`).map((i) => i.instanceId),
      zone: dns.zone,
      certificateNames: plan.dns?.certificateNames,
      certificateForIngresses: ingressesServeTls(plan.workloads),
    });
  }, { cloudFormationValidation: true });
  return { platform, hosts, lbs, template: Template.fromStack(platform.compute) };
}

function instanceRef(platform: TestPlatform, instance: ec2.Instance) {
  return { Ref: platform.compute.getLogicalId(instance.node.defaultChild as ec2.CfnInstance) };
}

function expectNoLambdaAndNoRules(platform: TestPlatform): void {
  const resources = allResources(platform).map(([, , r]) => r);
  expect(resources.filter((r) => r.Type.startsWith('Custom::') || r.Type.startsWith('AWS::Lambda::'))).toEqual([]);
  expect(resources.filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress' || r.Type === 'AWS::EC2::SecurityGroupEgress')).toEqual([]);
  for (const r of resources.filter((x) => x.Type === 'AWS::EC2::SecurityGroup')) {
    // The fake network's groups are created empty; any rule here would have been added by a load balancer.
    expect(r.Properties?.SecurityGroupIngress).toBeUndefined();
    // CDK's placeholder for "no egress" on a group created with allowAllOutbound: false.
    expect(r.Properties?.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32' })]);
  }
}

describe('LoadBalancers on the bootcamp EC2 seed', () => {
  let seed: ReturnType<typeof edgePlatform>;
  beforeAll(() => {
    // GIVEN the bootcamp seed  WHEN hosts and load balancers are synthesized
    seed = edgePlatform(examplePlan('bootcamp-ec2'));
  });

  it('creates one internet-facing ALB in the public subnets with the lb/public security group', () => {
    seed.template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    const publicIds = seed.platform.network.subnetsOf('public').map((s) => s.subnetId);
    seed.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'application',
      Scheme: 'internet-facing',
      Subnets: publicIds,
      SecurityGroups: [{ 'Fn::ImportValue': Match.stringLikeRegexp('Sglbpublic') }],
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: 'false' },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.prefix', Value: 'public' },
      ]),
    });
  });

  it('serves HTTPS on 443 with the certificate and a TLS 1.2+ policy, forwarding to springboot on 8080', () => {
    const tgId = Object.keys(seed.template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))[0]!;
    seed.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('Certificate') } }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: tgId } }],
    });
    seed.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8080,
      Protocol: 'HTTP',
      TargetType: 'instance',
      HealthCheckPath: '/actuator/health',
      Targets: [{ Id: instanceRef(seed.platform, seed.hosts.instances('servers/springboot')[0]!), Port: 8080 }],
    });
  });

  it('redirects HTTP on 80 to HTTPS 443 permanently', () => {
    seed.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    seed.template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
  });

  it('requests a DNS-validated certificate for the zone and its wildcard', () => {
    seed.template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'bootcamp.example.com',
      SubjectAlternativeNames: ['*.bootcamp.example.com'],
      ValidationMethod: 'DNS',
      DomainValidationOptions: Match.arrayWith([
        { DomainName: 'bootcamp.example.com', HostedZoneId: { 'Fn::ImportValue': Match.stringLikeRegexp('DnsZone') } },
      ]),
    });
  });

  it('points an alias A record for www at the load balancer', () => {
    const lbId = Object.keys(seed.template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0]!;
    seed.template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'www.bootcamp.example.com.',
      Type: 'A',
      HostedZoneId: { 'Fn::ImportValue': Match.stringLikeRegexp('DnsZone') },
      AliasTarget: { HostedZoneId: { 'Fn::GetAtt': [lbId, 'CanonicalHostedZoneID'] }, DNSName: Match.anyValue() },
    });
  });

  it('writes access logs to a retained, private, TLS-only bucket the Seoul ELB account may write to', () => {
    seed.template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] },
      }),
    });
    seed.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow', Action: 's3:PutObject',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::600734575887:root']] } },
          }),
        ]),
      },
    });
  });

  it('passes cdk-nag and the CloudFormation validator, acknowledging on load balancers only the log bucket\'s own access logging and the SSM policy', () => {
    expect(validationFindings(seed.platform).unacknowledged).toEqual([]);
    const acks = acknowledgements(seed.platform.app).filter((a) => a.constructPath.startsWith('Compute/LoadBalancers'));
    expect(acks.map((a) => `${a.constructPath} ${a.id}`)).toEqual(['Compute/LoadBalancers/AccessLogs AwsSolutions-S1']);
  });

  it('adds no custom resource, Lambda function or security group rule (the network owns every rule)', () => {
    expectNoLambdaAndNoRules(seed.platform);
  });
});

describe('LoadBalancers on the nemo v3 seed', () => {
  it('creates no load balancer or log bucket when the spec has none, only the certificate its HTTPS Ingresses need', () => {
    // GIVEN nemo (a dns zone, no load balancers, apps exposed over HTTPS)  WHEN synthesized
    // THEN no load balancer of its own, but the certificate the controller's ALB finds by host
    const nemo = edgePlatform(examplePlan('nemo-v3'));
    nemo.template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    nemo.template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    nemo.template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(nemo.lbs.certificate).toBeDefined();
    expect(validationFindings(nemo.platform).unacknowledged).toEqual([]);
  });
});

describe('LoadBalancers on an inline spec with an NLB and an internal HTTP-only ALB', () => {
  const SPEC = `
platform: { name: edge, region: eu-central-1 }
network:
  cidr: 10.4.0.0/16
  azs: [eu-central-1a, eu-central-1b]
servers:
  api: { count: 2, ports: [8443, 9000] }
  mqtt: { ports: [1883] }
loadBalancers:
  ingress:
    type: network
    listeners:
      - { port: 443, protocol: TLS, targetGroup: api }
      - { port: 1883, targetGroup: mqtt }
    targetGroups:
      api: { servers: [api], port: 8443, healthCheck: { path: /healthz, port: 9000 } }
      mqtt: { servers: [mqtt], port: 1883 }
    crossZone: false
    dnsNames: [api.edge.example.com]
  internal:
    scheme: internal
    listeners: [{ port: 80, targetGroup: web }]
    targetGroups:
      web: { servers: [api], port: 9000, healthCheck: { healthyHttpCodes: "200" } }
dns: { zone: edge.example.com, certificate: { names: [api.edge.example.com] } }
`;
  let inline: ReturnType<typeof edgePlatform>;
  beforeAll(() => {
    inline = edgePlatform(planFromYaml(SPEC));
  });

  it('creates an internet-facing NLB with its security group and cross-zone balancing as the spec says', () => {
    inline.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'network',
      Scheme: 'internet-facing',
      Subnets: inline.platform.network.subnetsOf('public').map((s) => s.subnetId),
      SecurityGroups: [{ 'Fn::ImportValue': Match.stringLikeRegexp('Sglbingress') }],
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'load_balancing.cross_zone.enabled', Value: 'false' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.prefix', Value: 'ingress' },
      ]),
    });
  });

  it('terminates TLS on 443 with the certificate and passes TCP 1883 through', () => {
    inline.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443, Protocol: 'TLS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('Certificate') } }],
    });
    inline.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 1883, Protocol: 'TCP', Certificates: Match.absent() });
    inline.template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.edge.example.com', SubjectAlternativeNames: Match.absent(), ValidationMethod: 'DNS',
    });
  });

  it('registers both api hosts, health-checking over HTTP on the given port and path', () => {
    const api = inline.hosts.instances('servers/api');
    expect(api).toHaveLength(2);
    inline.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8443, Protocol: 'TCP', TargetType: 'instance',
      HealthCheckProtocol: 'HTTP', HealthCheckPath: '/healthz', HealthCheckPort: '9000',
      Targets: api.map((i) => ({ Id: instanceRef(inline.platform, i), Port: 8443 })),
    });
    inline.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 1883, Protocol: 'TCP', HealthCheckPath: Match.absent(),
    });
  });

  it('creates the internal ALB in the private subnets, HTTP only, without a certificate', () => {
    inline.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'application',
      Scheme: 'internal',
      Subnets: inline.platform.network.subnetsOf('private').map((s) => s.subnetId),
    });
    inline.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP', Certificates: Match.absent() });
    inline.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 9000, Protocol: 'HTTP', Matcher: { HttpCode: '200' } });
    inline.template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
  });

  it('shares one access-log bucket between the load balancers and adds the NLB alias record', () => {
    inline.template.resourceCountIs('AWS::S3::Bucket', 1);
    inline.template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.edge.example.com.', Type: 'A' });
  });

  it('passes cdk-nag and the CloudFormation validator, and adds no Lambda or security group rule', () => {
    expect(validationFindings(inline.platform).unacknowledged).toEqual([]);
    expectNoLambdaAndNoRules(inline.platform);
  });
});
