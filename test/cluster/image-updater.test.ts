/** One Image Updater per image: plinth's per-app updaters replace the platform-wide one. */
import { describe, expect, it } from 'vitest';
import { buildPlatformApp } from '../../src/aws/app.js';
import { examplePlan } from '../support.js';

function clusterTemplateText(example: string): string {
  const stacks = buildPlatformApp(examplePlan(example), { nag: false });
  const cluster = stacks.app.node.findChild('Cluster');
  return JSON.stringify(stacks.app.synth().getStackArtifact(cluster.node.id).template);
}

describe('Argo CD Image Updater', () => {
  it('GIVEN apps with tag patterns (nemo-v3) THEN no platform-wide ImageUpdater competes with their own', () => {
    const plan = examplePlan('nemo-v3');
    expect(plan.workloads?.apps.some((a) => a.image.kind === 'registry' && a.image.tagPattern)).toBe(true);
    expect(clusterTemplateText('nemo-v3')).not.toContain('platform-images');
  });
});
