/** AWS::EC2::VPCEndpoint: gateway endpoints (S3, DynamoDB) are free; interface endpoints cost per AZ-hour and per GB. */
import { hourlyLine, usageLine, type CostRule } from '../rule.js';

export const vpcEndpoint: CostRule = {
  types: ['AWS::EC2::VPCEndpoint'],
  layer: 'network',
  cost(r, ctx) {
    const type = r.properties.VpcEndpointType ?? 'Gateway';
    if (type === 'Gateway') return { components: [], free: 'gateway endpoints (S3, DynamoDB) have no hourly or data charge' };
    const azs = Array.isArray(r.properties.SubnetIds) ? r.properties.SubnetIds.length : 1;
    return {
      components: [
        hourlyLine(ctx, `Interface endpoint (${azs} AZ${azs === 1 ? '' : 's'})`, 'vpc.interfaceEndpoint.hour', azs),
        usageLine(ctx, 'Data processed', 'GB', 'vpc.interfaceEndpoint.gb', 'vpcEndpoint.dataProcessedGB', r.address),
      ],
    };
  },
};
