/**
 * The deadlines of a fine in Kazakhstan, as instants in epoch milliseconds. They are what
 * makes a cancellation "just before a deadline" suspicious and letting a detection sit
 * until the limitation period runs out a way to make a fine vanish.
 */

export const DAY_MS = 86_400_000;

/** Paid within 7 days of the notice, the owner owes half the fine (the discount). */
export const DISCOUNT_DAYS = 7;
/** The share of the fine the discount takes off. */
export const DISCOUNT_SHARE = 0.5;
/** The full amount is due within 30 days; after that the fine goes to forced collection. */
export const PAYMENT_DAYS = 30;
/** Limitation: no fine may be imposed 2 calendar months after the offence. */
export const LIMITATION_MONTHS = 2;

/** The last instant a payment earns the discount. */
export function discountDeadline(noticeAt: number): number {
  return noticeAt + DISCOUNT_DAYS * DAY_MS;
}

/** The last instant the fine may be paid before forced collection. */
export function paymentDeadline(noticeAt: number): number {
  return noticeAt + PAYMENT_DAYS * DAY_MS;
}

/**
 * When the limitation period ends. It runs in calendar months as JavaScript counts them
 * (31 December plus two months is 3 March), not as a fixed number of days.
 */
export function limitationDeadline(offenceAt: number): number {
  const d = new Date(offenceAt);
  d.setUTCMonth(d.getUTCMonth() + LIMITATION_MONTHS);
  return d.getTime();
}

/** Whether a payment at `paidAt` earns the discount on a notice issued at `noticeAt` (null: no notice yet). */
export function earnsDiscount(noticeAt: number | null, paidAt: number): boolean {
  return noticeAt !== null && paidAt >= noticeAt && paidAt <= discountDeadline(noticeAt);
}

/** What the owner must pay in all: half the fine when the discounted half was paid in time. */
export function amountDue(fine: number, paidWithinDiscount: number): number {
  const discounted = fine * (1 - DISCOUNT_SHARE);
  return paidWithinDiscount >= discounted ? discounted : fine;
}

