/**
 * The diagram's flows skip the engine questions whose answer the pods' NetworkPolicies already close
 * (model/flows.ts, ClosedByPolicies): the facts must be exactly those of asking every question.
 */
import { describe, expect, it } from 'vitest';
import { bothWays } from './flow-facts.js';
import { inputOf } from './support.js';

describe('flows the NetworkPolicies close are not asked', () => {
  it.each(['bootcamp-ec2', 'k8s-on-ec2', 'nemo-v3', 'three-tier-eks', 'video-platform'])('%s: the same facts as asking every question', (name) => {
    const { pruned, every } = bothWays(inputOf(name).model);
    expect(every.length).toBeGreaterThan(0);
    expect(pruned).toEqual(every);
  });

  it('video-platform: pods whose policies open a way out still get their flows (the bridge to the AI site over the VPN)', () => {
    const { pruned } = bothWays(inputOf('video-platform').model);
    expect(pruned.some((f) => /^class:k8s:[^ ]* → site:/.test(f))).toBe(true);
  });
});
