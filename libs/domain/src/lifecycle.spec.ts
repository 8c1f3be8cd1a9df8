import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from './events.js';
import { deriveViolation, type OrderedEvent } from './lifecycle.js';

let seq = 0;
function ev(type: LifecycleEvent['type'], occurredAt: string, payload: Record<string, unknown> = {}, actor: LifecycleEvent['actor'] = { kind: 'officer', id: 'O1' }): OrderedEvent {
  seq += 1;
  return {
    ledgerSeq: seq,
    event: { source: 's', eventId: `e${seq}`, violationRef: 'V', type, occurredAt: `2026-01-${occurredAt}T00:00:00.000Z`, actor, payload } as LifecycleEvent,
  };
}

const detected = () => ev('detected', '01', { plate: '123 АВС 02', article: '592', fine: { amount: 7384 } }, { kind: 'camera', id: 'C1' });

describe('deriveViolation', () => {
  it('follows the ordinary path to paid and owes nothing', () => {
    const s = deriveViolation('V', [detected(), ev('confirmed', '02'), ev('notice_issued', '03', { noticeNumber: 'N1' }, { kind: 'system', id: 'sys' }), ev('paid', '05', { amount: 7384 }, { kind: 'treasury', id: 'T' })]);
    expect(s.status).toBe('paid');
    expect(s.amountOwed).toBe(0);
    expect(s.anomalies).toEqual([]);
    expect(s.plateKey).toBe('123ABC02');
  });

  it('derives the same state whatever order events arrive in', () => {
    const events = [detected(), ev('confirmed', '02'), ev('notice_issued', '03', { noticeNumber: 'N1' }, { kind: 'system', id: 'sys' })];
    const shuffled = [events[2]!, events[0]!, events[1]!];
    expect(deriveViolation('V', shuffled)).toEqual(deriveViolation('V', events));
    expect(deriveViolation('V', shuffled).status).toBe('notified');
    expect(deriveViolation('V', shuffled).amountOwed).toBe(7384);
  });

  it('keeps an event whose violation was not seen yet, and judges it once the detection arrives', () => {
    const early = deriveViolation('V', [ev('confirmed', '02')]);
    expect(early.eventCount).toBe(1);
    expect(early.anomalies[0]?.code).toBe('impossible_transition');
    const later = deriveViolation('V', [ev('confirmed', '02'), detected()]);
    expect(later.anomalies).toEqual([]);
    expect(later.status).toBe('confirmed');
  });

  it('marks paid after cancelled as an anomaly without reopening the violation', () => {
    const s = deriveViolation('V', [detected(), ev('confirmed', '02'), ev('cancelled', '03', { reasonCode: 'other' }), ev('paid', '04', { amount: 10 }, { kind: 'treasury', id: 'T' })]);
    expect(s.status).toBe('cancelled');
    expect(s.amountOwed).toBe(0);
    expect(s.anomalies).toEqual([expect.objectContaining({ code: 'impossible_transition', message: 'paid cannot follow cancelled' })]);
  });

  it('marks a confirmation by nobody (no officer) as an anomaly', () => {
    const s = deriveViolation('V', [detected(), ev('confirmed', '02', {}, { kind: 'system', id: 'robot' })]);
    expect(s.anomalies).toEqual([expect.objectContaining({ code: 'actor_not_allowed' })]);
  });

  it('settles a fine paid at half within the discount week of the notice, and not later', () => {
    const notice = () => ev('notice_issued', '03', { noticeNumber: 'N1' }, { kind: 'system', id: 'sys' });
    const half = (day: string) => ev('paid', day, { amount: 3692, discountApplied: true }, { kind: 'treasury', id: 'T' });
    const inTime = deriveViolation('V', [detected(), ev('confirmed', '02'), notice(), ev('notice_delivered', '04', {}, { kind: 'system', id: 'sys' }), half('10')]);
    expect(inTime.status).toBe('paid');
    expect(inTime.amountOwed).toBe(0);
    const late = deriveViolation('V', [detected(), ev('confirmed', '02'), notice(), ev('notice_delivered', '04', {}, { kind: 'system', id: 'sys' }), half('11')]);
    expect(late.status).toBe('delivered');
    expect(late.amountOwed).toBe(3692);
  });

  it('keeps the first and last instant of each step, and each source\'s first payment, whatever the arrival order', () => {
    const system = { kind: 'system' as const, id: 'sys' };
    const treasury = ev('paid', '09', { amount: 100 }, { kind: 'treasury', id: 'T' });
    treasury.event.source = 'treasury';
    const s = deriveViolation('V', [ev('sent_to_enforcement', '20', {}, system), treasury, detected(), ev('sent_to_enforcement', '12', {}, system), ev('paid', '08', { amount: 100 }, { kind: 'treasury', id: 'T' })]);
    expect(s.firstAt.sent_to_enforcement).toBe('2026-01-12T00:00:00.000Z');
    expect(s.lastAt.sent_to_enforcement).toBe('2026-01-20T00:00:00.000Z');
    expect(s.firstAt.detected).toBe('2026-01-01T00:00:00.000Z');
    expect(s.firstAt.notice_issued).toBeUndefined();
    expect(s.firstPaidAtBySource).toEqual({ s: '2026-01-08T00:00:00.000Z', treasury: '2026-01-09T00:00:00.000Z' });
  });

  it('applies amendments, partial payments and reducing appeals to what is owed', () => {
    const s = deriveViolation('V', [
      detected(),
      ev('confirmed', '02'),
      ev('amended', '03', { field: 'amount', before: 7384, after: 10000 }),
      ev('paid', '04', { amount: 2000 }, { kind: 'treasury', id: 'T' }),
      ev('appealed', '05', {}, { kind: 'owner', id: 'X' }),
      ev('appeal_decided', '06', { outcome: 'reduced', amount: 5000 }, { kind: 'court', id: 'J' }),
    ]);
    expect(s.fineAmount).toBe(5000);
    expect(s.amountOwed).toBe(3000);
    expect(s.status).toBe('delivered');
  });

  it('lets a system add a surcharge but not edit a plate', () => {
    const surcharge = deriveViolation('V', [detected(), ev('confirmed', '02'), ev('amended', '03', { field: 'amount', before: 7384, after: 14768 }, { kind: 'system', id: 'penalty' })]);
    expect(surcharge.anomalies).toEqual([]);
    expect(surcharge.amountOwed).toBe(14768);
    const plate = deriveViolation('V', [detected(), ev('confirmed', '02'), ev('amended', '03', { field: 'plate', before: '123ABC02', after: '999XXX99' }, { kind: 'system', id: 'x' })]);
    expect(plate.anomalies).toEqual([expect.objectContaining({ code: 'actor_not_allowed' })]);
  });

  it('accepts an appeal decision recorded twice, but not a decision without an appeal', () => {
    const court = { kind: 'court' as const, id: 'J' };
    const twice = deriveViolation('V', [detected(), ev('confirmed', '02'), ev('appealed', '03', {}, { kind: 'owner', id: 'X' }), ev('appeal_decided', '04', { outcome: 'upheld' }, court), ev('appeal_decided', '05', { outcome: 'upheld' }, court)]);
    expect(twice.anomalies).toEqual([]);
    const none = deriveViolation('V', [detected(), ev('confirmed', '02'), ev('appeal_decided', '04', { outcome: 'overturned' }, court)]);
    expect(none.anomalies).toEqual([expect.objectContaining({ code: 'impossible_transition' })]);
  });

  it('keeps an expired violation expired when an appeal decision without an appeal follows it', () => {
    const court = { kind: 'court' as const, id: 'J' };
    const s = deriveViolation('V', [detected(), ev('confirmed', '02'), ev('notice_issued', '03', { noticeNumber: 'N1' }, { kind: 'system', id: 'sys' }), ev('expired', '09', {}, { kind: 'system', id: 'sys' }), ev('appeal_decided', '09', { outcome: 'withdrawn' }, court)]);
    expect(s.status).toBe('expired');
    expect(s.paidAmount).toBe(0);
    expect(s.anomalies).toEqual([expect.objectContaining({ code: 'impossible_transition', message: 'appeal_decided cannot follow expired' })]);
  });

  it('reinstates a fine whose cancellation an upheld appeal reverses as owed, never as paid', () => {
    const court = { kind: 'court' as const, id: 'J' };
    const s = deriveViolation('V', [
      detected(),
      ev('confirmed', '02'),
      ev('notice_issued', '03', { noticeNumber: 'N1' }, { kind: 'system', id: 'sys' }),
      ev('appealed', '04', {}, { kind: 'owner', id: 'X' }),
      ev('cancelled', '05', { reasonCode: 'other' }),
      ev('appeal_decided', '06', { outcome: 'upheld' }, court),
    ]);
    expect(s.status).toBe('delivered');
    expect(s.amountOwed).toBe(7384);
  });

  it('counts a payment reported by both the treasury and the register once', () => {
    const treasury = ev('paid', '04', { amount: 7384 }, { kind: 'treasury', id: 'T' });
    treasury.event.source = 'treasury';
    const register = ev('paid', '05', { amount: 7384 }, { kind: 'system', id: 'R' });
    register.event.source = 'register';
    const s = deriveViolation('V', [detected(), ev('confirmed', '02'), treasury, register]);
    expect(s.paidAmount).toBe(7384);
    expect(s.paidBySource).toEqual({ treasury: 7384, register: 7384 });
    expect(s.status).toBe('paid');
  });

  it('records the status each source reports so disagreement shows', () => {
    const fromRegister = ev('cancelled', '03', { reasonCode: 'other' });
    fromRegister.event.source = 'register';
    const s = deriveViolation('V', [detected(), ev('confirmed', '02'), fromRegister]);
    expect(s.statusBySource).toEqual({ s: 'confirmed', register: 'cancelled' });
  });
});
