/**
 * Graphviz (the `dot` engine, compiled to WebAssembly by @viz-js/viz) places the nodes, sizes the
 * clusters, routes the edges and places their labels; its JSON output is read back as plain
 * geometry, y pointing down. Drawing is ours (render/svg.ts): Graphviz's own SVG is not used.
 */
import { instance, type Viz } from '@viz-js/viz';

export type Point = readonly [number, number];

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface EdgeGeometry {
  /** Index of the diagram edge (`e<i>` ids). */
  readonly index: number;
  /** Cubic Bézier control points: p0, then three per segment. */
  readonly points: readonly Point[];
  /** Arrowhead tip at the head end (or at the tail end for edges written reversed). */
  readonly arrowEnd: Point | undefined;
  readonly arrowStart: Point | undefined;
  readonly label: Point | undefined;
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly groups: ReadonlyMap<string, Box>;
  /** Node boxes by node id (centre-based boxes converted to top-left). */
  readonly nodes: ReadonlyMap<string, Box>;
  /** Group notes' boxes, by group id. */
  readonly notes: ReadonlyMap<string, Box>;
  readonly edges: readonly EdgeGeometry[];
}

let viz: Promise<Viz> | undefined;

/** The Graphviz instance, compiled once per process. */
export function graphviz(): Promise<Viz> {
  viz ??= instance();
  return viz;
}

interface GvObject {
  readonly name: string;
  readonly id?: string;
  readonly bb?: string;
  readonly pos?: string;
  readonly width?: string;
  readonly height?: string;
}

interface GvEdge {
  readonly id?: string;
  readonly pos?: string;
  readonly lp?: string;
}

export class LayoutError extends Error {
  public override readonly name = 'LayoutError';
}

export async function layout(dot: string): Promise<Layout> {
  const g = await graphviz();
  const result = g.render(dot, { format: 'json', engine: 'dot' });
  if (result.status !== 'success') {
    throw new LayoutError(`Graphviz could not lay out the diagram: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  const json = JSON.parse(result.output) as { bb: string; objects?: GvObject[]; edges?: GvEdge[] };
  const [, , bbWidth, bbHeight] = json.bb.split(',').map(Number) as [number, number, number, number];
  const flip = (p: Point): Point => [p[0], bbHeight - p[1]];
  const groups = new Map<string, Box>();
  const nodes = new Map<string, Box>();
  const notes = new Map<string, Box>();
  for (const o of json.objects ?? []) {
    if (o.bb && o.id?.startsWith('g:')) {
      const [x0, y0, x1, y1] = o.bb.split(',').map(Number) as [number, number, number, number];
      groups.set(o.id.slice(2), { x: x0, y: bbHeight - y1, width: x1 - x0, height: y1 - y0 });
    } else if (o.pos && (o.id?.startsWith('n:') || o.id?.startsWith('a:'))) {
      const [cx, cy] = flip(o.pos.split(',').map(Number) as unknown as Point);
      const w = Number(o.width) * 72;
      const h = Number(o.height) * 72;
      (o.id.startsWith('n:') ? nodes : notes).set(o.id.slice(2), { x: cx - w / 2, y: cy - h / 2, width: w, height: h });
    }
  }
  const edges: EdgeGeometry[] = [];
  for (const e of json.edges ?? []) {
    if (!e.id?.startsWith('e') || !e.pos) continue;
    let arrowEnd: Point | undefined;
    let arrowStart: Point | undefined;
    const points: Point[] = [];
    for (const part of e.pos.split(' ')) {
      const fields = part.split(',');
      if (fields[0] === 'e') arrowEnd = flip([Number(fields[1]), Number(fields[2])]);
      else if (fields[0] === 's') arrowStart = flip([Number(fields[1]), Number(fields[2])]);
      else points.push(flip([Number(fields[0]), Number(fields[1])]));
    }
    const label = e.lp ? flip(e.lp.split(',').map(Number) as unknown as Point) : undefined;
    edges.push({ index: Number(e.id.slice(1)), points, arrowEnd, arrowStart, label });
  }
  edges.sort((a, b) => a.index - b.index);
  return { width: bbWidth, height: bbHeight, groups, nodes, notes, edges };
}
