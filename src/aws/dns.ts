/**
 * The platform's public hosted zone: none without a dns section, the existing zone when the spec
 * names its id (referenced by attributes, never looked up: the common path for a domain whose zone
 * already exists), else a new zone that outlives the stack and whose name servers are a stack output.
 */
import { CfnOutput, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import type { DnsPlan } from '../plan/types.js';

export interface DnsZoneProps {
  /** The plan's dns section. @default - no zone */
  readonly dns?: DnsPlan;
  /** The new zone's comment, e.g. `plinth nemo/prod`. */
  readonly comment: string;
}

/** The stack output holding a new zone's name servers (read by `plinth deploy`'s summary). */
export const NAME_SERVERS_OUTPUT = 'ZoneNameServers';

export class DnsZone extends Construct {
  /** The hosted zone, or undefined when the plan has no dns section. */
  readonly zone: route53.IHostedZone | undefined;

  constructor(scope: Construct, id: string, props: DnsZoneProps) {
    super(scope, id);
    const dns = props.dns;
    if (!dns) {
      this.zone = undefined;
    } else if (dns.zoneId) {
      this.zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: dns.zoneId, zoneName: dns.zoneName });
    } else {
      const zone = new route53.PublicHostedZone(this, 'Zone', { zoneName: dns.zoneName, comment: props.comment });
      // A recreated zone gets new name servers, and the registrar's delegation would silently point at
      // the deleted one; keeping the zone keeps the domain resolving.
      zone.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
      // DNS-validated certificates stay pending until the registrar delegates the domain to these
      // (AWS::CertificateManager::Certificate: the stack "will remain in the CREATE_IN_PROGRESS state").
      new CfnOutput(scope, NAME_SERVERS_OUTPUT, {
        value: Fn.join(' ', zone.hostedZoneNameServers!),
        description: `Name servers of ${dns.zoneName}: set them as the domain's NS records at its registrar (or parent zone)`,
      });
      this.zone = zone;
    }
  }
}
