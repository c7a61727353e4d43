/**
 * Catalogued services (services:) → ServicePlan and the Helm charts that run them.
 */
import type { SpecPath } from '../../spec/diagnostics.js';
import { didYouMean } from '../../spec/diagnostics.js';
import type { ServicesSpec } from '../../spec/workloads.js';
import { CATALOG, CHARTS, chartOf, ELASTIC_STACK_VERSION, OPERATOR_WAVE, SERVICE_WAVE } from '../catalog.js';
import { NODES } from '../cluster.js';
import { tcp } from '../flows.js';
import type { ChartPlan, IngressGroupPlan, PeerRulePlan, SecretPlan, ServiceKind, ServicePlan, ServiceSettings } from '../workloads.js';
import { albRule, planSecrets } from './app.js';
import { type WorkloadContext, EBS_STORAGE_CLASS } from './context.js';
import { planExposure } from './exposure.js';
import { TalksToResolver } from './talks-to.js';

export function planService(
  ctx: WorkloadContext, kind: ServiceKind, specs: ServicesSpec, resolver: TalksToResolver,
  groups: readonly IngressGroupPlan[], platform: string, environment: string,
): ServicePlan {
  const { diags, flows } = ctx;
  const entry = CATALOG[kind];
  const path: SpecPath = ['services', kind];
  const s = specs[kind]!;
  const ref = `services/${kind}`;
  for (const needed of entry.requires) {
    if (!specs[needed]) {
      diags.error('E_SERVICE_REQUIRES', path, `services.${kind} needs services.${needed}, which the spec does not define.`, { fix: `add services: { ${needed}: {} }` });
    }
  }
  const exposure = s.expose
    ? entry.http
      ? planExposure(ctx, kind, s.expose, [...path, 'expose'], { service: entry.http.service, port: entry.http.port, podPort: entry.http.podPort }, undefined)
      : reportNotHttp(ctx, kind, [...path, 'expose'])
    : undefined;
  const talks = resolver.resolve(ref, entry.namespace, entry.clientLabels ?? entry.labels, s.talksTo ?? [], [...path, 'talksTo']);
  const ingress: PeerRulePlan[] = exposure ? [albRule(groups, exposure)] : [];
  let secrets: SecretPlan[] = [];
  let settings: ServiceSettings;
  switch (kind) {
    case 'kafka': {
      const k = specs.kafka!;
      const external = k.externalListener && { port: k.externalListener.port ?? 9094, nodePort: k.externalListener.nodePort ?? 31094 };
      settings = { kind, brokers: k.brokers ?? 3, storageGiB: k.storageGiB ?? 20, external };
      if (external && k.externalListener) {
        const brokerPorts = { protocol: 'tcp' as const, from: external.nodePort, to: external.nodePort + (k.brokers ?? 3) };
        const lpath = [...path, 'externalListener', 'allowFrom'];
        // Node ports on the nodes' security group, and the listener port for the pods behind them.
        flows.allow(k.externalListener.allowFrom, NODES, [brokerPorts, tcp(external.port)], lpath, 'Kafka external listener');
        const cidrs = k.externalListener.allowFrom.flatMap((text) => sourceCidrs(ctx, text.trim()));
        ingress.push({ peer: { kind: 'cidrs', cidrs: [...new Set(cidrs)], except: [] }, ports: [tcp(external.port)], ref: 'kafka/external', origin: lpath });
      }
      break;
    }
    case 'redis': {
      const r = specs.redis!;
      settings = { kind, replicas: r.replicas ?? 2, sentinel: r.sentinel ?? true, storageGiB: r.storageGiB ?? 8 };
      break;
    }
    case 'elasticsearch': {
      const e = specs.elasticsearch!;
      settings = { kind, nodes: e.nodes ?? 3, storageGiB: e.storageGiB ?? 50, version: ELASTIC_STACK_VERSION };
      break;
    }
    case 'kibana':
      settings = { kind, version: ELASTIC_STACK_VERSION };
      // Kibana reads and writes its own indices in Elasticsearch.
      resolver.resolve(ref, entry.namespace, entry.clientLabels ?? entry.labels, ['services/elasticsearch'], path).egress.forEach((r) => talks.egress.push(r));
      break;
    case 'airflow': {
      const a = specs.airflow!;
      const dbName = /^db\/(.+)$/.exec(a.database)?.[1];
      const db = ctx.databases.find((d) => d.name === dbName);
      if (!db) {
        diags.error('E_UNKNOWN_REF', [...path, 'database'], `"${a.database}" does not name a database of this spec.`, {
          allowed: ctx.databases.map((d) => d.ref).join(', ') || 'nothing yet: no database is defined',
          fix: didYouMean(a.database, ctx.databases.map((d) => d.ref)) ?? 'define it under data.databases',
        });
      }
      if (db && !db.databaseName) {
        diags.error('E_AIRFLOW_DATABASE_NAME', [...path, 'database'], `Airflow connects to a named database, and ${db.ref} creates none.`, {
          fix: `add databaseName: airflow to data.databases.${db.name}`,
        });
      }
      secrets = planSecrets(ctx, 'airflow', db ? [db.ref] : [], [...path, 'database'], platform, environment);
      settings = { kind, database: { engine: db?.engine ?? 'postgres', secret: secrets[0] ?? { ref: a.database, name: 'airflow-db', remoteName: '', envPrefix: '' } } };
      if (db && !(s.talksTo ?? []).some((t) => t.startsWith(db.ref))) {
        resolver.resolve(ref, entry.namespace, entry.clientLabels ?? entry.labels, [db.ref], [...path, 'database']).egress.forEach((r) => talks.egress.push(r));
      }
      break;
    }
    case 'prometheus': {
      const p = specs.prometheus!;
      settings = { kind, retentionDays: p.retentionDays ?? 15, storageGiB: p.storageGiB ?? 50 };
      break;
    }
    case 'grafana':
      settings = { kind };
      resolver.resolve(ref, entry.namespace, entry.clientLabels ?? entry.labels, ['services/prometheus'], path).egress.forEach((r) => talks.egress.push(r));
      break;
  }
  return {
    ref, kind, namespace: entry.namespace, labels: entry.labels, ports: entry.ports, endpoint: entry.endpoint,
    settings, secrets, exposure, egress: talks.egress, ingress,
  };
}

