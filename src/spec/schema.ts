/**
 * The plinth spec: one zod schema is the single source of truth for validation, TypeScript types
 * (`PlatformSpec`) and the JSON Schema editors use (`plinth schema`).
 *
 * Conventions: every object is strict (unknown keys are errors), units are in names (`diskGiB`),
 * every optional field documents its default in `.describe()`. Cross-field rules (CIDR containment,
 * references to names) live in `plan/`, where the whole spec is known.
 */
import { z } from 'zod';
import { workloadSections } from './workloads.js';

const NAME = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$|^[a-z]$/;
/** A short lower-case name used in resource names and references (`db/main`). */
export const name = z.string().regex(NAME, {
  message: 'must be 1-40 lower-case letters, digits or dashes, starting with a letter (e.g. "main", "ai-vllm")',
});

export const ipv4Cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, {
  message: 'must be an IPv4 CIDR such as 10.0.0.0/16',
});

export const port = z.number().int().min(1).max(65535);

/**
 * A reference to a named endpoint, in the one language every section shares:
 * `internet`, `vpc`, `bastion`, `vpn`, `cidr:203.0.113.7/32`, `sites/<name>`, `lb/<name>`, `db/<name>`,
 * `efs/<name>`, `servers/<name>`, `mgmt/<name>`, `cluster/nodes`, `cluster/controlPlane`; an optional `:port`, `:from-to` or `:port/udp` suffix.
 * Parsed and resolved in plan/refs.ts.
 */
export const endpointRef = z.string().min(1).describe(
  'An endpoint reference: internet | vpc | bastion | vpn | cidr:A.B.C.D/N | sites/NAME | sg/NAME | lb/NAME | db/NAME | efs/NAME | servers/NAME | mgmt/NAME | cluster/nodes | cluster/controlPlane, optionally with :PORT or :FROM-TO',
);

/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const tags = z.record(z.string(), z.string()).describe('Tags applied to every resource. @default {}');

const instanceType = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
  message: 'must be an EC2 instance type such as t3.medium or g5.xlarge',
});

export const AMI_FAMILIES = [
  'amazon-linux-2023',
  'amazon-linux-2023-gpu',
  'amazon-linux-2',
  'ubuntu-22.04',
  'ubuntu-24.04',
  'debian-12',
] as const;

const ami = z.union([
  z.enum(AMI_FAMILIES),
  z.strictObject({ ssmParameter: z.string().startsWith('/').describe('A public SSM parameter holding an AMI id') }),
  z.strictObject({
    id: z.string().regex(/^ami-[0-9a-f]{8,17}$/, { message: 'must be an AMI id such as ami-0abc1234def567890' }).describe('An AMI id in the platform region'),
    rootDevice: z.enum(['/dev/xvda', '/dev/sda1']).optional()
      .describe('The root device name of the image (RHEL, Ubuntu and other non-Amazon images boot from /dev/sda1). @default /dev/xvda'),
  }),
]).describe('AMI family, { ssmParameter } or { id, rootDevice }. @default amazon-linux-2023 (resolved by EC2 at launch from the public SSM parameter)');

/** One allowed inbound flow: `from` may reach this resource on `ports` (default: its service ports). */
const allowRule = z.strictObject({
  from: endpointRef.describe('Source endpoint'),
  ports: z.array(z.union([port, z.string()])).min(1).optional()
    .describe('Ports or ranges ("8000-8002", "53/udp"). @default the resource\'s own service ports'),
  description: z.string().optional().describe('Shown on the security group rule'),
});

const allowFields = {
  allow: z.array(allowRule).optional().describe('Inbound flows with explicit ports. @default []'),
  allowFrom: z.array(endpointRef).optional()
    .describe('Sources allowed on the resource\'s service ports (shorthand for allow). @default []'),
};

const instanceFields = {
  instanceType: instanceType.optional().describe('EC2 instance type. @default t3.micro for bastion and management hosts, t3.medium for servers'),
  ami: ami.optional(),
  tier: name.optional().describe('Subnet tier. @default the first public tier for the bastion, the first private tier otherwise'),
  azs: z.array(z.string()).min(1).optional().describe('Place only in these AZs of the tier. @default every AZ of the tier, round-robin'),
  diskGiB: z.number().int().min(8).max(16384).optional().describe('Root volume size (gp3, encrypted). @default 20'),
  keyPair: z.string().min(1).optional().describe('An existing EC2 key pair name. @default - none (use SSM Session Manager)'),
  userData: z.string().min(1).optional().describe('Path to a user-data script, relative to the spec file'),
  sshFrom: z.array(endpointRef).optional()
    .describe('Who may SSH (port 22). 0.0.0.0/0 and internet are rejected. @default [] (SSM Session Manager only)'),
};

