/**
 * The manifests' documents are read by js-yaml first (src/analyse/input/manifest-documents.ts): the
 * values must be those `yaml` gives, for every manifest the examples write and for the scalars where
 * YAML 1.1 and 1.2 part ways; what js-yaml refuses is still read, by `yaml`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { manifestDocuments } from '../../src/analyse/input/manifest-documents.js';
import { exampleAssembly } from '../shared-assemblies.js';

const byYaml = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as unknown);

describe('manifest documents', () => {
  it.each(['nemo-v3', 'three-tier-eks', 'video-platform'])('%s: every manifest file reads as `yaml` reads it', (name) => {
    const dir = join(exampleAssembly(name), 'k8s');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(manifestDocuments(text), f).toEqual(byYaml(text));
    }
  });

  it.each([
    // YAML 1.2 core: these stay strings (YAML 1.1 would make numbers, booleans and dates of them)
    'v: 1_000', 'v: 0b11', 'v: yes', 'v: on', 'v: 2020-01-01', 'v: -0x1', 'v: tRue',
    // and these are numbers, booleans or null
    'v: 0o17', 'v: 0x1F', 'v: 012', 'v: 1e3', 'v: .5', 'v: +12', 'v: .inf', 'v: -.INF', 'v: .NaN', 'v: True', 'v: FALSE', 'v: ~', 'v: Null', 'v:',
    // quoting, block scalars, flow collections, explicit tags, anchors with a merge key left as a key
    'v: "8080"', "v: '1'", 'v: |\n  x\n  y\n', 'v: [1, "2", c]', 'v: !!int "3"', 'b: &x {c: 1}\nd:\n  <<: *x',
    // documents: empty text, an empty document, several
    '', '---', '# only a comment\n', 'a: 1\n---\n', '---\na: 1\n---\nb: 2\n',
  ])('%j reads as `yaml` reads it', (text) => {
    expect(manifestDocuments(text)).toEqual(byYaml(text));
  });

  it.each(['a: 1\na: 2', 'a: !Ref x', '? [a]\n: 1'])('%j, which js-yaml refuses, is still read as `yaml` reads it', (text) => {
    expect(manifestDocuments(text)).toEqual(byYaml(text));
    expect(manifestDocuments(text)).not.toEqual([]);
  });
});
