/**
 * Usage: the quantities a template cannot know (GB through a NAT gateway, LCUs, log volume...).
 * Each key has three documented defaults (low / base / high); a usage file can override a key for
 * every resource (`defaults:`) or for one resource (`resources: { <address or logical id>: ... }`).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PROFILES, type Profile } from './types.js';

export interface UsageDefault {
  readonly low: number;
  readonly base: number;
  readonly high: number;
  readonly unit: string;
  readonly description: string;
}

/** Per resource, per month unless the unit says otherwise. Documented in docs/cost.md. */
export const USAGE_DEFAULTS = {
  'natGateway.dataProcessedGB': { low: 10, base: 100, high: 1000, unit: 'GB/month', description: 'data processed by each NAT gateway' },
  'loadBalancer.lcu': { low: 0.1, base: 1, high: 5, unit: 'LCU (hourly average)', description: 'ALB load balancer capacity units used per hour' },
  'loadBalancer.classicGb': { low: 1, base: 50, high: 500, unit: 'GB/month', description: 'data a Classic Load Balancer processes per month' },
  'loadBalancer.nlcu': { low: 0.1, base: 1, high: 5, unit: 'NLCU (hourly average)', description: 'NLB capacity units used per hour' },
  's3.storageGB': { low: 1, base: 50, high: 500, unit: 'GB', description: 'average data stored in each bucket (S3 Standard)' },
  's3.tier1RequestsK': { low: 10, base: 100, high: 1000, unit: 'thousand requests/month', description: 'PUT, COPY, POST and LIST requests per bucket' },
  's3.tier2RequestsK': { low: 100, base: 1000, high: 10000, unit: 'thousand requests/month', description: 'GET and other requests per bucket' },
  'logs.ingestedGB': { low: 1, base: 10, high: 100, unit: 'GB/month', description: 'log data written to each log group (other than flow logs)' },
  'flowLogs.ingestedGB': { low: 1, base: 20, high: 200, unit: 'GB/month', description: 'flow log data delivered by each VPC flow log to CloudWatch Logs' },
  'efs.storageGB': { low: 5, base: 50, high: 500, unit: 'GB', description: 'average data stored in each EFS file system (Standard class)' },
  'ecr.storageGB': { low: 1, base: 5, high: 20, unit: 'GB', description: 'image data kept in each repository' },
  'route53.queriesM': { low: 0.1, base: 1, high: 10, unit: 'million queries/month', description: 'standard DNS queries answered by each hosted zone' },
  'clientVpn.connectionHours': { low: 20, base: 200, high: 2000, unit: 'connection-hours/month', description: 'client connection time on each Client VPN endpoint' },
  'transitGateway.dataProcessedGB': { low: 10, base: 100, high: 1000, unit: 'GB/month', description: 'data sent through each Transit Gateway attachment' },
  'vpcEndpoint.dataProcessedGB': { low: 1, base: 10, high: 100, unit: 'GB/month', description: 'data processed by each interface endpoint' },
  'kms.requestsK': { low: 10, base: 100, high: 1000, unit: 'thousand requests/month', description: 'API requests to each customer managed KMS key' },
  'secretsManager.apiCallsK': { low: 10, base: 100, high: 1000, unit: 'thousand calls/month', description: 'API calls to each secret' },
  'lambda.requestsM': { low: 0.01, base: 0.1, high: 1, unit: 'million invocations/month', description: 'invocations of each function' },
  'lambda.durationMs': { low: 100, base: 500, high: 2000, unit: 'ms', description: 'average duration of one invocation' },
  'rds.backupGBBeyondFree': { low: 0, base: 0, high: 20, unit: 'GB', description: 'backup storage beyond the free allocation (equal to the DB storage) per DB instance' },
  'spot.discountPercent': { low: 0, base: 0, high: 0, unit: '%', description: 'discount assumed for Spot capacity against the on-demand price (0 = use the price table\'s sourced Spot snapshot, else the on-demand rate as an upper bound)' },
} as const satisfies Record<string, UsageDefault>;

export type UsageKey = keyof typeof USAGE_DEFAULTS;

type PerProfile = Readonly<Record<Profile, number>>;

export interface Usage {
  /** The profile the single-number outputs use. */
  readonly profile: Profile;
  /** The value of a key for a resource (address `Stack/LogicalId`, or its logical id) in every profile. */
  get(key: UsageKey, address: string): PerProfile;
}

export class UsageFileError extends Error {
  public constructor(file: string, why: string) {
    super(`E_USAGE_FILE: ${file}: ${why}`);
    this.name = 'UsageFileError';
  }
}

interface UsageFile {
  readonly profile?: string;
  readonly defaults?: Record<string, unknown>;
  readonly resources?: Record<string, Record<string, unknown>>;
}

export function defaultUsage(profile: Profile = 'base'): Usage {
  return usageFrom({}, profile, '(defaults)');
}

export function loadUsageFile(file: string, profile?: Profile): Usage {
  let doc: UsageFile;
  try {
    doc = (parse(readFileSync(file, 'utf8')) ?? {}) as UsageFile;
  } catch (e) {
    throw new UsageFileError(file, `not readable YAML (${(e as Error).message})`);
  }
  const chosen = profile ?? (doc.profile as Profile | undefined) ?? 'base';
  if (!PROFILES.includes(chosen)) throw new UsageFileError(file, `profile must be one of ${PROFILES.join(', ')}, got "${String(chosen)}"`);
  return usageFrom(doc, chosen, file);
}

export function usageFrom(doc: UsageFile, profile: Profile, file: string): Usage {
  const check = (key: string, value: unknown, where: string): PerProfile => {
    if (!(key in USAGE_DEFAULTS)) throw new UsageFileError(file, `${where}: unknown usage key "${key}"; known keys: ${Object.keys(USAGE_DEFAULTS).join(', ')}`);
    if (typeof value === 'number' && value >= 0) return { low: value, base: value, high: value };
    if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      const d = USAGE_DEFAULTS[key as UsageKey];
      const pick = (p: Profile) => {
        const x = v[p] ?? d[p];
        if (typeof x !== 'number' || x < 0) throw new UsageFileError(file, `${where}.${key}.${p} must be a number >= 0`);
        return x;
      };
      return { low: pick('low'), base: pick('base'), high: pick('high') };
    }
    throw new UsageFileError(file, `${where}.${key} must be a number >= 0 or { low, base, high }`);
  };
  const defaults = new Map<string, PerProfile>();
  for (const [k, v] of Object.entries(doc.defaults ?? {})) defaults.set(k, check(k, v, 'defaults'));
  const perResource = new Map<string, Map<string, PerProfile>>();
  for (const [address, values] of Object.entries(doc.resources ?? {})) {
    const m = new Map<string, PerProfile>();
    for (const [k, v] of Object.entries(values ?? {})) m.set(k, check(k, v, `resources.${address}`));
    perResource.set(address, m);
  }
  return {
    profile,
    get(key, address) {
      const logicalId = address.slice(address.lastIndexOf('/') + 1);
      const d = USAGE_DEFAULTS[key];
      return perResource.get(address)?.get(key) ?? perResource.get(logicalId)?.get(key) ?? defaults.get(key) ?? { low: d.low, base: d.base, high: d.high };
    },
  };
}
