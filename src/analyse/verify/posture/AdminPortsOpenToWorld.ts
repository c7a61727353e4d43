import { Unknown, type StackResource, type Value } from '../../model/resolve.js';
import { field, items, type TemplateResources } from '../../model/resources.js';
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
    const lbOnly = groupsOnlyOnLoadBalancers(resources);
    for (const g of resources.ofType('AWS::EC2::SecurityGroup')) {
      // A load balancer answers only on its listeners: "all traffic" on its group opens no SSH (PV3 proves what does).
      if (lbOnly.has(g.logicalId)) continue;
      items(resources.prop(g, 'SecurityGroupIngress')).forEach((rule, i) => judge(g, rule, `The security group ${nameOf(g)} (ingress rule ${i + 1})`));
    }
    for (const r of resources.ofType('AWS::EC2::SecurityGroupIngress')) {
      const props = Object.fromEntries(['IpProtocol', 'FromPort', 'ToPort', 'CidrIp', 'CidrIpv6'].map((k) => [k, resources.prop(r, k)]).filter(([, v]) => v !== undefined)) as Record<string, Value>;
      judge(r, props, `The ingress rule ${nameOf(r)}`);
    }
    return out;
  },
};

const LOAD_BALANCERS = new Set(['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancing::LoadBalancer']);

/** Security groups (by logical id) that load balancers use and nothing else in the same template names. */
function groupsOnlyOnLoadBalancers(resources: TemplateResources): Set<string> {
  // One walk over every resource's properties: which logical ids it references (Ref, Fn::GetAtt).
  const users = new Map<string, Set<string>>();
  const walk = (v: unknown, user: string, stack: string): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, user, stack);
    } else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const getAtt = o['Fn::GetAtt'];
      const target = typeof o.Ref === 'string' ? o.Ref : Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
      if (typeof target === 'string') {
        const key = `${stack}/${target}`;
        if (!users.has(key)) users.set(key, new Set());
        users.get(key)!.add(user);
      }
      for (const x of Object.values(o)) walk(x, user, stack);
    }
  };
  const typeOf = new Map<string, string>();
  for (const r of resources.ofType(...resources.types)) {
    typeOf.set(r.key, r.body.Type);
    walk(r.body.Properties, r.key, r.ref.stack);
  }
  const out = new Set<string>();
  for (const g of resources.ofType('AWS::EC2::SecurityGroup')) {
    const types = [...(users.get(g.key) ?? [])].map((u) => typeOf.get(u) ?? '').filter((t) => !RULE_TYPES.has(t));
    if (types.length > 0 && types.every((t) => LOAD_BALANCERS.has(t))) out.add(g.logicalId);
  }
  return out;
}

const RULE_TYPES = new Set(['AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress', 'AWS::EC2::SecurityGroup']);
