/**
 * `npm run bench`: the figures the issues ask for, measured on this machine.
 * Synth, warm: median of RUNS full synths per example in one process (load + plan + CDK + cdk-nag;
 * CloudFormation validator off), then one run with the validator on.
 * Synth, cold: median of RUNS `plinth synth` CLI runs (new process each: what a user waits for).
 * Counts: resources, custom resources and Lambda functions per example, and for the floor: a plain
 * aws-eks-v2 cluster (managed node group, kubectl provider with the v33 layer, nothing else).
 */
import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizePlatform } from '../src/aws/synth.js';
import { listExamples, EXAMPLES_DIR } from '../src/cli/examples.js';
import { loadPlan } from '../src/plan/load.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Counts { resources: number; customResources: number; lambdas: number }

function countResources(outdir: string, templates: readonly string[]): Counts {
  const counts = { resources: 0, customResources: 0, lambdas: 0 };
  for (const t of templates) {
    const template = JSON.parse(readFileSync(join(outdir, t), 'utf8')) as { Resources?: Record<string, { Type: string }> };
    for (const r of Object.values(template.Resources ?? {})) {
      counts.resources++;
      if (r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource') counts.customResources++;
      if (r.Type === 'AWS::Lambda::Function') counts.lambdas++;
    }
  }
  return counts;
}

const rows: string[] = [];
for (const name of listExamples()) {
  const times: number[] = [];
  let counts: Counts | undefined;
  for (let i = 0; i < RUNS; i++) {
    const outdir = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
    const t0 = performance.now();
    const { plan } = await loadPlan(join(EXAMPLES_DIR, name));
    const result = synthesizePlatform(plan, { outdir });
    times.push(performance.now() - t0);
    counts ??= countResources(outdir, result.stacks.map((s) => s.templateFile));
    rmSync(outdir, { recursive: true, force: true });
  }
  const outdir = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
  const t0 = performance.now();
  const { plan } = await loadPlan(join(EXAMPLES_DIR, name));
  synthesizePlatform(plan, { outdir, cloudFormationValidation: true });
  const withValidator = performance.now() - t0;
  rmSync(outdir, { recursive: true, force: true });
  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
    const c0 = performance.now();
    const run = spawnSync(process.execPath, ['bin/plinth.js', 'synth', join(EXAMPLES_DIR, name), '--out', out], { encoding: 'utf8' });
    cold.push(performance.now() - c0);
    if (run.status !== 0) throw new Error(`plinth synth ${name} failed:\n${run.stderr}`);
    rmSync(out, { recursive: true, force: true });
  }
  rows.push(`| ${name} | ${(median(cold) / 1000).toFixed(2)} s | ${(median(times) / 1000).toFixed(2)} s | ${(withValidator / 1000).toFixed(2)} s | ${counts!.resources} | ${counts!.customResources} | ${counts!.lambdas} |`);
}

/** The floor: what aws-eks-v2 itself needs for a cluster that plinth could still apply manifests to. */
function plainEksCounts(): Counts {
  const outdir = mkdtempSync(join(tmpdir(), 'plinth-bench-eks-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'PlainEks', { env: { region: 'ap-northeast-2' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 1, restrictDefaultSecurityGroup: false });
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_33,
    vpc,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    defaultCapacity: 0,
    kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'Kubectl') },
  });
  cluster.addNodegroupCapacity('Nodes', { instanceTypes: [new ec2.InstanceType('t3.large')], minSize: 3, maxSize: 3, desiredSize: 3 });
  const assembly = app.synth();
  const counts = countResources(outdir, assembly.stacks.map((st) => st.templateFile));
  rmSync(outdir, { recursive: true, force: true });
  return counts;
}

const floor = plainEksCounts();
rows.push(`| plain aws-eks-v2 cluster (floor: VPC, cluster, node group, kubectl provider) | – | – | – | ${floor.resources} | ${floor.customResources} | ${floor.lambdas} |`);

console.log(`synth, median of ${RUNS} runs, node ${process.version}`);
console.log('| example | plinth synth (CLI, cold) | synth (warm, in-process) | synth + CFN validator (warm) | resources | custom resources | Lambda functions |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