/** A subnet that exists already, stated in full so synth, verify and the diagram stay offline. */
const existingSubnet = z.strictObject({
  id: z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { message: 'must be a subnet id such as subnet-0123456789abcdef0' }).describe('The subnet\'s id'),
  cidr: ipv4Cidr.describe('Its IPv4 CIDR, as it is in AWS (verify and the diagram place resources by it)'),
  az: z.string().min(1).describe('Its availability zone, one of network.azs'),
  routeTableId: z.string().regex(/^rtb-[0-9a-f]{8,17}$/, { message: 'must be a route table id such as rtb-0123456789abcdef0' }).optional()
    .describe('Its route table; needed only for gateway endpoints. @default - unknown: verify assumes the routes the tier type implies'),
});

const subnetTier = z.strictObject({
  existing: z.array(existingSubnet).min(1).optional()
    .describe('With network.vpcId: the subnets of this tier that exist already, one per AZ. plinth creates, routes and tags none of them. @default - plinth creates the tier'),
  type: z.enum(['public', 'private', 'isolated']).optional()
    .describe('public: routes to the IGW; private: egress through NAT; isolated: no internet. @default the tier\'s name when it is one of these'),
  cidrs: z.array(ipv4Cidr).min(1).optional()
    .describe('One CIDR per AZ, in the order of network.azs (fewer = only the first AZs). @default carved automatically'),
  mask: z.number().int().min(16).max(28).optional().describe('Prefix length when carving automatically. @default 24'),
  azs: z.array(z.string()).min(1).optional().describe('Only these AZs (names from network.azs). @default all AZs, or the first N with N cidrs'),
  mapPublicIpOnLaunch: z.boolean().optional().describe('Public tiers only: auto-assign public IPv4 addresses. @default false'),
});

const siteToSiteVpn = z.strictObject({
  customerGatewayIp: z.string().regex(/^(\d{1,3}\.){3}\d{1,3}$/, { message: 'must be the public IPv4 address of your VPN device' }).describe('Public IP of your VPN device'),
  bgpAsn: z.number().int().min(1).max(4294967294).optional().describe('ASN of the customer gateway. @default 65000'),
  remoteCidrs: z.array(ipv4Cidr).min(1).describe('Networks behind the customer gateway (static routes)'),
  routeTiers: z.array(name).optional().describe('Tiers whose route tables learn the remote networks. @default every private and isolated tier'),
});

/** An existing security group (a corporate VPN's, a bastion's) whose members the spec may let in. */
const trustedGroup = z.strictObject({
  id: z.string().regex(/^sg-[0-9a-f]{8,17}$/, { message: 'must be a security group id such as sg-0123456789abcdef0' })
    .describe('The group\'s id, in this VPC or a peered VPC of the same Region'),
  cidrs: z.array(ipv4Cidr).min(1).optional()
    .describe('Where its members are, so verify and the diagram can place them (plinth cannot see its members offline). @default - the VPC CIDR: anywhere in the VPC'),
  description: z.string().optional().describe('Who its members are, shown in verify and on rules. @default - the group id'),
});

const network = z.strictObject({
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { message: 'must be a VPC id such as vpc-0123456789abcdef0' }).optional()
    .describe('Build into this existing VPC: plinth creates no VPC, subnets, gateways, NAT or routes, and every tier lists its existing subnets. @default - plinth creates the VPC'),
  cidr: ipv4Cidr.describe('The VPC CIDR, /16 to /28 (with vpcId: the existing VPC\'s primary CIDR)'),
  azs: z.union([z.array(z.string()).min(1), z.number().int().min(1).max(6)])
    .describe('AZ names, or a count taken from plinth\'s built-in AZ table for the region (never an AWS look-up)'),
  subnets: z.record(name, subnetTier).describe('Named subnet tiers. @default { public: {}, private: {} }').optional(),
  nat: z.enum(['none', 'single', 'perAz', 'regional']).optional()
    .describe('NAT gateways: none, one, one per AZ, or one regional NAT gateway. @default single'),
  natTier: name.optional().describe('The public tier that hosts NAT gateways. @default the first public tier'),
  dnsSupport: z.boolean().optional().describe('Amazon DNS resolver in the VPC. @default true'),
  dnsHostnames: z.boolean().optional().describe('DNS hostnames for instances. @default true'),
  flowLogs: z.union([
    z.boolean(),
    z.strictObject({
      retentionDays: z.number().int().refine((d) => LOG_RETENTION_DAYS.includes(d), {
        message: `must be a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(', ')}`,
      }).optional().describe('Log retention in days. @default 90'),
      trafficType: z.enum(['ALL', 'ACCEPT', 'REJECT']).optional().describe('Which traffic to log. @default ALL'),
    }),
  ]).optional().describe('VPC flow logs to CloudWatch Logs. @default on (ALL traffic, 90 days)'),
  endpoints: z.strictObject({
    gateway: z.array(z.enum(['s3', 'dynamodb'])).optional().describe('Gateway endpoints (free) on every route table. @default [s3]'),
    interface: z.array(z.string().regex(/^[a-z0-9.-]+$/)).optional()
      .describe('Interface endpoint service names such as ecr.api, ecr.dkr, ssm, sts, logs. @default []'),
    tier: name.optional().describe('Tier for interface endpoints. @default the first private tier'),
  }).optional().describe('VPC endpoints, so private subnets reach AWS services without NAT'),
  vpn: z.record(name, siteToSiteVpn).optional().describe('Site-to-site VPN connections to networks outside AWS'),
  transitGateway: z.strictObject({
    id: z.string().regex(/^tgw-[0-9a-f]{8,17}$/, { message: 'must be a Transit Gateway id such as tgw-0123456789abcdef0' }).describe('An existing Transit Gateway (shared to this account)'),
    tier: name.optional().describe('Tier whose subnets hold the attachment. @default the first private tier'),
    routes: z.array(ipv4Cidr).min(1).describe('Destinations routed to the Transit Gateway'),
    routeTiers: z.array(name).optional().describe('Tiers whose route tables send routes to the gateway. @default every private and isolated tier'),
  }).optional().describe('Attach the VPC to an existing Transit Gateway'),
  trustedGroups: z.record(name, trustedGroup).optional()
    .describe('Existing security groups to trust, referenced as sg/NAME in allowFrom, allow, sshFrom, apiFrom and intents: each reference becomes an ingress rule naming the group (no new group, no addresses). @default {}'),
});

