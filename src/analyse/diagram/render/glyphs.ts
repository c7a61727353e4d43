/**
 * Service glyphs of our own, drawn in SVG in a 30 × 30 box: a square in the service category's colour
 * with a white line drawing, in the manner of the AWS architecture icons (which may not be
 * redistributed inside a tool, so none is copied). Each is a few strokes, legible at 30 px.
 */
import type { NodeKind } from '../types.js';
import { CATEGORY_COLORS, categoryOf } from './theme.js';

const W = 'stroke="#FFFFFF" stroke-width="1.6" fill="none" stroke-linecap="round" stroke-linejoin="round"';
const F = 'fill="#FFFFFF"';

const GLYPHS: Readonly<Record<NodeKind, string>> = {
  server: `<rect x="9" y="9" width="12" height="12" rx="1.5" ${W}/><path d="M12 5v4M15 5v4M18 5v4M12 21v4M15 21v4M18 21v4M5 12h4M5 15h4M5 18h4M21 12h4M21 15h4M21 18h4" ${W}/>`,
  bastion: `<rect x="5" y="7" width="20" height="16" rx="2" ${W}/><path d="M9 12l3.5 3-3.5 3M15 18.5h6" ${W}/>`,
  lambda: `<path d="M8 24l6.5-11M11 6h3.5l8.5 18" ${W}/>`,
  eni: `<circle cx="15" cy="15" r="4" ${W}/><path d="M15 5v6M15 19v6M5 15h6M19 15h6" ${W}/>`,
  igw: `<path d="M7 24V14a8 8 0 0 1 16 0v10M5 24h20M15 10v11M12 13l3-3 3 3" ${W}/>`,
  vgw: `<rect x="8" y="14" width="14" height="10" rx="1.5" ${W}/><path d="M11 14v-3a4 4 0 0 1 8 0v3M15 18v2" ${W}/>`,
  nat: `<path d="M6 11h15M17 7l4 4-4 4M24 19H9M13 15l-4 4 4 4" ${W}/>`,
  alb: `<circle cx="10" cy="15" r="3" ${W}/><path d="M13 15h4M17 15l4-6M17 15h5M17 15l4 6" ${W}/><circle cx="23" cy="8" r="1.6" ${F}/><circle cx="23.5" cy="15" r="1.6" ${F}/><circle cx="23" cy="22" r="1.6" ${F}/>`,
  nlb: `<circle cx="10" cy="15" r="3" ${W}/><path d="M13 15h10M19 11l4 4-4 4" ${W}/><path d="M6 8h5M6 22h5" ${W}/>`,
  lb: `<circle cx="10" cy="15" r="3" ${W}/><path d="M13 15h4M17 15l4-6M17 15l4 6" ${W}/>`,
  'client-vpn': `<path d="M15 5l8 3v6c0 5.5-3.6 8.8-8 10-4.4-1.2-8-4.5-8-10V8z" ${W}/><path d="M11.5 15l2.5 2.5 4.5-5" ${W}/>`,
  'interface-endpoint': `<rect x="8" y="12" width="14" height="11" rx="2" ${W}/><path d="M12 12V7M18 12V7M15 23v3" ${W}/>`,
  'eks-control-plane': `<path d="M15 4l9.5 5.5v11L15 26l-9.5-5.5v-11z" ${W}/><circle cx="15" cy="15" r="3.5" ${W}/><path d="M15 8.5v3M15 18.5v3M9.4 11.8l2.6 1.5M18 16.7l2.6 1.5M9.4 18.2l2.6-1.5M18 13.3l2.6-1.5" ${W}/>`,
  'eks-nodes': `<rect x="5" y="12" width="10" height="10" rx="1.5" ${W}/><rect x="10" y="8" width="10" height="10" rx="1.5" ${W}/><rect x="15" y="4" width="10" height="10" rx="1.5" ${W}/>`,
  rds: `<ellipse cx="15" cy="9" rx="8" ry="3" ${W}/><path d="M7 9v12c0 1.7 3.6 3 8 3s8-1.3 8-3V9M7 15c0 1.7 3.6 3 8 3s8-1.3 8-3" ${W}/>`,
  efs: `<path d="M5 10h8l2 2.5h10V23H5z" ${W}/><path d="M8 17.5c2-1.5 3 1.5 5 0s3 1.5 5 0 3 1.5 4 0.5" ${W}/>`,
  s3: `<ellipse cx="15" cy="9" rx="9" ry="3" ${W}/><path d="M6 9l2.5 13c.3 1.2 3 2 6.5 2s6.2-.8 6.5-2L24 9" ${W}/>`,
  ecr: `<path d="M15 5l9 4.5v11L15 25l-9-4.5v-11z" ${W}/><path d="M6 9.5l9 4.5 9-4.5M15 14v11" ${W}/>`,
  route53: `<path d="M15 4.5l8.5 3.2v6.3c0 5.6-3.8 9-8.5 10.5-4.7-1.5-8.5-4.9-8.5-10.5V7.7z" ${W}/><text x="15" y="18.5" font-size="8.5" font-weight="bold" text-anchor="middle" ${F}>53</text>`,
  internet: `<circle cx="15" cy="15" r="9.5" ${W}/><ellipse cx="15" cy="15" rx="4" ry="9.5" ${W}/><path d="M5.5 15h19M7 10h16M7 20h16" ${W}/>`,
  cidr: `<circle cx="15" cy="10.5" r="4" ${W}/><path d="M7 24c0-4.4 3.6-7.5 8-7.5s8 3.1 8 7.5" ${W}/>`,
  'vpn-clients': `<circle cx="11" cy="11" r="3.2" ${W}/><circle cx="20" cy="11" r="3.2" ${W}/><path d="M5 23c0-3.6 2.7-6 6-6s6 2.4 6 6M14.5 18c1.2-.7 3.5-1 5.5-1 3.3 0 6 2.4 6 6" ${W}/>`,
  site: `<path d="M6 25V9l8-4v20M14 11h10v14M4 25h22" ${W}/><path d="M9 12h2M9 16h2M9 20h2M17 15h4M17 19h4" ${W}/>`,
  'vpc-any': `<rect x="5" y="7" width="20" height="16" rx="2" stroke-dasharray="3 2" ${W}/><path d="M15 11v8M11.5 13l7 4M18.5 13l-7 4" ${W}/>`,
  ingress: `<path d="M4 15h12M12 11l4 4-4 4" ${W}/><rect x="17" y="6" width="9" height="18" rx="2" ${W}/>`,
  service: `<circle cx="15" cy="15" r="3" ${W}/><circle cx="7" cy="8" r="2" ${W}/><circle cx="7" cy="22" r="2" ${W}/><circle cx="24" cy="15" r="2" ${W}/><path d="M8.5 9.5l4 3.5M8.5 20.5l4-3.5M18 15h4" ${W}/>`,
  deployment: `<rect x="6" y="6" width="12" height="12" rx="2" ${W}/><rect x="12" y="12" width="12" height="12" rx="2" ${W}/>`,
  statefulset: `<ellipse cx="15" cy="8" rx="7" ry="2.5" ${W}/><path d="M8 8v14c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5V8M8 15c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5" ${W}/>`,
  daemonset: `<rect x="5" y="9" width="9" height="12" rx="1.5" ${W}/><rect x="16" y="9" width="9" height="12" rx="1.5" ${W}/>`,
  job: `<circle cx="15" cy="15" r="9" ${W}/><path d="M15 9v6l4 3" ${W}/>`,
  pods: `<path d="M15 5l8.5 4.5v10L15 24l-8.5-4.5v-10z" ${W}/><path d="M6.5 9.5L15 14l8.5-4.5M15 14v10" ${W}/>`,
};

