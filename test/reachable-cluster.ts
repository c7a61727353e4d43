/**
 * The smallest cluster a person can use, for tests about something other than cluster access.
 *
 * plan refuses a cluster nobody can reach (E_CLUSTER_UNREACHABLE, src/plan/cluster-access-guards.ts):
 * the API endpoint is private by default and opens to nobody, and nobody has an access entry. A test
 * that writes `cluster: {}` to check a default passes its spec through `withReachableCluster`, which
 * adds only what the spec's top-level cluster section lacks:
 * - `apiFrom: [vpc]` unless the spec already gives a network path (apiFrom or endpointAccess);
 * - `admins: [TEST_CLUSTER_ADMIN]` unless it already names admins or teams.
 * Everything else in the text stays as written, including a `»` position marker before the key
 * (test/spec/errors.test.ts computes lines and columns from markers in the returned text).
 */

export const TEST_CLUSTER_ADMIN = 'arn:aws:iam::111122223333:role/ops';

const NETWORK_PATH = ['apiFrom', 'endpointAccess'];
const ACCESS_ENTRY = ['admins', 'teams'];
const KEY = /^»?cluster:/;

export function withReachableCluster(yaml: string): string {
  const lines = yaml.split('\n');
  const at = lines.findIndex((l) => KEY.test(l));
  if (at === -1) return yaml;
  const head = lines[at]!;
  const flow = /^»?cluster:[ \t]*\{/.exec(head);
  if (flow) {
    const body = head.slice(flow[0].length);
    const fields = missing((key) => new RegExp(`(^|[{,\\s])${key}:`).test(body)).join(', ');
    if (!fields) return yaml;
    lines[at] = `${flow[0]} ${fields}${/^\s*\}/.test(body) ? ' ' : ', '}${body.trimStart()}`;
    return lines.join('\n');
  }
  if (!/^»?cluster:[ \t]*(#.*)?$/.test(head)) throw new Error(`withReachableCluster: cannot read "${head}"`);
  let end = at + 1;
  while (end < lines.length && !/^\S/.test(lines[end]!)) end++;
  const children = lines.slice(at + 1, end);
  const indent = /^ +/.exec(children.find((l) => l.trim()) ?? '')?.[0] ?? '  ';
  const fields = missing((key) => children.some((l) => l.startsWith(`${indent}${key}:`)));
  lines.splice(at + 1, 0, ...fields.map((f) => `${indent}${f}`));
  return lines.join('\n');
}

function missing(has: (key: string) => boolean): string[] {
  return [
    ...(NETWORK_PATH.some(has) ? [] : ['apiFrom: [vpc]']),
    ...(ACCESS_ENTRY.some(has) ? [] : [`admins: ["${TEST_CLUSTER_ADMIN}"]`]),
  ];
}