/** Tools `access.bastion.tools` can install. */
export const BASTION_TOOLS = ['aws-cli', 'kubectl'] as const;

const bastion = z.strictObject({
  ...instanceFields,
  elasticIp: z.boolean().optional().describe('A fixed public address. @default false'),
  egress: z.enum(['all', 'vpc']).optional().describe('Outbound traffic allowed. @default all'),
  tools: z.array(z.enum(BASTION_TOOLS)).optional()
    .describe('Command-line tools on the bastion, installed without the internet: aws-cli (part of the Amazon Linux 2023 image) and kubectl (the binary of the cluster\'s pinned kubectl layer, copied from the CDK asset bucket and checked by its SHA-256). With egress: vpc, plinth adds the eks and s3 interface endpoints they need. @default [] (none)'),
});

const management = z.strictObject({
  ...instanceFields,
  iamActions: z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, { message: 'must be an IAM action such as eks:DescribeCluster' }))
    .optional().describe('Extra IAM actions for the host role. @default []'),
});

const clientVpn = z.strictObject({
  clientCidr: ipv4Cidr.describe('Client address pool, /12 to /22, outside the VPC'),
  serverCertificateArn: z.string().startsWith('arn:').describe('ACM ARN of the server certificate'),
  clientRootCertificateArn: z.string().startsWith('arn:').describe('Mutual TLS: ACM ARN of the client root CA'),
  tier: name.optional().describe('Tier whose subnets are associated. @default the first private tier'),
  authorize: z.array(name).optional().describe('Tiers clients may reach. @default every private tier'),
  splitTunnel: z.boolean().optional().describe('Only VPC-bound traffic goes through the tunnel. @default true'),
});

/** What a host or an outside principal may do with a platform resource, in the shared reference language. */
const permission = z.string().regex(/^(buckets\/[a-z0-9-]+(\/[^:*]*)?:(read|write|readwrite)|repositories\/[a-z0-9][a-z0-9._/-]*:(pull|push))$/, {
  message: 'must be buckets/NAME[/PREFIX/]:read|write|readwrite or repositories/NAME:pull|push',
});

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an environment variable name' });

const container = z.strictObject({
  image: z.string().min(1)
    .describe('registry/REPO:TAG (an ECR repository of this spec, pulled with the host role) or a public image such as vllm/vllm-openai:v0.11.0'),
  ports: z.array(z.union([port, z.string().regex(/^\d{1,5}:\d{1,5}$/, { message: 'must be PORT or HOST:CONTAINER, e.g. "8000:80"' })])).optional()
    .describe('Published ports: PORT (same on host and container) or "HOST:CONTAINER". @default []'),
  command: z.array(z.string()).min(1).optional().describe('Override the image entrypoint. @default - the image\'s'),
  args: z.array(z.string()).min(1).optional().describe('Arguments after the image. @default - the image\'s'),
  env: z.record(envName, z.union([z.string(), z.number(), z.boolean()])).optional().describe('Plain environment variables; never secrets. @default {}'),
  secrets: z.array(z.string().min(1)).optional()
    .describe('Secrets Manager secrets read by the host role at each start, as environment variables: db/NAME (DB_NAME_USERNAME, ...) or secretsmanager:SECRET-NAME. @default []'),
  volumes: z.record(name, z.string().startsWith('/')).optional()
    .describe('Data volumes of this server (volumes:) mounted into the container: NAME → container path. @default {}'),
  gpus: z.boolean().optional().describe('Give the container every GPU of the host (GPU instance types only). @default false'),
  restart: z.enum(['always', 'on-failure']).optional().describe('When systemd restarts the container; it also starts at every boot. @default always'),
});

