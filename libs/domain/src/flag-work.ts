/**
 * The work on a flag before any case exists: who looks into it and by when, and what a
 * person's own list of work holds and in which order. Cases follow the same ordering, so
 * "my work" reads as one list.
 */

/** Flags are looked into by prosecutors; an administrator does not take a flag as their own work. */
const MAY_BE_ASSIGNED_FLAGS: ReadonlySet<string> = new Set(['prosecutor']);

/** Whether a user with these roles may be made a flag's assignee (the user must also be active). */
export function mayBeAssignedFlags(roles: readonly string[]): boolean {
  return roles.some((role) => MAY_BE_ASSIGNED_FLAGS.has(role));
}

/** The flag statuses that still wait for someone's work: dismissed flags and flags in a case are done here. */
export const OPEN_FLAG_STATUSES = ['new', 'triaged'] as const;

/** The case statuses that still wait for their assignee's work. */
export const OPEN_CASE_STATUSES = ['open', 'investigating', 'referred'] as const;

/**
 * A due date set now must lie ahead: a date already past would make the work overdue the
 * moment it is given. Clearing it (null) is always allowed. Answers why not, or null.
 */
export function dueDateRefusal(dueAt: Date | null, now: Date): string | null {
  if (dueAt === null) return null;
  if (Number.isNaN(dueAt.getTime())) return 'not a date';
  return dueAt.getTime() > now.getTime() ? null : 'must be in the future';
}

/** Kazakhstan keeps one offset, UTC+5, since March 2024: a day's deadline ends at its midnight there. */
const KAZAKHSTAN_OFFSET = '+05:00';

/**
 * A due day (yyyy-mm-dd, as a person picks it) as the instant it ends: work due on the 9th
 * is on time all through the 9th in Kazakhstan, and overdue from its last second.
 */
export function endOfDueDay(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(day)) throw new RangeError(`not a day: ${day}`);
  return new Date(`${day}T23:59:59.999${KAZAKHSTAN_OFFSET}`).toISOString();
}

/** The Kazakhstan day (yyyy-mm-dd) an instant falls on: the inverse of endOfDueDay for a picker. */
export function dueDayOf(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + 5 * 3_600_000).toISOString().slice(0, 10);
}

/** Whether work due at this instant is overdue now. */
export function isOverdue(dueAt: string | null, now: Date): boolean {
  return dueAt !== null && Date.parse(dueAt) < now.getTime();
}

/**
 * The order of a person's work: overdue first (the longest overdue first), then by due
 * date, soonest first; work with no due date last, the rest of the order kept.
 */
export function inWorkOrder<T extends { dueAt: string | null }>(items: readonly T[], now: Date): T[] {
  const rank = (item: T) => (item.dueAt === null ? 2 : isOverdue(item.dueAt, now) ? 0 : 1);
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || (a.item.dueAt === null || b.item.dueAt === null ? 0 : Date.parse(a.item.dueAt) - Date.parse(b.item.dueAt)) || a.index - b.index)
    .map(({ item }) => item);
}
