/**
 * Environments: overlays merged onto the base with Helm's rules, every diagnostic pointing where its
 * value was written, names per environment, and names two environments cannot share.
 */
import { describe, expect, it } from 'vitest';
import { diagnosticsOf } from '../spec-diagnostics.js';
import { formatDiagnostic } from '../../src/spec/diagnostics.js';
import { selectEnvironment } from '../../src/spec/environments.js';
import { parseYamlSpec, UsageError } from '../../src/spec/load.js';
import { planSpec } from '../../src/plan/load.js';
import { checkEnvironmentNames } from '../../src/plan/environments.js';
import { withReachableCluster } from '../reachable-cluster.js';

const BASE = `platform:
  name: demo
  region: ap-northeast-2
network:
  cidr: 10.0.0.0/16
  azs: 2
  nat: perAz
  endpoints: { gateway: [s3, dynamodb] }
data:
  databases:
    main: { engine: postgres, version: "16", allowFrom: [vpc] }
`;

const diagnostics = diagnosticsOf;

/** 1-based line of the first line containing `text`. */
function lineOf(yaml: string, text: string): number {
  return yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
}

describe('merging an environment onto the base', () => {
  const raw = {
    platform: { name: 'demo', region: 'ap-northeast-2' },
    network: { cidr: '10.0.0.0/16', azs: 3, nat: 'perAz', endpoints: { gateway: ['s3', 'dynamodb'] }, flowLogs: { retentionDays: 90 } },
    environments: { dev: { network: { nat: 'single', endpoints: { gateway: ['s3'] }, flowLogs: null } } },
  };

  it('GIVEN no --env WHEN selecting THEN the base comes back unchanged and without environments', () => {
    const s = selectEnvironment(raw, undefined)!;
    expect(s.environment).toBe('prod');
    expect(s.environments).toEqual(['prod', 'dev']);
    expect(s.raw).toEqual({ platform: raw.platform, network: raw.network });
  });

  it('GIVEN an overlay WHEN selecting it THEN mappings merge, lists replace, null removes and the environment is named', () => {
    const merged = selectEnvironment(raw, 'dev')!.raw as typeof raw;
    expect(merged.platform).toEqual({ name: 'demo', region: 'ap-northeast-2', environment: 'dev' });
    expect(merged.network).toEqual({ cidr: '10.0.0.0/16', azs: 3, nat: 'single', endpoints: { gateway: ['s3'] } });
  });

  it('maps a path the overlay wrote into the overlay, and any other path to the base', () => {
    const s = selectEnvironment(raw, 'dev')!;
    expect(s.originOf(['network', 'nat'])).toEqual(['environments', 'dev', 'network', 'nat']);
    expect(s.originOf(['network', 'endpoints', 'gateway', 0])).toEqual(['environments', 'dev', 'network', 'endpoints', 'gateway', 0]);
    expect(s.originOf(['network', 'cidr'])).toEqual(['network', 'cidr']);
  });

  it('returns undefined for an environment the spec does not declare', () => {
    expect(selectEnvironment(raw, 'staging')).toBeUndefined();
  });
});

describe('diagnostics of an environment', () => {
  it('points a mistake in an overlay at the overlay line, with the environment named', () => {
    const yaml = `${BASE}environments:\n  dev:\n    network:\n      nat: singel\n`;
    const [d, ...rest] = diagnostics(() => parseYamlSpec(yaml, 'plinth.yaml', undefined, 'dev'));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'E_VALUE', path: ['environments', 'dev', 'network', 'nat'], environment: 'dev' });
    expect(d!.location).toEqual({ file: 'plinth.yaml', line: lineOf(yaml, 'nat: singel'), column: 7 });
    expect(formatDiagnostic(d!)).toContain('(environment dev)');
    expect(d!.fix).toContain('single');
  });

  it('points an unknown key in an overlay at the overlay, with "did you mean"', () => {
    const yaml = `${BASE}environments:\n  dev:\n    data:\n      databases:\n        main: { multiAZ: false }\n`;
    const [d] = diagnostics(() => parseYamlSpec(yaml, 'plinth.yaml', undefined, 'dev'));
    expect(d).toMatchObject({ code: 'E_UNKNOWN_KEY', path: ['environments', 'dev', 'data', 'databases', 'main', 'multiAZ'] });
    expect(d!.location?.line).toBe(lineOf(yaml, 'multiAZ'));
    expect(d!.fix).toContain('multiAz');
  });

  it('points a plan error caused by an overlay value at that value', () => {
    const yaml = `${BASE}environments:\n  dev:\n    network:\n      cidr: 10.0.0.0/12\n`;
    const loaded = parseYamlSpec(yaml, 'plinth.yaml', undefined, 'dev');
    const [d] = diagnostics(() => planSpec(loaded));
    expect(d).toMatchObject({ code: 'E_VPC_CIDR', path: ['environments', 'dev', 'network', 'cidr'], environment: 'dev' });
    expect(d!.location?.line).toBe(lineOf(yaml, 'cidr: 10.0.0.0/12'));
  });

  it('points a base value that only one environment makes wrong at the base, naming that environment', () => {
    // One AZ in dev leaves the Multi-AZ database (a base default) with nowhere for its standby.
    const yaml = `${BASE}environments:\n  dev:\n    network: { azs: 1 }\n`;
    expect(() => planSpec(parseYamlSpec(yaml, 'plinth.yaml'))).not.toThrow();
    const [d] = diagnostics(() => planSpec(parseYamlSpec(yaml, 'plinth.yaml', undefined, 'dev')));
    expect(d).toMatchObject({ code: 'E_DB_MULTI_AZ_ONE_AZ', path: ['data', 'databases', 'main', 'multiAz'], environment: 'dev' });
    expect(d!.location?.line).toBe(lineOf(yaml, 'main: {'));
  });

  it('refuses an overlay that renames its own environment or nests environments', () => {
    const yaml = `${BASE}environments:\n  dev:\n    platform: { environment: qa }\n    environments: {}\n`;
    const found = diagnostics(() => parseYamlSpec(yaml, 'plinth.yaml', undefined, 'dev'));
    expect(found.map((d) => [d.code, d.path.join('.')])).toEqual([
      ['E_ENV_FIXED_KEY', 'environments.dev.platform.environment'],
      ['E_ENV_FIXED_KEY', 'environments.dev.environments'],
    ]);
    expect(found[0]!.location?.line).toBe(lineOf(yaml, 'platform: { environment: qa }'));
  });

  it('refuses an overlay named like the base environment, and a name that cannot be part of resource names', () => {
    const yaml = `${BASE}environments:\n  prod: { network: { nat: single } }\n  Dev_1: {}\n`;
    const found = diagnostics(() => parseYamlSpec(yaml, 'plinth.yaml'));
    expect(found.map((d) => d.code).sort()).toEqual(['E_ENV_IS_BASE', 'E_NAME']);
  });

  it('reports an unknown --env as a usage mistake with the declared names', () => {
    const yaml = `${BASE}environments:\n  dev: {}\n`;
    expect(() => parseYamlSpec(yaml, 'plinth.yaml', undefined, 'dve')).toThrow(UsageError);
    expect(() => parseYamlSpec(yaml, 'plinth.yaml', undefined, 'dve')).toThrow(/"prod", "dev"\. Did you mean "dev"\?/);
    expect(() => parseYamlSpec(BASE, 'plinth.yaml', undefined, 'dev')).toThrow(/only the base environment "prod"/);
  });
});

