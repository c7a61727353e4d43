/**
 * The platform's public hosted zone: none without a dns section, the existing zone when the spec
 * names its id (referenced by attributes, never looked up), else a new zone that outlives the stack.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import type { Plan } from '../plan/types.js';

export interface DnsZoneProps {
  readonly plan: Plan;
}

export class DnsZone extends Construct {
  /** The hosted zone, or undefined when the plan has no dns section. */
  readonly zone: route53.IHostedZone | undefined;

  constructor(scope: Construct, id: string, props: DnsZoneProps) {
    super(scope, id);
    const dns = props.plan.dns;
    if (!dns) {
      this.zone = undefined;
    } else if (dns.zoneId) {
      this.zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: dns.zoneId, zoneName: dns.zoneName });
    } else {
      const zone = new route53.PublicHostedZone(this, 'Zone', {
        zoneName: dns.zoneName,
        comment: `plinth ${props.plan.platform.name}/${props.plan.platform.environment}`,
      });
      // A recreated zone gets new name servers, and the registrar's delegation would silently point at
      // the deleted one; keeping the zone keeps the domain resolving.
      zone.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
      this.zone = zone;
    }
  }
}