/** The glyph of a node kind at (x, y), 30 × 30 (scaled by `size / 30`). */
export function glyph(kind: NodeKind, x: number, y: number, size = 30): string {
  const color = CATEGORY_COLORS[categoryOf(kind)];
  const scale = size / 30;
  const transform = scale === 1 ? `translate(${fmt(x)} ${fmt(y)})` : `translate(${fmt(x)} ${fmt(y)}) scale(${fmt(scale)})`;
  return `<g transform="${transform}"><rect width="30" height="30" rx="5" fill="${color}"/>${GLYPHS[kind]}</g>`;
}

/** Numbers in SVG: at most two decimals, so output is stable and short. */
export function fmt(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

export const KIND_NAMES: Readonly<Record<NodeKind, string>> = {
  internet: 'Internet', cidr: 'Named addresses', 'vpn-clients': 'VPN users', site: 'Site-to-site network', 'vpc-any': 'Any address in the VPC',
  igw: 'Internet gateway', vgw: 'VPN gateway', nat: 'NAT gateway', alb: 'Application LB', nlb: 'Network LB', lb: 'Load balancer',
  bastion: 'Bastion', server: 'EC2 instance(s)', 'client-vpn': 'Client VPN', 'interface-endpoint': 'VPC endpoint',
  'eks-control-plane': 'EKS control plane', 'eks-nodes': 'EKS node group', rds: 'RDS database', efs: 'EFS', s3: 'S3', ecr: 'ECR',
  route53: 'Route 53', lambda: 'Lambda', eni: 'Network interface', ingress: 'Ingress', service: 'Service', deployment: 'Deployment',
  statefulset: 'StatefulSet', daemonset: 'DaemonSet', job: 'Job / CronJob', pods: 'Pods',
};
