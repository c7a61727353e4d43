/**
 * spec → plan: a pure function. Applies defaults, carves CIDRs, resolves names and references, and
 * builds the flow list. Reports every mistake at once through a SpecError.
 */
import { Diagnostics } from '../spec/diagnostics.js';
import type { PlatformSpec } from '../spec/schema.js';
import { checkSpecCalendar } from './calendar/check.js';
import { checkInstanceTypes, checkWorkloadCapacity } from './capacity.js';
import { addClusterEndpoints, clusterNameOf, planCluster } from './cluster.js';
import { addIngressEndpoints, planWorkloads } from './apps.js';
import { planBastionTools } from './bastion-tools.js';
import { planBuckets, planDatabases, planFileSystems, planRepositories } from './data.js';
import { planDns, planLoadBalancers } from './edge.js';
import { FlowBuilder, tcp } from './flows.js';
import { planInstance, resolveTier } from './instances.js';
import { planIntents } from './intents.js';
import { planExternalPrincipals } from './external.js';
import { planKubeadm } from './kubeadm.js';
import { planServerRuntime } from './server-runtime.js';
import { planNetwork } from './network.js';
import { planSchedules } from './schedules.js';
import { addTrustedGroups } from './trusted-groups.js';
import { formatCidr, overlaps, parseCidr } from './cidr.js';
import type { ClientVpnPlan, Plan } from './types.js';

export * from './types.js';

export interface PlanOptions {
  /** Reads a file named in the spec (user data), relative to the spec; undefined if it does not exist. */
  readonly readFile?: (relativePath: string) => string | undefined;
  /** The day versions are checked against (support calendars). @default today */
  readonly today?: Date;
  /** The spec's base environment; any other environment carries its name in resource names. @default the spec's own */
  readonly baseEnvironment?: string;
}

