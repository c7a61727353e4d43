/**
 * Layout + diagram → SVG, drawn by hand so shapes, colours and fonts are ours and the output is
 * byte-for-byte the same for the same input (no ids, no timestamps; numbers rounded to 0.01). One
 * panel per view, stacked, with the legend under them. Text is DejaVu Sans, declared on the root so
 * any renderer with the font (resvg loads it explicitly) draws the same glyph widths the layout used.
 */
import type { Box, EdgeGeometry, Layout, Point } from '../layout/graphviz.js';
import { NOTE_FONT, NOTE_LINE, stackedLabel } from '../layout/dot.js';
import { FONT_FAMILY, textWidth } from '../layout/text.js';
import type { Diagram, DiagramEdge, DiagramGroup, DiagramNode } from '../types.js';
import { directedLabel } from '../model/edges.js';
import { fmt, glyph } from './glyphs.js';
import { legend } from './legend.js';
import { CATEGORY_COLORS, categoryOf, CHANGE_COLORS, changeStyle, COLORS, edgeStyle, groupStyle, SIZES } from './theme.js';
import { escapeXml } from './xml.js';

export interface Panel {
  readonly diagram: Diagram;
  readonly layout: Layout;
}

const MARGIN = 20;
const HEADER = 40;
const PANEL_GAP = 28;

export function renderSvg(panels: readonly Panel[], title: string): string {
  const contentWidth = Math.max(900, ...panels.map((p) => p.layout.width));
  const key = legend(panels.map((p) => p.diagram), Math.max(contentWidth, 900));
  const width = Math.ceil(Math.max(contentWidth, key.width) + MARGIN * 2);
  const parts: string[] = [];
  let y = MARGIN;
  parts.push(`<text x="${MARGIN}" y="${y + 16}" font-size="20" font-weight="bold" fill="${COLORS.text}">${escapeXml(title)}</text>`);
  y += HEADER;
  for (const [i, p] of panels.entries()) {
    if (panels.length > 1) {
      parts.push(`<text x="${MARGIN}" y="${y + 12}" font-size="15" font-weight="bold" fill="${COLORS.muted}">${escapeXml(p.diagram.view === 'network' ? 'Network and verified traffic' : 'Kubernetes workloads and verified traffic')}</text>`);
      y += 24;
    }
    // A group boxed after layout (the outside row) may reach above Graphviz's bounding box.
    const rise = Math.max(0, -Math.min(0, ...[...freeBoxes(p).values()].map((b) => b.y)));
    parts.push(`<g class="view ${p.diagram.view}" transform="translate(${MARGIN} ${fmt(y + rise)})">${panel(p)}</g>`);
    y += rise + p.layout.height + (i < panels.length - 1 ? PANEL_GAP : 16);
  }
  parts.push(key.render(MARGIN, y));
  const height = Math.ceil(y + key.height + MARGIN);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}, Verdana, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#FFFFFF"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function panel({ diagram, layout }: Panel): string {
  const out: string[] = [];
  const byId = new Map(diagram.groups.map((g) => [g.id, g]));
  const depth = (g: DiagramGroup): number => (g.parent && byId.has(g.parent) ? 1 + depth(byId.get(g.parent)!) : 0);
  const boxes = new Map([...layout.groups, ...freeBoxes({ diagram, layout })]);
  const groups = diagram.groups.filter((g) => boxes.has(g.id)).sort((a, b) => depth(a) - depth(b));
  for (const g of groups) out.push(group(g, boxes.get(g.id)!));
  for (const g of groups) {
    const box = layout.notes.get(g.id);
    if (box && g.note) out.push(note(g.note, box));
  }
  // Flows drawn over routes and references, violations over everything.
  const order = (e: DiagramEdge) => (e.kind === 'violation' || e.kind === 'blocked' ? 2 : e.kind === 'flow' ? 1 : 0);
  const edges = layout.edges.map((g) => ({ geometry: g, edge: diagram.edges[g.index]! })).filter((x) => x.edge);
  const sorted = [...edges].sort((a, b) => order(a.edge) - order(b.edge) || a.geometry.index - b.geometry.index);
  for (const { edge, geometry } of sorted) out.push(edgePath(edge, geometry));
  for (const n of diagram.nodes) {
    const box = layout.nodes.get(n.id);
    if (box) out.push(node(n, box));
  }
  for (const { edge, geometry } of sorted) {
    if (!edge.label) continue;
    const labelled = edge.back ? { ...edge, label: twoWayLabel(edge, layout) } : edge;
    if (geometry.label) out.push(edgeLabel(labelled, geometry.label));
  }
  return out.join('\n');
}

