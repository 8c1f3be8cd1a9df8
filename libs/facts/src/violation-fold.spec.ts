import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, ReferenceRepository } from '@qadaga/db';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import type { LifecycleEvent } from '@qadaga/domain';
import { computeFacts, windowEnding, withFactSession } from './index.js';
import { TINY_REFERENCE, lifecycle } from './testing/index.js';

/**
 * The database folds each violation's events into one row and the facts are judged from
 * it. These lifecycles put the fold's choices to the test, each against facts worked out
 * by hand: the first of several cancellations is the one judged, a plate amendment counts
 * only from the confirmation on, appeals and enforcement are placed against the
 * cancellations, payments by the kind of source, and the limitation period in calendar
 * months as JavaScript counts them (31 December plus two months is 3 March, not 28
 * February as PostgreSQL's interval arithmetic would have it).
 */
const pool = createPool({ url: testDatabaseUrl(), size: 2 });
const AS_OF = new Date('2026-06-30T12:00:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2025-12-31T06:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

const camera = { kind: 'camera' as const, id: 'C1' };
const officer = (id: string) => ({ kind: 'officer' as const, id, unit: 'AP-1', workstation: `WS-${id}` });
const system = { kind: 'system' as const, id: 'notices' };
const owner = { kind: 'owner' as const, id: 'owner-1' };

const twiceCancelled = lifecycle('V-FOLD-1', [
  { type: 'detected', at: at(0), source: 'cam', actor: camera },
  { type: 'amended', at: at(1 * HOUR), source: 'desk', actor: officer('O1'), payload: { field: 'plate', before: '111AAA02', after: '999ZZZ02' } },
  { type: 'confirmed', at: at(2 * HOUR), source: 'desk', actor: officer('O1') },
  { type: 'amended', at: at(3 * HOUR), source: 'desk', actor: officer('O1'), payload: { field: 'plate', before: '999ZZZ02', after: '111AAA02' } },
  { type: 'amended', at: at(4 * HOUR), source: 'desk', actor: officer('O1'), payload: { field: 'plate', before: '111AAA02', after: '999ZZZ02' } },
  { type: 'notice_issued', at: at(1 * DAY), source: 'desk', actor: system, payload: { noticeNumber: 'N-1' } },
  { type: 'appealed', at: at(2 * DAY), source: 'desk', actor: owner },
  {
    type: 'cancelled',
    at: at(3 * DAY),
    recordedAt: at(3 * DAY + HOUR),
    source: 'reg',
    actor: officer('S1'),
    payload: { reasonCode: 'other', reasonText: 'court order 12', effectiveAt: at(1 * DAY) },
  },
  { type: 'cancelled', at: at(4 * DAY), recordedAt: at(4 * DAY), source: 'desk', actor: officer('O2'), payload: { reasonCode: 'duplicate' } },
  { type: 'sent_to_enforcement', at: at(5 * DAY), source: 'desk', actor: system },
]);

const cancelledAfterEnforcement = lifecycle('V-FOLD-2', [
  { type: 'detected', at: at(0), source: 'cam', actor: camera },
  { type: 'confirmed', at: at(1 * HOUR), source: 'desk', actor: officer('O1') },
  { type: 'notice_issued', at: at(1 * DAY), source: 'desk', actor: system, payload: { noticeNumber: 'N-2' } },
  { type: 'paid', at: at(2 * DAY), source: 'reg', actor: owner, payload: { amount: 7384 } },
  { type: 'sent_to_enforcement', at: at(40 * DAY), source: 'desk', actor: system },
  { type: 'cancelled', at: at(41 * DAY), source: 'desk', actor: officer('O3'), payload: { reasonCode: 'other' } },
  { type: 'appealed', at: at(42 * DAY), source: 'desk', actor: owner },
]);

const paidTwice = lifecycle('V-FOLD-3', [
  { type: 'detected', at: at(0), source: 'cam', actor: camera },
  { type: 'confirmed', at: at(1 * HOUR), source: 'desk', actor: officer('O1') },
  { type: 'notice_issued', at: at(1 * DAY), source: 'desk', actor: system, payload: { noticeNumber: 'N-3' } },
  { type: 'notice_delivered', at: at(2 * DAY), source: 'desk', actor: system },
  { type: 'paid', at: at(3 * DAY), source: 'reg', actor: owner, payload: { amount: 7384 } },
  { type: 'paid', at: at(3 * DAY + HOUR), source: 'tre', actor: owner, payload: { amount: 7384 } },
]);

// Half the fine paid six days after the notice: the discount settles it.
const paidAtDiscount = lifecycle('V-FOLD-5', [
  { type: 'detected', at: at(0), source: 'cam', actor: camera },
  { type: 'confirmed', at: at(1 * HOUR), source: 'desk', actor: officer('O1') },
  { type: 'notice_issued', at: at(1 * DAY), source: 'desk', actor: system, payload: { noticeNumber: 'N-5' } },
  { type: 'notice_delivered', at: at(2 * DAY), source: 'desk', actor: system },
  { type: 'paid', at: at(7 * DAY), source: 'tre', actor: owner, payload: { amount: 3692, discountApplied: true } },
]);

const onlyDetected = lifecycle('V-FOLD-4', [{ type: 'detected', at: at(0), source: 'cam', actor: camera }]);

const keysOf = (events: LifecycleEvent[]) => events.map((e) => `${e.source}|${e.eventId}`);

let facts: Map<string, Record<string, unknown>>;
/** The violation page's read model, by reference. */
let page: Map<string, { status: string; amount_owed: string }>;

beforeAll(async () => {
  await resetLedger(pool);
  await pool.query('TRUNCATE officer, vehicle, camera, dispatch CASCADE');
  await new ReferenceRepository(pool).load(TINY_REFERENCE);
  const events = [...twiceCancelled, ...cancelledAfterEnforcement, ...paidTwice, ...onlyDetected, ...paidAtDiscount];
  // Sent in reverse: the fold orders each violation's events itself.
  const answer = await new IngestPipeline(new LedgerWriter(pool)).ingest(
    [...events].reverse().map((value, index) => ({ index, value })),
    { allowedSource: null },
  );
  expect(answer.summary.accepted).toBe(events.length);
  const window = windowEnding(AS_OF, 365, 'Asia/Almaty');
  const computed = await withFactSession(pool, (db) => computeFacts(db, 'violation', window, { ids: ['V-FOLD-1', 'V-FOLD-2', 'V-FOLD-3', 'V-FOLD-4', 'V-FOLD-5'] }));
  facts = new Map(computed.map((f) => [f.id, f.facts]));
  page = new Map((await pool.query<{ ref: string; status: string; amount_owed: string }>('SELECT ref, status, amount_owed FROM violation')).rows.map((r) => [r.ref, r]));
}, 60_000);

afterAll(async () => {
  await pool.end();
});

describe('violation facts folded by the database', () => {
  it('judge the first of two cancellations, the first plate edit after the confirmation, and enforcement after the last cancellation', () => {
    expect(facts.get('V-FOLD-1')).toMatchObject({
      // The domain's fold: enforcement after a cancellation does not reopen the fine.
      status: 'cancelled',
      cancelled: true,
      cancelReasonCode: 'other',
      cancelHasGround: true,
      cancellerRole: 'supervisor',
      cancellerMayCancel: true,
      cancelledAfterNotice: true,
      appealed: true,
      // The discount deadline (notice + 7 days) is the next one after the cancellation on day 3.
      hoursBeforeDeadline: 5 * 24,
      cancelledAfterEnforcement: false,
      // Recorded an hour after day 3, effective from day 1.
      backdatedHours: 49,
      plateAmendedAfterReview: true,
      // The edit before the confirmation is not judged; the first one after it restored a registered plate.
      amendedPlateRegistered: true,
      noticeDelivered: false,
      registerCancelled: true,
      reviewCancelled: true,
      enforcementAfterCancel: true,
      evidenceEventIds: keysOf(twiceCancelled),
    });
  });

  it('judge a cancellation after enforcement, an appeal after it, a payment the treasury never saw, and calendar months', () => {
    expect(facts.get('V-FOLD-2')).toMatchObject({
      // An appeal after the cancellation is an anomaly; the fine stays cancelled.
      status: 'cancelled',
      cancelled: true,
      cancelHasGround: false,
      cancellerRole: 'reviewer',
      cancellerMayCancel: false,
      appealed: false,
      // 31 December + 2 months is 3 March (JavaScript's months), 21 days after the cancellation on 10 February.
      hoursBeforeDeadline: 21 * 24,
      cancelledAfterEnforcement: true,
      enforcementAfterCancel: false,
      backdatedHours: 0,
      plateAmendedAfterReview: false,
      registerPaid: true,
      treasuryPaid: false,
      daysSinceRegisterPaid: (AS_OF.getTime() - (T0 + 2 * DAY)) / DAY,
      registerCancelled: false,
      reviewCancelled: true,
      evidenceEventIds: keysOf(cancelledAfterEnforcement),
    });
  });

  it('judge payments by the kind of their source, and a violation with one event', () => {
    expect(facts.get('V-FOLD-3')).toMatchObject({ status: 'paid', noticeDelivered: true, registerPaid: true, treasuryPaid: true, cancelled: false });
    expect(facts.get('V-FOLD-4')).toMatchObject({
      status: 'detected',
      cancelled: false,
      cancellerRole: 'none',
      cancelHasGround: true,
      cancellerMayCancel: true,
      appealed: false,
      hoursBeforeDeadline: 9_999,
      plateAmendedAfterReview: false,
      amendedPlateRegistered: true,
      registerPaid: false,
      daysSinceRegisterPaid: 0,
      evidenceEventIds: keysOf(onlyDetected),
    });
  });

  it('show a fine paid at half within the discount week as paid, on its page and in its facts alike', () => {
    expect(page.get('V-FOLD-5')).toMatchObject({ status: 'paid', amount_owed: '0.00' });
    expect(facts.get('V-FOLD-5')).toMatchObject({ status: 'paid', treasuryPaid: true });
    for (const [ref, row] of page) expect(facts.get(ref)?.['status'], ref).toBe(row.status);
  });
});
