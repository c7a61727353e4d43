/**
 * ExternalSecret (External Secrets Operator): copies one AWS Secrets Manager secret into a Kubernetes
 * Secret of the same name, refreshed hourly. Only the reference is in the manifest, never the value,
 * so the files are safe to keep in Git. Every key of the secret's JSON becomes a key of the Secret
 * (an RDS secret has username, password, host, port, dbname, engine), and the app reads them as
 * environment variables with a prefix (DB_MAIN_PASSWORD).
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
      dataFrom: [{ extract: { key: secret.remoteName } }],
    },
  });
}
