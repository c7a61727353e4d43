import { field, items } from '../../model/resources.js';
import type { Value } from '../../model/resolve.js';
import type { Finding } from '../findings.js';
import { nameOf, postureFinding, type PostureRule } from './rule.js';

const POLICY_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];

/** PS7: no IAM statement allows every action on every resource. */
export const IamNoAdminWildcard: PostureRule = {
  id: 'PS7',
  name: 'IamNoAdminWildcard',
  level: 'warning',
  cause: 'An IAM policy (standalone, managed, or inline in a role, user or group) has a statement with Effect Allow, Action "*" and Resource "*", or a role attaches the AdministratorAccess managed policy.',
  why: 'Full administrator rights in a workload role turn any code execution in that workload into a takeover of the account. Grant the actions and resources the workload uses.',
  check(resources) {
    const out: Finding[] = [];
    for (const r of resources.ofType(...POLICY_TYPES)) {
      const documents: Value[] = [];
      const own = resources.prop(r, 'PolicyDocument');
      if (own !== undefined) documents.push(own);
      for (const p of items(resources.prop(r, 'Policies'))) {
        const doc = field(p, 'PolicyDocument');
        if (doc !== undefined) documents.push(doc);
      }
      const admin = documents.some((d) => statements(d).some((s) => field(s, 'Effect') === 'Allow' && has(field(s, 'Action'), '*') && has(field(s, 'Resource'), '*')));
      const managed = items(resources.prop(r, 'ManagedPolicyArns')).some((a) => typeof a === 'string' && a.endsWith(':policy/AdministratorAccess'));
      if (admin || managed) out.push(postureFinding(this, r, `${nameOf(r)} ${managed ? 'attaches AdministratorAccess' : 'allows Action "*" on Resource "*"'}.`));
    }
    return out;
  },
};

function statements(doc: Value): Value[] {
  const s = field(doc, 'Statement');
  return Array.isArray(s) ? s : s === undefined ? [] : [s];
}

function has(v: Value | undefined, wanted: string): boolean {
  return v === wanted || (Array.isArray(v) && v.includes(wanted));
}
