/**
 * What a stack's create or update waits for, so deploy can say it before CloudFormation goes quiet.
 * Only the slow, well-known waits; durations are typical, not promises.
 */
import type { StackChange } from './types.js';

const SLOW: Readonly<Record<string, string>> = {
  // aws/containers-roadmap#1227: "EKS cluster control plane provisioning time currently averages 15 minutes".
  'AWS::EKS::Cluster': 'the EKS control plane (usually 10-15 min)',
  'AWS::EKS::Nodegroup': 'node groups to join the cluster (a few minutes each)',
  'AWS::RDS::DBInstance': 'the database (often 10-20 min; Multi-AZ longer)',
  // The AWS::CertificateManager::Certificate reference: the stack "will remain in the CREATE_IN_PROGRESS
  // state" until the DNS validation record resolves, i.e. until the zone is delegated.
  'AWS::CertificateManager::Certificate': 'the certificate, which is issued only once the domain is delegated to the zone\'s name servers',
  'AWS::EC2::ClientVpnEndpoint': 'the Client VPN endpoint and its subnet associations (5-10 min)',
  'AWS::EC2::NatGateway': 'NAT gateways (a few minutes)',
  'AWS::EC2::TransitGatewayAttachment': 'the transit gateway attachment (accepted by the gateway\'s owner unless auto-accept is on)',
};

export function waitsFor(change: StackChange): string[] {
  const types = new Set(change.resources.filter((r) => r.action !== 'remove' && r.action !== 'modify').map((r) => r.type));
  return Object.entries(SLOW).filter(([type]) => types.has(type)).map(([, what]) => what);
}
