import { describe, expect, it } from 'vitest';
import { apiFiltersOf, queueParamsOf } from './queue-filters.js';

describe('the queue filters a saved view and an export hold', () => {
  it('turns the address into the API’s filters: default status, whole days as instants, no paging', () => {
    const filters = apiFiltersOf(new URLSearchParams('severity=critical,high&district=Almaly&from=2026-10-01&to=2026-10-31&offset=50&order=priority'));
    expect(filters).toEqual({ severity: 'critical,high', district: 'Almaly', status: 'new,triaged', from: '2026-10-01T00:00:00+05:00', to: '2026-11-01T00:00:00+05:00' });
    // An empty status in the address is every status: no status filter.
    expect(apiFiltersOf(new URLSearchParams('status=&order=severity'))).toEqual({ order: 'severity' });
  });

  it('gives back the address the filters were saved from', () => {
    const address = new URLSearchParams('severity=low&status=dismissed&from=2026-10-01&to=2026-10-31&unit=AP-1');
    expect(Object.fromEntries(queueParamsOf(apiFiltersOf(address)))).toEqual(Object.fromEntries(address));
    expect(queueParamsOf({}).get('status')).toBe('');
  });
});