function group(g: DiagramGroup, box: Box): string {
  const style = groupStyle(g.kind, g.tier);
  const rx = g.kind === 'tier' ? 8 : 4;
  const rect = `<rect x="${fmt(box.x)}" y="${fmt(box.y)}" width="${fmt(box.width)}" height="${fmt(box.height)}" rx="${rx}" fill="${style.fill}" stroke="${style.stroke}" stroke-width="${g.kind === 'vpc' || g.kind === 'region' ? 1.6 : 1.2}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>`;
  const x = box.x + 10;
  const y = box.y + 18;
  const label = `<text x="${fmt(x)}" y="${fmt(y)}" font-size="${SIZES.groupFont}" font-weight="bold" fill="${style.label}">${escapeXml(g.label)}</text>`;
  const stacked = stackedLabel(g);
  const sub = g.sublabel
    ? `<text x="${fmt(stacked ? x : x + textWidth(g.label, SIZES.groupFont, 'bold') + 12)}" y="${fmt(stacked ? y + 15 : y)}" font-size="${SIZES.groupSubFont}" fill="${COLORS.muted}">${escapeXml(g.sublabel)}</text>`
    : '';
  return `<g class="group ${g.kind}">${rect}${label}${sub}</g>`;
}

/** Boxes of the groups Graphviz did not box (a free row of nodes). */
function freeBoxes({ diagram, layout }: Panel): Map<string, Box> {
  const out = new Map<string, Box>();
  for (const g of diagram.groups) {
    if (layout.groups.has(g.id)) continue;
    const inside = diagram.nodes.filter((n) => n.group === g.id).map((n) => layout.nodes.get(n.id)).filter((b): b is Box => b !== undefined);
    if (inside.length > 0) out.set(g.id, around(inside));
  }
  return out;
}

