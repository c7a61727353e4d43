/**
 * The picture of a change: the diagram of the new version with what the change added drawn in
 * green and what it removed (taken from the old version's diagram, at the same place) in magenta.
 * Nodes and edges are matched by the diagram's ids, which come from the templates' logical ids and
 * the manifests' names, so an unchanged thing keeps its id across versions.
 */
import { buildDiagrams, layoutPanels, readDiagramInput, type ViewOption } from '../diagram/draw.js';
import { svgToPng } from '../diagram/render/png.js';
import { renderSvg } from '../diagram/render/svg.js';
import type { Diagram, DiagramEdge, DiagramGroup, DiagramNode } from '../diagram/types.js';
import type { AnalysedSide } from './side.js';

function edgeKey(e: DiagramEdge): string {
  return `${e.from}|${e.to}|${e.kind}`;
}

/** One view of the new version, with the old version's view overlaid. */
export function overlay(before: Diagram, after: Diagram): Diagram {
  const oldNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const newIds = new Set(after.nodes.map((n) => n.id));
  const nodes: DiagramNode[] = after.nodes.map((n) => (oldNodes.has(n.id) ? n : { ...n, title: `+ ${n.title}`, change: 'added' as const }));
  const groups = new Map<string, DiagramGroup>(after.groups.map((g) => [g.id, g]));
  const oldGroups = new Map(before.groups.map((g) => [g.id, g]));
  for (const n of before.nodes) {
    if (newIds.has(n.id)) continue;
    nodes.push({ ...n, title: `− ${n.title}`, change: 'removed' });
    // A removed node keeps its place: its group (and the groups around it) come along when they are gone too.
    for (let g = oldGroups.get(n.group); g && !groups.has(g.id); g = g.parent ? oldGroups.get(g.parent) : undefined) groups.set(g.id, g);
  }
  const oldEdges = new Map(before.edges.map((e) => [edgeKey(e), e]));
  const newKeys = new Set(after.edges.map(edgeKey));
  const edges: DiagramEdge[] = after.edges.map((e) => {
    const old = oldEdges.get(edgeKey(e));
    if (!old) return { ...e, change: 'added' as const };
    // The same two ends with other ports: show the new label, and what it was.
    if (old.label !== e.label && e.kind !== 'route') return { ...e, change: 'added' as const, label: `${e.label}\n(was ${old.label.split('\n').join(', ')})` };
    return e;
  });
  for (const e of before.edges) {
    if (!newKeys.has(edgeKey(e))) edges.push({ ...e, id: `removed:${e.id}`, change: 'removed', back: undefined, label: e.label.split('\n').join(', ') });
  }
  const added = nodes.filter((n) => n.change === 'added').length + edges.filter((e) => e.change === 'added').length;
  const removed = nodes.filter((n) => n.change === 'removed').length + edges.filter((e) => e.change === 'removed').length;
  return {
    ...after, groups: [...groups.values()], nodes, edges,
    notes: [...after.notes, ...(added + removed === 0 ? [`${after.view === 'k8s' ? 'Kubernetes' : 'Network'} view: the change adds and removes nothing it draws.`] : [])],
    title: `${after.title} (${added} added, ${removed} removed)`,
  };
}

export interface PictureOptions {
  readonly view?: ViewOption;
  readonly format?: 'svg' | 'png';
  /** PNG width in pixels. @default 1600 */
  readonly widthPx?: number;
}

/** The views of the change, overlaid (the Kubernetes view only when both sides have manifests). */
export function changeDiagrams(before: AnalysedSide, after: AnalysedSide, view: ViewOption = 'all'): Diagram[] {
  const b = buildDiagrams(readDiagramInput([before.dir], before.plan), view);
  const a = buildDiagrams(readDiagramInput([after.dir], after.plan), view);
  return a.map((d) => {
    const old = b.find((x) => x.view === d.view);
    return old ? overlay(old, d) : d;
  });
}

export async function drawChange(before: AnalysedSide, after: AnalysedSide, options: PictureOptions = {}): Promise<string | Buffer> {
  const diagrams = changeDiagrams(before, after, options.view ?? 'all');
  const svg = renderSvg(await layoutPanels(diagrams), `${after.plan?.platform.name ?? 'platform'}: ${after.label} against ${before.label}`);
  return options.format === 'svg' ? svg : svgToPng(svg, options.widthPx);
}
