import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, ReferenceRepository } from '@qadaga/db';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import type { LifecycleEvent } from '@qadaga/domain';
import { computeFacts, computeFactsOverWindows, windowEnding, type SubjectFacts } from './index.js';
import { TINY_REFERENCE, lifecycle } from './testing/index.js';

/**
 * A sweep reads the officers' decisions once for the 180- and 365-day windows. Each window
 * must get exactly what it would get alone, above all at its start: a decision just before
 * it is not the one before the window's first decision, and an officer the roster does not
 * know belongs only to the windows where it decided something.
 */
const pool = createPool({ url: testDatabaseUrl(), size: 2 });
const AS_OF = new Date('2026-06-30T12:00:00Z');
const DAY = 86_400_000;
const at = (days: number, ms = 0) => new Date(AS_OF.getTime() - days * DAY + ms).toISOString();
const camera = { kind: 'camera' as const, id: 'C1' };
const officer = (id: string, workstation = `WS-${id}`) => ({ kind: 'officer' as const, id, unit: 'AP-1', workstation });
const supervisor = { kind: 'officer' as const, id: 'S1', unit: 'AP-1', workstation: 'WS-S1' };
const detected = (days: number, ms = 0, payload?: Record<string, unknown>) => ({
  type: 'detected' as const,
  at: at(days, ms),
  source: 'cam',
  actor: camera,
  ...(payload === undefined ? {} : { payload }),
});

beforeAll(async () => {
  await resetLedger(pool);
  await pool.query('TRUNCATE officer, vehicle, camera, dispatch CASCADE');
  await new ReferenceRepository(pool).load(TINY_REFERENCE);
  const speeding = { article: '592.1', plate: '111AAA02', cameraId: 'C1', fine: { amount: 7384 }, speed: 85, speedLimit: 60 };
  const events: LifecycleEvent[] = [
    // O1 decides one second before the short window opens and again half a second after
    // it: a fast pair in the long window, a first decision with none before it in the short.
    ...lifecycle('V-o1-a', [detected(181), { type: 'confirmed', at: at(180, -1_000), source: 'desk', actor: officer('O1') }]),
    ...lifecycle('V-o1-b', [detected(181), { type: 'rejected', at: at(180, 500), source: 'desk', actor: officer('O1'), payload: { reasonCode: 'plate_misread' } }]),
    // O2 switches workstations across the short window's start: a conflict in the long window only.
    ...lifecycle('V-o2-a', [detected(181), { type: 'confirmed', at: at(180, -10_000), source: 'desk', actor: officer('O2', 'WS-A') }]),
    ...lifecycle('V-o2-b', [detected(181), { type: 'confirmed', at: at(180, 10_000), source: 'desk', actor: officer('O2', 'WS-B') }]),
    // O3's confirmations cancelled later: one inside both windows, one in the long one only.
    ...lifecycle('V-o3-old', [
      detected(251),
      { type: 'confirmed', at: at(250), source: 'desk', actor: officer('O3') },
      { type: 'cancelled', at: at(240), source: 'desk', actor: supervisor, payload: { reasonCode: 'other' } },
    ]),
    ...lifecycle('V-o3-new', [
      detected(101),
      { type: 'confirmed', at: at(100), source: 'desk', actor: officer('O3') },
      { type: 'cancelled', at: at(50), source: 'desk', actor: supervisor, payload: { reasonCode: 'other' } },
    ]),
    // O4 edits speeds down below a fine band, once in each part of the long window.
    ...lifecycle('V-o4-old', [
      detected(201, 0, speeding),
      { type: 'amended', at: at(200), source: 'desk', actor: officer('O4'), payload: { field: 'speed', before: 85, after: 79 } },
    ]),
    ...lifecycle('V-o4-new', [
      detected(21, 0, speeding),
      { type: 'amended', at: at(20), source: 'desk', actor: officer('O4'), payload: { field: 'speed', before: 85, after: 79 } },
    ]),
    // O5: a review assigned long ago that expired, and an emergency rejection without dispatch.
    ...lifecycle('V-o5-expired', [
      detected(301),
      { type: 'review_assigned', at: at(300), source: 'desk', actor: { kind: 'system', id: 'queue' }, payload: { officerId: 'O5' } },
      { type: 'expired', at: at(240), source: 'reg', actor: { kind: 'system', id: 'reg' } },
    ]),
    ...lifecycle('V-o5-emergency', [
      detected(11),
      { type: 'rejected', at: at(10), source: 'desk', actor: officer('O5'), payload: { reasonCode: 'emergency_vehicle' } },
    ]),
    // An officer of an imported log, unknown to the roster, who decided only long ago.
    ...lifecycle('V-x9', [detected(301), { type: 'confirmed', at: at(300), source: 'desk', actor: { kind: 'officer', id: 'X9', unit: 'AP-9' } }]),
  ];
  const { summary } = await new IngestPipeline(new LedgerWriter(pool)).ingest(
    events.map((value, index) => ({ index, value })),
    { allowedSource: null },
  );
  expect(summary.rejected).toBe(0);
});
afterAll(async () => {
  await pool.end();
});

