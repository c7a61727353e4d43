/** LoadBalancers from its narrow props: a load balancer plan, instance ids and a zone in a bare stack, no Plan. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { describe, expect, it } from 'vitest';
import { LoadBalancers, type LoadBalancersProps } from '../../../src/aws/load-balancers.js';
import type { LoadBalancerPlan, TargetGroupPlan } from '../../../src/plan/types.js';
import { bareNetwork, bareStack } from './bare.js';

const web: TargetGroupPlan = {
  name: 'web', servers: ['app'], port: 8080, protocol: 'HTTP',
  healthCheck: { path: '/health', port: undefined, healthyHttpCodes: '200' }, preserveClientIp: undefined,
};
const alb: LoadBalancerPlan = {
  ref: 'lb/public', name: 'public', type: 'application', scheme: 'internet-facing', tier: 'public',
  listeners: [
    { port: 80, protocol: 'HTTP', action: { kind: 'redirect', port: 443 } },
    { port: 443, protocol: 'HTTPS', action: { kind: 'forward', targetGroup: 'web' } },
  ],
  targetGroups: [web], crossZone: true, dnsNames: ['www.shop.example'], usesCertificate: true,
};

function synth(props: Partial<LoadBalancersProps>) {
  const stack = bareStack('Compute');
  const lbs = new LoadBalancers(stack, 'LoadBalancers', {
    network: bareNetwork(stack, { public: ['eu-west-1a', 'eu-west-1b'] }),
    instanceIdsOf: (server) => (server === 'app' ? ['i-0aaa', 'i-0bbb'] : []),
    zone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0SHOP', zoneName: 'shop.example' }),
    certificateNames: ['shop.example', '*.shop.example'],
    ...props,
  });
  return { lbs, template: Template.fromStack(stack) };
}

describe('LoadBalancers', () => {
  it('GIVEN an ALB with an HTTPS listener WHEN synthesized THEN its servers are targets by id, it serves the DNS-validated certificate and has its alias', () => {
    const { template } = synth({ loadBalancers: [alb] });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8080, Targets: [{ Id: 'i-0aaa', Port: 8080 }, { Id: 'i-0bbb', Port: 8080 }], HealthCheckPath: '/health',
    });
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'shop.example', SubjectAlternativeNames: ['*.shop.example'], ValidationMethod: 'DNS',
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS', Certificates: [Match.anyValue()] });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80, DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', StatusCode: 'HTTP_301' }) })],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'www.shop.example.', Type: 'A', HostedZoneId: 'Z0SHOP' });
    // Closed listeners and id targets: no security group rule comes from here.
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  it('GIVEN no load balancer but HTTPS Ingresses THEN the certificate exists for the controller-made ALBs, and nothing else', () => {
    const { lbs, template } = synth({ certificateForIngresses: true });
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    expect(lbs.accessLogBucket).toBeUndefined();
  });

  it('GIVEN an HTTPS listener and no certificate names THEN a located error, not a certificate without a domain', () => {
    expect(() => synth({ loadBalancers: [alb], certificateNames: [] })).toThrow(/E_NO_CERTIFICATE_NAMES/);
  });

  it('GIVEN a record and no zone THEN E_NO_ZONE names the record', () => {
    const plain: LoadBalancerPlan = { ...alb, listeners: [{ port: 80, protocol: 'HTTP', action: { kind: 'forward', targetGroup: 'web' } }], usesCertificate: false };
    expect(() => synth({ loadBalancers: [plain], zone: undefined })).toThrow(/E_NO_ZONE: the record www\.shop\.example of lb\/public/);
  });
});
