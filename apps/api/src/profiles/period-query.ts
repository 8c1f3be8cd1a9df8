import { HttpStatus } from '@nestjs/common';
import type { Period } from '@qadaga/db';
import { apiError } from '../http/api-error.js';

const DAY_MS = 86_400_000;

/**
 * The period asked for, or the last `defaultDays` up to now. A period longer than
 * `maxDays` is refused rather than silently cut, so a reader never mistakes a part for the whole.
 */
export function resolvePeriod(q: { from?: string | undefined; to?: string | undefined }, timeZone: string, limits: { defaultDays: number; maxDays: number }): Period {
  const to = q.to === undefined ? new Date() : new Date(q.to);
  const from = q.from === undefined ? new Date(to.getTime() - limits.defaultDays * DAY_MS) : new Date(q.from);
  if (from.getTime() >= to.getTime()) throw apiError(HttpStatus.BAD_REQUEST, 'invalid query', [{ path: 'from', message: 'must be before to' }]);
  if (to.getTime() - from.getTime() > limits.maxDays * DAY_MS) {
    throw apiError(HttpStatus.BAD_REQUEST, 'invalid query', [{ path: 'from', message: `the period may span at most ${limits.maxDays} days` }]);
  }
  return { from, to, timeZone };
}
