/** The built-in invariants, in id order. Each lives in its own file, named after the rule. */
import { AdminPortsFromInternet } from './AdminPortsFromInternet.js';
import { DatabaseNotPublic } from './DatabaseNotPublic.js';
import { EksEndpointRestricted } from './EksEndpointRestricted.js';
import { InternalLoadBalancerPrivate } from './InternalLoadBalancerPrivate.js';
import { InternetExposure } from './InternetExposure.js';
import { NaclReturnTraffic } from './NaclReturnTraffic.js';
import { NatEgressOnly } from './NatEgressOnly.js';
import { PodDnsEgress } from './PodDnsEgress.js';
import { PrivateSubnetIgwRoute } from './PrivateSubnetIgwRoute.js';
import { PublicAddressInPrivateSubnet } from './PublicAddressInPrivateSubnet.js';
import type { VerifyRule } from './rule.js';

export const RULES: readonly VerifyRule[] = [
  PrivateSubnetIgwRoute, InternetExposure, AdminPortsFromInternet, DatabaseNotPublic, InternalLoadBalancerPrivate,
  NatEgressOnly, NaclReturnTraffic, PodDnsEgress, EksEndpointRestricted, PublicAddressInPrivateSubnet,
];

export type { RuleContext, VerifyRule } from './rule.js';
