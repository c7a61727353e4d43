/**
 * AWS::ElasticLoadBalancing::LoadBalancer (Classic Load Balancer): billed per hour it runs and per GB
 * it processes (Elastic Load Balancing pricing page, "Classic Load Balancer"). The usage of a data
 * line comes from loadBalancer.classicGb.
 */
import { hourlyLine, usageLine, type CostRule } from '../rule.js';

export const classicLoadBalancer: CostRule = {
  types: ['AWS::ElasticLoadBalancing::LoadBalancer'],
  layer: 'edge',
  cost(r, ctx) {
    return {
      components: [
        hourlyLine(ctx, 'Classic load balancer', 'elb.classic.hour', 1),
        usageLine(ctx, 'Data processed', 'GB', 'elb.classic.gb', 'loadBalancer.classicGb', r.address),
      ],
      flags: ['Classic Load Balancer: AWS recommends migrating to an Application or Network Load Balancer'],
    };
  },
};
