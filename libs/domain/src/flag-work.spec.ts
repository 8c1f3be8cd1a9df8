import { describe, expect, it } from 'vitest';
import { dueDateRefusal, dueDayOf, endOfDueDay, inWorkOrder, isOverdue, mayBeAssignedFlags } from './flag-work.js';

const NOW = new Date('2026-12-07T12:00:00Z');

describe('who may be given a flag', () => {
  it('is a prosecutor, not an auditor, rule author or administrator alone', () => {
    expect(mayBeAssignedFlags(['prosecutor'])).toBe(true);
    expect(mayBeAssignedFlags(['prosecutor', 'auditor'])).toBe(true);
    expect(mayBeAssignedFlags(['auditor'])).toBe(false);
    expect(mayBeAssignedFlags(['rule_author'])).toBe(false);
    expect(mayBeAssignedFlags(['admin'])).toBe(false);
    expect(mayBeAssignedFlags([])).toBe(false);
  });
});

describe('a due date', () => {
  it('may be cleared, or set ahead, but not to a moment already past', () => {
    expect(dueDateRefusal(null, NOW)).toBeNull();
    expect(dueDateRefusal(new Date('2026-12-08T00:00:00Z'), NOW)).toBeNull();
    expect(dueDateRefusal(new Date('2026-12-07T12:00:00Z'), NOW)).toBe('must be in the future');
    expect(dueDateRefusal(new Date('2020-01-01T00:00:00Z'), NOW)).toBe('must be in the future');
    expect(dueDateRefusal(new Date('nonsense'), NOW)).toBe('not a date');
  });

  it('picked as a day ends at that day’s last moment in Kazakhstan, and reads back as the same day', () => {
    expect(endOfDueDay('2026-12-09')).toBe('2026-12-09T18:59:59.999Z');
    expect(dueDayOf(endOfDueDay('2026-12-09'))).toBe('2026-12-09');
    expect(dueDayOf('2026-12-31T19:30:00Z')).toBe('2027-01-01');
    expect(() => endOfDueDay('09.12.2026')).toThrow(RangeError);
    // Today, picked at noon, is still ahead: the day is not over.
    expect(dueDateRefusal(new Date(endOfDueDay('2026-12-07')), NOW)).toBeNull();
  });
});

describe('the order of a person’s work', () => {
  it('puts overdue work first, then the soonest due, and work without a date last', () => {
    const items = [
      { id: 'none-1', dueAt: null },
      { id: 'later', dueAt: '2026-12-20T00:00:00Z' },
      { id: 'overdue-recent', dueAt: '2026-12-06T00:00:00Z' },
      { id: 'soon', dueAt: '2026-12-08T00:00:00Z' },
      { id: 'overdue-long', dueAt: '2026-11-01T00:00:00Z' },
      { id: 'none-2', dueAt: null },
    ];
    expect(inWorkOrder(items, NOW).map((i) => i.id)).toEqual(['overdue-long', 'overdue-recent', 'soon', 'later', 'none-1', 'none-2']);
    expect(isOverdue('2026-12-06T00:00:00Z', NOW)).toBe(true);
    expect(isOverdue(null, NOW)).toBe(false);
  });
});
