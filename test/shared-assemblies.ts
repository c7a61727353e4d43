/** The bundled examples, synthesized once per run by test/global-setup.ts. Read them; never write into them. */
import { join } from 'node:path';
import { inject } from 'vitest';

/** The cloud assembly of a bundled example (templates, manifest.json, k8s/). */
export function exampleAssembly(name: string): string {
  return join(inject('exampleAssemblies'), name);
}
