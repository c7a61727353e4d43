/**
 * The CLI side of the one input layer (src/analyse/input): verify, cost and diagram (and `plinth
 * plan`) call openAnalysisInput with their positionals. A spec is loaded, planned and synthesized to
 * a temporary assembly (aws-cdk-lib is loaded only then); assemblies, templates and template folders
 * are read as they are. The same detection and the same messages for every command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { detectInput, InputError, readAnalysisInput, type AnalysisInput } from '../analyse/input/index.js';
import { loadPlan } from '../plan/load.js';
import type { Plan } from '../plan/types.js';
import { UsageError, type LoadedSpec, type LoadOptions } from '../spec/load.js';

export interface OpenedInput extends AnalysisInput {
  /** The spec, when one was given (as the input, or with --spec for an assembly synthesized earlier). */
  readonly spec: { readonly loaded: LoadedSpec; readonly plan: Plan } | undefined;
  /** The spec file when the input was a spec (reports name it rather than the temporary assembly). */
  readonly specFile: string | undefined;
  /** Removes the temporary assembly of a spec input; safe to call twice. */
  close(): void;
}

export interface OpenOptions {
  /** The command's name, for messages ("verify takes one SPEC ..."). */
  readonly command: string;
  /** --spec: the spec an assembly or template was synthesized from (its flows and intents apply). */
  readonly spec?: string;
  /** --env: the environment of the spec to plan. @default the spec's base environment */
  readonly env?: LoadOptions;
}

/** Detects, synthesizes (for a spec) and reads the inputs; turns input mistakes into usage errors. */
export async function openAnalysisInput(targets: readonly string[], options: OpenOptions): Promise<OpenedInput> {
  const given = targets.length > 0 ? [...targets] : ['.'];
  const detected = usage(() => given.map((t) => detectInput(resolve(t))));
  const specs = detected.filter((d) => d.kind === 'spec');
  if (specs.length > 1 || (specs.length === 1 && given.length > 1)) {
    throw new UsageError(`${options.command} takes one SPEC, or assemblies, templates and template folders; not both.`);
  }
  if (specs.length === 1 && options.spec !== undefined) {
    throw new UsageError('--spec is for assemblies and templates; the SPEC argument already names the spec.');
  }
  if (specs.length === 0) {
    const spec = options.spec === undefined ? undefined : await loadPlan(options.spec, options.env);
    const input = usage(() => readAnalysisInput(detected.map((d) => d.path)));
    return { ...input, inputs: given.map((g) => resolve(g)), spec, specFile: undefined, close: () => undefined };
  }
  const spec = await loadPlan(specs[0]!.path, options.env);
  const outdir = mkdtempSync(join(tmpdir(), `plinth-${options.command}-`));
  const close = () => rmSync(outdir, { recursive: true, force: true });
  try {
    // aws-cdk-lib takes about a second to load: only a spec input pays for it.
    const { synthesizePlatform } = await import('../aws/synth.js');
    // cdk-nag's findings and the manifests' schema check are synth's business; analyses read only the
    // templates and manifests (so neither cdk-nag nor kubernetes-models is loaded).
    synthesizePlatform(spec.plan, { outdir, nag: false, manifestCheck: false });
    const input = usage(() => readAnalysisInput([outdir]));
    return { ...input, inputs: [spec.loaded.file], spec, specFile: spec.loaded.file, close };
  } catch (e) {
    close();
    throw e;
  }
}

function usage<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message);
    throw e;
  }
}
