/**
 * Time in the simulated city. Instants are UTC milliseconds; "night", "shift" and
 * "working hours" are judged in local time, which in Kazakhstan is one zone, UTC+5,
 * since 1 March 2024 (Asia/Almaty). The offset is a constant here because the city is
 * simulated after that date; the product itself keeps the zone as configuration.
 */
export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

export const LOCAL_OFFSET = 5 * HOUR;

let cachedDay = NaN;
let cachedDate = '';
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * ISO-8601 UTC with milliseconds, as Date#toISOString writes it. The date part is
 * cached per UTC day: formatting is most of the stream's cost, and consecutive events
 * mostly fall on the same day.
 */
export function iso(t: number): string {
  const ms = Math.floor(t);
  const day = Math.floor(ms / DAY);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * DAY).toISOString().slice(0, 11);
  }
  const within = ms - day * DAY;
  const h = Math.floor(within / HOUR);
  const m = Math.floor((within % HOUR) / MINUTE);
  const sec = Math.floor((within % MINUTE) / SECOND);
  const milli = within % SECOND;
  return `${cachedDate}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : milli}Z`;
}

/** Local hour of day, 0-23. */
export function localHour(t: number): number {
  return Math.floor((((t + LOCAL_OFFSET) % DAY) + DAY) % DAY / HOUR);
}

/** Local ISO weekday, 1 (Monday) to 7 (Sunday). 1970-01-01 was a Thursday. */
export function localWeekday(t: number): number {
  const day = Math.floor((t + LOCAL_OFFSET) / DAY);
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Hour of the local week, 0 (Monday 00:00-01:00) to 167. */
export function hourOfWeek(t: number): number {
  return (localWeekday(t) - 1) * 24 + localHour(t);
}

/** The UTC instant of local midnight starting the day that contains t. */
export function localMidnight(t: number): number {
  return Math.floor((t + LOCAL_OFFSET) / DAY) * DAY - LOCAL_OFFSET;
}

/** Start of the local hour containing t. */
export function hourStart(t: number): number {
  return Math.floor((t + LOCAL_OFFSET) / HOUR) * HOUR - LOCAL_OFFSET;
}

/**
 * Adds calendar months in local time, clamping the day (31 March + 1 month = 30 April):
 * the limitation period is "two months from the offence", not sixty days.
 */
export function addMonths(t: number, months: number): number {
  const local = new Date(t + LOCAL_OFFSET);
  const day = local.getUTCDate();
  local.setUTCDate(1);
  local.setUTCMonth(local.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 0)).getUTCDate();
  local.setUTCDate(Math.min(day, lastDay));
  return local.getTime() - LOCAL_OFFSET;
}

/** Local calendar year of an instant (fines use the index of the offence's year). */
export function localYear(t: number): number {
  return new Date(t + LOCAL_OFFSET).getUTCFullYear();
}
