import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../package-root.js';

/** The bundled examples, shipped with the package. */
export const EXAMPLES_DIR = packagePath('examples');

export function listExamples(): string[] {
  return readdirSync(EXAMPLES_DIR).filter((d) => existsSync(join(EXAMPLES_DIR, d, 'plinth.yaml'))).sort();
}
