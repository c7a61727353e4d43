/**
 * The look of a diagram in one place: sizes (in points, 1 pt = 1 SVG unit), colours after the AWS
 * architecture-icon palette (compute orange, networking purple, databases blue, storage green), and
 * the edge styles the legend explains.
 */
import type { DiagramNode, EdgeKind, GroupKind, NodeKind } from '../types.js';

export const SIZES = {
  titleFont: 13,
  lineFont: 11,
  edgeFont: 11,
  groupFont: 13,
  groupSubFont: 11,
  titleLine: 17,
  line: 15,
  edgeLine: 14,
  glyph: 30,
  padX: 10,
  padY: 9,
  gap: 9,
  minNodeHeight: 50,
  radius: 6,
} as const;

export const COLORS = {
  text: '#16191F',
  muted: '#545B64',
  flow: '#33475B',
  violation: '#D13212',
  route: '#8D99A6',
  dns: '#7D8998',
  reference: '#7D8998',
  halo: '#FFFFFF',
} as const;

export type Category = 'compute' | 'network' | 'database' | 'storage' | 'containers' | 'security' | 'outside' | 'kubernetes';

export const CATEGORY_COLORS: Readonly<Record<Category, string>> = {
  compute: '#D45B07',
  network: '#8C4FFF',
  database: '#2E73B8',
  storage: '#3F8624',
  containers: '#D45B07',
  security: '#DD344C',
  outside: '#545B64',
  kubernetes: '#326CE5',
};

export function categoryOf(kind: NodeKind): Category {
  switch (kind) {
    case 'server': case 'bastion': case 'lambda': case 'eni': return 'compute';
    case 'eks-control-plane': case 'eks-nodes': case 'ecr': return 'containers';
    case 'igw': case 'vgw': case 'nat': case 'alb': case 'nlb': case 'lb': case 'client-vpn': case 'interface-endpoint': case 'route53': case 'vpc-any': return 'network';
    case 'rds': return 'database';
    case 'efs': case 's3': return 'storage';
    case 'internet': case 'cidr': case 'vpn-clients': case 'site': return 'outside';
    case 'ingress': case 'service': case 'deployment': case 'statefulset': case 'daemonset': case 'job': case 'pods': return 'kubernetes';
  }
}

export interface GroupStyle {
  readonly stroke: string;
  readonly fill: string;
  readonly dash: string | undefined;
  readonly label: string;
}

const TIER_STYLES: Readonly<Record<string, { stroke: string; fill: string; band: string }>> = {
  public: { stroke: '#7AA116', fill: '#F2F8EA', band: '#FAFCF7' },
  private: { stroke: '#00A4A6', fill: '#E6F6F7', band: '#F5FBFB' },
  isolated: { stroke: '#7D8998', fill: '#F1F3F5', band: '#FAFBFB' },
  unknown: { stroke: '#7D8998', fill: '#F1F3F5', band: '#FAFBFB' },
};

export function groupStyle(kind: GroupKind, tier: string | undefined): GroupStyle {
  switch (kind) {
    case 'outside': return { stroke: '#AAB7B8', fill: '#FFFFFF', dash: '6 4', label: COLORS.muted };
    case 'region': return { stroke: '#00A4A6', fill: '#FFFFFF', dash: '8 5', label: '#00797B' };
    case 'vpc': return { stroke: '#8C4FFF', fill: '#FFFFFF', dash: undefined, label: '#6B3FD1' };
    case 'tier': {
      const t = TIER_STYLES[tier ?? 'unknown']!;
      return { stroke: t.band, fill: t.band, dash: undefined, label: t.stroke };
    }
    case 'subnet': {
      const t = TIER_STYLES[tier ?? 'unknown']!;
      return { stroke: t.stroke, fill: t.fill, dash: undefined, label: COLORS.text };
    }
    case 'regional-services': return { stroke: '#AAB7B8', fill: '#FFFFFF', dash: '4 3', label: COLORS.muted };
    case 'cluster': return { stroke: '#D45B07', fill: '#FFFFFF', dash: undefined, label: '#B34C05' };
    case 'namespace': return { stroke: '#326CE5', fill: '#F3F7FE', dash: '6 3', label: '#2457C5' };
    case 'load-balancers': return { stroke: '#8C4FFF', fill: '#FFFFFF', dash: '6 3', label: '#6B3FD1' };
    case 'aws': return { stroke: '#AAB7B8', fill: '#FFFFFF', dash: '4 3', label: COLORS.muted };
  }
}

export interface EdgeStyle {
  readonly color: string;
  readonly width: number;
  readonly dash: string | undefined;
}

export function edgeStyle(kind: EdgeKind, certainty: 'sure' | 'maybe'): EdgeStyle {
  const maybe = certainty === 'maybe' ? '7 4' : undefined;
  switch (kind) {
    case 'flow': return { color: COLORS.flow, width: 1.4, dash: maybe };
    case 'violation': return { color: COLORS.violation, width: 2.4, dash: maybe };
    case 'blocked': return { color: COLORS.violation, width: 1.8, dash: '2 4' };
    case 'route': return { color: COLORS.route, width: 1.2, dash: '1 0' };
    case 'dns': return { color: COLORS.dns, width: 1.1, dash: '3 3' };
    case 'reference': return { color: COLORS.reference, width: 1.1, dash: '5 3' };
  }
}

/** A picture of a change: added in green, removed in magenta (red already means a broken intent). */
export const CHANGE_COLORS = { added: '#1D8102', removed: '#B0084D' } as const;

/** The style of an edge a change added or removed: its colour, thicker; removed ones dashed. */
export function changeStyle(change: 'added' | 'removed'): EdgeStyle {
  return { color: CHANGE_COLORS[change], width: 2.8, dash: change === 'removed' ? '8 5' : undefined };
}

/** The box a node needs for its glyph and text. */
export function nodeSize(node: Pick<DiagramNode, 'title' | 'lines' | 'count'>, measure: (text: string, size: number, weight?: 'normal' | 'bold') => number): { width: number; height: number } {
  const badge = node.count !== undefined ? measure(`×${node.count}`, SIZES.lineFont, 'bold') + 14 : 0;
  const text = Math.max(measure(node.title, SIZES.titleFont, 'bold') + badge, ...node.lines.map((l) => measure(l, SIZES.lineFont)));
  const width = Math.ceil(SIZES.padX + SIZES.glyph + SIZES.gap + text + SIZES.padX);
  const height = Math.max(SIZES.minNodeHeight, Math.ceil(SIZES.padY * 2 + SIZES.titleLine + node.lines.length * SIZES.line));
  return { width, height };
}
