/**
 * The plinth spec: one zod schema is the single source of truth for validation, TypeScript types
 * (`PlatformSpec`) and the JSON Schema editors use (`plinth schema`).
 *
 * Conventions: every object is strict (unknown keys are errors), units are in names (`diskGiB`),
 * every optional field documents its default in `.describe()`. Cross-field rules (CIDR containment,
 * references to names) live in `plan/`, where the whole spec is known.
 */
import { z } from 'zod';

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
 * `efs/<name>`, `servers/<name>`, `mgmt/<name>`; an optional `:port`, `:from-to` or `:port/udp` suffix.
 * Parsed and resolved in plan/refs.ts.
 */
export const endpointRef = z.string().min(1).describe(
  'An endpoint reference: internet | vpc | bastion | vpn | cidr:A.B.C.D/N | sites/NAME | lb/NAME | db/NAME | efs/NAME | servers/NAME | mgmt/NAME, optionally with :PORT or :FROM-TO',
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
    id: z.string().regex(/^ami-[0-9a-f]{8,17}$/, { message: 'must be an AMI id such as ami-0abc1234def567890' }),
  }),
]).describe('AMI family, { ssmParameter } or { id }. @default amazon-linux-2023 (resolved at deploy time from the public SSM parameter)');

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

const subnetTier = z.strictObject({
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

const network = z.strictObject({
  cidr: ipv4Cidr.describe('The VPC CIDR, /16 to /28'),
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
  }).optional(),
  vpn: z.record(name, siteToSiteVpn).optional().describe('Site-to-site VPN connections to networks outside AWS'),
  transitGateway: z.strictObject({
    id: z.string().regex(/^tgw-[0-9a-f]{8,17}$/, { message: 'must be a Transit Gateway id such as tgw-0123456789abcdef0' }).describe('An existing Transit Gateway (shared to this account)'),
    tier: name.optional().describe('Tier whose subnets hold the attachment. @default the first private tier'),
    routes: z.array(ipv4Cidr).min(1).describe('Destinations routed to the Transit Gateway'),
    routeTiers: z.array(name).optional().describe('Tiers whose route tables send routes to the gateway. @default every private and isolated tier'),
  }).optional().describe('Attach the VPC to an existing Transit Gateway'),
});

const bastion = z.strictObject({
  ...instanceFields,
  elasticIp: z.boolean().optional().describe('A fixed public address. @default false'),
  egress: z.enum(['all', 'vpc']).optional().describe('Outbound traffic allowed. @default all'),
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

const server = z.strictObject({
  ...instanceFields,
  ...allowFields,
  count: z.number().int().min(1).max(50).optional().describe('Identical instances, spread over the tier\'s AZs. @default 1'),
  ports: z.array(port).optional().describe('Service ports (the default ports of allowFrom and target groups). @default []'),
  elasticIp: z.boolean().optional().describe('One Elastic IP per instance; public tiers only. @default false'),
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
  healthCheck: healthCheck.optional(),
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
  tier: name.optional().describe('@default the first isolated tier, else the first private tier'),
  backupRetentionDays: z.number().int().min(1).max(35).optional().describe('Automated backups kept. @default 7'),
  deletionProtection: z.boolean().optional().describe('@default true'),
  removal: z.enum(['snapshot', 'retain', 'destroy']).optional().describe('What deleting the stack does. @default snapshot'),
  ...allowFields,
});

const fileSystem = z.strictObject({
  tier: name.optional().describe('@default the first private tier'),
  throughputMode: z.enum(['bursting', 'elastic']).optional().describe('EFS throughput mode. @default elastic'),
  removal: z.enum(['retain', 'destroy']).optional().describe('@default retain'),
  ...allowFields,
});

const bucket = z.strictObject({
  versioned: z.boolean().optional().describe('Object versioning. @default true'),
  removal: z.enum(['retain', 'destroy']).optional().describe('@default retain'),
  expireNoncurrentDays: z.number().int().min(1).optional().describe('Delete old object versions after. @default 90'),
});

const repository = z.strictObject({
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
  certificate: z.union([z.boolean(), z.strictObject({ names: z.array(z.string()).min(1) })]).optional()
    .describe('DNS-validated ACM certificate for the zone and *.zone. @default true'),
});

export const platformSpecSchema = z.strictObject({
  $schema: z.string().optional(),
  platform: z.strictObject({
    name: name.describe('Platform name; prefixes stack names (<name>-<environment>-network)'),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: 'must be an AWS region such as ap-northeast-2' }).describe('AWS region of every stack'),
    account: z.string().regex(/^\d{12}$/, { message: 'must be a 12-digit AWS account id' }).optional().describe('Target account. @default - the account of the credentials used to deploy'),
    environment: name.optional().describe('Environment name, part of stack names. @default prod'),
    tags: tags.optional(),
  }),
  network,
  access: z.strictObject({
    bastion: bastion.optional().describe('A jump host in a public tier; SSM Session Manager, SSH only from sshFrom'),
    management: z.record(name, management).optional().describe('Private admin hosts with their own IAM role'),
    clientVpn: clientVpn.optional().describe('AWS Client VPN endpoint for people'),
  }).optional(),
  servers: z.record(name, server).optional().describe('Named EC2 instances or fixed groups'),
  loadBalancers: z.record(name, loadBalancer).optional().describe('ALBs and NLBs in front of servers'),
  data: z.strictObject({
    databases: z.record(name, database).optional().describe('RDS instances'),
    fileSystems: z.record(name, fileSystem).optional().describe('EFS file systems'),
    buckets: z.record(name, bucket).optional().describe('S3 buckets'),
  }).optional(),
  registry: z.strictObject({ repositories: z.record(name, repository).describe('ECR repositories, named exactly as given') }).optional(),
  dns: dns.optional().describe('Route53 zone and ACM certificate'),
});

export type PlatformSpec = z.infer<typeof platformSpecSchema>;
export type AllowRuleSpec = z.infer<typeof allowRule>;
export type SubnetTierSpec = z.infer<typeof subnetTier>;
export type ServerSpec = z.infer<typeof server>;
export type LoadBalancerSpec = z.infer<typeof loadBalancer>;
export type DatabaseSpec = z.infer<typeof database>;

/** The JSON Schema of the spec, for editors (`# yaml-language-server: $schema=...`). */
export function specJsonSchema(): object {
  return z.toJSONSchema(platformSpecSchema, { target: 'draft-7', unrepresentable: 'any' });
}
