/**
 * What destroy says before deleting anything when a retained database holds the network: which stack
 * stays and why, what it bills while it stays (with the stack's monthly estimate), and the commands
 * that finish the destroy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { planDestroy } from '../../src/analyse/plan/destroy-plan.js';
import { readPlanAssembly } from '../../src/analyse/plan/assembly.js';
import { buildPlatformApp } from '../../src/aws/app.js';
import { printHeld, printKept } from '../../src/cli/commands/destroy.js';
import type { Output } from '../../src/cli/io.js';
import { exampleSpec } from '../lifecycle/scenarios.js';
import { planFromYaml, ROOT } from '../support.js';

function capture(): Output & { lines: string[]; results: unknown[] } {
  const lines: string[] = [];
  const results: unknown[] = [];
  return { json: false, lines, results, info: (t) => lines.push(t), error: (t) => lines.push(`ERROR ${t}`), result: (v) => results.push(v) };
}

describe('printHeld', () => {
  it('three-tier-eks with a retained database: names the kept network, its NAT gateways and estimate, and the commands to finish', async () => {
    const spec = exampleSpec('three-tier-eks');
    spec.data.databases.main.removal = 'retain';
    const outdir = mkdtempSync(join(tmpdir(), 'plinth-held-'));
    try {
      buildPlatformApp(planFromYaml(stringify(spec), join(ROOT, 'examples', 'three-tier-eks')), { outdir, nag: false }).app.synth();
      const stacks = readPlanAssembly(outdir);
      const out = capture();
      await printHeld(out, planDestroy(stacks).held, stacks, outdir, 'examples/three-tier-eks');
      const text = out.lines.join("\n");
      expect(text).toContain('goupang-prod-network is kept: Data/Databases/main/Instance (AWS::RDS::DBInstance, kept by its DeletionPolicy)');
      expect(text).toContain('DependencyViolation');
      expect(text).toMatch(/While it stays it bills for .*\d+ NatGateway/);
      expect(text).toMatch(/about \$[\d,.]+/);
      expect(text).toContain("DB=$(aws rds describe-db-instances --query \"DBInstances[?TagList[?Key=='aws:cloudformation:stack-name'&&Value=='goupang-prod-data']");
      expect(text).toContain('aws rds modify-db-instance --db-instance-identifier "$DB" --no-deletion-protection --apply-immediately --region ap-northeast-2');
      expect(text).toContain('aws rds wait db-instance-deleted');
      expect(text).toContain('plinth destroy examples/three-tier-eks');
      expect(out.results).toEqual([{ held: [expect.objectContaining({ stack: 'goupang-prod-network', heldBy: ['Data/Databases/main/Instance'] })] }]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('printKept', () => {
  it('names the final snapshot CloudFormation took next to its database', () => {
    const stacks = [{ id: 'Data', stackName: 'x-prod-data', dependsOn: [], paths: { Db: 'Data/Databases/main/Instance' }, region: 'ap-northeast-2',
      template: { Resources: { Db: { Type: 'AWS::RDS::DBInstance', DeletionPolicy: 'Snapshot', Properties: {} } } } }];
    const out = capture();
    printKept(out, stacks, new Map([['Data/Db', 'final snapshot x-prod-data-snapshot-db-1']]));
    expect(out.lines.join('\n')).toContain('Data/Databases/main/Instance (AWS::RDS::DBInstance): final snapshot x-prod-data-snapshot-db-1');
  });
});
