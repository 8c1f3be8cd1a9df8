/**
 * A calendar month of the ledger by received_at, the ledger's own clock, in UTC: the
 * writer stamps a chain's rows after taking the chain's lock, so a month holds one
 * unbroken stretch of every chain and closes for good once it is over.
 */
export interface ArchiveMonth {
  /** YYYY-MM */
  month: string;
  /** First instant of the month (inclusive). */
  from: Date;
  /** First instant of the next month (exclusive). */
  to: Date;
}

/** Archiving refused, naming the option or the chain at fault and why. */
export class ArchiveRefusal extends Error {
  /** The CLI's exit code for a refusal: nothing was changed. */
  readonly exitCode = 3;

  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ArchiveRefusal';
  }
}

export const DEFAULT_ARCHIVE_MIN_AGE_MONTHS = 24;

export function parseArchiveMonth(text: string, field = '--month'): ArchiveMonth {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/u.exec(text);
  if (match === null) throw new ArchiveRefusal(field, `a month as YYYY-MM is required, got "${text}"`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  return { month: text, from: new Date(Date.UTC(year, month - 1, 1)), to: new Date(Date.UTC(year, month, 1)) };
}

/**
 * Why a month may not be archived yet, or null: it must have ended at least `minAgeMonths`
 * whole months before `now` (0: it must merely be over). Recent months stay live because the
 * sweeps, the evidence bundles and the outbox still read them.
 */
export function archiveAgeRefusal(month: ArchiveMonth, minAgeMonths: number, now: Date): string | null {
  if (!Number.isInteger(minAgeMonths) || minAgeMonths < 0) return `the minimum age must be a whole number of months, 0 or more, got ${minAgeMonths}`;
  const oldEnough = new Date(Date.UTC(month.to.getUTCFullYear(), month.to.getUTCMonth() + minAgeMonths, 1));
  if (month.to.getTime() > now.getTime()) return `${month.month} is not over yet (it ends ${month.to.toISOString()})`;
  if (oldEnough.getTime() > now.getTime()) {
    return `${month.month} ended ${month.to.toISOString()}, less than ${minAgeMonths} months ago; months may be archived from ${oldEnough.toISOString()} (LEDGER_ARCHIVE_MIN_AGE_MONTHS or --min-age-months)`;
  }
  return null;
}
