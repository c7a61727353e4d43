/**
 * AWS::EKS::Nodegroup: desired size × instance hours (first instance type, or the launch template's),
 * the node disks, public IPv4 per node in subnets that map one, and Spot as an explicit assumption.
 * A schedule that scales the group to 0 and back reduces the hours.
 */
import { num, str } from '../model.js';
import { hourlyLine, mapsPublicIp, runningFraction, type CostRule } from '../rule.js';
import type { CostComponent } from '../types.js';
import { disksOf, ebsLines } from './ebs-volume.js';
import { instanceHours, launchTemplateData } from './ec2-instance.js';

/** EKS managed node groups default to a 20 GiB root disk when no launch template sets one. */
const DEFAULT_DISK_GIB = 20;

export const eksNodegroup: CostRule = {
  types: ['AWS::EKS::Nodegroup'],
  layer: 'cluster',
  cost(r, ctx) {
    const p = r.properties;
    const scaling = (p.ScalingConfig ?? {}) as Record<string, unknown>;
    const desired = num(scaling.DesiredSize) ?? num(scaling.MinSize) ?? 1;
    const lt = launchTemplateData(ctx, r, p.LaunchTemplate);
    const types = Array.isArray(p.InstanceTypes) ? p.InstanceTypes.map(str).filter((t): t is string => !!t) : [];
    const type = types[0] ?? str(lt.InstanceType) ?? 't3.medium';
    const notes: string[] = [`desired size ${desired}`];
    if (!types[0] && !str(lt.InstanceType)) notes.push('no instance type given: EKS defaults to t3.medium');
    if (types.length > 1) notes.push(`priced as ${type}, the first of ${types.join(', ')}`);
    const components: CostComponent[] = [instanceHours(ctx, `Nodes × ${desired}`, type, desired, r.address, p.CapacityType === 'SPOT', notes)];
    // Nodes scaled to 0 are terminated: their disks and addresses go with them.
    const { fraction, notes: scheduleNotes } = runningFraction(ctx, r.address);
    const ltDisks = disksOf(lt.BlockDeviceMappings);
    if (ltDisks.length) ltDisks.forEach((d, i) => components.push(...ebsLines(ctx, i === 0 ? 'Node root volumes' : `Node volume ${i + 1}`, d, desired, scheduleNotes, fraction)));
    else components.push(...ebsLines(ctx, 'Node root volumes', { sizeGiB: num(p.DiskSize) ?? DEFAULT_DISK_GIB, volumeType: 'gp3' }, desired, [...scheduleNotes, 'assumption: the template does not state the node volume type; priced as gp3'], fraction));
    const subnets = Array.isArray(p.Subnets) ? p.Subnets : [];
    if (subnets.some((s) => mapsPublicIp(ctx, r.stack, s))) {
      components.push(hourlyLine(ctx, `Public IPv4 addresses (× ${desired} nodes)`, 'vpc.publicIpv4.hour', desired, { runningFraction: fraction, notes: [...scheduleNotes, 'the node subnets map a public IPv4 address on launch'] }));
    }
    return { components };
  },
};