const dataVolume = z.strictObject({
  sizeGiB: z.number().int().min(1).max(16384).describe('Size of the gp3 volume (encrypted)'),
  path: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, { message: 'must be an absolute path such as /models' }).describe('Where it is mounted on the host'),
  removal: z.enum(['snapshot', 'retain', 'destroy']).optional()
    .describe('What deleting the server does: snapshot (then delete), retain, or destroy. @default snapshot'),
});

const server = z.strictObject({
  ...instanceFields,
  ...allowFields,
  volumes: z.record(name, dataVolume).optional().describe('EBS data volumes, one per instance, formatted once and mounted at path. @default {}'),
  containers: z.record(name, container).optional()
    .describe('Containers the host runs as systemd units (Docker), started at boot and restarted on failure. @default {}'),
  permissions: z.array(permission).optional()
    .describe('What the host role may do: buckets/NAME[/PREFIX/]:read|write|readwrite, repositories/NAME:pull|push. Repositories of its containers are added. @default []'),
  count: z.number().int().min(1).max(50).optional().describe('Identical instances, spread over the tier\'s AZs. @default 1'),
  ports: z.array(port).optional().describe('Service ports (the default ports of allowFrom and target groups). @default []'),
  elasticIp: z.boolean().optional().describe('One Elastic IP per instance; public tiers only. @default false'),
});

const externalPrincipal = z.strictObject({
  trustAnchorCertificate: z.string().min(1).describe('Path, relative to the spec, to the PEM certificate of the CA that issues the machine\'s X.509 certificate'),
  commonName: z.string().min(1).describe('The CN the machine\'s certificate must carry; no other certificate of that CA gets the role'),
  permissions: z.array(permission).min(1).describe('What the machine may do, e.g. buckets/videos/generated/:write'),
  sessionMinutes: z.number().int().min(15).max(720).optional().describe('Lifetime of the credentials it gets. @default 60'),
});

const kubeadm = z.strictObject({
  version: z.enum(['1.32', '1.33', '1.34']).optional().describe('Kubernetes minor version (pkgs.k8s.io repository). @default "1.33"'),
  controlPlane: name.describe('The servers group whose instances form the control plane; the first one initialises the cluster'),
  workers: z.array(name).optional().describe('Server groups that join as workers. @default []'),
  endpoint: endpointRef.describe('The API endpoint: lb/NAME, a network load balancer with a 6443 listener forwarding to the control plane'),
  cni: z.literal('calico').optional().describe('The pod network: Calico with VXLAN encapsulation (BGP off), by the Tigera operator. @default calico'),
  podCidr: ipv4Cidr.optional().describe('Pod addresses; must not overlap the VPC. @default 192.168.0.0/16'),
  ingressNginx: z.strictObject({
    httpNodePort: z.number().int().min(30000).max(32767).describe('NodePort of HTTP'),
    httpsNodePort: z.number().int().min(30000).max(32767).describe('NodePort of HTTPS'),
  }).optional().describe('ingress-nginx as a NodePort service on fixed ports. @default - not installed'),
});

const healthCheck = z.strictObject({
  path: z.string().startsWith('/').optional().describe('HTTP health check path. @default /'),
  port: port.optional().describe('@default the target port'),
  healthyHttpCodes: z.string().optional().describe('Healthy HTTP status codes. @default 200-399'),
});

const targetGroup = z.strictObject({
  servers: z.array(name).min(1).describe('Names from servers:'),
  port: port.describe('Port on the servers'),
  protocol: z.enum(['HTTP', 'HTTPS', 'TCP', 'UDP', 'TLS']).optional().describe('@default HTTP for ALB, TCP for NLB'),
  healthCheck: healthCheck.optional().describe('How the load balancer checks a target'),
  preserveClientIp: z.boolean().optional()
    .describe('NLB only: targets see the client\'s address. Turn it off when targets are also clients of an internal NLB (hairpinning), e.g. a Kubernetes API endpoint. @default true (the AWS default for instance targets)'),
});

const listener = z.strictObject({
  port: port.describe('Listener port'),
  protocol: z.enum(['HTTP', 'HTTPS', 'TCP', 'UDP', 'TLS']).optional()
    .describe('@default HTTPS on 443 and HTTP otherwise for ALB; TCP for NLB'),
  targetGroup: name.optional().describe('Forward to this target group'),
  redirectTo: port.optional().describe('ALB: redirect to this port over HTTPS'),
});

const loadBalancer = z.strictObject({
  type: z.enum(['application', 'network']).optional().describe('ALB or NLB. @default application'),
  scheme: z.enum(['internet-facing', 'internal']).optional().describe('@default internet-facing'),
  tier: name.optional().describe('@default the first public tier for internet-facing, else the first private tier'),
  listeners: z.array(listener).min(1).optional()
    .describe('@default ALB with a certificate: 443 HTTPS to the only target group and 80 redirecting to 443'),
  targetGroups: z.record(name, targetGroup).optional().describe('Named target groups of servers'),
  crossZone: z.boolean().optional().describe('NLB only. @default true'),
  dnsNames: z.array(z.string()).optional().describe('Alias A records in the dns zone. @default []'),
  ...allowFields,
});

