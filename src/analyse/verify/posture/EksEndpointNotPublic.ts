import { Unknown, type StackResource, type Value } from '../../model/resolve.js';
import { field, flag, items } from '../../model/resources.js';
import type { Finding } from '../findings.js';
import { nameOf, postureFinding, type PostureRule } from './rule.js';

/**
 * PS9: no EKS API endpoint is open to the whole internet. Reads AWS::EKS::Cluster
 * (ResourcesVpcConfig.EndpointPublicAccess, default true; PublicAccessCidrs, default 0.0.0.0/0) and
 * the cluster of aws-cdk-lib's older aws-eks module, `Custom::AWSCDK-EKS-Cluster`, whose Config is
 * passed as is to the EKS CreateCluster API (aws-eks/lib/cluster-resource.ts: Config.resourcesVpcConfig
 * with endpointPublicAccess, publicAccessCidrs; the API's defaults are the same).
 */
export const EksEndpointNotPublic: PostureRule = {
  id: 'PS9',
  name: 'EksEndpointNotPublic',
  level: 'error',
  cause: 'An EKS cluster (AWS::EKS::Cluster or the CDK custom resource Custom::AWSCDK-EKS-Cluster) has its public API endpoint enabled for 0.0.0.0/0, written or by default.',
  why: 'The Kubernetes API is the cluster\'s control panel; open to the world it relies on authentication alone, and every new API-server vulnerability is reachable by everyone. Restrict the public endpoint to known addresses, or turn it off and reach the private endpoint through a VPN.',
  check(resources) {
    const out: Finding[] = [];
    const judge = (r: StackResource, config: Value | undefined, keys: { public: string; cidrs: string }) => {
      const enabled = flag(field(config, keys.public));
      if (enabled === false) return;
      const cidrs = field(config, keys.cidrs);
      const list = cidrs === undefined ? ['0.0.0.0/0'] : items(cidrs);
      if (cidrs instanceof Unknown || enabled instanceof Unknown) {
        out.push(postureFinding(this, r, `The EKS cluster ${nameOf(r)} may expose its public API endpoint to the internet`, cidrs instanceof Unknown ? cidrs : enabled as Unknown));
      } else if (list.includes('0.0.0.0/0')) {
        out.push(postureFinding(this, r, `The EKS cluster ${nameOf(r)} has its public API endpoint open to 0.0.0.0/0${cidrs === undefined ? ' (PublicAccessCidrs not set; the default is 0.0.0.0/0)' : ''}.`));
      }
    };
    for (const r of resources.ofType('AWS::EKS::Cluster')) judge(r, resources.prop(r, 'ResourcesVpcConfig'), { public: 'EndpointPublicAccess', cidrs: 'PublicAccessCidrs' });
    for (const r of resources.ofType('Custom::AWSCDK-EKS-Cluster')) judge(r, field(resources.prop(r, 'Config'), 'resourcesVpcConfig'), { public: 'endpointPublicAccess', cidrs: 'publicAccessCidrs' });
    return out;
  },
};
