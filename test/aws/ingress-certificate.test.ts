/** HTTPS Ingresses need the platform certificate even when no load balancer of the spec uses it. */
import { describe, expect, it } from 'vitest';
import { buildPlatformApp } from '../../src/aws/app.js';
import { examplePlan } from '../support.js';

describe('the platform certificate', () => {
  it.each(['nemo-v3', 'three-tier-eks', 'video-platform'])('GIVEN HTTPS Ingresses only (%s) THEN the DNS-validated certificate exists for the controller to find by host', (example) => {
    const stacks = buildPlatformApp(examplePlan(example), { nag: false });
    const template = stacks.app.synth().getStackArtifact(stacks.compute!.artifactId).template as { Resources: Record<string, { Type: string; Properties: { DomainName?: string } }> };
    const certificates = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CertificateManager::Certificate');
    expect(certificates).toHaveLength(1);
    expect(certificates[0]!.Properties.DomainName).toBe(examplePlan(example).dns!.zoneName);
  });
});
