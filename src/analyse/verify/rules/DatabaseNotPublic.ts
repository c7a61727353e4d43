import { effectiveRoutes, routeText } from '../../model/engine/evaluate.js';
import { witnessOf } from '../findings.js';
import { INTERNET } from '../../model/packets.js';
import { findingOf, INTERNET_SOURCE, type VerifyRule } from './rule.js';

/** PV4: databases and file systems are never publicly reachable, nor one security group rule away from it. */
export const DatabaseNotPublic: VerifyRule = {
  id: 'PV4',
  name: 'DatabaseNotPublic',
  level: 'error',
  cause: 'A database or file system can be reached from the internet, or it has a public address (PubliclyAccessible: true) in a subnet that routes to an internet gateway, so only its security group keeps the internet out.',
  why: 'Data stores hold what attackers want and are never meant to face the internet; a publicly accessible database in a public subnet is one security group edit away from exposure.',
  check({ model, engine }) {
    const out = [];
    for (const cls of model.classes) {
      if (cls.kind !== 'database' && cls.kind !== 'file-system') continue;
      const destination = { kind: 'class' as const, cls };
      const answer = engine.answer(INTERNET_SOURCE, destination);
      if (!answer.allowed.maybe.isEmpty()) {
        const sure = !answer.allowed.sure.isEmpty();
        const set = sure ? answer.allowed.sure : answer.allowed.maybe;
        out.push(findingOf(this, {
          status: sure ? 'violation' : 'unknown',
          message: `${cls.name} is ${sure ? '' : 'possibly '}reachable from the internet on ${set.servicesString()}.`,
          resource: cls.resources[0], witness: witnessOf(engine.reach(INTERNET_SOURCE, destination), set), assumptions: sure ? [] : answer.assumptions,
        }));
        continue;
      }
      const exposed = cls.placements.find((p) => p.publicIp === 'yes' && effectiveRoutes(p.subnet.routeTable).some((e) => e.route.target.kind === 'igw' && e.peers.overlaps(INTERNET)));
      if (!exposed) continue;
      const route = effectiveRoutes(exposed.subnet.routeTable).find((e) => e.route.target.kind === 'igw')!;
      out.push(findingOf(this, {
        status: 'violation',
        message: `${cls.name} has a public address (${exposed.publicIpBy}) in subnet ${exposed.subnet.name}, which routes to the internet gateway; only its security group keeps the internet out.`,
        resource: cls.resources[0], assumptions: [],
        witness: {
          from: 'internet', to: cls.name, packets: 'none today (the security group blocks them)', packet: '-', path: `internet → ${route.route.target.name} → ${exposed.subnet.name}`,
          hops: [
            { step: 'public address', verdict: { allows: true, text: `${cls.name} has a public address (${exposed.publicIpBy})`, resource: cls.resources[0] } },
            { step: 'route', verdict: { allows: true, text: routeText(exposed.subnet.routeTable, route.route), resource: route.route.resource } },
          ],
        },
      }));
    }
    return out;
  },
};
