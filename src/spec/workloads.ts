/**
 * The `apps` and `services` sections: what runs on the cluster. Kept apart from schema.ts so the
 * workload vocabulary reads on one screen; schema.ts includes both sections in the platform spec.
 *
 * An app is one container image run as a Deployment (or a StatefulSet when it has volumes), with a
 * Service, optional Ingress, autoscaling, disruption budget, network policy and secrets. A service is
 * a catalogued piece of software (Kafka, Redis, Elasticsearch, ...) installed from a pinned chart or
 * operator, configured from a few fields.
 */
import { z } from 'zod';

/** The primitives schema.ts defines, passed in so the two files do not import each other. */
export interface SpecPrimitives {
  readonly name: z.ZodString;
  readonly port: z.ZodNumber;
  readonly endpointRef: z.ZodString;
}

/** The `apps` and `services` schemas, built on the platform spec's primitives. */
export function workloadSections({ name, port, endpointRef }: SpecPrimitives) {

  /** A Kubernetes namespace: a DNS label. */
  const namespace = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
    message: 'must be a Kubernetes namespace: up to 63 lower-case letters, digits or dashes',
  });

  /** Kubernetes CPU quantity: `250m`, `0.5`, `2`. */
  const cpu = z.union([
    z.number().positive(),
    z.string().regex(/^(\d+m|\d+(\.\d+)?)$/, { message: 'must be a CPU amount such as 250m, 0.5 or 2' }),
  ]);
  /** Kubernetes memory quantity with a binary unit: `256Mi`, `2Gi`. */
  const memory = z.string().regex(/^\d+(Ki|Mi|Gi|Ti)$/, { message: 'must be a memory amount such as 256Mi or 2Gi' });

  const httpPath = z.string().regex(/^\/[A-Za-z0-9._~\-/]*$/, {
    message: 'must be a URL path starting with "/", without wildcards or query strings, e.g. /api',
  });

  const probe = z.strictObject({
    path: httpPath.optional().describe('HTTP GET path. @default - a TCP check of the first port'),
    port: port.optional().describe('@default the first port'),
    initialDelaySeconds: z.number().int().min(0).max(3600).optional().describe('@default 10 (readiness), 30 (liveness)'),
    periodSeconds: z.number().int().min(1).max(3600).optional().describe('@default 10'),
  });

  const expose = z.strictObject({
    ingress: z.enum(['public', 'internal'])
      .describe('public: the internet-facing ALB (lb/public); internal: the internal ALB (lb/internal), reachable only from allowFrom (default: Client VPN users)'),
    host: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, { message: 'must be a host name such as www.example.com' }).optional()
      .describe('Host the rules match. @default <app>.<dns zone>'),
    paths: z.array(httpPath).min(1).optional().describe('Path prefixes routed to the app. @default ["/"]'),
    rewrite: httpPath.optional()
      .describe('Replace the matched path prefix before the request reaches the app (ALB URL rewrite), e.g. /api/x → /simpleapp/x. @default - no rewrite'),
    tls: z.boolean().optional()
      .describe('HTTPS on 443 with the platform certificate (found by host), port 80 redirecting to it. @default true when the spec has a certificate'),
    healthCheckPath: httpPath.optional().describe('ALB health check path. @default the readiness probe path, else /'),
    allowFrom: z.array(endpointRef).min(1).optional()
      .describe('Internal ALB only: who may connect (vpn, vpc, sites/NAME, servers/NAME, cidr:...), as rules of the lb/internal security group; the ALB is shared, so it admits what any of its apps allows. @default [vpn] when the spec has a client VPN, else [vpc]'),
  });

  const volume = z.strictObject({
    path: z.string().startsWith('/').describe('Mount path in the container'),
    sizeGiB: z.number().int().min(1).max(16384).optional().describe('EBS gp3 volume per replica (StatefulSet). @default 10'),
    efs: name.optional().describe('Mount this file system from data.fileSystems instead, shared by every replica. @default - an EBS volume per replica'),
  });

  /** Fields apps and catalogued services share: who they call, and how they are reached. */
  const connectivity = {
    talksTo: z.array(endpointRef).optional().describe(
      'Where the app may open connections: apps/NAME, services/NAME, db/NAME, efs/NAME, servers/NAME[:PORT], sites/NAME, s3:BUCKET, internet[:PORT], cidr:... '
      + '(NetworkPolicies, security group rules from the cluster nodes, Pod Identity for S3). @default [] (DNS only)',
    ),
    expose: expose.optional().describe('Route HTTP(S) from an ALB to the app. @default - reachable only inside the cluster'),
  };

  const app = z.strictObject({
    image: z.string().min(1)
      .describe('registry/REPO:TAG (an ECR repository of this spec; TAG may be a pattern Argo CD Image Updater follows: YYYYMMDD, HHMM and * stand for 8 digits, 4 digits and anything, e.g. prod-YYYYMMDD-HHMM), or any image reference such as nginx:1.27'),
    initialTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: 'must be an image tag' }).optional()
      .describe('With a tag pattern: the existing tag the pods start on, until Image Updater writes the newest match. @default - required with a pattern'),
    namespace: namespace.optional().describe('@default the platform name'),
    replicas: z.number().int().min(0).max(1000).optional()
      .describe('Pod count; with autoscale, the count the Deployment starts with (within min..max), after which the autoscaler owns it. @default 2 (1 with volumes); with autoscale, autoscale.min'),
    autoscale: z.strictObject({
      min: z.number().int().min(1).max(1000).describe('Fewest pods'),
      max: z.number().int().min(1).max(1000).describe('Most pods'),
      cpu: z.number().int().min(1).max(100).optional().describe('Target average CPU, % of the request. @default 70 when memory is not given'),
      memory: z.number().int().min(1).max(100).optional().describe('Target average memory, % of the request. @default - not a target'),
    }).optional().describe('A HorizontalPodAutoscaler (autoscaling/v2) owns the pod count. @default - fixed replicas'),
    port: port.optional().describe('The port the container listens on (shorthand for ports: [PORT]). @default - no Service'),
    ports: z.array(port).min(1).optional().describe('Every port the container listens on; the first serves Ingress traffic and probes. @default [port]'),
    command: z.array(z.string()).min(1).optional().describe('Override the image entrypoint. @default - the image\'s'),
    args: z.array(z.string()).min(1).optional().describe('Arguments. @default - the image\'s'),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an environment variable name' }), z.union([z.string(), z.number(), z.boolean()]))
      .optional().describe('Plain environment variables; never put secrets here. @default {}'),
    secrets: z.array(z.string().min(1)).optional().describe(
      'Secrets Manager secrets delivered by External Secrets as environment variables: db/NAME (the database\'s credentials, as DB_NAME_USERNAME, DB_NAME_PASSWORD, DB_NAME_HOST, ...) or secretsmanager:SECRET-NAME. @default []',
    ),
    resources: z.strictObject({
      cpu: cpu.optional().describe('Requested CPU. @default 250m'),
      memory: memory.optional().describe('Requested memory, also the limit (memory is not compressible). @default 512Mi'),
      cpuLimit: cpu.optional().describe('CPU ceiling. @default - none (throttling hurts latency more than sharing CPU)'),
    }).optional().describe('CPU and memory of each pod'),
    readiness: z.union([z.literal(false), probe]).optional().describe('Readiness probe, or false. @default a TCP check of the first port'),
    liveness: z.union([z.literal(false), probe]).optional().describe('Liveness probe, or false. @default a TCP check of the first port'),
    sessionAffinity: z.enum(['none', 'clientIP']).optional().describe('Keep a client on one pod: the Service\'s affinity for in-cluster clients and, when exposed, ALB target-group stickiness (lb_cookie, 1 day) for browsers. @default none'),
    runAsUser: z.number().int().min(1).max(2147483647).optional()
      .describe('Non-root user id the container runs as (root is refused). @default 10001'),
    writablePaths: z.array(z.string().startsWith('/')).optional()
      .describe('The root file system is read-only; these paths get empty writable volumes. @default [/tmp]'),
    volumes: z.record(name, volume).optional().describe('Persistent volumes; any EBS volume makes the app a StatefulSet. @default {}'),
    disruptionBudget: z.boolean().optional().describe('A PodDisruptionBudget keeping all but one pod up during node drains. @default true when more than one pod'),
    ...connectivity,
  });

  const storage = (defaultGiB: number) => ({
    storageGiB: z.number().int().min(1).max(16384).optional().describe(`Volume per node or replica (gp3, encrypted). @default ${defaultGiB}`),
  });

  const kafka = z.strictObject({
    brokers: z.number().int().min(1).max(15).optional().describe('Kafka nodes (each a KRaft controller and broker). @default 3'),
    ...storage(20),
    externalListener: z.strictObject({
      port: port.optional().describe('Listener port in the brokers. @default 9094'),
      nodePort: z.number().int().min(30000).max(32767).optional()
        .describe('First NodePort: bootstrap on it, broker N on it + 1 + N. @default 31094'),
      allowFrom: z.array(endpointRef).min(1).describe('Clients outside the cluster (servers/NAME, sites/NAME, vpn, cidr:...)'),
    }).optional().describe('A NodePort listener for clients outside the cluster (seed 001: the AI servers). @default - none'),
    ...connectivity,
  });

  const redis = z.strictObject({
    replicas: z.number().int().min(0).max(10).optional().describe('Read replicas besides the master. @default 2'),
    sentinel: z.boolean().optional().describe('Redis Sentinel for automatic failover. @default true'),
    ...storage(8),
    ...connectivity,
  });

  const elasticsearch = z.strictObject({
    nodes: z.number().int().min(1).max(30).optional().describe('Elasticsearch nodes. @default 3'),
    ...storage(50),
    ...connectivity,
  });

  const kibana = z.strictObject({ ...connectivity });

  const airflow = z.strictObject({
    database: endpointRef.describe('The metadata database: db/NAME (postgres or mysql), credentials via External Secrets'),
    ...connectivity,
  });

  const prometheus = z.strictObject({
    retentionDays: z.number().int().min(1).max(3650).optional().describe('How long metrics are kept. @default 15'),
    ...storage(50),
    ...connectivity,
  });

  const grafana = z.strictObject({ ...connectivity });

  const apps = z.record(name, app).describe('Containers run on the cluster, by name');

  const services = z.strictObject({
    kafka: kafka.optional().describe('Apache Kafka in KRaft mode (no ZooKeeper), by the Strimzi operator.'),
    redis: redis.optional().describe('Redis with replicas and Sentinel (the official redis image, DandyDeveloper redis-ha chart).'),
    elasticsearch: elasticsearch.optional().describe('Elasticsearch by the ECK operator.'),
    kibana: kibana.optional().describe('Kibana by the ECK operator, connected to elasticsearch'),
    airflow: airflow.optional().describe('Apache Airflow (official chart), metadata in an RDS database'),
    prometheus: prometheus.optional().describe('Prometheus and its operator (kube-prometheus-stack).'),
    grafana: grafana.optional().describe('Grafana (kube-prometheus-stack), with Prometheus as its data source'),
  }).describe('Catalogued software installed from pinned charts and operators');

  return { apps, services };
}

type Sections = ReturnType<typeof workloadSections>;
export type AppSpec = z.infer<Sections['apps']>[string];
export type ServicesSpec = z.infer<Sections['services']>;
export type ExposeSpec = NonNullable<AppSpec['expose']>;
export type ProbeSpec = Exclude<NonNullable<AppSpec['readiness']>, false>;
