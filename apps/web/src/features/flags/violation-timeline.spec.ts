import { describe, expect, it } from 'vitest';
import type { ViolationTimelineEntry } from '@qadaga/contracts/api';
import { deadlinesOf } from './ViolationTimeline.js';

const step = (type: ViolationTimelineEntry['event']['type'], occurredAt: string): ViolationTimelineEntry => ({
  event: { source: 's', eventId: `${type}-${occurredAt}`, violationRef: 'V', type, occurredAt, actor: { kind: 'system', id: 'x' }, payload: {} },
  ledger: { rowId: '1', chainId: 's/0', chainSeq: '1', contentHash: 'a', chainHash: 'b', receivedAt: occurredAt },
});

describe('the deadlines a violation is measured against', () => {
  it('marks the limitation missed when no notice came within two months of the offence', () => {
    const [limitation] = deadlinesOf([step('detected', '2026-01-01T10:00:00.000Z'), step('confirmed', '2026-01-05T10:00:00.000Z')], Date.parse('2026-04-01T00:00:00Z'));
    expect(limitation).toEqual({ key: 'timeline.limitation', at: Date.parse('2026-03-01T10:00:00.000Z'), missed: true });
  });

  it('marks the payment deadline missed when nothing settled the fine within 30 days of the notice, and not before it has passed', () => {
    const steps = [step('detected', '2026-01-01T10:00:00.000Z'), step('notice_issued', '2026-01-10T10:00:00.000Z')];
    const late = deadlinesOf(steps, Date.parse('2026-03-01T00:00:00Z'));
    expect(late).toEqual([
      { key: 'timeline.limitation', at: Date.parse('2026-03-01T10:00:00.000Z'), missed: false },
      { key: 'timeline.payment', at: Date.parse('2026-02-09T10:00:00.000Z'), missed: true },
    ]);
    expect(deadlinesOf(steps, Date.parse('2026-02-01T00:00:00Z'))[1]?.missed).toBe(false);
    expect(deadlinesOf([...steps, step('paid', '2026-01-20T10:00:00.000Z')], Date.parse('2026-03-01T00:00:00Z'))[1]?.missed).toBe(false);
  });
});
