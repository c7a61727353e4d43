/**
 * ExternalSecret (External Secrets Operator): copies one AWS Secrets Manager secret into a Kubernetes
 * Secret of the same name, refreshed hourly. Only the reference is in the manifest, never the value,
 * so the files are safe to keep in Git. Every key of the secret's JSON becomes an upper-case key of the
 * Secret (an RDS secret's username, password, host, port, dbname, engine become USERNAME, PASSWORD,
 * HOST, PORT, DBNAME, ENGINE), and the app reads them as environment variables with a prefix
 * (DB_MAIN_PASSWORD).
 */
import { ApiObject, type Chart } from 'cdk8s';
import type { Labels, SecretPlan } from '../plan/workloads.js';
import { namespaced } from './metadata.js';

export const EXTERNAL_SECRET_API = 'external-secrets.io/v1';

export interface ExternalSecretOptions {
  /** Render the target Secret from a template instead of copying every key (Airflow's connection URI). */
  readonly template?: Readonly<Record<string, string>>;
}

export function addExternalSecret(chart: Chart, secret: SecretPlan, namespace: string, labels: Labels, store: string, options: ExternalSecretOptions = {}): void {
  new ApiObject(chart, `${secret.name}-external-secret`, {
    apiVersion: EXTERNAL_SECRET_API,
    kind: 'ExternalSecret',
    metadata: namespaced(secret.name, namespace, labels),
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: store },
      target: {
        name: secret.name,
        creationPolicy: 'Owner',
        ...(options.template ? { template: { engineVersion: 'v2', data: { ...options.template } } } : {}),
      },
      // Keys upper-cased (username → USERNAME), so the app's prefixed variables are the documented
      // DB_MAIN_USERNAME, DB_MAIN_PASSWORD, ... (ESO "Rewriting Keys in DataFrom", transform method).
      // A template (Airflow's) reads the original keys and keeps them.
      dataFrom: [options.template ? { extract: { key: secret.remoteName } } : { extract: { key: secret.remoteName }, rewrite: [{ transform: { template: '{{ .value | upper }}' } }] }],
    },
  });
}
