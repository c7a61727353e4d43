/**
 * Airflow's metadata connection: the chart reads a Secret `airflow-metadata` with one key,
 * `connection`, holding a SQLAlchemy URI. External Secrets renders it from the RDS secret's fields,
 * so the password never appears in the chart values or in Git.
 */
import { type Chart } from 'cdk8s';
import type { ServicePlan } from '../../plan/workloads.js';
import { addExternalSecret } from '../external-secret.js';

export const AIRFLOW_METADATA_SECRET = 'airflow-metadata';

export function addAirflowMetadata(chart: Chart, service: ServicePlan, store: string): void {
  const s = service.settings;
  if (s.kind !== 'airflow') return;
  const scheme = s.database.engine === 'postgres' ? 'postgresql' : 'mysql+mysqldb';
  addExternalSecret(chart, { ...s.database.secret, name: AIRFLOW_METADATA_SECRET }, service.namespace, {}, store, {
    template: { connection: `${scheme}://{{ .username | urlquery }}:{{ .password | urlquery }}@{{ .host }}:{{ .port }}/{{ .dbname }}` },
  });
}
