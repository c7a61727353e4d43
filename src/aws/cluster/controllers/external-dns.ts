/**
 * external-dns: writes Route 53 records for Ingresses and Services into the platform's zone only.
 *
 * Policy `upsert-only`: it creates and updates records but never deletes one, so a mis-scoped source,
 * a renamed Ingress or a second cluster sharing the zone cannot wipe records it does not own (the
 * apex, MX, the certificate's validation records). The cost is stale records after a host name is
 * removed, which an operator deletes by hand; the TXT ownership records (txtOwnerId = cluster name)
 * say which cluster wrote them.
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ControllerDefinition, HelmChartRef } from '../controller.js';

/** 1.22.0: github.com/ajaykumar4/cluster-template PR #468, 2026-09-11 (docs/research/cluster-facts.md §4). */
export const EXTERNAL_DNS_CHART: HelmChartRef = {
  repository: 'https://kubernetes-sigs.github.io/external-dns/',
  chart: 'external-dns',
  version: '1.22.0',
};

const NAMESPACE = 'external-dns';
const SERVICE_ACCOUNT = 'external-dns';

export interface ExternalDnsOptions {
  /** The hosted zone's id (`Z...`); a token is fine. */
  readonly hostedZoneId: string;
  /** The zone's domain, e.g. `example.com`. */
  readonly zoneName: string;
}

export function externalDns(options: ExternalDnsOptions & { readonly clusterName: string; readonly region: string }): ControllerDefinition {
  return {
    name: 'external-dns',
    namespace: NAMESPACE,
    serviceAccount: SERVICE_ACCOUNT,
    chart: EXTERNAL_DNS_CHART,
    purpose: `Publishes DNS records for Ingress and Service host names in ${options.zoneName} (upsert-only: never deletes a record).`,
    values: {
      provider: { name: 'aws' },
      sources: ['service', 'ingress'],
      policy: 'upsert-only',
      registry: 'txt',
      txtOwnerId: options.clusterName,
      domainFilters: [options.zoneName],
      // The domain filter alone would also match a private zone of the same name.
      extraArgs: [`--zone-id-filter=${options.hostedZoneId}`],
      serviceAccount: { create: true, name: SERVICE_ACCOUNT },
      // Pod Identity provides credentials, not a region.
      env: [{ name: 'AWS_DEFAULT_REGION', value: options.region }],
    },
    statements: [
      new iam.PolicyStatement({
        sid: 'ChangeRecordsInPlatformZone',
        actions: ['route53:ChangeResourceRecordSets'],
        resources: [`arn:${Aws.PARTITION}:route53:::hostedzone/${options.hostedZoneId}`],
      }),
      new iam.PolicyStatement({
        sid: 'ReadZones',
        actions: ['route53:ListHostedZones', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
        resources: ['*'],
      }),
    ],
    wildcardReasons: {
      ReadZones: 'route53:ListHostedZones supports no resource-level scoping, and external-dns lists zones and their tags '
        + 'and records to match its domain filter; these are reads, and the only write is limited to the platform zone.',
    },
  };
}
