/** Flow facts as comparable text, asked with and without the diagram's pruning (model/flows.ts, ClosedByPolicies). */
import { collectFlows, type FlowEnd, type FlowFact } from '../../src/analyse/diagram/model/flows.js';
import { Engine } from '../../src/analyse/model/engine/reach.js';
import type { Model } from '../../src/analyse/model/types.js';

function endKey(e: FlowEnd): string {
  switch (e.type) {
    case 'class': return `class:${e.cls.key}`;
    case 'vpc': return `vpc:${e.vpc.key}`;
    case 'egress': return `egress:${e.via}`;
    case 'site': return `site:${e.gateway.key}`;
    case 'vpn-clients': return `vpn:${e.endpoint.key}`;
    default: return e.type;
  }
}

function facts(list: readonly FlowFact[]): string[] {
  return list.map((f) => `${endKey(f.from)} → ${endKey(f.to)}: ${JSON.stringify(f.set.sure.boxes())} / ${JSON.stringify(f.set.maybe.boxes())}`);
}

/** The facts and the number of engine questions, with the pruning and asking every question. */
export function bothWays(model: Model): { pruned: string[]; every: string[]; asked: { pruned: number; every: number } } {
  const asked = { pruned: 0, every: 0 };
  const run = (askEvery: boolean) => {
    const engine = new Engine(model);
    const reach = engine.reach.bind(engine);
    engine.reach = (...args) => {
      asked[askEvery ? 'every' : 'pruned']++;
      return reach(...args);
    };
    return facts(collectFlows(model, { podToPod: true, askEvery }, engine));
  };
  return { pruned: run(false), every: run(true), asked };
}
