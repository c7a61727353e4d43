/**
 * The diagram model: what is drawn, as plain data, before any layout. Groups nest (region ⊃ VPC ⊃
 * tier ⊃ subnet, or namespace); nodes sit in one group; edges are verified flows (or, drawn
 * apart, the few structural links a reader needs: routes to the internet, DNS aliases, Kubernetes
 * references). Everything is ordered and keyed deterministically so identical input draws the same.
 */

export type View = 'network' | 'k8s';

export type GroupKind =
  | 'outside' | 'region' | 'vpc' | 'tier' | 'subnet' | 'regional-services'
  | 'cluster' | 'namespace' | 'load-balancers' | 'aws';

export interface DiagramGroup {
  readonly id: string;
  readonly kind: GroupKind;
  readonly label: string;
  /** A second, lighter line: a CIDR, an AZ, "no NetworkPolicy". */
  readonly sublabel: string | undefined;
  readonly parent: string | undefined;
  /** Tier of a tier band or subnet: decides its colour. */
  readonly tier?: 'public' | 'private' | 'isolated' | 'unknown';
  /** A subnet's Availability Zone: subnets of one AZ are lined up as a column. */
  readonly az?: string;
  /** Lines written inside the group: for a subnet, what spreads into it from the band (`also here: db/main`). */
  readonly note?: readonly string[];
}

export type NodeKind =
  | 'internet' | 'cidr' | 'vpn-clients' | 'site' | 'vpc-any'
  | 'igw' | 'vgw' | 'nat' | 'alb' | 'nlb' | 'lb' | 'bastion' | 'server' | 'client-vpn' | 'interface-endpoint'
  | 'eks-control-plane' | 'eks-nodes' | 'rds' | 'efs' | 's3' | 'ecr' | 'route53' | 'lambda' | 'eni'
  | 'ingress' | 'service' | 'deployment' | 'statefulset' | 'daemonset' | 'job' | 'pods';

export interface DiagramNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly group: string;
  /** First line, bold: the spec reference when known (`servers/elk`, `db/main`). */
  readonly title: string;
  /** Further lines: what it is (`t3.large ×3`, `MySQL 8.0 · Multi-AZ`, `in public-a, public-b`). */
  readonly lines: readonly string[];
  /** Collapsed instances (`×N` badge), when more than one. */
  readonly count: number | undefined;
  /** Spec references the node stands for (for matching intended flows). */
  readonly refs: readonly string[];
  /** In a picture of a change (plinth plan): the node is new, or gone. @default - unchanged */
  readonly change?: Change;
  /** Which of several side-by-side columns the node stands in (a large view's namespaces). @default 0 */
  readonly lane?: number;
}

/** What a change did to a node or an edge, in a picture of the change. */
export type Change = 'added' | 'removed';

export type EdgeKind =
  /** An allowed flow verify proved through routes, ACLs, security groups (and NetworkPolicies). */
  | 'flow'
  /** An allowed flow that breaks an intent: red, with the rule ids. */
  | 'violation'
  /** An intended flow the templates block: red, dotted. */
  | 'blocked'
  /** Where traffic leaves: NAT → internet gateway → internet. Not a permission. */
  | 'route'
  /** A DNS alias record pointing at a load balancer. Not traffic. */
  | 'dns'
  /** Ingress → Service → workload, Ingress → its load balancer. Not a permission. */
  | 'reference';

export interface DiagramEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** `443/tcp`, `22/tcp, 5601/tcp`, `all traffic`, or a rule-id suffix for violations. */
  readonly label: string;
  /** `maybe`: allowed only if something the model could not resolve turns out permissive. */
  readonly certainty: 'sure' | 'maybe';
  /** Rule ids of the intents it breaks (violations and blocked flows). */
  readonly rules: readonly string[];
  /** One sentence for a tooltip: why the edge is there. */
  readonly detail: string;
  /**
   * The flow the other way (`to` → `from`), when both exist: drawn as one edge with two arrowheads,
   * the label a line per direction (`↓ 8000-8002/tcp`, `↑ 9094/tcp`), arrows chosen once the layout
   * says which end is where.
   */
  readonly back?: { readonly services: readonly string[]; readonly certainty: 'sure' | 'maybe'; readonly detail: string };
  /** The services `from` → `to`, for an edge with `back`. */
  readonly services?: readonly string[];
  /** In a picture of a change (plinth plan): the edge is new (or now carries more), or gone. @default - unchanged */
  readonly change?: Change;
}

export interface Diagram {
  readonly view: View;
  readonly title: string;
  readonly groups: readonly DiagramGroup[];
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  /** Sentences shown under the legend: findings with no edge to mark, empty views. */
  readonly notes: readonly string[];
  /** The verify checks whose ids appear on red edges: id, name and cause, for the legend. */
  readonly rules: readonly { readonly id: string; readonly name: string; readonly cause: string }[];
}
