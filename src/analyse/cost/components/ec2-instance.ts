/**
 * AWS::EC2::Instance: instance hours (type from the instance or its launch template), its EBS
 * disks, and a public IPv4 address when it lands in a subnet that maps one and no Elastic IP is
 * associated. Spot (launch template InstanceMarketOptions) is an explicit assumption.
 */
import type { CfnResource } from '../model.js';
import { str } from '../model.js';
import { price } from '../prices.js';
import { hourlyLine, mapsPublicIp, round, runningFraction, type CostContext, type CostRule } from '../rule.js';
import type { CostComponent } from '../types.js';
import { disksOf, ebsLines } from './ebs-volume.js';

export function launchTemplateData(ctx: CostContext, r: CfnResource, ref: unknown): Record<string, unknown> {
  const lt = ctx.resolver.target(r.stack, (ref as Record<string, unknown> | undefined)?.LaunchTemplateId ?? (ref as Record<string, unknown> | undefined)?.Id);
  return ((lt?.properties.LaunchTemplateData ?? {}) as Record<string, unknown>);
}

/**
 * Instance hours, on-demand or Spot. Spot: the usage file's spot.discountPercent when it sets one;
 * else the table's sourced Spot snapshot (`ec2.spot.<type>.low/.high`, the cheapest and dearest zone):
 * the low profile at the cheapest zone, base and high at the dearest; else the on-demand rate, an upper bound.
 */
export function instanceHours(ctx: CostContext, label: string, instanceType: string, count: number, address: string, spot: boolean, extraNotes: string[] = []): CostComponent {
  const { fraction, notes } = runningFraction(ctx, address);
  if (!spot) return hourlyLine(ctx, `${label} (${instanceType}, on-demand)`, `ec2.instance.${instanceType}`, count, { runningFraction: fraction, notes: [...notes, ...extraNotes] });
  const discount = ctx.usage.get('spot.discountPercent', address).base;
  const market = spotPrices(ctx, instanceType);
  if (discount === 0 && market) {
    const line = hourlyLine(ctx, `${label} (${instanceType}, Spot)`, `ec2.spot.${instanceType}.high`, count, {
      runningFraction: fraction,
      notes: [...notes, ...extraNotes, `Spot priced from the table's Spot snapshot: $${market.low}–$${market.high} an hour by zone (low profile at the cheapest zone, base and high at the dearest); Spot prices move with the market`],
    });
    const low = line.quantity.low * market.low;
    return { ...line, monthly: line.monthly && { ...line.monthly, low: round(low) } };
  }
  const line = hourlyLine(ctx, `${label} (${instanceType}, Spot)`, `ec2.instance.${instanceType}`, count, {
    runningFraction: fraction,
    notes: [...notes, ...extraNotes, discount === 0
      ? `Spot is unpriced in the ${ctx.table.region} table for ${instanceType}: priced at the on-demand rate, an upper bound (a usage file may set spot.discountPercent)`
      : `assumption: Spot priced at the on-demand rate less spot.discountPercent = ${discount}% (from the usage file)`],
  });
  if (line.unitPrice === undefined || discount === 0) return line;
  const f = 1 - discount / 100;
  const scale = (m: Record<'low' | 'base' | 'high', number>) => ({ low: m.low * f, base: m.base * f, high: m.high * f });
  return { ...line, unitPrice: line.unitPrice * f, monthly: line.monthly && scale(line.monthly), savings: line.savings && line.savings * f };
}

/** The table's sourced Spot range for a type, when it has both ends. */
export function spotPrices(ctx: CostContext, instanceType: string): { low: number; high: number } | undefined {
  const low = price(ctx.table, `ec2.spot.${instanceType}.low`)?.usd;
  const high = price(ctx.table, `ec2.spot.${instanceType}.high`)?.usd;
  return low === undefined || high === undefined ? undefined : { low, high };
}

export const ec2Instance: CostRule = {
  types: ['AWS::EC2::Instance'],
  layer: 'compute',
  cost(r, ctx) {
    const p = r.properties;
    const lt = launchTemplateData(ctx, r, p.LaunchTemplate);
    const type = str(p.InstanceType) ?? str(lt.InstanceType);
    const spot = ((lt.InstanceMarketOptions as Record<string, unknown> | undefined)?.MarketType ?? (p.InstanceMarketOptions as Record<string, unknown> | undefined)?.MarketType) === 'spot';
    const components: CostComponent[] = [];
    const flags: string[] = [];
    if (type) components.push(instanceHours(ctx, 'Instance usage', type, 1, r.address, spot));
    else flags.push('instance type is not a literal in the instance or its launch template');
    const disks = disksOf(p.BlockDeviceMappings).length ? disksOf(p.BlockDeviceMappings) : disksOf(lt.BlockDeviceMappings);
    disks.forEach((d, i) => components.push(...ebsLines(ctx, i === 0 ? 'Root volume' : `Volume ${i + 1}`, d)));
    if (disks.length === 0) flags.push('root volume size comes from the AMI and is not priced');
    const hasEip = ctx.resolver.ofType('AWS::EC2::EIPAssociation').some((a) => ctx.resolver.target(a.stack, a.properties.InstanceId)?.address === r.address)
      || ctx.resolver.ofType('AWS::EC2::EIP').some((e) => ctx.resolver.target(e.stack, e.properties.InstanceId)?.address === r.address);
    const nic = Array.isArray(p.NetworkInterfaces) ? (p.NetworkInterfaces[0] as Record<string, unknown>) : undefined;
    const publicIp = nic?.AssociatePublicIpAddress === true || nic?.AssociatePublicIpAddress === 'true' || mapsPublicIp(ctx, r.stack, p.SubnetId ?? nic?.SubnetId);
    if (publicIp && !hasEip) {
      const { fraction, notes } = runningFraction(ctx, r.address);
      components.push(hourlyLine(ctx, 'Public IPv4 address (auto-assigned)', 'vpc.publicIpv4.hour', 1, { runningFraction: fraction, notes: [...notes, 'the subnet maps a public IPv4 address on launch; released while the instance is stopped'] }));
    }
    return { components, flags };
  },
};
