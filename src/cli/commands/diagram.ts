import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { diagramInputOf, drawDiagram, type Format, type ViewOption } from '../../analyse/diagram/draw.js';
import { UsageError } from '../../spec/load.js';
import { openAnalysisInput } from '../analysis-input.js';
import type { Command } from './index.js';
import { envOf } from './spec-arg.js';

const VIEWS: readonly ViewOption[] = ['network', 'k8s', 'all'];
const FORMATS: readonly Format[] = ['svg', 'png', 'dot', 'mermaid'];

export const diagram: Command = {
  args: '[SPEC|DIR|TEMPLATE...] [--out FILE.svg|FILE.png] [--view network|k8s|all] [--format svg|png|dot|mermaid]',
  summary: 'draw the platform and its verified traffic (SVG, PNG, DOT or Mermaid)',
  help: `SPEC (plinth.yaml or a directory holding one) is synthesized to a temporary assembly first, and
its flows are checked too. DIR is a cloud assembly (cdk.out) or a directory of CloudFormation templates;
manifests under DIR/k8s are drawn as well. TEMPLATE is a CloudFormation template, JSON or YAML.
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
    const view = String(values.view ?? 'all') as ViewOption;
    if (!VIEWS.includes(view)) throw new UsageError(`--view must be network, k8s or all, not "${view}"`);
    const file = values.out === undefined ? undefined : resolve(String(values.out));
    const byExtension = file ? ({ '.svg': 'svg', '.png': 'png', '.dot': 'dot', '.gv': 'dot', '.mmd': 'mermaid', '.md': 'mermaid' } as const)[extname(file).toLowerCase()] : undefined;
    const format = String(values.format ?? byExtension ?? 'svg') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be svg, png, dot or mermaid, not "${format}"`);
    if (format === 'png' && !file) throw new UsageError('A PNG needs --out FILE.png; PNG bytes are not written to a terminal.');
    const widthPx = values.width === undefined ? undefined : Number(values.width);
    if (widthPx !== undefined && !(Number.isInteger(widthPx) && widthPx >= 200 && widthPx <= 10000)) throw new UsageError(`--width must be a whole number of pixels from 200 to 10000, not "${String(values.width)}"`);

    const opened = await openAnalysisInput(positionals, { command: 'diagram', spec: values.spec === undefined ? undefined : String(values.spec), env: envOf(values) });
    try {
      const started = performance.now();
      const input = diagramInputOf(opened, opened.spec?.plan);
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
    } finally {
      opened.close();
    }
  },
};
