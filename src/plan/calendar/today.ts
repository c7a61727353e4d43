/**
 * "Today" for everything dated: PLINTH_TODAY (YYYY-MM-DD) when set, so a test or a reviewer can ask
 * "would this spec still be accepted on that day?" or "how old is the price table then?". A module of
 * its own so that `plinth cost` reads it without loading the planner.
 */
export function todayFromEnvironment(value = process.env.PLINTH_TODAY): Date | undefined {
  if (!value) return undefined;
  const day = Date.parse(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(day)) throw new Error(`PLINTH_TODAY must be a date such as 2026-12-05, not "${value}".`);
  return new Date(day);
}
