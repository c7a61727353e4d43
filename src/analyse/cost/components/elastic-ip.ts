/** AWS::EC2::EIP: one public IPv4 address, billed every hour whether in use or idle. */
import { hourlyLine, type CostRule } from '../rule.js';

export const elasticIp: CostRule = {
  types: ['AWS::EC2::EIP'],
  layer: 'network',
  cost(_r, ctx) {
    return { components: [hourlyLine(ctx, 'Public IPv4 address (Elastic IP)', 'vpc.publicIpv4.hour', 1, { notes: ['billed while allocated, attached or not'] })] };
  },
};
