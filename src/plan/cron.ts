/**
 * EventBridge Scheduler cron expressions, checked field by field so a typo is reported at plan time
 * rather than as a CloudFormation failure: `MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR`, e.g.
 * `0 20 ? * MON-FRI *` (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
 * The `cron(...)` wrapper is optional in the spec.
 */
import type { CronPlan } from './types.js';

export type CronParse = { readonly ok: true; readonly cron: CronPlan } | { readonly ok: false; readonly problem: string; readonly fix: string };

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** `?`, `L`, `W`, `#` are allowed only in the day fields. */
  readonly special: 'none' | 'dayOfMonth' | 'dayOfWeek';
}

const FIELDS: readonly FieldRule[] = [
  { name: 'minutes', min: 0, max: 59, special: 'none' },
  { name: 'hours', min: 0, max: 23, special: 'none' },
  { name: 'day-of-month', min: 1, max: 31, special: 'dayOfMonth' },
  { name: 'month', min: 1, max: 12, names: MONTHS, special: 'none' },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, special: 'dayOfWeek' },
  { name: 'year', min: 1970, max: 2199, special: 'none' },
];

const FORM = 'six fields "MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR", e.g. "0 20 ? * MON-FRI *"';

export function parseCron(text: string): CronParse {
  const body = text.trim().replace(/^cron\((.*)\)$/s, '$1').trim();
  const fields = body.split(/\s+/).filter((f) => f.length > 0);
  if (fields.length !== 6) {
    const fix = fields.length === 5
      ? `EventBridge Scheduler adds a year field; write "${withQuestionMark(fields).join(' ')} *"`
      : `write ${FORM}`;
    return { ok: false, problem: `"${text}" has ${fields.length} field${fields.length === 1 ? '' : 's'}; a schedule needs six`, fix };
  }
  for (const [i, rule] of FIELDS.entries()) {
    const problem = fieldProblem(fields[i]!, rule);
    if (problem) return { ok: false, problem: `the ${rule.name} field "${fields[i]}" ${problem}`, fix: `use ${allowedValues(rule)} in the ${rule.name} field, as in ${FORM.slice(FORM.indexOf('e.g. ') + 5)}` };
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [string, string, string, string, string, string];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return {
      ok: false,
      problem: `"${text}" ${dayOfMonth === '?' ? 'leaves both day fields open' : 'sets both day-of-month and day-of-week'}; exactly one of them must be "?"`,
      fix: dayOfMonth === '?' ? `write "${minutes} ${hours} ? ${month} * ${year}" for every day` : `write "${minutes} ${hours} ? ${month} ${dayOfWeek} ${year}" to run on those weekdays`,
    };
  }
  return { ok: true, cron: { expression: `cron(${fields.join(' ')})`, minutes, hours, dayOfMonth, month, dayOfWeek, year } };
}

/** The same time of day, every day: how databases are stopped again after AWS restarts them. */
export function dailyAt(cron: CronPlan): CronPlan {
  return { ...cron, expression: `cron(${cron.minutes} ${cron.hours} ? * * *)`, dayOfMonth: '?', month: '*', dayOfWeek: '*', year: '*' };
}

/** A 5-field Unix cron with `*` in both day fields becomes valid by putting `?` in day-of-month. */
function withQuestionMark(fields: readonly string[]): string[] {
  const out = [...fields];
  if (out[2] === '*' && out[4] !== undefined) out[2] = '?';
  return out;
}

function fieldProblem(field: string, rule: FieldRule): string | undefined {
  if (field === '?') return rule.special === 'none' ? 'cannot be "?" (only the day fields can)' : undefined;
  if (rule.special !== 'none' && field === 'L') return undefined;
  for (const item of field.split(',')) {
    const problem = itemProblem(item, rule);
    if (problem) return problem;
  }
  return undefined;
}

function itemProblem(item: string, rule: FieldRule): string | undefined {
  if (rule.special === 'dayOfMonth' && /^\d{1,2}W$/.test(item)) return valueProblem(item.slice(0, -1), rule);
  if (rule.special === 'dayOfWeek' && /^[^#]+#[1-5]$/.test(item)) return valueProblem(item.split('#')[0]!, rule);
  if (rule.special === 'dayOfWeek' && /^[^L]+L$/.test(item)) return valueProblem(item.slice(0, -1), rule);
  const [range = '', step, extra] = item.split('/');
  if (extra !== undefined) return 'has more than one "/"';
  if (step !== undefined && !/^\d+$/.test(step)) return `has a step "${step}" that is not a number`;
  if (range === '*') return undefined;
  const [from = '', to, beyond] = range.split('-');
  if (beyond !== undefined) return `has a range "${range}" with more than one "-"`;
  return valueProblem(from, rule) ?? (to === undefined ? undefined : valueProblem(to, rule));
}

function valueProblem(value: string, rule: FieldRule): string | undefined {
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    return n < rule.min || n > rule.max ? `is outside ${rule.min}-${rule.max}` : undefined;
  }
  if (rule.names?.includes(value.toUpperCase())) return undefined;
  return `holds "${value}", which is not ${allowedValues(rule)}`;
}

function allowedValues(rule: FieldRule): string {
  const numbers = `${rule.min}-${rule.max}`;
  return rule.names ? `${numbers} or ${rule.names[0]}-${rule.names[rule.names.length - 1]}` : numbers;
}
