/**
 * plinth's library entry point: `definePlatform` for plinth.config.ts, and the pipeline stages for
 * tools that want to embed plinth.
 */
import type { z } from 'zod';
import type { platformSpecSchema } from './spec/schema.js';

/** The spec as written (defaults not yet applied). */
export type PlatformInput = z.input<typeof platformSpecSchema>;

/** Typed identity helper for plinth.config.ts: `export default definePlatform({ ... })`. */
export function definePlatform(spec: PlatformInput): PlatformInput {
  return spec;
}

export type { PlatformSpec } from './spec/schema.js';
export type { Plan, Flow, EndpointPlan } from './plan/types.js';
export { buildPlan } from './plan/index.js';
export { loadSpec, parseYamlSpec } from './spec/load.js';
export { loadPlan } from './plan/load.js';
export { SpecError, formatDiagnostic } from './spec/diagnostics.js';
