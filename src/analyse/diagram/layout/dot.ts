/**
 * Diagram → Graphviz DOT. Groups become nested clusters, nodes get the exact size their glyph and
 * text need (so Graphviz only places them), and edges carry their labels so Graphviz keeps labels
 * clear of each other. Edges that run "up" the picture (egress to NAT and the internet, a private
 * host calling a public one) are written reversed with `dir=back`, so ranking keeps the outside on
 * top, then public, private and isolated subnets. The same text is `--format dot`.
 */
import { groupStyle, nodeSize, SIZES } from '../render/theme.js';
import type { Diagram, DiagramGroup, DiagramNode } from '../types.js';
import { FONT_FAMILY, textWidth } from './text.js';

const POINTS_PER_INCH = 72;

/** How far down the picture a group sits: outside 0, VPC edge 1, public 2, private 3, isolated 4. */
function depth(group: DiagramGroup | undefined, groups: ReadonlyMap<string, DiagramGroup>): number {
  for (let g = group; g; g = g.parent ? groups.get(g.parent) : undefined) {
    if (g.kind === 'outside' || g.kind === 'load-balancers') return 0;
    if (g.tier === 'public') return 2;
    if (g.tier === 'private' || g.tier === 'unknown') return 3;
    if (g.tier === 'isolated') return 4;
    if (g.kind === 'vpc') return 1;
    if (g.kind === 'regional-services' || g.kind === 'aws') return 5;
  }
  return 1;
}

/** Groups drawn as free rows (TB: the outside) or columns (LR: clients, load balancers, what pods reach). */
function free(g: DiagramGroup, options: DotOptions): boolean {
  return options.rankdir === 'TB' && g.kind === 'outside';
}

/**
 * Left to right, one column each: clients, load balancers, Ingresses, Services, workloads, what the
 * pods reach. Without it every Ingress → Service → workload chain finds its own columns and the
 * picture spreads.
 */
function columns(d: Diagram): string[] {
  const kindOf = new Map(d.groups.map((g) => [g.id, g.kind]));
  const workloads = new Set(['deployment', 'statefulset', 'daemonset', 'job', 'pods']);
  const column = (n: DiagramNode): number => {
    const group = kindOf.get(n.group);
    if (group === 'outside') return 0;
    if (group === 'load-balancers') return 1;
    if (group === 'aws') return 5;
    // A catalogued service's pods sit in a namespace of their own: one rank across several
    // namespace clusters pulls the clusters over each other, so they are placed freely.
    if (n.refs[0]?.startsWith('services/')) return -1;
    return n.kind === 'ingress' ? 2 : n.kind === 'service' ? 3 : workloads.has(n.kind) ? 4 : -1;
  };
  const out: string[] = [];
  const previous: string[] = [];
  const lanes = Math.max(0, ...d.nodes.map((n) => n.lane ?? 0)) + 1;
  for (let c = 0; c <= 5; c++) {
    // A large view's namespaces stand in several columns side by side rather than one long one.
    for (let lane = 0; lane < (c === 4 ? lanes : 1); lane++) {
      const ids = d.nodes.filter((n) => column(n) === c && (c !== 4 || (n.lane ?? 0) === lane)).map((n) => quote(n.id));
      if (ids.length === 0) continue;
      out.push(`  { rank=${c === 0 ? 'source' : c === 5 ? 'sink' : 'same'}; ${ids.join('; ')}; }`);
      // Each column after the one before, even where no edge says so.
      if (previous.length) out.push(`  ${previous[0]} -> ${ids[0]} [style=invis, weight=0];`);
      previous.splice(0, previous.length, ...ids);
    }
  }
  return out;
}

export interface DotOptions {
  /** `TB` for the network view, `LR` for the Kubernetes view. */
  readonly rankdir: 'TB' | 'LR';
}

export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function inches(points: number): string {
  return (points / POINTS_PER_INCH).toFixed(3);
}

/** Subnets write their CIDR and AZ under their name, so the AZ columns stay narrow. */
export function stackedLabel(g: DiagramGroup): boolean {
  return g.kind === 'subnet' && g.sublabel !== undefined;
}