const byId = (facts: SubjectFacts[]) => [...facts].sort((a, b) => a.id.localeCompare(b.id));
const factsOf = (facts: SubjectFacts[] | undefined, id: string) => facts?.find((f) => f.id === id)?.facts ?? {};

describe("officer facts over a sweep's windows", () => {
  const windows = [180, 365].map((days) => windowEnding(AS_OF, days, 'Asia/Almaty'));

  it('give each window the officers and facts it gets alone', async () => {
    const shared = await computeFactsOverWindows(pool, 'officer', windows, { all: true });
    const alone = [
      await computeFacts(pool, 'officer', windows[0] as never, { all: true }),
      await computeFacts(pool, 'officer', windows[1] as never, { all: true }),
    ];
    expect(shared.map(byId)).toEqual(alone.map(byId));
  });

  it('count each window from its own start', async () => {
    const [short, long] = await computeFactsOverWindows(pool, 'officer', windows, { all: true });
    expect(factsOf(long, 'O1')).toMatchObject({ decisions: 2, fastDecisions: 1 });
    expect(factsOf(short, 'O1')).toMatchObject({ decisions: 1, fastDecisions: 0 });
    expect(factsOf(long, 'O2')).toMatchObject({ workstationConflicts: 1 });
    expect(factsOf(short, 'O2')).toMatchObject({ workstationConflicts: 0 });
    expect(factsOf(long, 'O3')).toMatchObject({ confirmed: 2, confirmedThenCancelled: 2 });
    expect(factsOf(short, 'O3')).toMatchObject({ confirmed: 1, confirmedThenCancelled: 1 });
    expect(factsOf(long, 'O4')).toMatchObject({ speedEdits: 2, speedEditsDownBelowBand: 2 });
    expect(factsOf(short, 'O4')).toMatchObject({ speedEdits: 1, speedEditsDownBelowBand: 1 });
    expect(factsOf(long, 'O5')).toMatchObject({ assigned: 1, expiredAssigned: 1, emergencyRejections: 1, emergencyWithoutDispatch: 1 });
    expect(factsOf(short, 'O5')).toMatchObject({ assigned: 0, expiredAssigned: 0, emergencyRejections: 1, emergencyWithoutDispatch: 1 });
    // The roster's officers are judged in every window; the unknown one where it decided.
    expect(long?.map((f) => f.id).sort()).toEqual(['O1', 'O2', 'O3', 'O4', 'O5', 'S1', 'X9']);
    expect(short?.map((f) => f.id).sort()).toEqual(['O1', 'O2', 'O3', 'O4', 'O5', 'S1']);
    expect(factsOf(long, 'X9')).toMatchObject({ unit: 'AP-9', confirmed: 1 });
  });

  it('answer the same officers asked by id', async () => {
    const shared = await computeFactsOverWindows(pool, 'officer', windows, { ids: ['O1'] });
    expect(shared.map((w) => w.map((f) => f.id))).toEqual([['O1'], ['O1']]);
    expect(factsOf(shared[1], 'O1')).toMatchObject({ fastDecisions: 1 });
  });
});
