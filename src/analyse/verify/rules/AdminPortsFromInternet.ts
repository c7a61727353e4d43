import { witnessOf } from '../findings.js';
import { formatPeers, PacketSet, PROTOCOL } from '../../model/packets.js';
import { addressCount, ADMIN_SOURCE_LIMIT, findingOf, INTERNET_SOURCE, type VerifyRule } from './rule.js';

const ADMIN = PacketSet.of([
  { protocol: [PROTOCOL.tcp, PROTOCOL.tcp], port: [22, 22] },
  { protocol: [PROTOCOL.tcp, PROTOCOL.tcp], port: [3389, 3389] },
]);

/** PV3: SSH and RDP are never open to the internet at large. */
export const AdminPortsFromInternet: VerifyRule = {
  id: 'PV3',
  name: 'AdminPortsFromInternet',
  level: 'error',
  cause: `SSH (tcp/22) or RDP (tcp/3389) on some interface can be reached from more than ${ADMIN_SOURCE_LIMIT} public addresses (anything wider than a /24), through every route, ACL, security group and load balancer on the way.`,
  why: 'Administration ports open to the internet are scanned within minutes and brute-forced around the clock. Allow the admin\'s own addresses, a VPN, or use SSM Session Manager.',
  check({ model, engine }) {
    const out = [];
    for (const cls of model.classes) {
      // The same answers as PV2's (kept by the engine); paths only for a finding's witness.
      const destination = { kind: 'class' as const, cls };
      const answer = engine.answer(INTERNET_SOURCE, destination);
      const maybe = answer.allowed.maybe.intersect(ADMIN);
      if (maybe.isEmpty()) continue;
      const sure = answer.allowed.sure.intersect(ADMIN);
      const sureCount = addressCount(sure.peerRanges());
      const maybeCount = addressCount(maybe.peerRanges());
      if (maybeCount <= ADMIN_SOURCE_LIMIT) continue;
      const definite = sureCount > ADMIN_SOURCE_LIMIT;
      const set = definite ? sure : maybe;
      out.push(findingOf(this, {
        status: definite ? 'violation' : 'unknown',
        message: `${cls.name} accepts ${set.servicesString()} from ${definite ? '' : 'possibly '}${(definite ? sureCount : maybeCount).toLocaleString('en-US')} internet addresses (${formatPeers(set.peerRanges(), 2)}).`,
        resource: cls.resources[0],
        witness: witnessOf(engine.reach(INTERNET_SOURCE, destination), set, [22, 3389]),
        assumptions: definite ? [] : answer.assumptions,
      }));
    }
    return out;
  },
};
