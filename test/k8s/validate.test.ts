/** The manifest check: official schemas plus unknown fields, which the API server would drop silently. */
import { describe, expect, it } from 'vitest';
import { validateManifests } from '../../src/k8s/validate.js';
import { tagPatternRegex } from '../../src/plan/apps.js';

const deployment = (container: Record<string, unknown>) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' },
  spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'nginx:1.27', ...container }] } } },
});

describe('validateManifests', () => {
  it('Compliance: a well-formed Deployment has no problems', () => {
    expect(validateManifests([deployment({ readinessProbe: { tcpSocket: { port: 8080 } } })]).problems).toEqual([]);
  });

  it('Noncompliance 1: a misspelt field is reported at its path', () => {
    const { problems } = validateManifests([deployment({ readinessprobe: { tcpSocket: { port: 8080 } } })]);
    expect(problems).toEqual([expect.objectContaining({ object: 'Deployment shop/api', path: '/spec/template/spec/containers/0/readinessprobe' })]);
    expect(problems[0]!.message).toContain('readinessProbe');
  });

  it('Noncompliance 2: a wrong type is reported by the official schema', () => {
    const { problems } = validateManifests([{ ...deployment({}), spec: { ...deployment({}).spec, replicas: 'three' } }]);
    expect(problems.map((p) => p.path)).toContain('/spec/replicas');
  });

  it('Noncompliance 3: unknown fields inside Argo CD Applications and ExternalSecrets are found too', () => {
    const { problems } = validateManifests([
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec: { project: 'default', destination: {}, source: { repoURL: 'r', helm: { valuesObject: { any: { thing: 1 } }, valueObject: {} } } } },
      { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 's' }, spec: { secretStoreRef: { name: 'x', kind: 'ClusterSecretStore' }, dataFrom: [{ extract: { key: 'k', keys: 1 } }] } },
    ]);
    expect(problems.map((p) => `${p.object} ${p.path}`)).toEqual(['Application a /spec/source/helm/valueObject', 'ExternalSecret s /spec/dataFrom/0/extract/keys']);
  });

  it('reports kinds without a published schema as unchecked, and still checks their metadata', () => {
    const report = validateManifests([{ apiVersion: 'kafka.strimzi.io/v1', kind: 'Kafka', metadata: { name: 'k', labels: {}, lables: {} }, spec: {} }]);
    expect(report.unchecked).toEqual(['kafka.strimzi.io/v1/Kafka']);
    expect(report.problems.map((p) => p.path)).toEqual(['/metadata/lables']);
  });
});

describe('tagPatternRegex', () => {
  it.each([['prod-*', '^prod-.*$', 'prod-20260214-0930', 'dev-1'], ['v1.*', '^v1\\..*$', 'v1.2', 'v10'], ['prod-YYYYMMDD-HHMM', '^prod-\\d{8}-\\d{4}$', 'prod-20260214-0930', 'prod-hotfix']])('%s → %s', (pattern, regex, match, miss) => {
    expect(tagPatternRegex(pattern)).toBe(regex);
    expect(new RegExp(regex).test(match)).toBe(true);
    expect(new RegExp(regex).test(miss)).toBe(false);
  });
});
