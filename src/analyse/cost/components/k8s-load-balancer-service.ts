/**
 * Service of type LoadBalancer: the AWS Load Balancer Controller creates one NLB per Service
 * (loadBalancerClass service.k8s.aws/nlb or aws-load-balancer-type external/nlb). Without those,
 * the in-tree controller creates a Classic Load Balancer, which plinth does not price.
 */
import { annotation, discoveredAzs, objectName, type RuntimeRule } from './k8s.js';
import { loadBalancerLines } from './load-balancer.js';

export const k8sLoadBalancerService: RuntimeRule = {
  kinds: ['Service'],
  cost(objects, ctx) {
    return objects.filter((o) => o.kind === 'Service' && o.spec?.type === 'LoadBalancer').map((o) => {
      const lbType = annotation(o, 'service.beta.kubernetes.io/aws-load-balancer-type');
      const nlb = o.spec?.loadBalancerClass === 'service.k8s.aws/nlb' || lbType === 'external' || lbType === 'nlb' || lbType === 'nlb-ip';
      const internetFacing = annotation(o, 'service.beta.kubernetes.io/aws-load-balancer-scheme') === 'internet-facing';
      const azs = discoveredAzs(ctx, internetFacing) || 2;
      return {
        address: `k8s/nlb/${objectName(o)}`,
        type: 'K8s::Service (LoadBalancer)',
        name: `${nlb ? 'NLB' : 'Classic load balancer'} for service ${objectName(o)}`,
        layer: 'edge' as const,
        components: loadBalancerLines(ctx, nlb ? 'network' : 'classic', internetFacing, azs, `k8s/${objectName(o)}`),
        flags: nlb ? [] : ['no AWS Load Balancer Controller annotation: the in-tree controller creates a Classic Load Balancer'],
      };
    });
  },
};
