/**
 * One security group per endpoint that owns one, and ingress rules generated from the plan's flows
 * and nothing else: a port is open only because a flow in the spec says so, which is what verify
 * checks the synthesized template against. A flow from an existing group the spec trusts (`sg/NAME`)
 * becomes a rule naming that group's id: its members get in, and no group is made for it.
 */
import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { formatPorts } from '../plan/refs.js';
import type { EndpointKind, EndpointPlan, Flow, Plan, PortRange } from '../plan/types.js';
import { constructIdOf } from './construct-id.js';
import { acknowledge } from './acknowledge.js';

export interface SecurityGroupsProps {
  readonly vpc: ec2.IVpc;
  /** `nemo-prod`: each group's description is `plinth <label>: <endpoint ref>`, which verify reads back. */
  readonly label: string;
  /** The plan's endpoints; those with `hasSecurityGroup` get one. */
  readonly endpoints: Readonly<Record<string, EndpointPlan>>;
  /** The plan's flows: each one into a group becomes its ingress rules, and nothing else does. */
  readonly flows: readonly Flow[];
  /** Name tags by endpoint ref, for groups the AWS Load Balancer Controller finds by name. @default - none */
  readonly nameTags?: Readonly<Record<string, string>>;
  /** Keep the bastion's egress inside this range (access.bastion.egress: vpc). @default - all egress */
  readonly bastionEgressCidr?: string | undefined;
}

/** The props of a plan's security groups (all but the VPC they are created in). */
export function securityGroupsOf(plan: Plan): Omit<SecurityGroupsProps, 'vpc'> {
  return {
    label: `${plan.platform.name}-${plan.platform.environment}`,
    endpoints: plan.endpoints,
    flows: plan.flows,
    nameTags: Object.fromEntries((plan.workloads?.ingressGroups ?? []).map((g) => [g.ref, g.securityGroupName])),
    bastionEgressCidr: plan.bastion?.egress === 'vpc' ? plan.network.cidr : undefined,
  };
}

/**
 * Kinds whose resources never open connections of their own (a database answers, it does not call),
 * so their groups get no egress at all.
 */
const NO_EGRESS_KINDS: readonly EndpointKind[] = ['db', 'efs', 'interfaceEndpoints'];

export class SecurityGroups extends Construct {
  private readonly groups = new Map<string, ec2.SecurityGroup>();

  public constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    const { vpc } = props;
    for (const endpoint of Object.values(props.endpoints)) {
      if (!endpoint.hasSecurityGroup) continue;
      const restrictTo = endpoint.kind === 'bastion' ? props.bastionEgressCidr : undefined;
      const group = new ec2.SecurityGroup(this, constructIdOf(endpoint.ref), {
        vpc,
        description: `plinth ${props.label}: ${endpoint.ref}`,
        allowAllOutbound: !NO_EGRESS_KINDS.includes(endpoint.kind) && restrictTo === undefined,
      });
      if (restrictTo !== undefined) {
        group.addEgressRule(ec2.Peer.ipv4(restrictTo), ec2.Port.allTraffic(), 'bastion egress stays inside the VPC (access.bastion.egress: vpc)');
      }
      // The AWS Load Balancer Controller finds the ingress ALBs' groups by Name tag (k8s/ingress.ts).
      const name = props.nameTags?.[endpoint.ref];
      if (name) Tags.of(group).add('Name', name);
      this.groups.set(endpoint.ref, group);
    }

