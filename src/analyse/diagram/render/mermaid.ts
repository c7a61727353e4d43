/**
 * Diagram → Mermaid flowchart, for embedding in Markdown: groups as nested subgraphs, nodes with
 * their lines, edges with their port labels; violations and blocked flows red by `linkStyle`.
 */
import type { Diagram, DiagramGroup } from '../types.js';
import { COLORS } from './theme.js';

function text(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>');
}

export function toMermaid(d: Diagram): string {
  const ids = new Map<string, string>();
  d.nodes.forEach((n, i) => ids.set(n.id, `n${i}`));
  const children = new Map<string | undefined, DiagramGroup[]>();
  for (const g of d.groups) children.set(g.parent, [...(children.get(g.parent) ?? []), g]);
  const used = new Set(d.nodes.map((n) => n.group));
  const drawn = (g: DiagramGroup): boolean => used.has(g.id) || (children.get(g.id) ?? []).some(drawn);
  const lines = [`flowchart ${d.view === 'network' ? 'TB' : 'LR'}`];
  const groupIndex = new Map(d.groups.map((g, i) => [g.id, `g${i}`]));
  const emit = (g: DiagramGroup, indent: string) => {
    if (!drawn(g)) return;
    lines.push(`${indent}subgraph ${groupIndex.get(g.id)}["${text(g.sublabel ? `${g.label} · ${g.sublabel}` : g.label)}"]`);
    for (const c of children.get(g.id) ?? []) emit(c, `${indent}  `);
    for (const n of d.nodes.filter((x) => x.group === g.id)) {
      const title = n.count !== undefined ? `${n.title} ×${n.count}` : n.title;
      lines.push(`${indent}  ${ids.get(n.id)}["${text([`<b>${title}</b>`, ...n.lines].join('\n'))}"]`);
    }
    lines.push(`${indent}end`);
  };
  for (const g of children.get(undefined) ?? []) emit(g, '  ');
  const red: number[] = [];
  const thin: number[] = [];
  let index = 0;
  for (const e of d.edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (!from || !to) continue;
    const arrow = e.kind === 'flow' || e.kind === 'violation' ? (e.certainty === 'maybe' ? '-.->' : '-->') : '-.->';
    lines.push(`  ${from} ${arrow}${e.label ? `|"${text(e.label)}"|` : ''} ${to}`);
    if (e.kind === 'violation' || e.kind === 'blocked') red.push(index);
    if (e.kind === 'route' || e.kind === 'dns' || e.kind === 'reference') thin.push(index);
    index++;
  }
  if (red.length) lines.push(`  linkStyle ${red.join(',')} stroke:${COLORS.violation},stroke-width:2px,color:${COLORS.violation}`);
  if (thin.length) lines.push(`  linkStyle ${thin.join(',')} stroke:${COLORS.route},stroke-width:1px`);
  return `${lines.join('\n')}\n`;
}
