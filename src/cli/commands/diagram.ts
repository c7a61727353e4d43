import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { drawDiagram, readDiagramInput, type Format, type ViewOption } from '../../analyse/diagram/draw.js';
import { InputError } from '../../analyse/verify/index.js';
import type { Plan } from '../../plan/types.js';
import { SPEC_FILES, UsageError } from '../../spec/load.js';
import { loadPlan } from '../../plan/load.js';
import type { Command } from './index.js';
import { envOf } from './spec-arg.js';

const VIEWS: readonly ViewOption[] = ['network', 'k8s', 'all'];
const FORMATS: readonly Format[] = ['svg', 'png', 'dot', 'mermaid'];

export const diagram: Command = {
  args: '[SPEC|DIR] [--out FILE.svg|FILE.png] [--view network|k8s|all] [--format svg|png|dot|mermaid]',
  summary: 'draw the platform and its verified traffic (SVG, PNG, DOT or Mermaid)',
  help: `SPEC (plinth.yaml or a directory holding one) is synthesized to a temporary assembly first, and
its flows are checked too. DIR is a cloud assembly (cdk.out); manifests under DIR/k8s are drawn as well.
Edges are the flows verify proves allowed, labelled with their ports; red edges break a rule or an
intent (with its id); dotted red edges are flows the spec declares that the templates block.

options:
  --out FILE       where to write (default: stdout); .svg or .png picks the format
  --view V         network, k8s or all (default: all; k8s needs manifests)
  --format F       svg (default), png, dot (Graphviz) or mermaid (for Markdown)
  --spec SPEC      with a DIR: the spec it was synthesized from, so its flows are checked
  --width PX       PNG width in pixels (default 1600)`,
  options: { out: { type: 'string' }, view: { type: 'string' }, format: { type: 'string' }, spec: { type: 'string' }, width: { type: 'string' } },
  async run({ positionals, values, out }) {
    if (positionals.length > 1) throw new UsageError(`diagram takes one SPEC or DIR, got ${positionals.length}: ${positionals.join(' ')}`);
    const view = String(values.view ?? 'all') as ViewOption;
    if (!VIEWS.includes(view)) throw new UsageError(`--view must be network, k8s or all, not "${view}"`);
    const file = values.out === undefined ? undefined : resolve(String(values.out));
    const byExtension = file ? ({ '.svg': 'svg', '.png': 'png', '.dot': 'dot', '.gv': 'dot', '.mmd': 'mermaid', '.md': 'mermaid' } as const)[extname(file).toLowerCase()] : undefined;
    const format = String(values.format ?? byExtension ?? 'svg') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be svg, png, dot or mermaid, not "${format}"`);
    if (format === 'png' && !file) throw new UsageError('A PNG needs --out FILE.png; PNG bytes are not written to a terminal.');
    const widthPx = values.width === undefined ? undefined : Number(values.width);
    if (widthPx !== undefined && !(Number.isInteger(widthPx) && widthPx >= 200 && widthPx <= 10000)) throw new UsageError(`--width must be a whole number of pixels from 200 to 10000, not "${String(values.width)}"`);

    const target = resolve(positionals[0] ?? '.');
    if (!existsSync(target)) throw new UsageError(`${positionals[0] ?? '.'} does not exist. Pass a spec or a cloud assembly directory.`);
    let plan: Plan | undefined;
    let assembly = target;
    let cleanup: string | undefined;
    if (isSpec(target)) {
      plan = (await loadPlan(target, envOf(values))).plan;
      cleanup = mkdtempSync(join(tmpdir(), 'plinth-diagram-'));
      // aws-cdk-lib is loaded only when a spec has to be synthesized.
      const { synthesizePlatform } = await import('../../aws/synth.js');
      synthesizePlatform(plan, { outdir: cleanup, nag: false });
      assembly = cleanup;
    } else if (values.spec !== undefined) {
      plan = (await loadPlan(String(values.spec), envOf(values))).plan;
    }
    try {
      const started = performance.now();
      const input = readDiagramInput([assembly], plan);
      if (view === 'k8s' && !input.manifests) throw new UsageError(`${positionals[0] ?? '.'} has no Kubernetes manifests (DIR/k8s) to draw; use --view network.`);
      const drawn = await drawDiagram(input, view, format, { widthPx });
      const seconds = (performance.now() - started) / 1000;
      if (file) {
        writeFileSync(file, drawn);
        const views = view === 'all' ? (input.manifests ? 'the network and Kubernetes views' : 'the network view') : `the ${view} view`;
        out.info(`Drew ${views} of ${input.title} to ${file} (${format}, ${seconds.toFixed(2)} s).`);
      } else {
        process.stdout.write(drawn);
      }
      out.result({ ok: true, file, format, view, seconds });
      return 0;
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    } finally {
      if (cleanup) rmSync(cleanup, { recursive: true, force: true });
    }
  },
};

/** A spec file, or a directory holding one that is not itself an assembly. */
function isSpec(path: string): boolean {
  if (statSync(path).isDirectory()) return SPEC_FILES.some((f) => existsSync(join(path, f))) && !existsSync(join(path, 'manifest.json'));
  return /\.(ya?ml|ts|mts)$/.test(path);
}