    const openToAll = new Map<string, Flow[]>();
    for (const flow of props.flows) {
      if (this.addFlow(flow, props.endpoints)) openToAll.set(flow.to, [...(openToAll.get(flow.to) ?? []), flow]);
    }
    for (const [ref, flows] of openToAll) acknowledgeOpenToAll(this.get(ref), ref, flows);
  }

  /** The group of an endpoint reference; throws for a reference that owns none. */
  public get(ref: string): ec2.SecurityGroup {
    const group = this.groups.get(ref);
    if (!group) {
      throw new Error(
        `E_NO_SECURITY_GROUP: "${ref}" has no security group in this plan. Endpoints with one: ${[...this.groups.keys()].join(', ') || 'none'}. ` +
        'Reference a resource defined in the spec (servers/NAME, lb/NAME, db/NAME, efs/NAME, mgmt/NAME, bastion, vpn, vpc-endpoints).',
      );
    }
    return group;
  }

  /** Adds the ingress rules of one flow; returns whether they open the group to every address. */
  private addFlow(flow: Flow, endpoints: SecurityGroupsProps['endpoints']): boolean {
    const target = this.groups.get(flow.to);
    // Destinations without a group (sites, the internet) are reached through routes, not ingress rules.
    if (!target) return false;
    const from = endpoints[flow.from];
    if (!from) throw new Error(`E_FLOW_SOURCE: flow ${flow.from} -> ${flow.to} names an endpoint the plan does not define; rebuild the plan with buildPlan().`);

    const port = portOf(flow.ports);
    const description = ruleDescription(flow.description, `${flow.from} to ${flow.to}`);
    if (from.hasSecurityGroup) {
      target.addIngressRule(this.get(flow.from), port, description);
      return false;
    }
    if (from.trustedGroup) {
      target.addIngressRule(ec2.Peer.securityGroupId(from.trustedGroup.groupId), port, description);
      return false;
    }
    for (const cidr of from.cidrs) target.addIngressRule(ec2.Peer.ipv4(cidr), port, description);
    return from.cidrs.some((cidr) => cidr.endsWith('/0'));
  }
}

/**
 * The plan passes ports in CloudFormation's own terms, so they go through unchanged; for ICMP that
 * means `from` is the ICMP type and `to` the code, with -1 for all.
 */
export function portOf(ports: PortRange): ec2.Port {
  const { protocol, from, to } = ports;
  switch (protocol) {
    case 'all':
      return ec2.Port.allTraffic();
    case 'icmp':
      return new ec2.Port({ protocol: ec2.Protocol.ICMP, fromPort: from, toPort: to, stringRepresentation: `ICMP ${from}:${to}` });
    case 'tcp':
      return from === to ? ec2.Port.tcp(from) : ec2.Port.tcpRange(from, to);
    case 'udp':
      return from === to ? ec2.Port.udp(from) : ec2.Port.udpRange(from, to);
  }
}

/** Characters CloudFormation accepts in a security group rule description, besides letters and digits. */
const DESCRIPTION_PUNCTUATION = ' ._\\-:/()#,@\\[\\]+=&;{}!$*';
const DISALLOWED = new RegExp(`[^A-Za-z0-9${DESCRIPTION_PUNCTUATION}]+`, 'g');
const MAX_DESCRIPTION = 255;

/**
 * A rule description CloudFormation accepts: other characters (non-ASCII, quotes, `>`) would fail the
 * deployment, so they become spaces; `fallback` is used when nothing printable is left.
 */
export function ruleDescription(text: string, fallback: string): string {
  const clean = (s: string) => s.replace(DISALLOWED, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_DESCRIPTION).trim();
  return clean(text) || clean(fallback);
}

/**
 * AwsSolutions-EC23 flags any 0.0.0.0/0 ingress. Here the spec asked for it explicitly (an
 * internet-facing load balancer's listeners, or `allow: internet`), and the plan has already refused
 * it for administration ports and data stores, so it is acknowledged on this one group, naming the
 * flows that caused it.
 */
function acknowledgeOpenToAll(group: ec2.SecurityGroup, ref: string, flows: readonly Flow[]): void {
  const what = flows.map((f) => `${f.from} on ${formatPorts(f.ports)} (at ${f.origin.join('.')})`).join('; ');
  acknowledge(group, 'AwsSolutions-EC23', `${ref} is open to every address because the spec asks for it: ${what}. The plan refuses whole-internet access to administration ports and data stores.`);
}
