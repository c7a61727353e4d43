/** AWS::EC2::VPNConnection: Site-to-Site VPN connection hours (the virtual private gateway itself is free). */
import { hourlyLine, type CostRule } from '../rule.js';

export const vpnConnection: CostRule = {
  types: ['AWS::EC2::VPNConnection'],
  layer: 'network',
  cost(_r, ctx) {
    return { components: [hourlyLine(ctx, 'Site-to-Site VPN connection', 'vpn.connection.hour', 1)] };
  },
};
