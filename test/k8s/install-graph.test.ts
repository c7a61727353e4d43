/**
 * The install graph of every example is free of hazards, and each hazard is caught on a fixture that
 * has it (Noncompliance) next to the same fixture without it (Compliance).
 */
import { describe, expect, it } from 'vitest';
import { listExamples } from '../../src/cli/examples.js';
import { cdkInstallSteps, gitOpsInstallSteps, installHazards, type InstallStep } from '../../src/k8s/install-graph.js';
import { renderWorkloads, type Manifest } from '../../src/k8s/render.js';
import type { ChartPlan, NamespacePlan } from '../../src/plan/workloads.js';
import { examplePlan } from '../support.js';

function stepsOf(example: string): { steps: InstallStep[]; namespaces: readonly NamespacePlan[] } {
  const plan = examplePlan(example);
  const files = renderWorkloads(plan)!.files;
  const charts = plan.workloads!.charts;
  return { steps: plan.cluster!.gitops ? gitOpsInstallSteps(files, charts) : cdkInstallSteps(files, charts), namespaces: plan.workloads!.namespaces };
}

describe('every example with workloads', () => {
  const withWorkloads = listExamples().filter((e) => examplePlan(e).workloads);

  it.each(withWorkloads)('%s: no install hazard', (example) => {
    const { steps, namespaces } = stepsOf(example);
    expect(installHazards(steps, namespaces)).toEqual([]);
  });

  it('video-platform (CDK delivery): the airflow-metadata secret and the namespaces come before every chart', () => {
    const { steps } = stepsOf('video-platform');
    expect(steps[0]!.id).toBe('Prerequisites');
    expect(steps[0]!.objects.some((o) => o.kind === 'ExternalSecret' && (o.spec as { target: { name: string } }).target.name === 'airflow-metadata')).toBe(true);
    expect(steps.filter((s) => s.chart).every((s) => s.chart!.timeoutMinutes > 0)).toBe(true);
  });
});

// --- fixtures ---------------------------------------------------------------------------------

const namespace = (name: string, enforce = 'baseline'): Manifest => ({
  apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': enforce } },
});
const externalSecret = (name: string, ns: string): Manifest => ({
  apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name, namespace: ns }, spec: { target: { name } },
});
const chart = (over: Partial<ChartPlan>): ChartPlan => ({
  release: 'app', namespace: 'apps', repository: 'https://example.com', chart: 'app', version: '1.0.0', values: {}, wave: 2,
  podSecurity: 'baseline', timeoutMinutes: 10, wait: true, needsSecrets: [], ...over,
});
const ns = (name: string): NamespacePlan => ({ name, create: true, podSecurity: 'baseline' });
const steps = (...list: [Manifest[], ChartPlan?][]): InstallStep[] => list.map(([objects, c], i) => ({ id: `step ${i}`, position: i, objects, chart: c }));
const codes = (s: InstallStep[], namespaces: NamespacePlan[]) => installHazards(s, namespaces).map((h) => h.code);

describe('hazards', () => {
  const airflow = (values: Record<string, unknown>) => chart({ release: 'airflow', chart: 'airflow', namespace: 'airflow', values, needsSecrets: ['airflow-metadata'] });

  it('Noncompliance: the secret a chart reads comes after it', () => {
    const hooksOff = { migrateDatabaseJob: { useHelmHooks: false }, createUserJob: { useHelmHooks: false } };
    expect(codes(steps([[namespace('airflow')]], [[], airflow(hooksOff)], [[externalSecret('airflow-metadata', 'airflow')]]), [ns('airflow')])).toEqual(['SECRET_AFTER_CHART']);
  });

  it('Compliance: the secret a chart reads comes before it', () => {
    const hooksOff = { migrateDatabaseJob: { useHelmHooks: false }, createUserJob: { useHelmHooks: false } };
    expect(codes(steps([[namespace('airflow'), externalSecret('airflow-metadata', 'airflow')]], [[], airflow(hooksOff)]), [ns('airflow')])).toEqual([]);
  });

  it('Noncompliance: Airflow waited on with its migration as a post-install hook', () => {
    expect(codes(steps([[namespace('airflow'), externalSecret('airflow-metadata', 'airflow')]], [[], airflow({})]), [ns('airflow')])).toEqual(['HOOK_DEADLOCK']);
  });

  it('Noncompliance: a chart installs into a namespace before plinth creates it with its labels', () => {
    expect(codes(steps([[], chart({})], [[namespace('apps')]]), [ns('apps')])).toEqual(['NAMESPACE_AFTER_CHART']);
  });

  it('Compliance: the namespace comes first', () => {
    expect(codes(steps([[namespace('apps')]], [[], chart({})]), [ns('apps')])).toEqual([]);
  });

  it('Noncompliance: a chart with host-access pods in a baseline namespace', () => {
    expect(codes(steps([[namespace('monitoring')]], [[], chart({ namespace: 'monitoring', podSecurity: 'privileged' })]), [ns('monitoring')])).toEqual(['PSA_REJECTS_CHART']);
  });

  it('Compliance: the same chart in a privileged namespace', () => {
    expect(codes(steps([[namespace('monitoring', 'privileged')]], [[], chart({ namespace: 'monitoring', podSecurity: 'privileged' })]), [ns('monitoring')])).toEqual([]);
  });

  it('Noncompliance: a waited chart without a timeout, or with one the Helm step cannot honour', () => {
    expect(codes(steps([[namespace('apps')]], [[], chart({ timeoutMinutes: 0 })]), [ns('apps')])).toEqual(['NO_TIMEOUT']);
    expect(codes(steps([[namespace('apps')]], [[], chart({ timeoutMinutes: 30 })]), [ns('apps')])).toEqual(['NO_TIMEOUT']);
  });

  const kafka: Manifest = { apiVersion: 'kafka.strimzi.io/v1', kind: 'Kafka', metadata: { name: 'kafka', namespace: 'kafka' } };
  const strimzi = chart({ release: 'strimzi', chart: 'strimzi-kafka-operator', namespace: 'kafka' });

  it('Noncompliance: a custom resource before the chart that brings its CRD', () => {
    expect(codes(steps([[namespace('kafka'), kafka]], [[], strimzi]), [ns('kafka')])).toEqual(['CRD_AFTER_RESOURCE']);
  });

  it('Compliance: the custom resource after the chart, or synced with SkipDryRunOnMissingResource', () => {
    expect(codes(steps([[namespace('kafka')]], [[], strimzi], [[kafka]]), [ns('kafka')])).toEqual([]);
    const gitops: InstallStep[] = [{ id: 'ns', position: 0, objects: [namespace('kafka'), kafka], syncOptions: ['SkipDryRunOnMissingResource=true'] }, { id: 'op', position: 1, objects: [], chart: strimzi }];
    expect(codes(gitops, [ns('kafka')])).toEqual([]);
  });

  it('Noncompliance: an ImageUpdater synced without skipping the dry run', () => {
    const updater: Manifest = { apiVersion: 'argocd-image-updater.argoproj.io/v1alpha1', kind: 'ImageUpdater', metadata: { name: 'u', namespace: 'argocd' } };
    expect(codes(steps([[updater]]), [])).toEqual(['CRD_AFTER_RESOURCE']);
    const skipped = { ...updater, metadata: { ...updater.metadata as object, annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } } };
    expect(codes(steps([[skipped]]), [])).toEqual([]);
  });
});
