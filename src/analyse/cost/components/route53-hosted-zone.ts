/** AWS::Route53::HostedZone: the zone per month and standard queries from the usage file (alias queries to AWS resources are free). */
import { fixedLine, usageLine, type CostRule } from '../rule.js';

export const route53HostedZone: CostRule = {
  types: ['AWS::Route53::HostedZone'],
  layer: 'edge',
  cost(r, ctx) {
    return {
      components: [
        fixedLine(ctx, 'Hosted zone', 'zone-months', 'route53.hostedZone', 1, { notes: ['first 25 zones of the account'] }),
        usageLine(ctx, 'Standard queries', '1M queries', 'route53.queries', 'route53.queriesM', r.address, (q) => q, { notes: ['queries for alias records pointing at AWS resources are free'] }),
      ],
    };
  },
};
