import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, ReferenceRepository } from '@qadaga/db';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { computeFacts, computeFactsOverWindows, windowEnding, type SubjectFacts } from './index.js';
import { TINY_REFERENCE, lifecycle } from './testing/index.js';

/**
 * A sweep computes a violation's facts once for all its windows: each window must get
 * exactly what it would have got alone, including violations only one of them holds.
 */
const pool = createPool({ url: testDatabaseUrl(), size: 2 });
const AS_OF = new Date('2026-06-30T12:00:00Z');
const at = (days: number) => new Date(AS_OF.getTime() - days * 86_400_000).toISOString();
const camera = { kind: 'camera' as const, id: 'C1' };
const desk = { kind: 'officer' as const, id: 'O1', unit: 'AP-1', workstation: 'WS-O1' };
const register = { kind: 'system' as const, id: 'reg' };
const treasury = { kind: 'treasury' as const, id: 'tre' };

beforeAll(async () => {
  await resetLedger(pool);
  await pool.query('TRUNCATE officer, vehicle, camera, dispatch CASCADE');
  await new ReferenceRepository(pool).load(TINY_REFERENCE);
  const events = [
    // Never reviewed: an old one (the long window only) and a recent one (both).
    ...lifecycle('V-old-stall', [{ type: 'detected', at: at(300), source: 'cam', actor: camera }]),
    ...lifecycle('V-new-stall', [{ type: 'detected', at: at(20), source: 'cam', actor: camera }]),
    // Detected twice: the later detection puts it in the short window too.
    ...lifecycle('V-twice', [
      { type: 'detected', at: at(250), source: 'cam', actor: camera },
      { type: 'detected', at: at(100), source: 'cam', actor: camera },
    ]),
    ...lifecycle('V-old-cancel', [
      { type: 'detected', at: at(210), source: 'cam', actor: camera },
      { type: 'confirmed', at: at(209), source: 'desk', actor: desk },
      { type: 'cancelled', at: at(200), source: 'desk', actor: desk, payload: { reasonCode: 'other' } },
    ]),
    ...lifecycle('V-new-cancel', [
      { type: 'detected', at: at(12), source: 'cam', actor: camera },
      { type: 'confirmed', at: at(11), source: 'desk', actor: desk },
      { type: 'cancelled', at: at(10), source: 'desk', actor: desk, payload: { reasonCode: 'appeal_granted', legalBasis: 'art. 826' } },
    ]),
    // The treasury's payment falls inside the long window's look-back and outside the
    // short one's: only the short window sees a register payment the treasury lacks.
    ...lifecycle('V-paid', [
      { type: 'detected', at: at(260), source: 'cam', actor: camera },
      { type: 'confirmed', at: at(259), source: 'desk', actor: desk },
      { type: 'notice_issued', at: at(258), source: 'reg', actor: register, payload: { noticeNumber: 'N-P' } },
      { type: 'paid', at: at(250), source: 'tre', actor: treasury, payload: { amount: 7384, paymentRef: 'T-P' } },
      { type: 'paid', at: at(30), source: 'reg', actor: register, payload: { amount: 7384 } },
    ]),
  ];
  await new IngestPipeline(new LedgerWriter(pool)).ingest(events.map((value, index) => ({ index, value })), { allowedSource: null });
});
afterAll(async () => {
  await pool.end();
});

const byId = (facts: SubjectFacts[]) => [...facts].sort((a, b) => a.id.localeCompare(b.id));

describe('violation facts over a sweep\'s windows', () => {
  it('give each window the violations and facts it gets alone', async () => {
    const windows = [180, 365].map((days) => windowEnding(AS_OF, days, 'Asia/Almaty'));
    const shared = await computeFactsOverWindows(pool, 'violation', windows, { all: true });
    const alone = [await computeFacts(pool, 'violation', windows[0] as never, { all: true }), await computeFacts(pool, 'violation', windows[1] as never, { all: true })];
    expect(byId(alone[0] ?? []).map((f) => f.id)).toEqual(['V-new-cancel', 'V-new-stall', 'V-paid', 'V-twice']);
    expect(byId(alone[1] ?? []).map((f) => f.id)).toEqual(['V-new-cancel', 'V-new-stall', 'V-old-cancel', 'V-old-stall', 'V-twice']);
    expect(shared.map(byId)).toEqual(alone.map(byId));
  });

  it('compute window by window what is asked by id', async () => {
    const windows = [90, 365].map((days) => windowEnding(AS_OF, days, 'Asia/Almaty'));
    const shared = await computeFactsOverWindows(pool, 'violation', windows, { ids: ['V-old-stall'] });
    expect(shared.map((w) => w.map((f) => f.id))).toEqual([['V-old-stall'], ['V-old-stall']]);
  });
});