const database = z.strictObject({
  engine: z.enum(['mysql', 'postgres']).describe('RDS engine'),
  version: z.string().describe('Major version: mysql 8.0 | 8.4; postgres 14 | 15 | 16 | 17'),
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { message: 'must be an RDS class such as db.t3.micro' })
    .optional().describe('Instance class. @default db.t4g.micro'),
  storageGiB: z.number().int().min(20).max(65536).optional().describe('gp3 storage, encrypted. @default 20'),
  maxStorageGiB: z.number().int().max(65536).optional().describe('Storage autoscaling ceiling. @default - no autoscaling'),
  multiAz: z.boolean().optional().describe('A standby in a second AZ. @default true'),
  databaseName: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, { message: 'must start with a letter and hold letters, digits or _' }).optional().describe('Initial database. @default - none'),
  username: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,15}$/, { message: 'must be 1-16 letters, digits or _, starting with a letter' })
    .optional().describe('Master user; its password is generated into Secrets Manager. @default admin (mysql) / postgres'),
  identifier: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { message: 'must be an RDS identifier: lower-case letters, digits and single dashes, starting with a letter' }).max(63).optional()
    .describe('The DB instance identifier. Changing it replaces the instance (after a final snapshot). @default - generated by CloudFormation'),
  tier: name.optional().describe('@default the first isolated tier, else the first private tier'),
  backupRetentionDays: z.number().int().min(1).max(35).optional().describe('Automated backups kept. @default 7'),
  deletionProtection: z.boolean().optional().describe('@default true'),
  removal: z.enum(['snapshot', 'retain', 'destroy']).optional().describe('What deleting the stack does. @default snapshot'),
  extendedSupport: z.boolean().optional()
    .describe('Keep a major version past RDS standard support, in paid RDS Extended Support (priced by plinth cost). @default false: EngineLifecycleSupport open-source-rds-extended-support-disabled, and a major past standard support is refused'),
  ...allowFields,
});

const fileSystem = z.strictObject({
  tier: name.optional().describe('@default the first private tier'),
  throughputMode: z.enum(['bursting', 'elastic']).optional().describe('EFS throughput mode. @default elastic'),
  removal: z.enum(['retain', 'destroy']).optional().describe('@default retain'),
  ...allowFields,
});

/** S3 general purpose bucket naming rules (Amazon S3 User Guide, "General purpose bucket naming rules"). */
export const bucketName = z.string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be an S3 bucket name: 3-63 lower-case letters, digits, dots or dashes, starting and ending with a letter or digit' })
  .refine((n) => !n.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(n) && !/^(xn--|sthree-|amzn-s3-demo-)/.test(n) && !/(-s3alias|--ol-s3|\.mrap|--x-s3)$/.test(n), {
    message: 'must be an S3 bucket name: no two adjacent dots, not an IP address, no reserved prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, --ol-s3, .mrap, --x-s3)',
  });

const bucket = z.strictObject({
  existing: z.union([z.boolean(), bucketName]).optional()
    .describe('The bucket exists already: true when its name is this key, else its name (e.g. corp-ml-datasets). plinth references it by name (its ARN, no look-up) to grant access, and never creates, changes or deletes it. @default false'),
  versioned: z.boolean().optional().describe('Object versioning. @default true'),
  removal: z.enum(['retain', 'destroy']).optional().describe('@default retain'),
  expireNoncurrentDays: z.number().int().min(1).optional().describe('Delete old object versions after. @default 90'),
});

const repository = z.strictObject({
  existing: z.boolean().optional()
    .describe('The repository exists already (e.g. shared with another environment): plinth references it by name and never creates, changes or deletes it. @default false'),
  keep: z.strictObject({
    tagPattern: z.string().min(1).describe('Tag wildcard, e.g. prod-*'),
    newest: z.number().int().min(1).max(10000).describe('How many matching images to keep'),
  }).optional().describe('Keep only the newest N images whose tag matches. @default - keep all tagged images'),
  untaggedExpireDays: z.number().int().min(1).optional().describe('Expire untagged images after. @default 7'),
  mutableTags: z.boolean().optional().describe('@default false (immutable tags)'),
  scanOnPush: z.boolean().optional().describe('Vulnerability scan on push. @default true'),
  removal: z.enum(['retain', 'destroy']).optional().describe('@default retain'),
});

const dns = z.strictObject({
  zone: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, { message: 'must be a domain name such as example.com' }).describe('Public hosted zone name'),
  zoneId: z.string().regex(/^Z[A-Z0-9]{4,32}$/, { message: 'must be a Route53 hosted zone id such as Z0123456789ABC' })
    .optional().describe('Use this existing hosted zone. @default - create a public hosted zone'),
  certificate: z.union([z.boolean(), z.strictObject({ names: z.array(z.string()).min(1).describe('Names the certificate covers') })]).optional()
    .describe('DNS-validated ACM certificate for the zone and *.zone. @default true'),
});

