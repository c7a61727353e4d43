/**
 * Support phases on a given day. Every calendar entry has an end of standard support; some have an
 * extended (paid) phase after it. Dates are UTC days: support ends at 00:00 UTC on the end date.
 */
export type SupportPhase = 'standard' | 'extended' | 'ended';

export interface SupportWindow {
  /** First day no longer in standard support, YYYY-MM-DD. */
  readonly standardSupportEnds: string;
  /** First day without any support; undefined when there is no paid extended phase. */
  readonly extendedSupportEnds?: string;
}

const DAY_MS = 86_400_000;

export function phaseOn(window: SupportWindow, today: Date): SupportPhase {
  if (today.getTime() < Date.parse(`${window.standardSupportEnds}T00:00:00Z`)) return 'standard';
  if (window.extendedSupportEnds && today.getTime() < Date.parse(`${window.extendedSupportEnds}T00:00:00Z`)) return 'extended';
  return 'ended';
}

/** Whole days from today until the date (negative once it has passed). */
export function daysUntil(date: string, today: Date): number {
  const startOfToday = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((Date.parse(`${date}T00:00:00Z`) - startOfToday) / DAY_MS);
}

/** "in 112 days" / "today" / "12 days ago", for messages. */
export function relative(date: string, today: Date): string {
  const days = daysUntil(date, today);
  if (days === 0) return 'today';
  const n = Math.abs(days);
  const span = `${n} day${n === 1 ? '' : 's'}`;
  return days > 0 ? `in ${span}` : `${span} ago`;
}
