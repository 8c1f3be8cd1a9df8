import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, ReferenceRepository } from '@qadaga/db';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { computeFacts, windowEnding, withFactSession } from './index.js';
import { TINY_REFERENCE, lifecycle } from './testing/index.js';

/**
 * Violation facts read the candidates' events in batches, the next batch while the last is
 * judged. Enough violations for several batches: each must get its own events and waits,
 * none lost or mixed with a neighbour's, as the one-by-one reading gave.
 */
const pool = createPool({ url: testDatabaseUrl(), size: 2 });
const AS_OF = new Date('2026-06-30T12:00:00Z');
const VIOLATIONS = 4_500;
const camera = { kind: 'camera' as const, id: 'C1' };
const desk = { kind: 'officer' as const, id: 'O1', unit: 'AP-1', workstation: 'WS-O1' };
const refOf = (i: number) => `V-B${String(i).padStart(5, '0')}`;
/** Violation i was detected i % 90 + 2 days before the end of the window; every seventh is then cancelled. */
const daysAgo = (i: number) => (i % 90) + 2;

beforeAll(async () => {
  await resetLedger(pool);
  await pool.query('TRUNCATE officer, vehicle, camera, dispatch CASCADE');
  await new ReferenceRepository(pool).load(TINY_REFERENCE);
  const events = Array.from({ length: VIOLATIONS }, (_, i) => {
    const detectedAt = new Date(AS_OF.getTime() - daysAgo(i) * 86_400_000 - 3_600_000).toISOString();
    const steps: Parameters<typeof lifecycle>[1] = [{ type: 'detected', at: detectedAt, source: 'cam', actor: camera }];
    if (i % 7 === 0) {
      steps.push({ type: 'confirmed', at: new Date(Date.parse(detectedAt) + 60_000).toISOString(), source: 'desk', actor: desk });
      steps.push({ type: 'cancelled', at: new Date(Date.parse(detectedAt) + 120_000).toISOString(), source: 'desk', actor: desk, payload: { reasonCode: 'other' } });
    }
    return lifecycle(refOf(i), steps);
  }).flat();
  const pipeline = new IngestPipeline(new LedgerWriter(pool));
  for (let i = 0; i < events.length; i += 1_000) {
    await pipeline.ingest(events.slice(i, i + 1_000).map((value, index) => ({ index, value })), { allowedSource: null });
  }
}, 120_000);
afterAll(async () => {
  await pool.end();
});

describe('violation facts read in batches', () => {
  it('give every violation of several batches its own events and waits', async () => {
    const window = windowEnding(AS_OF, 180, 'Asia/Almaty');
    const facts = await withFactSession(pool, (db) => computeFacts(db, 'violation', window, { all: true }));
    expect(facts).toHaveLength(VIOLATIONS);
    const byId = new Map(facts.map((f) => [f.id, f.facts]));
    const { rows } = await pool.query<{ violation_ref: string; keys: string[] }>(
      `SELECT violation_ref, array_agg(source || '|' || event_id ORDER BY occurred_at, id) AS keys FROM ledger_event GROUP BY violation_ref`,
    );
    expect(rows).toHaveLength(VIOLATIONS);
    for (const r of rows) {
      const f = byId.get(r.violation_ref);
      const i = Number(r.violation_ref.slice(3));
      expect(f?.['violationRef']).toBe(r.violation_ref);
      expect(f?.['evidenceEventIds']).toEqual(r.keys);
      expect(f?.['cancelled']).toBe(i % 7 === 0);
      // A cancelled detection was decided; the others have waited their whole age, in days.
      expect(f?.['daysUnreviewed']).toBe(i % 7 === 0 ? 0 : daysAgo(i));
    }
  });

  it('give the same facts when the violations are asked for by id', async () => {
    const window = windowEnding(AS_OF, 180, 'Asia/Almaty');
    const ids = Array.from({ length: VIOLATIONS }, (_, i) => refOf(VIOLATIONS - 1 - i));
    const [all, asked] = await withFactSession(pool, async (db) => [await computeFacts(db, 'violation', window, { all: true }), await computeFacts(db, 'violation', window, { ids })]);
    const sorted = (list: typeof all) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(sorted(asked)).toEqual(sorted(all));
  });
});