// --- cluster ---------------------------------------------------------------------------------

/** EKS cluster names: 1-100 letters, digits, `-` or `_`, starting with a letter or digit. */
const clusterName = z.string().regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, {
  message: 'must be 1-100 letters, digits, "-" or "_", starting with a letter or digit (EKS naming rules)',
});

/** A Kubernetes namespace: a DNS label. */
const namespaceName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
  message: 'must be a Kubernetes namespace: up to 63 lower-case letters, digits or dashes',
});

/** Managed node group AMI types plinth can configure (AL2023 and Bottlerocket; AL2 reached end of support). */
export const NODE_AMI_TYPES = [
  'AL2023_x86_64_STANDARD', 'AL2023_ARM_64_STANDARD', 'AL2023_x86_64_NVIDIA', 'AL2023_ARM_64_NVIDIA', 'AL2023_x86_64_NEURON',
  'BOTTLEROCKET_x86_64', 'BOTTLEROCKET_ARM_64', 'BOTTLEROCKET_x86_64_NVIDIA', 'BOTTLEROCKET_ARM_64_NVIDIA',
] as const;

export const CLUSTER_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

const nodeGroupSize = z.union([
  z.number().int().min(1).max(450).describe('A fixed number of nodes'),
  z.strictObject({
    min: z.number().int().min(0).max(450).describe('Fewest nodes'),
    max: z.number().int().min(1).max(450).describe('Most nodes (EKS requires at least 1)'),
    desired: z.number().int().min(0).max(450).optional().describe('Nodes at creation. @default min, or 1 when min is 0'),
  }),
]);

/**
 * EKS's rule for a node group name (CreateNodegroup nodegroupName; the EKS User Guide, "Create a managed
 * node group", https://docs.aws.amazon.com/eks/latest/userguide/create-managed-node-group.html: "can't be
 * longer than 63 characters. It must start with letter or digit, but can also include hyphens and
 * underscores for the remaining characters").
 */
const nodegroupName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, {
  message: 'must be 1-63 letters, digits, "-" or "_", starting with a letter or digit (EKS node group naming rules)',
});

const nodeGroup = z.strictObject({
  name: nodegroupName.optional()
    .describe('The EKS node group name, unique in the cluster. CloudFormation cannot replace a named node group (the new one needs the name the old one still holds), so `plinth plan` refuses a change that replaces it (instance types, capacity, AMI type, subnets) unless the name changes in the same change. @default - generated by CloudFormation'),
  instanceTypes: z.array(instanceType).min(1).max(20).describe('EC2 instance types of the group; spot groups list several of the same size'),
  capacity: z.enum(['onDemand', 'spot']).optional().describe('On-Demand or Spot instances. @default onDemand'),
  size: nodeGroupSize.optional().describe('A fixed node count, or { min, max, desired }. @default 2'),
  diskGiB: z.number().int().min(20).max(16384).optional().describe('Root volume per node (gp3, encrypted). @default 20'),
  labels: z.record(z.string(), z.string()).optional().describe('Kubernetes labels on every node. @default {}'),
  taints: z.array(z.strictObject({
    key: z.string().min(1).max(63).describe('Taint key'),
    value: z.string().max(63).optional().describe('Taint value. @default - none'),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).describe('What the taint does to pods that do not tolerate it'),
  })).optional().describe('Kubernetes taints on every node. @default []'),
  amiType: z.enum(NODE_AMI_TYPES).optional()
    .describe('EKS AMI type. @default AL2023 for the instance architecture; its NVIDIA variant for GPU families (g4dn, g5, p4d, ...), NEURON for inf/trn'),
  tier: name.optional().describe('Subnet tier of the nodes. @default the cluster tier'),
  azs: z.array(z.string()).min(1).optional().describe('Only these AZs of the tier. @default every AZ of the tier'),
  keyPair: z.string().min(1).optional().describe('An existing EC2 key pair for SSH to the nodes. @default - none (SSM Session Manager)'),
});

const team = z.strictObject({
  namespaces: z.array(namespaceName).min(1).optional().describe('Namespaces the team works in (created by plinth). @default [<team name>]'),
  access: z.enum(['view', 'develop', 'admin']).optional()
    .describe('view: read workloads; develop: also change workloads, read logs, exec and port-forward; admin: everything in the namespaces. @default develop'),
  members: z.array(z.string().min(1)).min(1)
    .describe('IAM principals of the team: user or role ARNs, or mgmt/NAME and bastion for the hosts\' roles'),
});

const argocdCapability = z.strictObject({
  capability: z.strictObject({
    identityCenterInstanceArn: z.string().startsWith('arn:').describe('ARN of the IAM Identity Center instance Argo CD signs users in with'),
    identityCenterRegion: z.string().optional().describe('Region of the Identity Center instance. @default the platform region'),
    adminGroups: z.array(z.string().min(1)).min(1).describe('Identity Center group ids that administer Argo CD'),
  }).describe('Argo CD as the EKS managed capability, its users signed in through IAM Identity Center'),
});

