import { startOfLocalDay } from '../../format/format.js';

/** The queue's status filter when the address names none. */
export const DEFAULT_QUEUE_STATUS = 'new,triaged';

/** The address's filters that are days (yyyy-mm-dd); the API reads instants. */
const shiftDay = (day: string, by: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + by);
  return d.toISOString().slice(0, 10);
};

/** The day an instant written by startOfLocalDay starts, or null for any other instant. */
const dayOf = (instant: string) => /^(\d{4}-\d{2}-\d{2})T00:00:00\+05:00$/u.exec(instant)?.[1] ?? null;

const TEXT_FILTERS = ['rule', 'severity', 'unit', 'district', 'camera', 'subject', 'subjectKind', 'scheme', 'order'] as const;

/**
 * The queue's filters as the API reads them (what an export and a saved view hold), from
 * the page's address: the default status when none is named, days as the instants that
 * bound them, paging left out. Empty values are no filter.
 */
export function apiFiltersOf(params: URLSearchParams): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const key of TEXT_FILTERS) {
    const value = params.get(key) ?? '';
    if (value !== '' && !(key === 'order' && value === 'priority')) filters[key] = value;
  }
  const status = params.has('status') ? (params.get('status') ?? '') : DEFAULT_QUEUE_STATUS;
  if (status !== '') filters['status'] = status;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (from !== '') filters['from'] = startOfLocalDay(from);
  // The page's "to" day is included: the API's bound is the start of the next day.
  if (to !== '') filters['to'] = startOfLocalDay(shiftDay(to, 1));
  return filters;
}

/** The page's address for saved filters: the inverse of apiFiltersOf. */
export function queueParamsOf(filters: Readonly<Record<string, string>>): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of TEXT_FILTERS) {
    const value = filters[key];
    if (value !== undefined && value !== '') params.set(key, value);
  }
  // No status saved means every status, which the address writes as an empty status.
  params.set('status', filters['status'] ?? '');
  const from = filters['from'] === undefined ? null : dayOf(filters['from']);
  const to = filters['to'] === undefined ? null : dayOf(filters['to']);
  if (from !== null) params.set('from', from);
  if (to !== null) params.set('to', shiftDay(to, -1));
  return params;
}
