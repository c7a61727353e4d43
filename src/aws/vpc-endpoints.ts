/**
 * VPC endpoints: gateway endpoints (S3, DynamoDB) are free route-table entries, so every subnet gets
 * them; interface endpoints cost per AZ-hour, so they live in one tier and are reached over 443 from
 * whoever the `vpc-endpoints` group's flows allow.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { constructIdOf } from './construct-id.js';

export interface VpcEndpointsProps {
  /** The VPC the gateway and interface endpoints are created in. */
  readonly vpc: ec2.IVpc;
  /** @default [] */
  readonly gatewayServices?: readonly ('s3' | 'dynamodb')[];
  /** Subnets whose route tables get the gateway endpoints. */
  readonly routedSubnets: readonly ec2.ISubnet[];
  /** Service names such as `ecr.api` or `ssm`. @default [] */
  readonly interfaceServices?: readonly string[];
  /** Subnets that hold the interface endpoints' network interfaces (one per AZ). */
  readonly interfaceSubnets?: readonly ec2.ISubnet[];
  /** Required when `interfaceServices` is not empty. */
  readonly interfaceSecurityGroup?: ec2.ISecurityGroup;
}

const GATEWAY_SERVICES = {
  s3: ec2.GatewayVpcEndpointAwsService.S3,
  dynamodb: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
} as const;

/**
 * Interface services created without private DNS. With private DNS, the S3 interface endpoint would take
 * every S3 request in the VPC (each node's image layers included) away from the free gateway endpoint, at
 * a per-GB charge; unless set to "private DNS only for inbound endpoints", which "routes traffic that
 * originates from the VPC to the gateway endpoint" (EC2 API, DnsOptionsSpecification) and so gives
 * VPC clients nothing. Its clients name it by its endpoint-specific DNS name instead (user-data/bastion-tools.ts).
 */
const WITHOUT_PRIVATE_DNS: readonly string[] = ['s3'];

export class VpcEndpoints extends Construct {
  /** Interface endpoints by service name (`eks`, `s3`, ...). */
  public readonly interfaceEndpoints = new Map<string, ec2.InterfaceVpcEndpoint>();

  public constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    for (const service of props.gatewayServices ?? []) {
      new ec2.GatewayVpcEndpoint(this, constructIdOf(service), {
        vpc: props.vpc,
        service: GATEWAY_SERVICES[service],
        subnets: [{ subnets: [...props.routedSubnets] }],
      });
    }

    const interfaceServices = props.interfaceServices ?? [];
    if (interfaceServices.length === 0) return;
    if (!props.interfaceSecurityGroup || !props.interfaceSubnets?.length) {
      throw new Error('E_INTERFACE_ENDPOINT_PLACEMENT: interface endpoints need subnets and a security group; the plan names a tier and creates the vpc-endpoints group whenever interface endpoints are listed.');
    }
    for (const service of interfaceServices) {
      // S3 and DynamoDB may have both kinds; the interface one takes a suffix (other ids stay as they were).
      const id = service in GATEWAY_SERVICES ? `${constructIdOf(service)}Interface` : constructIdOf(service);
      this.interfaceEndpoints.set(service, new ec2.InterfaceVpcEndpoint(this, id, {
        vpc: props.vpc,
        service: new ec2.InterfaceVpcEndpointAwsService(service),
        subnets: { subnets: [...props.interfaceSubnets] },
        privateDnsEnabled: !WITHOUT_PRIVATE_DNS.includes(service),
        securityGroups: [props.interfaceSecurityGroup],
        // Ingress comes from the plan's flows only; `open` would add a VPC-wide rule of its own.
        open: false,
      }));
    }
  }
}