const cluster = z.strictObject({
  name: clusterName.optional().describe('EKS cluster name. @default <platform>-<environment>'),
  version: z.string().optional().describe('Kubernetes version, quoted, "1.32" to "1.36" (plinth pins add-ons for these; see docs/calendar.md). A version past EKS standard support needs supportType: extended. @default the newest version in standard support'),
  supportType: z.enum(['standard', 'extended']).optional()
    .describe('standard: EKS upgrades the control plane when standard support ends; extended: keep the version up to 12 more months at 6x the control-plane price (required for a version already past standard support). @default standard'),
  endpointAccess: z.enum(['private', 'publicAndPrivate']).optional()
    .describe('Where the Kubernetes API endpoint answers: only inside the VPC, or also on the internet from publicAccessCidrs. @default private'),
  publicAccessCidrs: z.array(ipv4Cidr).min(1).optional()
    .describe('With publicAndPrivate: the only addresses the public endpoint admits; 0.0.0.0/0 is refused. @default - required with publicAndPrivate'),
  apiFrom: z.array(endpointRef).optional()
    .describe('Who may reach the private API endpoint on 443 (bastion, mgmt/NAME, vpn, ...); the nodes always may. @default []'),
  secretsEncryption: z.boolean().optional().describe('Envelope-encrypt Kubernetes secrets with a KMS key of the platform (rotated yearly). @default true'),
  logTypes: z.array(z.enum(CLUSTER_LOG_TYPES)).optional().describe('Control-plane logs sent to CloudWatch Logs. @default all five'),
  logRetentionDays: z.number().int().refine((d) => LOG_RETENTION_DAYS.includes(d), {
    message: `must be a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(', ')}`,
  }).optional().describe('How long control-plane logs are kept. @default 30'),
  tier: name.optional().describe('Subnet tier of the control-plane network interfaces and, by default, the nodes. @default the first private tier'),
  admins: z.array(z.string().min(1)).optional()
    .describe('Cluster administrators (access entries with AmazonEKSClusterAdminPolicy): IAM user or role ARNs, mgmt/NAME or bastion. @default []'),
  nodes: z.strictObject({
    allow: z.array(allowRule).optional().describe('Inbound flows to every node (NodePorts, host ports), with explicit ports. @default []'),
    sshFrom: z.array(endpointRef).optional().describe('Who may SSH to the nodes (port 22). @default [] (SSM Session Manager only)'),
  }).optional().describe('The cluster/nodes endpoint: the security group every node and pod uses'),
  nodeGroups: z.record(name, nodeGroup).optional()
    .describe('Managed node groups. @default { default: { instanceTypes: [t3.large], size: { min: 2, max: 4 } } }'),
  autoscaling: z.enum(['cluster-autoscaler', 'karpenter', 'none']).optional().describe('Node autoscaling. @default none'),
  karpenterCapacity: z.array(z.enum(['on-demand', 'spot'])).min(1).optional()
    .describe('With autoscaling: karpenter, the capacity types its NodePool may launch; with both, Karpenter prefers Spot and falls back to On-Demand. @default ["on-demand"]'),
  gitops: z.strictObject({
    repo: z.string().regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, { message: 'must be a Git URL such as https://github.com/org/platform.git' })
      .describe('Git repository Argo CD syncs the workloads from'),
    path: z.string().min(1).optional().describe('Directory in the repository. @default .'),
    revision: z.string().min(1).optional().describe('Branch, tag or commit. @default HEAD'),
  }).optional().describe('Argo CD syncs the cluster from Git, and installs the controllers from rendered manifests'),
  argocd: z.union([z.enum(['helm', 'none']), argocdCapability]).optional()
    .describe('Argo CD: the self-hosted Helm chart, the EKS-managed capability (needs IAM Identity Center), or none. @default helm with gitops, else none'),
  controllers: z.strictObject({
    loadBalancer: z.boolean().optional().describe('AWS Load Balancer Controller (Ingress → ALB, Service → NLB). @default true'),
    externalSecrets: z.boolean().optional().describe('External Secrets Operator with a store for the platform\'s Secrets Manager secrets. @default false'),
    externalDns: z.boolean().optional().describe('external-dns for the dns zone. @default false'),
    imageUpdater: z.boolean().optional().describe('Argo CD Image Updater with ECR read access (needs argocd). @default false'),
  }).optional().describe('In-cluster controllers, each with its own Pod Identity role'),
  teams: z.record(name, team).optional()
    .describe('Teams: namespaces, a namespaced Role named after the team, and access entries binding its members. @default {}'),
});

const schedule = z.strictObject({
  timezone: z.string().min(1).optional().describe('IANA time zone of the cron expressions, e.g. Asia/Seoul. @default UTC'),
  stop: z.string().min(1).describe('When to stop: EventBridge Scheduler cron fields "MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR", e.g. "0 20 ? * MON-FRI *"'),
  start: z.string().min(1).optional().describe('When to start again, in the same form. @default - never (stop only)'),
  targets: z.array(z.string().min(1)).min(1).describe('What to stop and start: servers/NAME, cluster/nodeGroups/NAME, db/NAME'),
});

