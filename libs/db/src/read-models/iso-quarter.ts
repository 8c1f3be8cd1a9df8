/**
 * Quarters of ISO weeks: Q1 is weeks 1-13 of an ISO week-year, Q2 14-26, Q3 27-39, Q4 40
 * to the last (52 or 53). Every week lies in exactly one quarter, so quarters never overlap.
 */

const DAY = 86_400_000;
const START_WEEK = [1, 14, 27, 40];
const QUARTER = /^(\d{4})-Q([1-4])$/u;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The Monday (yyyy-mm-dd) of ISO week `week` of week-year `year`. */
export function mondayOfIsoWeek(year: number, week: number): string {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  return isoDay(jan4 - weekday * DAY + (week - 1) * 7 * DAY);
}

/** The ISO week-year and week of a calendar day (yyyy-mm-dd). */
export function isoWeekOf(day: string): { year: number; week: number } {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  const thursday = new Date(ms + (3 - weekday) * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return { year, week };
}

const weeksIn = (year: number) => isoWeekOf(`${year}-12-28`).week;

export function quarterOfDay(day: string): string {
  const { year, week } = isoWeekOf(day);
  return `${year}-Q${week <= 13 ? 1 : week <= 26 ? 2 : week <= 39 ? 3 : 4}`;
}

/** The Mondays of a quarter's weeks, in order, and the Monday after its last week. */
export function quarterWeeks(quarter: string): { weeks: string[]; end: string } {
  const match = QUARTER.exec(quarter);
  if (match === null) throw new Error(`not a quarter: ${quarter}`);
  const year = Number(match[1]);
  const q = Number(match[2]);
  const first = START_WEEK[q - 1] ?? 1;
  const last = q === 4 ? weeksIn(year) : first + 12;
  const weeks: string[] = [];
  for (let w = first; w <= last; w += 1) weeks.push(mondayOfIsoWeek(year, w));
  return { weeks, end: isoDay(Date.parse(`${weeks[weeks.length - 1]}T00:00:00Z`) + 7 * DAY) };
}

/** Today's calendar day (yyyy-mm-dd) in a time zone. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Every quarter from the one holding `first` to the one holding `last`, newest first. */
export function quartersBetween(first: string, last: string): string[] {
  const index = (quarter: string) => {
    const [y, q] = quarter.split('-Q').map(Number) as [number, number];
    return y * 4 + q - 1;
  };
  const out: string[] = [];
  for (let i = index(quarterOfDay(last)); i >= index(quarterOfDay(first)); i -= 1) out.push(`${Math.floor(i / 4)}-Q${(i % 4) + 1}`);
  return out;
}