export function reportNotHttp(ctx: WorkloadContext, kind: ServiceKind, path: SpecPath): undefined {
  const exposable = (Object.keys(CATALOG) as ServiceKind[]).filter((k) => CATALOG[k].http);
  ctx.diags.error('E_SERVICE_NOT_HTTP', path, `services.${kind} does not speak HTTP, so an ALB cannot route to it.`, {
    allowed: `expose on ${exposable.join(', ')}`, fix: 'remove expose; clients in the cluster reach it through talksTo',
  });
  return undefined;
}

/** The address ranges of a source endpoint, for NetworkPolicy ipBlocks (servers: their tier). */
export function sourceCidrs(ctx: WorkloadContext, text: string): string[] {
  const e = ctx.flows.endpoint(text);
  if (!e) return [];
  if (e.cidrs.length > 0) return [...e.cidrs];
  const server = ctx.servers.find((s) => s.ref === text);
  const tier = server && ctx.network.tiers.find((t) => t.name === server.tier);
  if (tier) {
    return server.subnets.map((id) => tier.subnets.find((s) => s.id === id)?.cidr).filter((c): c is string => c !== undefined);
  }
  return [ctx.network.cidr];
}

export function planCharts(services: readonly ServicePlan[]): ChartPlan[] {
  const has = (k: ServiceKind) => services.some((s) => s.kind === k);
  const charts: ChartPlan[] = [];
  if (has('kafka')) {
    charts.push(chartOf(CHARTS.strimzi, 'strimzi', 'kafka', OPERATOR_WAVE, { watchNamespaces: [], resources: { requests: { cpu: '100m', memory: '384Mi' }, limits: { memory: '384Mi' } } }));
  }
  if (has('elasticsearch') || has('kibana')) {
    charts.push(chartOf(CHARTS.eck, 'eck-operator', 'elastic', OPERATOR_WAVE, { managedNamespaces: ['elastic'], createClusterScopedResources: true, config: { metrics: { port: 0 } } }));
  }
  const redis = services.find((s) => s.settings.kind === 'redis')?.settings;
  if (redis?.kind === 'redis') {
    charts.push(chartOf(CHARTS.redisHa, 'redis', 'redis', SERVICE_WAVE, {
      replicas: redis.replicas + 1,
      sentinel: { quorum: Math.floor((redis.replicas + 1) / 2) + 1 },
      hardAntiAffinity: false,
      persistentVolume: { enabled: true, size: `${redis.storageGiB}Gi`, storageClass: EBS_STORAGE_CLASS },
      haproxy: { enabled: false },
      ...(redis.sentinel ? {} : { sentinel: { quorum: 1 } }),
    }));
  }
  const airflow = services.find((s) => s.settings.kind === 'airflow')?.settings;
  if (airflow?.kind === 'airflow') {
    charts.push(chartOf(CHARTS.airflow, 'airflow', 'airflow', SERVICE_WAVE, {
      postgresql: { enabled: false },
      data: { metadataSecretName: 'airflow-metadata' },
      executor: 'KubernetesExecutor',
      redis: { enabled: false },
      statsd: { enabled: false },
      // As post-install hooks these Jobs run only after every pod is Ready, and the pods wait for the
      // migration in an init container: under helm --wait, a deadlock. The chart documents
      // useHelmHooks: false for tools that wait (Argo CD, Flux, Terraform); they then run as plain Jobs.
      migrateDatabaseJob: { useHelmHooks: false, applyCustomEnv: false },
      createUserJob: { useHelmHooks: false, applyCustomEnv: false },
    }, ['airflow-metadata']));
  }
  const prometheus = services.find((s) => s.settings.kind === 'prometheus')?.settings;
  if (prometheus?.kind === 'prometheus') {
    charts.push(chartOf(CHARTS.kubePrometheusStack, 'kube-prometheus-stack', 'monitoring', SERVICE_WAVE, {
      fullnameOverride: 'monitoring',
      grafana: { enabled: has('grafana'), fullnameOverride: 'grafana' },
      alertmanager: { enabled: false },
      prometheus: {
        prometheusSpec: {
          retention: `${prometheus.retentionDays}d`,
          storageSpec: { volumeClaimTemplate: { spec: { storageClassName: EBS_STORAGE_CLASS, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${prometheus.storageGiB}Gi` } } } } },
        },
      },
    }));
  }
  return charts;
}
