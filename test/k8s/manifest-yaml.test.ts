/**
 * The manifest writer's YAML against the library it stands in for: the same bytes as `yaml`'s
 * stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }) for every object the examples and
 * the scale bench's platform render, and for generated objects full of the strings YAML treats specially,
 * whether the writer asked the library about each scalar one by one or in one batch first (prepare).
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ManifestYamlWriter } from '../../src/k8s/manifest-yaml.js';
import { renderWorkloads } from '../../src/k8s/render.js';
import { listExamples } from '../../src/cli/examples.js';
import { scaleSpec } from '../../bench/scale-spec.js';
import { random } from '../../bench/verify-stress.js';
import { examplePlan, planFromYaml } from '../support.js';

const library = (o: unknown) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false });

/** Each object written by a writer that asked one by one, and by one that prepared on all of them first. */
function bothWays(objects: readonly unknown[]): { oneByOne: string[]; prepared: string[] } {
  const single = new ManifestYamlWriter();
  const batch = new ManifestYamlWriter();
  batch.prepare(objects);
  return { oneByOne: objects.map((o) => single.write(o)), prepared: objects.map((o) => batch.write(o)) };
}

function expectLibraryText(objects: readonly unknown[]): void {
  const expected = objects.map(library);
  const { oneByOne, prepared } = bothWays(objects);
  expect(oneByOne).toEqual(expected);
  expect(prepared).toEqual(expected);
}

describe('manifestYaml writes what the yaml library writes', () => {
  it.each(listExamples().filter((e) => examplePlan(e).workloads))('%s: every rendered object', (example) => {
    // GIVEN every object an example renders WHEN written THEN byte for byte the library's text
    expectLibraryText(renderWorkloads(examplePlan(example))!.files.flatMap((f) => f.objects));
  });

  it('the scale bench platform (20 apps): every rendered object', () => {
    const objects = renderWorkloads(planFromYaml(scaleSpec(20)))!.files.flatMap((f) => f.objects);
    expect(objects.length).toBeGreaterThan(100);
    expectLibraryText(objects);
  });

  /** Strings and keys that YAML writes plain, quoted, escaped, as block scalars or as explicit keys. */
  const TRICKY: readonly string[] = [
    '', ' ', 'a', 'app', 'true', 'false', 'True', 'NULL', 'null', '~', 'yes', 'no', 'on', '0', '-0', '1.0', '1e3', '.inf', '-.Inf', '.nan',
    '0x1F', '0o17', '012', '+1', '1_000', '8080', '25%', '2026-12-05', '12:30', 'a: b', 'a:b', 'a #b', 'a#b', '#x', '- a', '-', '?', '? a', '-a',
    ':', 'a:', ' a', 'a ', '\ta', '---', '--- a', '...', '...a', '%x', '@x', '`x', '!x', '&x', '*x', '|', '>', '[a]', '{a}', 'a,b', "it's", 'say "hi"',
    `'"`, '\\', 'a\\nb', 'line\nbreak', 'two\n\nbreaks', 'trail\n', '\nlead', 'cr\rx', 'nul\u0000', 'bell\u0007', 'del\u007f', 'nbsp\u00a0x',
    '\u2028', 'é', '日本', '😀', 'x'.repeat(1100), `${'y '.repeat(60)}end`, 'app.kubernetes.io/name', 'argocd.argoproj.io/sync-wave', '0.0.0.0/0',
  ];
  const SCALARS: readonly unknown[] = [null, true, false, 0, -0, 1, -1, 0.5, 1e21, 1e-7, 123456789012, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, ...TRICKY];


  function generate(next: () => number, depth: number): unknown {
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
    const r = next();
    if (depth > 4 || r < 0.45) return pick(SCALARS);
    if (r < 0.5) return next() < 0.5 ? {} : [];
    if (r < 0.53) return pick([undefined, new Date(0), 10n, new Map([['a', 1]])]);
    if (r < 0.75) return Array.from({ length: 1 + Math.floor(next() * 3) }, () => generate(next, depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = 0; i < 1 + Math.floor(next() * 4); i++) o[pick(TRICKY)] = generate(next, depth + 1);
    return o;
  }

  it('2,000 generated objects with tricky keys and values, nested maps and sequences', () => {
    const objects = Array.from({ length: 2000 }, (_, n) => {
      const next = random(n + 1);
      const o: Record<string, unknown> = { apiVersion: 'v1', kind: 'Thing' };
      for (let i = 0; i < 1 + Math.floor(next() * 5); i++) o[TRICKY[Math.floor(next() * TRICKY.length)]!] = generate(next, 0);
      return o;
    });
    const { oneByOne, prepared } = bothWays(objects);
    objects.forEach((o, seed) => {
      expect({ seed, text: oneByOne[seed] }).toEqual({ seed, text: library(o) });
      expect({ seed, text: prepared[seed] }).toEqual({ seed, text: library(o) });
    });
  });

  it('every tricky string as a top-level key, a nested key, a value and an item, prepared in one batch', () => {
    const all = [...TRICKY, 'k0', 'a'];
    expectLibraryText([Object.fromEntries(all.map((k) => [k, k])), { nested: Object.fromEntries(all.map((k) => [k, [k, { [k]: k }]])) }]);
  });

  it('an empty object, and values the library converts itself', () => {
    expectLibraryText([{}, { a: undefined }, { a: [undefined] }, { a: new Date(0) }, { a: [[]], b: [{}], c: [[1, [2]]] }, Object.create(null) as object, 'text', [1]]);
  });
});
