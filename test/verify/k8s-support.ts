/** Kubernetes manifests for tests: objects written to a temporary directory and read back as verify reads them. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { K8sModel } from '../../src/analyse/model/k8s-types.js';
import { readManifests } from '../../src/analyse/model/k8s.js';

export function writeManifests(objects: readonly unknown[], dir = mkdtempSync(join(tmpdir(), 'plinth-k8s-'))): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'all.yaml'), objects.map((o) => stringify(o)).join('---\n'));
  return dir;
}

export function readManifestsFromObjects(objects: readonly unknown[]): K8sModel {
  return readManifests(writeManifests(objects))!;
}
