/** Lifecycle tests: each example (or a variant of its spec) synthesized once, read back as plan input. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlatformApp } from '../../src/aws/app.js';
import { readPlanAssembly } from '../../src/analyse/plan/assembly.js';
import type { PlanStack } from '../../src/analyse/plan/index.js';
import type { Plan } from '../../src/plan/types.js';

/** Synthesizes a plan (no cdk-nag, no validator: the templates are the same) and reads the stacks back. */
export function synthStacks(plan: Plan): PlanStack[] {
  const outdir = mkdtempSync(join(tmpdir(), 'plinth-lifecycle-'));
  try {
    buildPlatformApp(plan, { outdir, nag: false }).app.synth();
    return readPlanAssembly(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
