/** AWS::EC2::TransitGatewayAttachment: attachment hours and GB sent through the gateway (billed to the attaching account). */
import { hourlyLine, usageLine, type CostRule } from '../rule.js';

export const transitGatewayAttachment: CostRule = {
  types: ['AWS::EC2::TransitGatewayAttachment', 'AWS::EC2::TransitGatewayVpcAttachment'],
  layer: 'network',
  cost(r, ctx) {
    return {
      components: [
        hourlyLine(ctx, 'Transit Gateway attachment', 'vpc.transitGatewayAttachment.hour', 1),
        usageLine(ctx, 'Data processed', 'GB', 'vpc.transitGateway.gb', 'transitGateway.dataProcessedGB', r.address),
      ],
    };
  },
};
