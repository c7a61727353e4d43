/**
 * The diagram pipeline: input → diagram model (pure) → DOT → Graphviz layout → SVG → PNG, plus the
 * text formats (DOT, Mermaid) straight from the model.
 */
import { readAnalysisInput, type AnalysisInput, type StackTemplate } from '../input/index.js';
import { buildModel } from '../model/build.js';
import { Engine } from '../model/engine/reach.js';
import { allChecks, verifyTemplates, withManifests } from '../verify/index.js';
import type { Plan } from '../../plan/types.js';
import { toDot } from './layout/dot.js';
import { layout } from './layout/graphviz.js';
import { collectFlows } from './model/flows.js';
import type { Analysis, DiagramInput } from './model/input.js';
import { verdictsOf } from './model/verdicts.js';
import { KubernetesView } from './model/kubernetes.js';
import { readDiagramManifests } from './model/manifests.js';
import { NetworkView } from './model/network.js';
import { toMermaid } from './render/mermaid.js';
import { svgToPng } from './render/png.js';
import { renderSvg, type Panel } from './render/svg.js';
import type { Diagram } from './types.js';
import { statedNetworkOf, trustedGroupsOf } from '../model/stated-network.js';

export type ViewOption = 'network' | 'k8s' | 'all';
export type Format = 'svg' | 'png' | 'dot' | 'mermaid';

/**
 * Reads what the shared input layer reads (assemblies, templates, template folders) and the
 * manifests beside them. `plan` (when the input came from a spec) lets verify check the spec's flows too.
 */
export function readDiagramInput(paths: readonly string[], plan?: Plan): DiagramInput {
  return diagramInputOf(readAnalysisInput(paths), plan);
}

export function diagramInputOf(input: AnalysisInput, plan?: Plan): DiagramInput {
  const { templates, k8s } = withManifests(input);
  const manifestDir = input.manifestDirs[0];
  return {
    title: plan?.platform.name ?? templates[0]?.stackName.replace(/-[^-]+$/, '') ?? 'platform',
    templates, model: modelOf(templates, k8s, plan), plan, k8s,
    manifests: manifestDir ? readDiagramManifests(manifestDir) : undefined,
  };
}

/** The network model, built exactly as verify builds it (so class names match its findings). */
export function modelOf(templates: readonly StackTemplate[], k8s: DiagramInput['k8s'], plan: Plan | undefined): DiagramInput['model'] {
  return buildModel(templates, {
    k8s, declaredTiers: plan?.network.tiers.flatMap((t) => t.subnets.map((s) => ({ cidr: s.cidr, tier: t.type, name: t.name }))),
    stated: statedNetworkOf(plan),
    trusted: trustedGroupsOf(plan),
  });
}

/** Verified flows and verify's findings, once for every view. */
export function analyse(input: DiagramInput, podToPod: boolean): Analysis {
  // One engine for the flows and verify: the model is built the same way for both (modelOf).
  const engine = new Engine(input.model);
  const facts = collectFlows(input.model, { podToPod }, engine);
  const report = verifyTemplates(input.templates, { plan: input.plan, k8s: input.k8s, engine });
  const { verdicts, unplaced } = verdictsOf(report.findings);
  return { facts, verdicts, unplaced, rules: allChecks() };
}

/** The diagram models of the requested views (the Kubernetes view only when there are manifests). */
export function buildDiagrams(input: DiagramInput, view: ViewOption): Diagram[] {
  const wantsK8s = view !== 'network' && input.manifests !== undefined;
  const analysis = analyse(input, wantsK8s);
  const out: Diagram[] = [];
  if (view !== 'k8s') out.push(new NetworkView(input, analysis).build());
  if (wantsK8s) out.push(new KubernetesView(input, analysis).build());
  return out;
}

export async function layoutPanels(diagrams: readonly Diagram[]): Promise<Panel[]> {
  const panels: Panel[] = [];
  for (const d of diagrams) panels.push({ diagram: d, layout: await layout(toDot(d, { rankdir: d.view === 'network' ? 'TB' : 'LR' })) });
  return panels;
}

export interface DrawOptions {
  /** PNG width in pixels; the SVG is scaled to fit. @default 1600 */
  readonly widthPx?: number;
}

export async function drawDiagram(input: DiagramInput, view: ViewOption, format: Format, options: DrawOptions = {}): Promise<string | Buffer> {
  const diagrams = buildDiagrams(input, view);
  if (format === 'dot') return diagrams.map((d) => toDot(d, { rankdir: d.view === 'network' ? 'TB' : 'LR' })).join('\n');
  if (format === 'mermaid') return diagrams.map(toMermaid).join('\n');
  const svg = renderSvg(await layoutPanels(diagrams), `${input.title} — verified traffic`);
  return format === 'svg' ? svg : svgToPng(svg, options.widthPx);
}
