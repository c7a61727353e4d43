/**
 * RDS engine majors plinth can create and when each leaves RDS standard support. After that date RDS
 * enrols the instance in paid Extended Support unless EngineLifecycleSupport says
 * open-source-rds-extended-support-disabled (rds-extended-support), so plinth always sets it.
 */
import type { SourceKey } from './sources.js';
import type { SupportWindow } from './support.js';

export type DatabaseEngine = 'mysql' | 'postgres';

export interface RdsMajorEntry extends SupportWindow {
  readonly engine: DatabaseEngine;
  readonly major: string;
  readonly source: SourceKey;
}

/** Oldest first per engine. Extended support runs 3 years past standard support. */
export const RDS_MAJORS: readonly RdsMajorEntry[] = [
  { engine: 'mysql', major: '8.0', standardSupportEnds: '2026-07-31', extendedSupportEnds: '2029-07-31', source: 'eol-rds-mysql' },
  { engine: 'mysql', major: '8.4', standardSupportEnds: '2029-07-31', extendedSupportEnds: '2032-07-31', source: 'eol-rds-mysql' },
  { engine: 'postgres', major: '14', standardSupportEnds: '2027-02-28', extendedSupportEnds: '2030-02-28', source: 'rds-postgres-calendar' },
  { engine: 'postgres', major: '15', standardSupportEnds: '2028-02-29', extendedSupportEnds: '2031-02-28', source: 'rds-postgres-calendar' },
  { engine: 'postgres', major: '16', standardSupportEnds: '2029-02-28', extendedSupportEnds: '2032-02-29', source: 'rds-postgres-calendar' },
  { engine: 'postgres', major: '17', standardSupportEnds: '2030-02-28', extendedSupportEnds: '2033-02-28', source: 'rds-postgres-calendar' },
];

export function rdsMajor(engine: string, major: string): RdsMajorEntry | undefined {
  return RDS_MAJORS.find((e) => e.engine === engine && e.major === major);
}

/** The CloudFormation value of AWS::RDS::DBInstance EngineLifecycleSupport. */
export type EngineLifecycleSupport = 'open-source-rds-extended-support' | 'open-source-rds-extended-support-disabled';
