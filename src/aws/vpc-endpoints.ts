/**
 * VPC endpoints: gateway endpoints (S3, DynamoDB) are free route-table entries, so every subnet gets
 * them; interface endpoints cost per AZ-hour, so they live in one tier and are reached over 443 from
 * whoever the `vpc-endpoints` group's flows allow.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { constructIdOf } from './construct-id.js';

export interface VpcEndpointsProps {
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

export class VpcEndpoints extends Construct {
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
      new ec2.InterfaceVpcEndpoint(this, constructIdOf(service), {
        vpc: props.vpc,
        service: new ec2.InterfaceVpcEndpointAwsService(service),
        subnets: { subnets: [...props.interfaceSubnets] },
        privateDnsEnabled: true,
        securityGroups: [props.interfaceSecurityGroup],
        // Ingress comes from the plan's flows only; `open` would add a VPC-wide rule of its own.
        open: false,
      });
    }
  }
}