/** A group Graphviz did not box (a free row of nodes): their bounds, with room for the label. */
function around(boxes: readonly Box[]): Box {
  const x0 = Math.min(...boxes.map((b) => b.x)) - 10;
  const y0 = Math.min(...boxes.map((b) => b.y)) - 28;
  const x1 = Math.max(...boxes.map((b) => b.x + b.width)) + 10;
  const y1 = Math.max(...boxes.map((b) => b.y + b.height)) + 10;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function note(lines: readonly string[], box: Box): string {
  const top = box.y + (box.height - lines.length * NOTE_LINE) / 2 + 10;
  return `<g class="note">${lines.map((l, i) => `<text x="${fmt(box.x + 2)}" y="${fmt(top + i * NOTE_LINE)}" font-size="${NOTE_FONT}" font-style="italic" fill="${COLORS.muted}">${escapeXml(l)}</text>`).join('')}</g>`;
}

function node(n: DiagramNode, box: Box): string {
  const color = CATEGORY_COLORS[categoryOf(n.kind)];
  const changed = n.change ? CHANGE_COLORS[n.change] : undefined;
  const parts = [
    `<g class="node ${n.kind}${n.change ? ` ${n.change}` : ''}">`,
    `<rect x="${fmt(box.x)}" y="${fmt(box.y)}" width="${fmt(box.width)}" height="${fmt(box.height)}" rx="${SIZES.radius}" fill="#FFFFFF" stroke="${changed ?? color}" stroke-width="${changed ? 3 : 1.4}"${n.change === 'removed' ? ' stroke-dasharray="8 5"' : ''}/>`,
    glyph(n.kind, box.x + SIZES.padX, box.y + (box.height - SIZES.glyph) / 2),
  ];
  const textX = box.x + SIZES.padX + SIZES.glyph + SIZES.gap;
  const textHeight = SIZES.titleLine + n.lines.length * SIZES.line;
  let y = box.y + (box.height - textHeight) / 2 + 13;
  parts.push(`<text x="${fmt(textX)}" y="${fmt(y)}" font-size="${SIZES.titleFont}" font-weight="bold" fill="${COLORS.text}">${escapeXml(n.title)}</text>`);
  if (n.count !== undefined) {
    const bx = textX + textWidth(n.title, SIZES.titleFont, 'bold') + 6;
    const text = `×${n.count}`;
    const w = textWidth(text, SIZES.lineFont, 'bold') + 8;
    parts.push(`<rect x="${fmt(bx)}" y="${fmt(y - 11.5)}" width="${fmt(w)}" height="15" rx="7.5" fill="${color}"/>`);
    parts.push(`<text x="${fmt(bx + w / 2)}" y="${fmt(y)}" font-size="${SIZES.lineFont}" font-weight="bold" text-anchor="middle" fill="#FFFFFF">${escapeXml(text)}</text>`);
  }
  y += SIZES.titleLine - 2;
  for (const line of n.lines) {
    parts.push(`<text x="${fmt(textX)}" y="${fmt(y)}" font-size="${SIZES.lineFont}" fill="${COLORS.muted}">${escapeXml(line)}</text>`);
    y += SIZES.line;
  }
  parts.push('</g>');
  return parts.join('');
}

function edgePath(e: DiagramEdge, g: EdgeGeometry): string {
  const style = e.change ? changeStyle(e.change) : edgeStyle(e.kind, e.certainty);
  const [first, ...rest] = g.points;
  if (!first) return '';
  let d = `M${pt(first)}`;
  for (let i = 0; i + 2 < rest.length; i += 3) d += `C${pt(rest[i]!)} ${pt(rest[i + 1]!)} ${pt(rest[i + 2]!)}`;
  const arrows: string[] = [];
  const last = g.points[g.points.length - 1]!;
  if (g.arrowEnd) arrows.push(arrow(last, g.arrowEnd, style.color));
  if (g.arrowStart) arrows.push(arrow(first, g.arrowStart, style.color));
  const dash = style.dash && style.dash !== '1 0' ? ` stroke-dasharray="${style.dash}"` : '';
  return `<g class="edge ${e.kind}${e.change ? ` ${e.change}` : ''}" data-from="${escapeXml(e.from)}" data-to="${escapeXml(e.to)}"><title>${escapeXml(e.detail)}</title>`
    + `<path d="${d}" fill="none" stroke="${style.color}" stroke-width="${style.width}"${dash}/>${arrows.join('')}</g>`;
}

function arrow(from: Point, tip: Point, color: string): string {
  const dx = tip[0] - from[0];
  const dy = tip[1] - from[1];
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const back: Point = [tip[0] - ux * 9, tip[1] - uy * 9];
  const left: Point = [back[0] - uy * 4, back[1] + ux * 4];
  const right: Point = [back[0] + uy * 4, back[1] - ux * 4];
  return `<path d="M${pt(from)}L${pt(back)}" stroke="${color}" stroke-width="1.2"/><path d="M${pt(tip)}L${pt(left)}L${pt(right)}Z" fill="${color}"/>`;
}

function edgeLabel(e: DiagramEdge, at: Point): string {
  const lines = e.label.split('\n');
  const red = e.kind === 'violation' || e.kind === 'blocked';
  const width = Math.max(...lines.map((l) => textWidth(l, SIZES.edgeFont, red ? 'bold' : 'normal'))) + 6;
  const height = lines.length * SIZES.edgeLine + 2;
  const top = at[1] - height / 2;
  const color = e.change ? CHANGE_COLORS[e.change] : red ? COLORS.violation : e.kind === 'flow' ? COLORS.flow : COLORS.muted;
  const parts = [`<g class="edge-label ${e.kind}"><rect x="${fmt(at[0] - width / 2)}" y="${fmt(top)}" width="${fmt(width)}" height="${fmt(height)}" rx="3" fill="${COLORS.halo}" fill-opacity="0.88"/>`];
  lines.forEach((line, i) => {
    parts.push(`<text x="${fmt(at[0])}" y="${fmt(top + 12 + i * SIZES.edgeLine)}" font-size="${SIZES.edgeFont}" text-anchor="middle" fill="${color}"${red ? ' font-weight="bold"' : ''}>${escapeXml(line)}</text>`);
  });
  parts.push('</g>');
  return parts.join('');
}

/** Arrows of a two-way edge's label, from where its ends were placed: ↓/↑ when vertical, →/← when not. */
function twoWayLabel(e: DiagramEdge, layout: Layout): string {
  const a = layout.nodes.get(e.from);
  const b = layout.nodes.get(e.to);
  if (!a || !b || !e.back) return e.label;
  const dx = b.x + b.width / 2 - (a.x + a.width / 2);
  const dy = b.y + b.height / 2 - (a.y + a.height / 2);
  const [forward, back] = Math.abs(dy) >= Math.abs(dx) ? (dy >= 0 ? ['↓', '↑'] : ['↑', '↓']) : (dx >= 0 ? ['→', '←'] : ['←', '→']);
  return directedLabel(forward, e.services ?? [], back, e.back.services);
}

function pt(p: Point): string {
  return `${fmt(p[0])} ${fmt(p[1])}`;
}
