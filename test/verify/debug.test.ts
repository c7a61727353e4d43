import { it } from 'vitest';
import { twoTier } from './net.js';
import { formatText } from '../../src/analyse/verify/format.js';
it('debug', () => {
    const net = twoTier()
      .group('RdpSg', { ingress: [{ cidr: '0.0.0.0/0', from: 3389 }] })
      .instance('Windows', 'PrivateA', ['RdpSg'])
      .loadBalancer('Nlb', { type: 'network', subnets: ['PublicA'], ports: [3389], targets: ['Windows'], targetPort: 3389 });
  console.log(formatText(net.verify()));
    const n2 = twoTier().subnet('PrivateB', '10.0.12.0/24', { nat: 'Nat' })
      .group('AppSg').group('DbSg', { ingress: [{ group: 'AppSg', from: 3306 }] })
      .instance('App', 'PrivateA', ['AppSg']).database('Db', ['PrivateB'], ['DbSg'])
      .acl('DbAcl', ['PrivateB'], [[100, false, true, '10.0.11.0/24', 6, 3306], [100, true, true, '10.0.11.0/24', 6, 3306]]);
  console.log(formatText(n2.verify()));
});
