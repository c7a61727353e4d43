/**
 * The legend under a diagram: what each edge style means, the rule ids drawn on red edges, the
 * glyphs in use, and notes. Laid out as rows of items wrapping at the diagram's width.
 */
import { textWidth } from '../layout/text.js';
import type { Diagram, EdgeKind } from '../types.js';
import { escapeXml } from './xml.js';
import { fmt, glyph, KIND_NAMES } from './glyphs.js';
import { changeStyle, COLORS, edgeStyle } from './theme.js';

const FONT = 11.5;
const ROW = 24;
const SAMPLE = 38;

const EDGE_TEXT: readonly { kind: EdgeKind; certainty: 'sure' | 'maybe'; text: string }[] = [
  { kind: 'flow', certainty: 'sure', text: 'allowed flow, verified (ports)' },
  { kind: 'flow', certainty: 'maybe', text: 'allowed only if an unresolved value permits it' },
  { kind: 'violation', certainty: 'sure', text: 'allowed, but breaks an intent (rule id)' },
  { kind: 'blocked', certainty: 'sure', text: 'intended by the spec, but blocked' },
  { kind: 'route', certainty: 'sure', text: 'route out (not a permission)' },
  { kind: 'dns', certainty: 'sure', text: 'DNS alias' },
  { kind: 'reference', certainty: 'sure', text: 'Kubernetes reference' },
];

export interface LegendBlock {
  readonly width: number;
  readonly height: number;
  render(x: number, y: number): string;
}

interface Item {
  readonly width: number;
  draw(x: number, y: number): string;
}

/** Cuts text to a width, at a word, with an ellipsis. */
function shorten(text: string, width: number): string {
  if (textWidth(text, FONT) <= width) return text;
  const words = text.split(' ');
  let out = '';
  for (const w of words) {
    if (textWidth(`${out} ${w} …`, FONT) > width) break;
    out = out ? `${out} ${w}` : w;
  }
  return `${out} …`;
}

const titleWidth = 110;

