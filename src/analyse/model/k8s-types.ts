/** The Kubernetes objects verify reads from rendered manifests. */

export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly { readonly key: string; readonly operator: string; readonly values: readonly string[] }[];
}

export interface ContainerPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly name: string | undefined;
}

export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Labels of the pod template: what selectors match. */
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPort[];
  readonly file: string;
  /**
   * Spec references its pods answer to (`services/kafka`), for pods an operator or chart creates.
   * @default - `apps/NAME` and `apps/NAMESPACE/NAME`
   */
  readonly refs?: readonly string[];
}

/** An object of a kind verify does not read itself (an operator's custom resource, an Argo CD Application). */
export interface CustomResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  // Untyped input: each reader of a custom resource takes what it needs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec: any;
  readonly file: string;
}

export interface ServicePort {
  readonly port: number;
  readonly targetPort: number | string;
  readonly nodePort: number | undefined;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly name: string | undefined;
}

export interface Service {
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  readonly selector: Readonly<Record<string, string>> | undefined;
  readonly ports: readonly ServicePort[];
  readonly annotations: Readonly<Record<string, string>>;
  readonly sourceRanges: readonly string[];
  readonly file: string;
}

export interface IngressBackend {
  readonly service: string;
  readonly port: number | string;
}

export interface Ingress {
  readonly name: string;
  readonly namespace: string;
  readonly className: string | undefined;
  readonly annotations: Readonly<Record<string, string>>;
  readonly backends: readonly IngressBackend[];
  readonly file: string;
}

export interface PolicyPeer {
  readonly podSelector: LabelSelector | undefined;
  readonly namespaceSelector: LabelSelector | undefined;
  readonly ipBlock: { readonly cidr: string; readonly except: readonly string[] } | undefined;
}

export interface PolicyPort {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  /** undefined = every port. */
  readonly port: number | string | undefined;
  readonly endPort: number | undefined;
}

export interface PolicyRule {
  /** undefined = every peer (the rule names no `from`/`to`). */
  readonly peers: readonly PolicyPeer[] | undefined;
  /** undefined = every port. */
  readonly ports: readonly PolicyPort[] | undefined;
}

export interface NetworkPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly podSelector: LabelSelector;
  readonly ingress: readonly PolicyRule[] | undefined;
  readonly egress: readonly PolicyRule[] | undefined;
  readonly file: string;
}

export interface K8sModel {
  readonly namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly workloads: readonly Workload[];
  readonly services: readonly Service[];
  readonly ingresses: readonly Ingress[];
  readonly policies: readonly NetworkPolicy[];
  readonly files: readonly string[];
  /** Objects of other kinds, for the readers of operators and charts (model/build/services). @default [] */
  readonly customResources?: readonly CustomResource[];
}
