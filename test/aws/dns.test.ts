/** DnsZone from its narrow props: a new zone prints its name servers; an existing zone is only referenced. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DnsZone, NAME_SERVERS_OUTPUT } from '../../src/aws/dns.js';

function synth(dns: ConstructorParameters<typeof DnsZone>[2]['dns']) {
  const stack = new Stack(new App(), 'Data');
  const zone = new DnsZone(stack, 'Dns', { dns, comment: 'plinth demo/prod' });
  return { zone, template: Template.fromStack(stack) };
}

describe('DnsZone', () => {
  it('GIVEN a new zone WHEN synthesized THEN its name servers are a stack output, and it is kept except after a failed create', () => {
    const { template } = synth({ zoneName: 'demo.example.com', zoneId: undefined, certificateNames: [] });
    template.hasResource('AWS::Route53::HostedZone', { DeletionPolicy: 'RetainExceptOnCreate', Properties: { Name: 'demo.example.com.' } });
    const outputs = template.findOutputs(NAME_SERVERS_OUTPUT);
    expect(Object.keys(outputs)).toHaveLength(1);
    expect(JSON.stringify(outputs)).toContain('NameServers');
    expect(Object.values(outputs)[0]!.Description).toMatch(/registrar/);
  });

  it('GIVEN dns.zoneId WHEN synthesized THEN no zone and no output: the existing zone is referenced', () => {
    const { zone, template } = synth({ zoneName: 'demo.example.com', zoneId: 'Z0123456789ABC', certificateNames: [] });
    template.resourceCountIs('AWS::Route53::HostedZone', 0);
    expect(Object.keys(template.findOutputs('*'))).toEqual([]);
    expect(zone.zone?.hostedZoneId).toBe('Z0123456789ABC');
  });

  it('GIVEN no dns section THEN no zone', () => {
    expect(synth(undefined).zone.zone).toBeUndefined();
  });
});
