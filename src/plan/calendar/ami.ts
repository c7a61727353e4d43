/**
 * Operating-system families a host can run (spec `ami:`), with the day each stops receiving security
 * updates. A family past that day is refused; a host that must stay on one names its AMI explicitly
 * (`ami: { ssmParameter }` or `{ id }`), which is then the operator's decision.
 */
import type { SourceKey } from './sources.js';

export interface AmiFamilyEntry {
  readonly family: string;
  /** First day without security updates from the vendor's standard channel. */
  readonly endOfSupport: string;
  readonly source: SourceKey;
  readonly successor?: string;
}

export const AMI_FAMILIES: readonly AmiFamilyEntry[] = [
  { family: 'amazon-linux-2', endOfSupport: '2026-06-30', source: 'al2-faq', successor: 'amazon-linux-2023' },
  { family: 'amazon-linux-2023', endOfSupport: '2029-06-30', source: 'al2023-faq' },
  { family: 'amazon-linux-2023-gpu', endOfSupport: '2029-06-30', source: 'al2023-faq' },
  { family: 'ubuntu-22.04', endOfSupport: '2027-04-30', source: 'ubuntu-lifecycle', successor: 'ubuntu-24.04' },
  { family: 'ubuntu-24.04', endOfSupport: '2029-04-30', source: 'ubuntu-lifecycle' },
  { family: 'debian-12', endOfSupport: '2028-06-30', source: 'debian-lts' },
];

export function amiFamily(family: string): AmiFamilyEntry | undefined {
  return AMI_FAMILIES.find((e) => e.family === family);
}
