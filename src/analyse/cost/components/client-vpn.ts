/**
 * AWS Client VPN: each subnet association is billed per hour (AWS::EC2::ClientVpnTargetNetworkAssociation);
 * client connections are billed per connection-hour on the endpoint (AWS::EC2::ClientVpnEndpoint).
 */
import { hourlyLine, usageLine, type CostRule } from '../rule.js';

export const clientVpnAssociation: CostRule = {
  types: ['AWS::EC2::ClientVpnTargetNetworkAssociation'],
  layer: 'network',
  cost(_r, ctx) {
    return { components: [hourlyLine(ctx, 'Client VPN endpoint association', 'clientVpn.association.hour', 1)] };
  },
};

export const clientVpnEndpoint: CostRule = {
  types: ['AWS::EC2::ClientVpnEndpoint'],
  layer: 'network',
  cost(r, ctx) {
    return { components: [usageLine(ctx, 'Client connections', 'connection-hours', 'clientVpn.connection.hour', 'clientVpn.connectionHours', r.address)] };
  },
};