export function buildPlan(spec: PlatformSpec, options: PlanOptions = {}): Plan {
  const diags = new Diagnostics();
  const readFile = options.readFile ?? (() => undefined);
  const today = options.today ?? new Date();
  const clusterName = clusterNameOf(spec);
  const network = { ...planNetwork(spec, diags), clusterNames: clusterName ? [clusterName] : [] };
  const flows = new FlowBuilder(diags);

  // Endpoints first, so every reference can be resolved regardless of where it appears.
  flows.addEndpoint('internet', 'internet', ['0.0.0.0/0']);
  flows.addEndpoint('vpc', 'vpc', [network.cidr]);
  for (const vpn of network.vpns) flows.addEndpoint(`sites/${vpn.name}`, 'site', vpn.remoteCidrs);
  addTrustedGroups(spec, network, flows, diags);
  const access = spec.access ?? {};
  if (access.bastion) flows.addEndpoint('bastion', 'bastion');
  if (access.clientVpn) flows.addEndpoint('vpn', 'vpn', [access.clientVpn.clientCidr], true);
  for (const name of Object.keys(access.management ?? {})) flows.addEndpoint(`mgmt/${name}`, 'mgmt');
  for (const name of Object.keys(spec.servers ?? {})) flows.addEndpoint(`servers/${name}`, 'server');
  for (const name of Object.keys(spec.loadBalancers ?? {})) flows.addEndpoint(`lb/${name}`, 'lb');
  for (const name of Object.keys(spec.data?.databases ?? {})) flows.addEndpoint(`db/${name}`, 'db');
  for (const name of Object.keys(spec.data?.fileSystems ?? {})) flows.addEndpoint(`efs/${name}`, 'efs');
  if (network.interfaceEndpoints.length > 0) flows.addEndpoint('vpc-endpoints', 'interfaceEndpoints');
  addClusterEndpoints(spec, flows);
  addIngressEndpoints(spec, flows, diags);

  // Hosts
  const bastionSpec = access.bastion;
  const bastionInstance = bastionSpec && planInstance('bastion', 'bastion', bastionSpec, { instanceType: 't3.micro', tierTypes: ['public'] }, ['access', 'bastion'], network, diags, readFile);
  const bastion = bastionSpec && bastionInstance && {
    ...bastionInstance,
    egress: bastionSpec.egress ?? 'all',
    tools: planBastionTools(spec, bastionInstance.instanceType, diags),
  };
  if (bastionSpec) flows.allow(bastionSpec.sshFrom ?? [], 'bastion', [tcp(22)], ['access', 'bastion', 'sshFrom'], 'SSH to the bastion');

  const management = Object.entries(access.management ?? {}).map(([name, m]) => {
    const path = ['access', 'management', name];
    flows.allow(m.sshFrom ?? [], `mgmt/${name}`, [tcp(22)], [...path, 'sshFrom'], `SSH to mgmt/${name}`);
    return planInstance(`mgmt/${name}`, name, m, { instanceType: 't3.micro', tierTypes: ['private', 'isolated'] }, path, network, diags, readFile);
  });

  const buckets = planBuckets(spec, diags);
  const repositories = planRepositories(spec, diags);
  const runtimeContext = {
    platform: spec.platform.name,
    environment: spec.platform.environment ?? 'prod',
    buckets,
    repositories,
    databases: Object.keys(spec.data?.databases ?? {}).map((name) => ({ name })),
    diags,
  };
  const servers = Object.entries(spec.servers ?? {}).map(([name, s]) => {
    const path = ['servers', name];
    const ref = `servers/${name}`;
    const instance = planInstance(ref, name, s, { instanceType: 't3.medium', tierTypes: ['private', 'isolated', 'public'] }, path, network, diags, readFile);
    const runtime = planServerRuntime({ ...s, instanceType: instance.instanceType }, runtimeContext, path);
    if (runtime.containers.length > 0 && s.userData !== undefined) {
      diags.error('E_USER_DATA_AND_CONTAINERS', [...path, 'userData'], `${ref} has both a user-data script and containers; plinth renders the user data that runs the containers.`, {
        fix: 'move the script\'s steps into containers, or drop containers and keep your script',
      });
    }
    const plan = { ...instance, ports: s.ports ?? [], ...runtime };
    const ports = plan.ports.map(tcp);
    if (s.allowFrom?.length && ports.length === 0) flows.noPorts(ref, [...path, 'allowFrom']);
    flows.allow(s.allowFrom ?? [], ref, ports, [...path, 'allowFrom'], `clients of ${ref}`);
    flows.allowRules(s.allow, ref, ports, [...path, 'allow']);
    flows.allow(s.sshFrom ?? [], ref, [tcp(22)], [...path, 'sshFrom'], `SSH to ${ref}`);
    return plan;
  });

  const dns = planDns(spec);
  const loadBalancers = planLoadBalancers(spec, network, dns, diags);
  for (const lb of loadBalancers) {
    const path = ['loadBalancers', lb.name];
    const lbSpec = spec.loadBalancers![lb.name]!;
    const ports = lb.listeners.map((l) => ({ protocol: l.protocol === 'UDP' ? 'udp' as const : 'tcp' as const, from: l.port, to: l.port }));
    const defaultSources = lb.scheme === 'internet-facing' ? ['internet'] : ['vpc'];
    const isInternet = (ref: string) => ref.trim() === 'internet' || ref.trim() === 'cidr:0.0.0.0/0';
    const fromIndex = (lbSpec.allowFrom ?? []).findIndex(isInternet);
    const ruleIndex = (lbSpec.allow ?? []).findIndex((r) => isInternet(r.from));
    if (lb.scheme === 'internal' && (fromIndex !== -1 || ruleIndex !== -1)) {
      const where = fromIndex !== -1 ? [...path, 'allowFrom', fromIndex] : [...path, 'allow', ruleIndex, 'from'];
      diags.error('E_INTERNAL_LB_INTERNET', where, `lb/${lb.name} is internal; allowing the internet has no effect and hides intent.`, {
        fix: 'make it scheme: internet-facing, or allow vpc, vpn or specific ranges',
      });
    }
    const sources = lbSpec.allowFrom ?? (lbSpec.allow ? [] : defaultSources);
    flows.allow(sources, lb.ref, ports, [...path, 'allowFrom'], `clients of ${lb.ref}`);
    flows.allowRules(lbSpec.allow, lb.ref, ports, [...path, 'allow']);
    for (const tg of lb.targetGroups) {
      const tgPorts = [tcp(tg.port), ...(tg.healthCheck.port && tg.healthCheck.port !== tg.port ? [tcp(tg.healthCheck.port)] : [])];
      for (const server of tg.servers) {
        if (!flows.endpoint(`servers/${server}`)) continue;
        for (const p of tgPorts) {
          flows.addFlow({ from: lb.ref, to: `servers/${server}`, ports: p, origin: [...path, 'targetGroups', tg.name], description: `${lb.ref} to its targets` });
        }
      }
    }
  }

  const databases = planDatabases(spec, network, diags);
  for (const db of databases) {
    const dbSpec = spec.data!.databases![db.name]!;
    const path = ['data', 'databases', db.name];
    flows.allow(dbSpec.allowFrom ?? [], db.ref, [tcp(db.port)], [...path, 'allowFrom'], `clients of ${db.ref}`);
    flows.allowRules(dbSpec.allow, db.ref, [tcp(db.port)], [...path, 'allow']);
  }
  const fileSystems = planFileSystems(spec, network, diags);
  for (const fs of fileSystems) {
    const fsSpec = spec.data!.fileSystems![fs.name]!;
    const path = ['data', 'fileSystems', fs.name];
    flows.allow(fsSpec.allowFrom ?? [], fs.ref, [tcp(2049)], [...path, 'allowFrom'], `NFS clients of ${fs.ref}`);
    flows.allowRules(fsSpec.allow, fs.ref, [tcp(2049)], [...path, 'allow']);
  }
  if (network.interfaceEndpoints.length > 0) {
    flows.addFlow({ from: 'vpc', to: 'vpc-endpoints', ports: tcp(443), origin: ['network', 'endpoints', 'interface'], description: 'AWS APIs through interface endpoints' });
  }

  const kubeadm = planKubeadm(spec, network, loadBalancers, flows, diags);
  if (kubeadm) {
    for (const group of [kubeadm.controlPlane, ...kubeadm.workers]) {
      const server = servers.find((s) => s.name === group);
      if (server?.ami.kind === 'ssm' && /\/canonical\/|\/debian\//.test(server.ami.parameter)) {
        diags.error('E_KUBEADM_AMI', ['servers', group, 'ami'], `servers/${group} is a kubeadm node group; plinth installs Kubernetes from the pkgs.k8s.io RPM repositories, which need an RPM-based image.`, {
          allowed: 'amazon-linux-2023, or RHEL 8/9 as { id: ami-..., rootDevice: /dev/sda1 }', fix: 'use ami: amazon-linux-2023 or a RHEL AMI id',
        });
      }
      if (server && (server.userData !== undefined || server.containers.length > 0)) {
        diags.error('E_USER_DATA_AND_KUBEADM', ['servers', group], `servers/${group} is a kubeadm node group; plinth renders its user data, so it cannot also have userData or containers.`, {
          fix: 'run the workload on the cluster instead',
        });
      }
    }
  }
  const external = planExternalPrincipals(spec, { buckets, repositories, diags }, readFile);
  const cluster = planCluster(spec, network, flows, diags, today);
  checkSpecCalendar(spec, today, diags);
  checkInstanceTypes(spec, diags);
  const schedules = planSchedules(spec, cluster, diags);
  const workloads = planWorkloads({
    spec, network, cluster, databases, fileSystems, buckets, repositories, servers, dns, flows, diags,
  });

  if (cluster && workloads) checkWorkloadCapacity(cluster, workloads, diags);
  const clientVpn = planClientVpn(spec, network, diags);
  const { endpoints, flows: flowList } = flows.result();
  const intents = planIntents(spec.intents ?? [], endpoints, [...(workloads?.apps ?? []), ...(workloads?.services ?? [])].map((w) => w.ref), diags);
  checkInternetReachability(flowList, { servers, management, bastion }, diags);

  diags.throwIfAny();
  const environment = spec.platform.environment ?? 'prod';
  return {
    platform: {
      name: spec.platform.name,
      region: spec.platform.region,
      account: spec.platform.account,
      environment,
      namePrefix: environment === (options.baseEnvironment ?? environment) ? spec.platform.name : `${spec.platform.name}-${environment}`,
      tags: spec.platform.tags ?? {},
    },
    network,
    bastion,
    management,
    clientVpn,
    external,
    servers,
    kubeadm,
    loadBalancers,
    databases,
    fileSystems,
    buckets,
    repositories,
    dns,
    cluster,
    schedules,
    workloads,
    endpoints,
    flows: flowList,
    intents,
    warnings: diags.warnings,
  };
}

