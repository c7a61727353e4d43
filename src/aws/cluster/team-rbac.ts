/**
 * Kubernetes RBAC for teams, as plain manifests: each team's namespaces, a Role named after the team in
 * each, and a RoleBinding of that Role to the team's group (`plinth:team:<name>`), which the team
 * members' access entries map them to. Roles are namespaced and additive: a team can do nothing outside
 * its namespaces, and nothing inside them beyond its Role.
 */
import type { TeamAccess, TeamPlan } from '../../plan/types.js';

type Manifest = Record<string, unknown>;

interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];

/** What a team works with. Secrets are left out: they come from External Secrets, not from people. */
const WORKLOADS: readonly { readonly apiGroup: string; readonly resources: readonly string[] }[] = [
  { apiGroup: '', resources: ['pods', 'services', 'configmaps', 'persistentvolumeclaims'] },
  { apiGroup: 'apps', resources: ['deployments', 'deployments/scale', 'statefulsets', 'statefulsets/scale', 'replicasets', 'daemonsets'] },
  { apiGroup: 'batch', resources: ['jobs', 'cronjobs'] },
  { apiGroup: 'autoscaling', resources: ['horizontalpodautoscalers'] },
  { apiGroup: 'networking.k8s.io', resources: ['ingresses', 'networkpolicies'] },
  { apiGroup: 'policy', resources: ['poddisruptionbudgets'] },
];

/** Read-only context every access level sees. */
const OBSERVE: readonly PolicyRule[] = [
  { apiGroups: [''], resources: ['pods/log', 'events', 'endpoints', 'serviceaccounts'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
];

export function teamRules(access: TeamAccess): PolicyRule[] {
  if (access === 'admin') return [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];
  const verbs = access === 'develop' ? [...READ, ...WRITE] : READ;
  return [
    ...WORKLOADS.map((w) => ({ apiGroups: [w.apiGroup], resources: w.resources, verbs })),
    ...OBSERVE,
    // Debugging a running pod: a shell and a tunnel, never more than the pod itself can do.
    ...(access === 'develop' ? [{ apiGroups: [''], resources: ['pods/exec', 'pods/portforward'], verbs: ['create', 'get'] }] : []),
  ];
}

export function teamManifests(teams: readonly TeamPlan[]): Manifest[] {
  const namespaces = [...new Set(teams.flatMap((t) => t.namespaces))];
  return [
    ...namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'plinth' } } })),
    ...teams.flatMap((team) => team.namespaces.flatMap((namespace) => [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: team.name, namespace, labels: { 'app.kubernetes.io/managed-by': 'plinth' } },
        rules: teamRules(team.access),
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: team.name, namespace, labels: { 'app.kubernetes.io/managed-by': 'plinth' } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: team.name },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: team.group }],
      },
    ])),
  ];
}
