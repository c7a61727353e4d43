/**
 * Where every date and version in the calendar comes from. A table entry names one of these keys;
 * a test checks that every key it names exists here. When a table is refreshed, the source's
 * `retrieved` date moves with it.
 */
export interface CalendarSource {
  readonly url: string;
  readonly title: string;
  /** When the page or file was read (the snapshot date, where the snapshot is dated). */
  readonly retrieved: string;
}

export const SOURCES = {
  'eol-eks': {
    url: 'https://endoflife.date/amazon-eks',
    title: 'endoflife.date: Amazon EKS, release, end of standard and extended support per minor (page snapshot Feb 2026; mirrors the EKS release calendar)',
    retrieved: '2026-02-14',
  },
  'eol-eks-1.36': {
    url: 'https://github.com/endoflife-date/endoflife.date/blob/2ffcafdaa788/products/amazon-eks.md',
    title: 'endoflife.date products/amazon-eks.md at 2ffcafda: 1.36 released 2026-06-02, end of standard support 2027-08-02, of extended support 2028-08-02',
    retrieved: '2026-12-05',
  },
  'eks-kubernetes-versions': {
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html',
    title: 'Amazon EKS User Guide: Kubernetes version lifecycle (14 months standard, then 12 months extended support)',
    retrieved: '2026-12-05',
  },
  'eks-kube-proxy-table': {
    url: 'https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md',
    title: 'Amazon EKS User Guide: latest kube-proxy add-on version per Kubernetes version (table lists 1.31 to 1.36)',
    retrieved: '2026-12-05',
  },
  'eks-coredns-table': {
    url: 'https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-coredns.md',
    title: 'Amazon EKS User Guide: latest CoreDNS add-on version per Kubernetes version (table lists 1.30 to 1.36)',
    retrieved: '2026-12-05',
  },
  'vpc-cni-moj-4678': {
    url: 'https://github.com/ministryofjustice/cloud-platform-infrastructure/pull/4678',
    title: 'vpc-cni v1.22.3-eksbuild.1 pinned on EKS (2026-07-08); AWS publishes one VPC CNI build for every supported Kubernetes version (EKS User Guide, managing-vpc-cni)',
    retrieved: '2026-07-08',
  },
  'aws-eks-v2-addon-pins': {
    url: 'docs/research/cluster-facts.md#2-eks-managed-add-on-versions',
    title: 'Public aws-eks-v2 code (2026) pinning eks-pod-identity-agent v1.3.10-eksbuild.3 and metrics-server v0.8.1-eksbuild.5 for Kubernetes 1.30/1.31 to 1.35',
    retrieved: '2026-11-21',
  },
  'csi-ol-5959': {
    url: 'https://github.com/mitodl/ol-infrastructure/pull/5959',
    title: 'aws-ebs-csi-driver v1.66.0-eksbuild.1 (default for 1.36) and aws-efs-csi-driver v3.4.2-eksbuild.1 (newest for 1.36), 2026-09-21; both add-ons ship one build for every supported Kubernetes version',
    retrieved: '2026-09-21',
  },
  'metrics-server-compat': {
    url: 'https://github.com/kubernetes-sigs/metrics-server#compatibility-matrix',
    title: 'metrics-server compatibility matrix: 0.8.x supports Kubernetes 1.31+',
    retrieved: '2026-12-05',
  },
  'npm-kubectl-layers': {
    url: 'https://www.npmjs.com/org/aws-cdk',
    title: 'npm registry: @aws-cdk/lambda-layer-kubectl-v33/-v34/-v35 2.2.2 and -v36 2.0.1 exist; no -v37 (npm view, 2026-12-05)',
    retrieved: '2026-12-05',
  },
  'eol-rds-mysql': {
    url: 'https://github.com/endoflife-date/endoflife.date/blob/0e6ee121e539/products/amazon-rds-mysql.md',
    title: 'endoflife.date: Amazon RDS for MySQL (from the RDS MySQL release calendar): 8.0 standard support to 2026-07-31, 8.4 to 2029-07-31, extended support 3 more years',
    retrieved: '2026-12-05',
  },
  'rds-postgres-calendar': {
    url: 'https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html',
    title: 'Amazon RDS for PostgreSQL release calendar: RDS end of standard support per major (the last day of February, five years after the community release), extended support 3 more years',
    retrieved: '2026-12-05',
  },
  'rds-extended-support': {
    url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support.html',
    title: 'Amazon RDS Extended Support: databases past the end of standard support are enrolled automatically unless EngineLifecycleSupport is open-source-rds-extended-support-disabled',
    retrieved: '2026-12-05',
  },
  'al2-faq': {
    url: 'https://aws.amazon.com/amazon-linux-2/faqs/',
    title: 'Amazon Linux 2 FAQs: end of support 2026-06-30',
    retrieved: '2026-12-05',
  },
  'al2023-faq': {
    url: 'https://aws.amazon.com/linux/amazon-linux-2023/faqs/',
    title: 'Amazon Linux 2023 FAQs: end of support 2029-06-30',
    retrieved: '2026-12-05',
  },
  'ubuntu-lifecycle': {
    url: 'https://ubuntu.com/about/release-cycle',
    title: 'Ubuntu release cycle: LTS standard security maintenance for 5 years (22.04 to 2027-04, 24.04 to 2029-04)',
    retrieved: '2026-12-05',
  },
  'debian-lts': {
    url: 'https://wiki.debian.org/LTS',
    title: 'Debian LTS: Debian 12 "bookworm" security updates by the security team to 2026-06-10, then by Debian LTS in the same archive to 2028-06-30',
    retrieved: '2026-12-05',
  },
} as const satisfies Record<string, CalendarSource>;

export type SourceKey = keyof typeof SOURCES;