/** The cluster label Graphviz sizes the cluster by: padded so it also fits the bold label drawn over it. */
export function groupLabel(g: DiagramGroup): string {
  if (stackedLabel(g)) {
    const pad = Math.max(0, Math.ceil((textWidth(g.label, SIZES.groupFont, 'bold') + 24 - textWidth(g.label, SIZES.groupFont)) / textWidth(' ', SIZES.groupFont)));
    return `${g.label}${' '.repeat(pad)}\n${g.sublabel}`;
  }
  const text = `${g.label}${g.sublabel ? `    ${g.sublabel}` : ''}`;
  const drawn = textWidth(g.label, SIZES.groupFont, 'bold') + (g.sublabel ? 16 + textWidth(g.sublabel, SIZES.groupSubFont) : 0) + 28;
  const missing = drawn - textWidth(text, SIZES.groupFont);
  return missing > 0 ? `${text}${' '.repeat(Math.ceil(missing / textWidth(' ', SIZES.groupFont)))}` : text;
}

export function toDot(d: Diagram, options: DotOptions): string {
  const groups = new Map(d.groups.map((g) => [g.id, g]));
  const children = new Map<string | undefined, DiagramGroup[]>();
  for (const g of d.groups) children.set(g.parent, [...(children.get(g.parent) ?? []), g]);
  const nodesIn = new Map<string, DiagramNode[]>();
  for (const n of d.nodes) nodesIn.set(n.group, [...(nodesIn.get(n.group) ?? []), n]);
  const lines: string[] = [
    `digraph ${quote(d.title)} {`,
    `  graph [rankdir=${options.rankdir}, compound=true, newrank=true, splines=true, nodesep=${options.rankdir === 'TB' ? 0.25 : 0.18}, ranksep=${options.rankdir === 'TB' ? 0.6 : 0.3}, pad=0.15, fontname=${quote(FONT_FAMILY)}, fontsize=${SIZES.groupFont}, labeljust=l, labelloc=t, outputorder=edgesfirst];`,
    `  node [shape=box, style=rounded, fixedsize=true, fontname=${quote(FONT_FAMILY)}, fontsize=${SIZES.lineFont}];`,
    `  edge [fontname=${quote(FONT_FAMILY)}, fontsize=${SIZES.edgeFont}, arrowsize=0.7];`,
  ];
  const used = new Set(d.nodes.map((n) => n.group));
  // A group is drawn when something is in it, directly or below; subnets always (an empty subnet is still there).
  const drawn = (g: DiagramGroup): boolean => g.kind === 'subnet' || used.has(g.id) || (children.get(g.id) ?? []).some(drawn);
  const anchors = new Map<string, string>();
  const emit = (g: DiagramGroup, indent: string): void => {
    if (!drawn(g)) return;
    if (free(g, options)) {
      // A free row (column, left to right) of nodes, boxed after layout: as a cluster it would sit beside the rest.
      for (const n of nodesIn.get(g.id) ?? []) lines.push(`${indent}${nodeLine(n)}`);
      return;
    }
    const style = groupStyle(g.kind, g.tier);
    lines.push(`${indent}subgraph ${quote(`cluster_${g.id}`)} {`);
    lines.push(`${indent}  id=${quote(`g:${g.id}`)}; label=${quote(groupLabel(g))}; color=${quote(style.stroke)}; margin=${g.kind === 'tier' ? 10 : 14};`);
    if (g.kind === 'subnet') {
      // Every subnet holds an anchor: an empty subnet still gets drawn, anchors line up the AZ columns,
      // and the anchor carries the subnet's note.
      anchors.set(g.id, `anchor:${g.id}`);
      lines.push(`${indent}  ${anchorLine(g)}`);
    }
    for (const c of children.get(g.id) ?? []) emit(c, `${indent}  `);
    for (const n of nodesIn.get(g.id) ?? []) lines.push(`${indent}  ${nodeLine(n)}`);
    lines.push(`${indent}}`);
  };
  for (const g of children.get(undefined) ?? []) emit(g, '  ');
  for (const n of nodesIn.get('') ?? []) lines.push(`  ${nodeLine(n)}`);
  lines.push(...bandOrder(d, groups, anchors));
  if (options.rankdir === 'TB') lines.push(...layers(d, groups));
  else lines.push(...columns(d));
  const nodeDepth = new Map(d.nodes.map((n) => [n.id, depth(groups.get(n.group), groups)]));
  d.edges.forEach((e, i) => {
    const attrs = [`id=${quote(`e${i}`)}`];
    if (e.label) attrs.push(`label=${quote(e.label)}`);
    const outside = options.rankdir === 'TB' && (nodeDepth.get(e.from) === 0 || nodeDepth.get(e.to) === 0);
    // Edges to the outside row do not pull it sideways: it stays a compact row above the region.
    if (outside) attrs.push('weight=0');
    else if (e.kind === 'route' || e.kind === 'dns' || e.kind === 'reference') attrs.push('weight=2');
    // Blocked flows do not shape the layout; in the Kubernetes view neither do balancer → pod flows,
    // so the columns read clients → load balancers → Ingress → Service → workload → AWS.
    const fromBalancer = options.rankdir === 'LR' && groups.get(d.nodes.find((n) => n.id === e.from)?.group ?? '')?.kind === 'load-balancers';
    if (e.kind === 'blocked' || (fromBalancer && e.kind !== 'reference')) attrs.push('constraint=false');
    const up = (nodeDepth.get(e.from) ?? 0) > (nodeDepth.get(e.to) ?? 0);
    if (e.back) lines.push(`  ${quote(up ? e.to : e.from)} -> ${quote(up ? e.from : e.to)} [${[...attrs, 'dir=both'].join(', ')}];`);
    else if (up) lines.push(`  ${quote(e.to)} -> ${quote(e.from)} [${[...attrs, 'dir=back'].join(', ')}];`);
    else lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [${attrs.join(', ')}];`);
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export const NOTE_FONT = 10.5;
export const NOTE_LINE = 13;

function anchorLine(g: DiagramGroup): string {
  const id = quote(`anchor:${g.id}`);
  if (!g.note?.length) return `${id} [shape=point, style=invis, width=0.1, height=0.1, label=""];`;
  const width = Math.max(...g.note.map((l) => textWidth(l, NOTE_FONT))) + 4;
  const height = g.note.length * NOTE_LINE + 4;
  return `${id} [id=${quote(`a:${g.id}`)}, shape=plaintext, label=${quote(g.note.join('\n'))}, fontsize=${NOTE_FONT}, width=${inches(width)}, height=${inches(height)}];`;
}

function nodeLine(n: DiagramNode): string {
  const { width, height } = nodeSize(n, textWidth);
  const label = [n.title + (n.count !== undefined ? ` ×${n.count}` : ''), ...n.lines].join('\n');
  return `${quote(n.id)} [id=${quote(`n:${n.id}`)}, label=${quote(label)}, width=${inches(width)}, height=${inches(height)}];`;
}

/**
 * Tier bands stacked top to bottom: an invisible separator per band comes after every node of the
 * band and before every node of the next one, so Graphviz cannot put two bands side by side; the
 * subnet anchors of consecutive bands are tied column by column, so the AZs line up.
 */
function bandOrder(d: Diagram, groups: ReadonlyMap<string, DiagramGroup>, anchors: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  const bandOf = (groupId: string): DiagramGroup | undefined => {
    for (let g = groups.get(groupId); g; g = g.parent ? groups.get(g.parent) : undefined) if (g.kind === 'tier') return g;
    return undefined;
  };
  const order = ['public', 'private', 'isolated', 'unknown'];
  for (const vpc of d.groups.filter((g) => g.kind === 'vpc')) {
    const bands = d.groups.filter((g) => g.kind === 'tier' && g.parent === vpc.id).sort((a, b) => order.indexOf(a.tier ?? 'unknown') - order.indexOf(b.tier ?? 'unknown'));
    const members = (band: DiagramGroup): string[] => [
      ...d.nodes.filter((n) => bandOf(n.group) === band).map((n) => n.id),
      ...d.groups.filter((g) => g.kind === 'subnet' && g.parent === band.id).map((g) => anchors.get(g.id)!).filter(Boolean),
    ];
    // Gateways and other VPC-wide nodes form a row above the first band (beside it they widen the VPC).
    const edge = d.nodes.filter((n) => n.group === vpc.id).map((n) => n.id);
    const first = bands[0] ? members(bands[0]) : [];
    if (edge.length > 0 && first.length > 0) {
      const sep = `sep:${vpc.id}`;
      out.push(`  subgraph ${quote(`cluster_${vpc.id}`)} { ${quote(sep)} [shape=point, style=invis, width=0.01, height=0.01, label=""]; }`);
      for (const m of edge) out.push(`  ${quote(m)} -> ${quote(sep)} [style=invis, weight=0];`);
      for (const m of first) out.push(`  ${quote(sep)} -> ${quote(m)} [style=invis, weight=0];`);
    }
    for (const band of bands) {
      const tops = d.groups.filter((g) => g.kind === 'subnet' && g.parent === band.id).map((g) => anchors.get(g.id)).filter((a): a is string => a !== undefined);
      // Same row, in AZ order (a flat edge keeps its tail left of its head).
      if (tops.length > 1) out.push(`  { rank=same; ${tops.map(quote).join('; ')}; ${tops.slice(1).map((t, i) => `${quote(tops[i]!)} -> ${quote(t)} [style=invis]`).join('; ')}; }`);
    }
    for (let i = 0; i + 1 < bands.length; i++) {
      const sep = `sep:${bands[i]!.id}`;
      out.push(`  subgraph ${quote(`cluster_${vpc.id}`)} { ${quote(sep)} [shape=point, style=invis, width=0.01, height=0.01, label=""]; }`);
      for (const m of members(bands[i]!)) out.push(`  ${quote(m)} -> ${quote(sep)} [style=invis, weight=0];`);
      for (const m of members(bands[i + 1]!)) out.push(`  ${quote(sep)} -> ${quote(m)} [style=invis, weight=0];`);
      const above = d.groups.filter((g) => g.kind === 'subnet' && g.parent === bands[i]!.id);
      const below = d.groups.filter((g) => g.kind === 'subnet' && g.parent === bands[i + 1]!.id);
      above.forEach((g, column) => {
        const target = below[Math.min(column, below.length - 1)];
        if (target) out.push(`  ${quote(anchors.get(g.id)!)} -> ${quote(anchors.get(target.id)!)} [style=invis, weight=3];`);
      });
    }
  }
  return out;
}

/**
 * The outside on top, then the VPCs, then regional services: keeps the picture narrow (1600 px wide
 * stays readable) instead of setting the three side by side.
 */
function layers(d: Diagram, groups: ReadonlyMap<string, DiagramGroup>): string[] {
  const topOf = (groupId: string): DiagramGroup | undefined => {
    let cur = groups.get(groupId);
    while (cur?.parent && groups.get(cur.parent)?.kind !== 'region') cur = groups.get(cur.parent);
    return cur;
  };
  const outside = d.nodes.filter((n) => topOf(n.group)?.kind === 'outside').map((n) => quote(n.id));
  const regional = d.nodes.filter((n) => topOf(n.group)?.kind === 'regional-services').map((n) => quote(n.id));
  const inVpc = [
    ...d.groups.filter((g) => g.kind === 'subnet').map((g) => quote(`anchor:${g.id}`)),
    ...d.nodes.filter((n) => topOf(n.group)?.kind === 'vpc').map((n) => quote(n.id)),
  ];
  // AZ columns: one invisible point per AZ in the top row, in AZ order, tied to each subnet of that AZ;
  // crossing minimisation then keeps the subnets of every band in AZ order.
  const columns: string[] = [];
  const ties: string[] = [];
  for (const vpc of d.groups.filter((g) => g.kind === 'vpc')) {
    const subnets = d.groups.filter((g) => g.kind === 'subnet' && g.az !== undefined && groups.get(g.parent ?? '')?.parent === vpc.id);
    const azs = [...new Set(subnets.map((g) => g.az!))].sort();
    for (const [i, az] of azs.entries()) {
      const id = quote(`az:${vpc.id}:${az}`);
      columns.push(id);
      if (i > 0) ties.push(`  ${quote(`az:${vpc.id}:${azs[i - 1]}`)} -> ${id} [style=invis];`);
      for (const g of subnets.filter((x) => x.az === az)) ties.push(`  ${id} -> ${quote(`anchor:${g.id}`)} [style=invis, weight=4];`);
    }
  }
  const out = columns.map((c) => `  ${c} [shape=point, style=invis, width=0.01, height=0.01, label=""];`);
  out.push(...ties);
  if (outside.length + columns.length > 0) out.push(`  { rank=source; ${[...outside, ...columns].join('; ')}; }`);
  // Regional services (no edges) would float to the top row; they go in one row under the VPC.
  if (regional.length > 1) out.push(`  { rank=same; ${regional.join('; ')}; }`);
  for (const r of regional.slice(0, 1)) for (const a of inVpc) out.push(`  ${a} -> ${r} [style=invis, weight=0];`);
  return out;
}
