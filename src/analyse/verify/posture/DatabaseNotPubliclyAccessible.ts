import { Unknown } from '../../model/resolve.js';
import { flag } from '../../model/resources.js';
import { nameOf, postureFinding, type PostureRule } from './rule.js';

/**
 * PS10: databases are not publicly accessible. `PubliclyAccessible: true` gives the instance a DNS
 * name that resolves to a public address whenever its subnet group holds a subnet with a route to an
 * internet gateway ("Working with a DB instance in a VPC", Amazon RDS User Guide); from then on its
 * security group alone stands between the database and the internet. PV4 proves what reaches it
 * today; this rule flags the setting that lets one subnet or rule change expose it.
 */
export const DatabaseNotPubliclyAccessible: PostureRule = {
  id: 'PS10',
  name: 'DatabaseNotPubliclyAccessible',
  level: 'warning',
  cause: 'An RDS instance sets PubliclyAccessible: true.',
  why: 'A publicly accessible instance gets a public address as soon as its subnet group holds a public subnet; its security group is then the only guard. Databases belong in private subnets without public addresses, reached through the application or a bastion.',
  check(resources) {
    return resources.ofType('AWS::RDS::DBInstance').flatMap((r) => {
      const v = resources.prop(r, 'PubliclyAccessible');
      if (v instanceof Unknown) return [postureFinding(this, r, `The RDS instance ${nameOf(r)} may be publicly accessible`, v)];
      return flag(v) === true
        ? [postureFinding(this, r, `The RDS instance ${nameOf(r)} is PubliclyAccessible: it gets a public address in any public subnet of its subnet group, guarded only by its security group; set PubliclyAccessible: false.`)]
        : [];
    });
  },
};
