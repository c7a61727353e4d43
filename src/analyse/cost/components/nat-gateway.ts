/**
 * AWS::EC2::NatGateway: gateway hours and GB processed. A zonal gateway's public address is its
 * own AWS::EC2::EIP (priced there). A regional gateway is billed per AZ it serves.
 */
import { hourlyLine, usageLine, type CostRule } from '../rule.js';

export const natGateway: CostRule = {
  types: ['AWS::EC2::NatGateway'],
  layer: 'network',
  cost(r, ctx) {
    const regional = r.properties.AvailabilityMode === 'regional';
    let azs = 1;
    const notes: string[] = [];
    if (regional) {
      const vpc = ctx.resolver.target(r.stack, r.properties.VpcId)?.address;
      azs = new Set(ctx.resolver.ofType('AWS::EC2::Subnet').filter((s) => ctx.resolver.target(s.stack, s.properties.VpcId)?.address === vpc).map((s) => s.properties.AvailabilityZone)).size || 1;
      notes.push(`regional NAT gateway: billed in each of the VPC's ${azs} AZs (assumption: active in every AZ that has subnets)`);
    }
    return {
      components: [
        hourlyLine(ctx, regional ? `NAT gateway (regional, ${azs} AZs)` : 'NAT gateway', 'vpc.natGateway.hour', azs, { notes }),
        usageLine(ctx, 'Data processed', 'GB', 'vpc.natGateway.gb', 'natGateway.dataProcessedGB', r.address),
      ],
    };
  },
};