const workloads = workloadSections({ name, port, endpointRef });

/**
 * One network intent, checked by `plinth verify` on the synthesized templates (plan/intents.ts):
 * `from`/`to` select paths, and exactly one of `only`, `deny`, `via`, `reach` says what must hold.
 */
const intentSide = z.union([endpointRef, z.array(endpointRef).min(1)]);
const intent = z.strictObject({
  name: z.string().min(1).optional().describe('Shown in verify reports. @default intents[N]'),
  description: z.string().optional().describe('Why the intent exists; shown with violations'),
  from: intentSide.optional().describe('Sources: a reference, a list, or "*" for anything (the internet, other networks, every host). @default "*"'),
  to: intentSide.optional().describe('Destinations, with an optional :PORT suffix, or "*" for anything. @default "*"'),
  only: z.array(endpointRef).min(1).optional()
    .describe('The only paths allowed, naming the side written as "*" (a :PORT suffix is the destination port)'),
  deny: z.literal(true).optional().describe('No path from `from` to `to` may exist'),
  via: endpointRef.optional().describe('From outside the VPC, `to` is reachable only through this endpoint (e.g. vpn, bastion, lb/NAME), and is reachable through it'),
  reach: z.literal(true).optional().describe('Every source must reach every destination on its ports'),
});

export const platformSpecSchema = z.strictObject({
  $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editor completion (yaml-language-server)'),
  platform: z.strictObject({
    name: name.describe('Platform name; prefixes stack names (<name>-<environment>-network)'),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: 'must be an AWS region such as ap-northeast-2' }).describe('AWS region of every stack'),
    account: z.string().regex(/^\d{12}$/, { message: 'must be a 12-digit AWS account id' }).optional().describe('Target account. @default - the account of the credentials used to deploy'),
    environment: name.optional().describe('Environment name, part of stack names. @default prod'),
    tags: tags.optional(),
  }).describe('What the platform is called and where it runs'),
  network: network.describe('The VPC: address range, availability zones, subnet tiers, NAT, endpoints and connections'),
  access: z.strictObject({
    bastion: bastion.optional().describe('A jump host in a public tier; SSM Session Manager, SSH only from sshFrom'),
    management: z.record(name, management).optional().describe('Private admin hosts with their own IAM role'),
    clientVpn: clientVpn.optional().describe('AWS Client VPN endpoint for people'),
    external: z.record(name, externalPrincipal).optional()
      .describe('Machines outside AWS that act on platform resources with short-lived credentials (IAM Roles Anywhere). @default {}'),
  }).optional().describe('How people reach the platform: bastion, management hosts, Client VPN. @default - none of them'),
  servers: z.record(name, server).optional().describe('Named EC2 instances or fixed groups'),
  loadBalancers: z.record(name, loadBalancer).optional().describe('ALBs and NLBs in front of servers'),
  data: z.strictObject({
    databases: z.record(name, database).optional().describe('RDS instances'),
    fileSystems: z.record(name, fileSystem).optional().describe('EFS file systems'),
    buckets: z.record(name, bucket).optional().describe('S3 buckets'),
  }).optional().describe('Stateful resources: databases, file systems and buckets. @default - none'),
  registry: z.strictObject({ repositories: z.record(name, repository).describe('ECR repositories, named exactly as given') }).optional().describe('Container image repositories. @default - none'),
  dns: dns.optional().describe('Route53 zone and ACM certificate'),
  intents: z.array(intent).optional().describe('Network intents that plinth verify proves on the synthesized templates. @default []'),
  cluster: cluster.optional().describe('One EKS cluster with managed node groups, add-ons, controllers and teams'),
  kubeadm: kubeadm.optional().describe('Self-managed Kubernetes on servers groups: kubeadm HA control plane behind an NLB, workers, a CNI and ingress-nginx'),
  schedules: z.record(name, schedule).optional().describe('Stop and start servers, node groups and databases on a schedule, to save cost. @default {}'),
  apps: workloads.apps.optional(),
  services: workloads.services.optional(),
  environments: z.record(name, z.record(z.string(), z.unknown()).nullable()).optional()
    .describe('Other environments of the same platform: per environment, the spec sections that differ, merged onto the base (mappings merge key by key, lists and values replace, null removes). The base is platform.environment. @default {} (only the base)'),
});

export type PlatformSpec = z.infer<typeof platformSpecSchema>;
export type AllowRuleSpec = z.infer<typeof allowRule>;
export type SubnetTierSpec = z.infer<typeof subnetTier>;
export type ClusterSpec = z.infer<typeof cluster>;
export type NodeGroupSpec = z.infer<typeof nodeGroup>;
export type ScheduleSpec = z.infer<typeof schedule>;

