import { Unknown, type StackResource, type Value } from '../../model/resolve.js';
import { field, items } from '../../model/resources.js';
import type { Finding } from '../findings.js';
import { nameOf, postureFinding, type PostureRule } from './rule.js';

const ADMIN_PORTS = [22, 3389];
const WORLD = new Set(['0.0.0.0/0', '::/0']);

/**
 * PS8: no security group rule admits SSH or RDP from the whole internet, wherever the group is used.
 * PV3 proves the same through routes and ACLs for what the model can place; this rule reads the
 * rules themselves, so a group on an auto scaling group in a subnet nobody can resolve (a parameter
 * without default, the default VPC) is never "ok".
 */
export const AdminPortsOpenToWorld: PostureRule = {
  id: 'PS8',
  name: 'AdminPortsOpenToWorld',
  level: 'error',
  cause: 'A security group ingress rule (inline or AWS::EC2::SecurityGroupIngress) admits tcp/22 or tcp/3389 (or all traffic) from 0.0.0.0/0 or ::/0, or from a source address given as a parameter without a default.',
  why: 'SSH and RDP open to the world are scanned within minutes and brute-forced around the clock, whether or not the subnet is public today. Allow your own addresses, a VPN, or use SSM Session Manager.',
  check(resources) {
    const out: Finding[] = [];
    const judge = (r: StackResource, rule: Value, where: string) => {
      const protocol = String(field(rule, 'IpProtocol'));
      const all = protocol === '-1' || protocol === 'all';
      if (!all && protocol !== 'tcp' && protocol !== '6') return;
      const from = Number(field(rule, 'FromPort'));
      const to = Number(field(rule, 'ToPort'));
      const ports = all || (field(rule, 'FromPort') === undefined) ? ADMIN_PORTS : ADMIN_PORTS.filter((p) => (from === -1 || from <= p) && (to === -1 || p <= to));
      if (ports.length === 0) return;
      for (const key of ['CidrIp', 'CidrIpv6']) {
        const source = field(rule, key);
        if (source === undefined) continue;
        const text = `${where} admits ${ports.map((p) => `tcp/${p}`).join(' and ')} from`;
        if (source instanceof Unknown) out.push(postureFinding(this, r, `${text} an address range the template leaves open`, source));
        else if (typeof source === 'string' && WORLD.has(source)) out.push(postureFinding(this, r, `${text} ${source}, the whole internet.`));
      }
    };
    for (const g of resources.ofType('AWS::EC2::SecurityGroup')) {
      items(resources.prop(g, 'SecurityGroupIngress')).forEach((rule, i) => judge(g, rule, `The security group ${nameOf(g)} (ingress rule ${i + 1})`));
    }
    for (const r of resources.ofType('AWS::EC2::SecurityGroupIngress')) {
      const props = Object.fromEntries(['IpProtocol', 'FromPort', 'ToPort', 'CidrIp', 'CidrIpv6'].map((k) => [k, resources.prop(r, k)]).filter(([, v]) => v !== undefined)) as Record<string, Value>;
      judge(r, props, `The ingress rule ${nameOf(r)}`);
    }
    return out;
  },
};