export function legend(diagrams: readonly Diagram[], maxWidth: number): LegendBlock {
  const edges = diagrams.flatMap((d) => d.edges);
  const present = (kind: EdgeKind, certainty: 'sure' | 'maybe') => edges.some((e) => e.kind === kind && (e.certainty === certainty || kind === 'blocked'));
  const edgeItems: Item[] = EDGE_TEXT.filter((t) => (t.kind === 'flow' && t.certainty === 'sure') || t.kind === 'violation' || present(t.kind, t.certainty)).map((t) => {
    const style = edgeStyle(t.kind, t.certainty);
    return {
      width: SAMPLE + 8 + textWidth(t.text, FONT) + 22,
      draw: (x, y) => `<line x1="${fmt(x)}" y1="${fmt(y)}" x2="${fmt(x + SAMPLE)}" y2="${fmt(y)}" stroke="${style.color}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>`
        + `<path d="M${fmt(x + SAMPLE)} ${fmt(y)}l-7 -3.5v7z" fill="${style.color}"/>`
        + `<text x="${fmt(x + SAMPLE + 8)}" y="${fmt(y + 4)}" font-size="${FONT}" fill="${COLORS.text}">${escapeXml(t.text)}</text>`,
    };
  });
  // A picture of a change (plinth plan) says what its two colours mean.
  const changes = (['added', 'removed'] as const).filter((c) => edges.some((e) => e.change === c) || diagrams.some((d) => d.nodes.some((n) => n.change === c)));
  for (const c of changes) {
    const style = changeStyle(c);
    const text = c === 'added' ? 'added by the change (flow or resource)' : 'removed by the change (flow or resource)';
    edgeItems.unshift({
      width: SAMPLE + 8 + textWidth(text, FONT, 'bold') + 22,
      draw: (x, y) => `<line x1="${fmt(x)}" y1="${fmt(y)}" x2="${fmt(x + SAMPLE)}" y2="${fmt(y)}" stroke="${style.color}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>`
        + `<text x="${fmt(x + SAMPLE + 8)}" y="${fmt(y + 4)}" font-size="${FONT}" fill="${style.color}" font-weight="bold">${escapeXml(text)}</text>`,
    });
  }
  const rules = [...new Map(diagrams.flatMap((d) => d.rules).map((r) => [r.id, r])).values()].sort((a, b) => a.id.localeCompare(b.id));
  const ruleItems: Item[] = rules.map((r) => {
    const head = `✗ ${r.id} ${r.name}`;
    const cause = shorten(r.cause, Math.max(200, maxWidth - titleWidth - textWidth(head, FONT, 'bold') - 40));
    return {
      width: maxWidth,
      draw: (x, y) => `<text x="${fmt(x)}" y="${fmt(y + 4)}" font-size="${FONT}" fill="${COLORS.violation}"><tspan font-weight="bold">${escapeXml(head)}</tspan>: ${escapeXml(cause)}</text>`,
    };
  });
  const kinds = [...new Set(diagrams.flatMap((d) => d.nodes.map((n) => n.kind)))].sort((a, b) => KIND_NAMES[a].localeCompare(KIND_NAMES[b]));
  const glyphItems: Item[] = kinds.map((k) => ({
    width: 20 + 6 + textWidth(KIND_NAMES[k], FONT) + 18,
    draw: (x, y) => `${glyph(k, x, y - 10, 20)}<text x="${fmt(x + 26)}" y="${fmt(y + 4)}" font-size="${FONT}" fill="${COLORS.text}">${escapeXml(KIND_NAMES[k])}</text>`,
  }));
  const noteItems: Item[] = [...new Set(diagrams.flatMap((d) => d.notes))].map((n) => ({
    width: maxWidth,
    draw: (x, y) => `<text x="${fmt(x)}" y="${fmt(y + 4)}" font-size="${FONT}" fill="${n.startsWith('✗') ? COLORS.violation : COLORS.muted}">${escapeXml(shorten(n, maxWidth - titleWidth - 30))}</text>`,
  }));
  const sections: { title: string; items: Item[] }[] = [
    { title: 'Edges', items: edgeItems },
    ...(ruleItems.length ? [{ title: 'Intents broken', items: ruleItems }] : []),
    { title: 'Shapes', items: glyphItems },
    ...(noteItems.length ? [{ title: 'Notes', items: noteItems }] : []),
  ];
  const rows: { title: string | undefined; items: { item: Item; x: number }[] }[] = [];
  let widest = 0;
  for (const s of sections) {
    let row: { title: string | undefined; items: { item: Item; x: number }[] } = { title: s.title, items: [] };
    let x = titleWidth;
    for (const item of s.items) {
      if (x + item.width > maxWidth && row.items.length > 0) {
        rows.push(row);
        row = { title: undefined, items: [] };
        x = titleWidth;
      }
      row.items.push({ item, x });
      x += item.width;
      widest = Math.max(widest, x);
    }
    rows.push(row);
  }
  const padding = 14;
  const width = Math.min(maxWidth, widest) + padding * 2;
  const height = rows.length * ROW + padding * 2 - 4;
  return {
    width,
    height,
    render: (x0, y0) => {
      const parts = [`<g class="legend"><rect x="${fmt(x0)}" y="${fmt(y0)}" width="${fmt(width)}" height="${fmt(height)}" rx="6" fill="#FAFAFA" stroke="#D5DBDB"/>`];
      rows.forEach((row, i) => {
        const y = y0 + padding + i * ROW + 8;
        if (row.title) parts.push(`<text x="${fmt(x0 + padding)}" y="${fmt(y + 4)}" font-size="${FONT}" font-weight="bold" fill="${COLORS.text}">${escapeXml(row.title)}</text>`);
        for (const { item, x } of row.items) parts.push(item.draw(x0 + padding + x, y));
      });
      parts.push('</g>');
      return parts.join('');
    },
  };
}