function planClientVpn(spec: PlatformSpec, network: ReturnType<typeof planNetwork>, diags: Diagnostics): ClientVpnPlan | undefined {
  const vpn = spec.access?.clientVpn;
  if (!vpn) return undefined;
  const path = ['access', 'clientVpn'];
  const pool = parseCidr(vpn.clientCidr);
  const vpc = parseCidr(network.cidr);
  if (pool && (pool.prefix < 12 || pool.prefix > 22)) {
    diags.error('E_VPN_POOL_SIZE', [...path, 'clientCidr'], `The client pool ${vpn.clientCidr} is /${pool.prefix}; Client VPN needs /12 to /22.`, { fix: 'use e.g. 10.100.0.0/22' });
  }
  if (pool && vpc && overlaps(pool, vpc)) {
    diags.error('E_VPN_POOL_OVERLAP', [...path, 'clientCidr'], `The client pool ${vpn.clientCidr} overlaps the VPC ${formatCidr(vpc)}.`, { fix: 'choose a range outside the VPC, e.g. 10.100.0.0/22' });
  }
  const tier = resolveTier(vpn.tier, ['private', 'isolated'], [...path, 'tier'], network.tiers, diags);
  const authorized = (vpn.authorize ?? network.tiers.filter((t) => t.type === 'private').map((t) => t.name))
    .map((name, i) => resolveTier(name, ['public', 'private', 'isolated'], [...path, 'authorize', i], network.tiers, diags))
    .filter((t) => t !== undefined);
  return {
    clientCidr: vpn.clientCidr,
    serverCertificateArn: vpn.serverCertificateArn,
    clientRootCertificateArn: vpn.clientRootCertificateArn,
    tier: tier?.name ?? '',
    authorizeCidrs: authorized.flatMap((t) => t.subnets.map((s) => ({ tier: t.name, cidr: s.cidr }))),
    splitTunnel: vpn.splitTunnel ?? true,
  };
}

/** A host that allows the internet but has no public address can never be reached: a spec mistake. */
function checkInternetReachability(
  flows: readonly { from: string; to: string; origin: readonly (string | number)[] }[],
  hosts: { servers: readonly { ref: string; publicIp: boolean }[]; management: readonly { ref: string; publicIp: boolean }[]; bastion?: { ref: string; publicIp: boolean } | undefined },
  diags: Diagnostics,
): void {
  const all = [...hosts.servers, ...hosts.management, ...(hosts.bastion ? [hosts.bastion] : [])];
  const reported = new Set<string>();
  for (const flow of flows) {
    if (flow.from !== 'internet' || reported.has(flow.to)) continue;
    const host = all.find((h) => h.ref === flow.to);
    if (host && !host.publicIp) {
      reported.add(flow.to);
      diags.error('E_INTERNET_TO_PRIVATE', flow.origin, `${flow.to} allows the internet but has no public address, so the rule can never match.`, {
        fix: 'put it behind an internet-facing load balancer and allow lb/NAME, or place it in a public tier with elasticIp: true',
      });
    }
  }
}