describe('names per environment', () => {
  const yaml = withReachableCluster(`${BASE}cluster:\n  name: shared\nregistry:\n  repositories:\n    web: {}\nenvironments:\n  dev:\n    data: { databases: { main: { multiAz: false } } }\n`);

  it('keeps the base environment\'s names as they were before environments existed', () => {
    const plan = planSpec(parseYamlSpec(BASE, 'plinth.yaml'));
    expect(plan.platform).toMatchObject({ environment: 'prod', namePrefix: 'demo' });
    const withOverlay = planSpec(parseYamlSpec(`${BASE}environments:\n  dev: {}\n`, 'plinth.yaml'));
    expect(withOverlay.platform).toMatchObject({ environment: 'prod', namePrefix: 'demo' });
  });

  it('puts the environment into every other environment\'s names', () => {
    const plan = planSpec(parseYamlSpec(`${BASE}environments:\n  dev: {}\n`, 'plinth.yaml', undefined, 'dev'));
    expect(plan.platform).toMatchObject({ environment: 'dev', namePrefix: 'demo-dev' });
  });

  it('refuses literal names two environments in one account and Region would both create, pointing at the base value', () => {
    const prod = parseYamlSpec(yaml, 'plinth.yaml');
    const dev = parseYamlSpec(yaml, 'plinth.yaml', undefined, 'dev');
    const clash = checkEnvironmentNames([{ loaded: prod, plan: planSpec(prod) }, { loaded: dev, plan: planSpec(dev) }]);
    expect(clash?.diagnostics.map((d) => [d.code, d.path.join('.'), d.environment])).toEqual([
      ['E_ENV_NAME_CLASH', 'cluster.name', 'dev'],
      ['E_ENV_NAME_CLASH', 'registry.repositories.web', 'dev'],
    ]);
    expect(clash!.diagnostics[0]!.location?.line).toBe(lineOf(yaml, 'name: shared'));
    expect(clash!.diagnostics[1]!.fix).toContain('existing: true');
  });

  it('accepts the same spec once dev names its cluster and shares the repository', () => {
    const fixed = `${yaml}    cluster: { name: shared-dev }\n    registry: { repositories: { web: { existing: true } } }\n`;
    const prod = parseYamlSpec(fixed, 'plinth.yaml');
    const dev = parseYamlSpec(fixed, 'plinth.yaml', undefined, 'dev');
    expect(checkEnvironmentNames([{ loaded: prod, plan: planSpec(prod) }, { loaded: dev, plan: planSpec(dev) }])).toBeUndefined();
    expect(planSpec(dev).repositories).toEqual([expect.objectContaining({ name: 'web', existing: true })]);
  });

  it('refuses an RDS identifier both environments would take', () => {
    const named = BASE.replace('main: { engine: postgres, version: "16", allowFrom: [vpc] }', 'main: { engine: postgres, version: "16", allowFrom: [vpc], identifier: ledger-db }');
    const text = `${named}environments:\n  dev: {}\n`;
    const prod = parseYamlSpec(text, 'plinth.yaml');
    const dev = parseYamlSpec(text, 'plinth.yaml', undefined, 'dev');
    const clash = checkEnvironmentNames([{ loaded: prod, plan: planSpec(prod) }, { loaded: dev, plan: planSpec(dev) }]);
    expect(clash?.diagnostics.map((d) => [d.code, d.path.join('.')])).toEqual([['E_ENV_NAME_CLASH', 'data.databases.main.identifier']]);
  });

  it('lets environments in different Regions share names', () => {
    const apart = `${yaml}    platform: { region: eu-west-1 }\n    network: { azs: [eu-west-1a, eu-west-1b] }\n`;
    const prod = parseYamlSpec(apart, 'plinth.yaml');
    const dev = parseYamlSpec(apart, 'plinth.yaml', undefined, 'dev');
    expect(checkEnvironmentNames([{ loaded: prod, plan: planSpec(prod) }, { loaded: dev, plan: planSpec(dev) }])).toBeUndefined();
  });
});
