/** Pairs of versions for the change-review tests: an example spec, edited, synthesized once per test file. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { parse, stringify } from 'yaml';
import { synthesizePlatform } from '../../src/aws/synth.js';
import { analyseSide, type AnalysedSide } from '../../src/analyse/change/index.js';
import type { Plan } from '../../src/plan/types.js';
import { planFromYaml, ROOT } from '../support.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SpecEdit = (spec: any) => void;

export interface Version {
  readonly dir: string;
  readonly plan: Plan;
}

const cache = new Map<string, Version>();

/** An example's spec with `edit` applied, synthesized into a temporary assembly (cached by `name`). */
export function version(example: string, name: string, edit: SpecEdit = () => {}): Version {
  const key = `${example}:${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const exampleDir = join(ROOT, 'examples', example);
  const spec = parse(readFileSync(join(exampleDir, 'plinth.yaml'), 'utf8'));
  edit(spec);
  const plan = planFromYaml(stringify(spec), exampleDir);
  const dir = mkdtempSync(join(tmpdir(), `plinth-change-${example}-${name}-`));
  dirs.push(dir);
  synthesizePlatform(plan, { outdir: dir });
  const v = { dir, plan };
  cache.set(key, v);
  return v;
}

/** A copy of a version's assembly with files edited (a chart bumped by an upgrade of plinth, say). */
export function edited(v: Version, edit: (dir: string) => void): Version {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-change-edited-'));
  dirs.push(dir);
  cpSync(v.dir, dir, { recursive: true });
  edit(dir);
  return { dir, plan: v.plan };
}

export function editJson(file: string, edit: (json: any) => void): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json);
  writeFileSync(file, JSON.stringify(json, null, 1));
}

const NOW = new Date('2026-12-05T00:00:00Z');

/** Both sides analysed as `plinth plan` does: the new spec's intents are judged on the old version too. */
export function sides(before: Version, after: Version): [AnalysedSide, AnalysedSide] {
  return [
    analyseSide(before.dir, { label: 'main', plan: before.plan, intents: after.plan.intents, now: NOW }),
    analyseSide(after.dir, { label: 'this change', plan: after.plan, now: NOW }),
  ];
}
