/**
 * Helm releases the templates or manifests install: `Custom::AWSCDK-EKS-HelmChart` resources (the
 * CDK's Helm step, aws-eks and aws-eks-v2 alike: Chart, Release, Namespace, Values as JSON) and Argo
 * CD Applications with a Helm chart source (GitOps delivery: `spec.source.chart`,
 * `helm.releaseName`, `helm.valuesObject` or `helm.values`, `destination.namespace`).
 */
import { parse } from 'yaml';
import type { ResourceRef } from '../../assumptions.js';
import type { CustomResource } from '../../k8s-types.js';
import { str } from '../../values.js';
import type { ModelBuilder } from '../builder.js';

export interface ChartRelease {
  readonly chart: string;
  readonly release: string;
  readonly namespace: string;
  /** Undefined when the values cannot be read before deployment (a token inside them). */
  readonly values: Readonly<Record<string, unknown>> | undefined;
  readonly ref: ResourceRef;
}

export function chartReleases(b: ModelBuilder, resources: readonly CustomResource[]): ChartRelease[] {
  const out: ChartRelease[] = [];
  for (const r of b.resources('Custom::AWSCDK-EKS-HelmChart')) {
    const chart = str(b.prop(r, 'Chart'));
    if (!chart) continue;
    // The CDK names an unnamed release after the construct; only the chart's defaults are known then.
    const release = str(b.prop(r, 'Release')) ?? r.logicalId.toLowerCase();
    const raw = b.prop(r, 'Values');
    out.push({ chart, release, namespace: str(b.prop(r, 'Namespace')) ?? 'default', values: raw === undefined ? {} : parseValues(str(raw)), ref: r.ref });
  }
  for (const app of resources.filter((x) => x.apiVersion.startsWith('argoproj.io/') && x.kind === 'Application')) {
    const source = app.spec?.source;
    if (typeof source?.chart !== 'string') continue;
    const helm = source.helm ?? {};
    out.push({
      chart: source.chart, release: helm.releaseName ?? app.name, namespace: app.spec?.destination?.namespace ?? app.namespace,
      values: helm.valuesObject ?? (typeof helm.values === 'string' ? parseValues(helm.values, 'yaml') : {}),
      ref: { stack: 'k8s', logicalId: `Application/${app.namespace}/${app.name}`, type: 'Argo CD Application', file: app.file },
    });
  }
  return out;
}

function parseValues(text: string | undefined, format: 'json' | 'yaml' = 'json'): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = format === 'json' ? JSON.parse(text) : parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
}

/** A value at a dotted path of a release's values (`grafana.enabled`), if set. */
export function valueAt(values: Readonly<Record<string, unknown>> | undefined, path: string): unknown {
  let v: unknown = values;
  for (const key of path.split('.')) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
