/**
 * AWS Client VPN with mutual TLS: laptops connect with a certificate issued by the client root CA,
 * land in the associated subnets behind the `vpn` security group, and may reach only the authorized
 * ranges. Every connection attempt is logged.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ClientVpnPlan } from '../plan/types.js';
import { formatIp, parseCidr } from '../plan/cidr.js';
import { cidrId, constructIdOf } from './construct-id.js';

export interface ClientVpnProps {
  /** The VPC the endpoint serves. */
  readonly vpcId: string;
  /** The VPC CIDR; clients resolve names through the VPC's Amazon DNS resolver at its base + 2. */
  readonly vpcCidr: string;
  /** Client CIDR, certificates, split tunnel and the tier CIDRs clients are authorized to reach. */
  readonly clientVpn: ClientVpnPlan;
  /** Subnets of the associated tier, keyed by plan subnet id; at most one per AZ. */
  readonly subnets: ReadonlyMap<string, ec2.ISubnet>;
  /** The `clientVpn` security group; its rules come from the plan's flows. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Name of the endpoint, e.g. `nemo-prod`. */
  readonly name: string;
  /**
   * How long connection logs are kept.
   * @default logs.RetentionDays.ONE_YEAR - who connected when is audit evidence
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Hours after which a client must reconnect (8, 10, 12 or 24).
   * @default 8 - one working day
   */
  readonly sessionTimeoutHours?: 8 | 10 | 12 | 24;
}

export class ClientVpn extends Construct {
  public readonly endpoint: ec2.CfnClientVpnEndpoint;

  public constructor(scope: Construct, id: string, props: ClientVpnProps) {
    super(scope, id);
    const vpn = props.clientVpn;

    const logGroup = new logs.LogGroup(this, 'ConnectionLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    // The stream lives and goes with its group (LogStream's own default would be plain Retain).
    const logStream = logGroup.addStream('Connections');
    logStream.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);

    this.endpoint = new ec2.CfnClientVpnEndpoint(this, 'Endpoint', {
      description: `${props.name} client VPN`,
      clientCidrBlock: vpn.clientCidr,
      serverCertificateArn: vpn.serverCertificateArn,
      authenticationOptions: [{
        type: 'certificate-authentication',
        mutualAuthentication: { clientRootCertificateChainArn: vpn.clientRootCertificateArn },
      }],
      connectionLogOptions: {
        enabled: true,
        cloudwatchLogGroup: logGroup.logGroupName,
        cloudwatchLogStream: logStream.logStreamName,
      },
      splitTunnel: vpn.splitTunnel,
      // Without this, clients cannot resolve private names (interface endpoints, internal ALBs).
      dnsServers: [vpcResolver(props.vpcCidr)],
      vpcId: props.vpcId,
      securityGroupIds: [props.securityGroup.securityGroupId],
      transportProtocol: 'udp',
      sessionTimeoutHours: props.sessionTimeoutHours ?? 8,
      tagSpecifications: [{ resourceType: 'client-vpn-endpoint', tags: [{ key: 'Name', value: `${props.name}-client-vpn` }] }],
    });

    for (const [subnetId, subnet] of props.subnets) {
      new ec2.CfnClientVpnTargetNetworkAssociation(this, `Association${constructIdOf(subnetId)}`, {
        clientVpnEndpointId: this.endpoint.ref,
        subnetId: subnet.subnetId,
      });
    }

    // Routes to the VPC CIDR are added by each association; authorization still has to name every range.
    for (const { tier, cidr } of vpn.authorizeCidrs) {
      new ec2.CfnClientVpnAuthorizationRule(this, `Authorize-${cidrId(cidr)}`, {
        clientVpnEndpointId: this.endpoint.ref,
        targetNetworkCidr: cidr,
        authorizeAllGroups: true,
        description: `clients may reach tier ${tier} (${cidr})`,
      });
    }
  }
}

function vpcResolver(vpcCidr: string): string {
  const cidr = parseCidr(vpcCidr);
  if (!cidr) throw new Error(`invalid VPC CIDR ${vpcCidr}`);
  return formatIp(cidr.base + 2);
}
