/**
 * AWS::AutoScaling::AutoScalingGroup: DesiredCapacity (else MinSize) instances of the type its
 * launch configuration, launch template or mixed-instances policy names, with their EBS disks and,
 * when they get one, a public IPv4 address each. The launch configuration and template themselves
 * are free (free.ts): only instances are billed.
 */
import { num, str, type CfnResource } from '../model.js';
import { hourlyLine, mapsPublicIp, runningFraction, type CostContext, type CostRule } from '../rule.js';
import type { CostComponent } from '../types.js';
import { disksOf, ebsLines } from './ebs-volume.js';
import { instanceHours, launchTemplateData } from './ec2-instance.js';

interface Launch {
  readonly instanceType: string | undefined;
  readonly disks: unknown;
  readonly publicIp: boolean | undefined;
  readonly spot: boolean;
  readonly from: string;
}

function launchOf(r: CfnResource, ctx: CostContext): Launch {
  const p = r.properties;
  const lc = ctx.resolver.target(r.stack, p.LaunchConfigurationName);
  if (lc) {
    return {
      instanceType: str(lc.properties.InstanceType), disks: lc.properties.BlockDeviceMappings, from: `launch configuration ${lc.logicalId}`,
      publicIp: lc.properties.AssociatePublicIpAddress === undefined ? undefined : lc.properties.AssociatePublicIpAddress === true || lc.properties.AssociatePublicIpAddress === 'true',
      spot: lc.properties.SpotPrice !== undefined,
    };
  }
  const mixed = p.MixedInstancesPolicy as Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  const spec = p.LaunchTemplate ?? mixed?.LaunchTemplate?.LaunchTemplateSpecification;
  const lt = launchTemplateData(ctx, r, spec);
  const override = Array.isArray(mixed?.LaunchTemplate?.Overrides) ? str(mixed.LaunchTemplate.Overrides[0]?.InstanceType) : undefined;
  const nic = Array.isArray(lt.NetworkInterfaces) ? (lt.NetworkInterfaces[0] as Record<string, unknown>) : undefined;
  const onDemandShare = num(mixed?.InstancesDistribution?.OnDemandPercentageAboveBaseCapacity);
  return {
    instanceType: override ?? str(lt.InstanceType), disks: lt.BlockDeviceMappings, from: spec ? 'its launch template' : 'nothing (no launch configuration or template)',
    publicIp: nic?.AssociatePublicIpAddress === undefined ? undefined : nic.AssociatePublicIpAddress === true || nic.AssociatePublicIpAddress === 'true',
    spot: (lt.InstanceMarketOptions as Record<string, unknown> | undefined)?.MarketType === 'spot' || onDemandShare === 0,
  };
}

export const autoScalingGroup: CostRule = {
  types: ['AWS::AutoScaling::AutoScalingGroup'],
  layer: 'compute',
  cost(r, ctx) {
    const p = r.properties;
    const desired = num(p.DesiredCapacity);
    const count = desired ?? num(p.MinSize) ?? 0;
    const launch = launchOf(r, ctx);
    const notes = [desired === undefined ? `no DesiredCapacity: priced at MinSize ${count} (up to MaxSize ${String(num(p.MaxSize) ?? '?')} when scaling out)` : `DesiredCapacity ${desired} (MinSize ${String(num(p.MinSize) ?? '?')}, MaxSize ${String(num(p.MaxSize) ?? '?')})`];
    const components: CostComponent[] = [];
    const flags: string[] = [];
    if (launch.instanceType) components.push(instanceHours(ctx, 'Instance usage', launch.instanceType, count, r.address, launch.spot, notes));
    else flags.push(`the instance type is not a literal in ${launch.from}`);
    const disks = disksOf(launch.disks);
    disks.forEach((d, i) => components.push(...ebsLines(ctx, i === 0 ? 'Root volumes' : `Volumes ${i + 1}`, d, count)));
    if (disks.length === 0) flags.push('root volume sizes come from the AMI and are not priced');
    const subnets = Array.isArray(p.VPCZoneIdentifier) ? p.VPCZoneIdentifier : [];
    const publicIp = launch.publicIp ?? subnets.some((s) => mapsPublicIp(ctx, r.stack, s));
    if (publicIp && count > 0) {
      const { fraction, notes: scheduled } = runningFraction(ctx, r.address);
      components.push(hourlyLine(ctx, 'Public IPv4 addresses (auto-assigned)', 'vpc.publicIpv4.hour', count, { runningFraction: fraction, notes: scheduled }));
    }
    return { components, flags };
  },
};
