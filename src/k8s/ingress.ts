/**
 * Ingress for the AWS Load Balancer Controller. Every Ingress of a scheme joins one IngressGroup, so
 * the platform has at most two ALBs: an internet-facing one and an internal one. Pods are targets by
 * IP (no NodePort hop). With TLS the controller finds the ACM certificate by the rule's host (the
 * platform certificate covers the zone and *.zone), listens on 443, and redirects 80 to it; so the
 * manifests hold no certificate ARN and stay valid files in Git.
 *
 * Annotations that describe the whole ALB (scheme, listeners, security groups, redirect) are identical
 * on every member of a group, as the controller requires. `group.order` puts longer paths first, so
 * `/` on one app never shadows `/api` on another. A rewrite becomes the controller's URL-rewrite
 * transform, keyed by the backend Service's name (LBC >= 2.14.1).
 *
 * Who may reach the ALB is plinth's security group `lb/<scheme>`, in the Network stack with rules from
 * the plan's flows, not the controller's `inbound-cidrs`: Client VPN source-NATs clients to its own
 * interfaces, so a rule for the client pool never matches, while a rule for the VPN's security group
 * does; and a group in the template is one verify, cost and diagram can read.
 *  - `security-groups` takes ids or Name tags: the controller looks names up with DescribeSecurityGroups
 *    filtered on `tag:Name` and its VPC, and takes only values starting with `sg-` as ids
 *    (aws-load-balancer-controller pkg/networking/security_group_resolver.go). Naming the group by tag
 *    keeps the manifests free of CloudFormation tokens, as Git needs them.
 *  - With `security-groups` set, the controller creates no frontend group and ignores `inbound-cidrs`
 *    ("If the annotation is not specified, the LBC will create one security group per load balancer,
 *    allowing traffic from inbound-cidrs to listen-ports"), and by default adds no rules to the targets'
 *    groups (docs/deploy/security_groups.md, "Management of Backend Security Group Rules").
 *    `manage-backend-security-group-rules: "false"` says so explicitly: plinth writes `lb/<scheme> →
 *    cluster/nodes` on each target port itself. Only "true" needs the controller's shared backend group
 *    (pkg/ingress/model_build_load_balancer.go, buildLoadBalancerSecurityGroups).
 *
 * In an existing VPC plinth tags no subnet, and the controller's discovery would pick subnets by
 * others' role tags or, with none, by reachability alone (docs/deploy/subnet_discovery.md), possibly
 * outside the spec's tiers; `subnets` (a stringList of ids, identical across the group) pins the ALB
 * to the tiers the spec states (docs/guide/ingress/annotations.md).
 */
import { type Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { ExposurePlan, IngressGroupPlan, Labels } from '../plan/workloads.js';
import { namespaced } from './metadata.js';

const A = 'alb.ingress.kubernetes.io';

/** Escapes a literal path for the rewrite regex. */
function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function ingressAnnotations(exposure: ExposurePlan, group: IngressGroupPlan): Record<string, string> {
  const annotations: Record<string, string> = {
    [`${A}/group.name`]: group.name,
    [`${A}/group.order`]: String(exposure.order),
    [`${A}/scheme`]: group.scheme === 'public' ? 'internet-facing' : 'internal',
    [`${A}/target-type`]: 'ip',
    [`${A}/security-groups`]: group.securityGroupName,
    [`${A}/manage-backend-security-group-rules`]: 'false',
    [`${A}/healthcheck-path`]: exposure.healthCheckPath,
    [`${A}/listen-ports`]: exposure.tls ? '[{"HTTP":80},{"HTTPS":443}]' : '[{"HTTP":80}]',
    'external-dns.alpha.kubernetes.io/hostname': exposure.host,
  };
  if (group.pinnedSubnetIds?.length) annotations[`${A}/subnets`] = group.pinnedSubnetIds.join(',');
  if (exposure.tls) {
    annotations[`${A}/ssl-redirect`] = '443';
    annotations[`${A}/ssl-policy`] = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
  }
  if (exposure.sticky) {
    // The load balancer controller's target-group-attributes annotation; lb_cookie: the ALB's own cookie.
    annotations[`${A}/target-group-attributes`] = 'stickiness.enabled=true,stickiness.type=lb_cookie,stickiness.lb_cookie.duration_seconds=86400';
  }
  if (exposure.rewrite !== undefined) {
    const from = exposure.paths[0]!.replace(/\/$/, '');
    const to = exposure.rewrite.replace(/\/$/, '');
    annotations[`${A}/transforms.${exposure.serviceName}`] = JSON.stringify([{
      type: 'url-rewrite',
      urlRewriteConfig: { rewrites: [{ regex: `^${regexLiteral(from)}(/.*)?$`, replace: `${to}$1` }] },
    }]);
  }
  return annotations;
}

export function addIngress(chart: Chart, owner: string, namespace: string, labels: Labels, exposure: ExposurePlan, group: IngressGroupPlan): void {
  new k8s.KubeIngress(chart, `${owner}-ingress`, {
    metadata: namespaced(owner, namespace, labels, ingressAnnotations(exposure, group)),
    spec: {
      ingressClassName: 'alb',
      ...(exposure.tls ? { tls: [{ hosts: [exposure.host] }] } : {}),
      rules: [{
        host: exposure.host,
        http: {
          paths: exposure.paths.map((p) => ({
            path: p,
            pathType: 'Prefix',
            backend: { service: { name: exposure.serviceName, port: { number: exposure.servicePort } } },
          })),
        },
      }],
    },
  });
}
