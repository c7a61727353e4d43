/**
 * Files plinth ships beside its code (examples/, data/). Found by walking up to plinth's own package.json, so
 * the same code works from src/ (tests, tsx) and from the bundle in dist/ (installed package), whose
 * directory depths differ.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'plinth') return dir;
  }
  throw new Error(`plinth's package.json was not found above ${from}; the installation is incomplete.`);
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the installed plinth package, e.g. packagePath('examples'). */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}
