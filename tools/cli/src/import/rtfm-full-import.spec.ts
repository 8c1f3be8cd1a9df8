import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@qadaga/db';
import { LedgerVerifier } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { loadXesMapping, readXesRecords, readXesTraces } from '@qadaga/importers';
import { runImport } from './import-runner.js';
import { main } from '../main.js';

/** Runs `qadaga rank ... --json` in-process against the test database and returns its summary. */
async function rank(args: string[]): Promise<Record<string, unknown>> {
  process.env['DATABASE_URL'] = testDatabaseUrl();
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await main(['node', 'qadaga', 'rank', ...args, '--json']);
    if (code !== 0) throw new Error(`rank exited ${code}: ${chunks.join('')}`);
  } finally {
    process.stdout.write = write;
  }
  return JSON.parse(chunks.join('').trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

/**
 * The whole Road Traffic Fine Management Process log (561,470 events) through the real
 * import path into the real database, twice. The expected figures are counted from the
 * file in this run, not written down.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const LOG = path.join(ROOT, '../shared/data/rtfm/Road_Traffic_Fine_Management_Process.xes.zip');
const MAPPING = path.join(ROOT, 'libs/importers/mappings/rtfm.json');
const pool = createPool({ url: testDatabaseUrl(), size: 4 });

const expected = { logEvents: 0, traces: 0, byActivity: {} as Record<string, number>, creatingOfficers: new Set<string>() };

beforeAll(async () => {
  await resetLedger(pool);
  for await (const trace of readXesTraces(LOG)) {
    expected.traces += 1;
    for (const event of trace.events) {
      expected.logEvents += 1;
      const activity = String(event.attributes.get('concept:name')?.value);
      expected.byActivity[activity] = (expected.byActivity[activity] ?? 0) + 1;
      if (activity === 'Create Fine') expected.creatingOfficers.add(String(event.attributes.get('org:resource')?.value));
    }
  }
}, 120_000);
afterAll(async () => pool.end());

describe('importing the full RTFM log', () => {
  it('accepts every log event into one violation per fine, keeps per-activity counts and the 147 officers, and adds nothing the second time', async () => {
    expect(expected.logEvents).toBe(561_470);
    const mapping = await loadXesMapping(MAPPING);
    const first = await runImport({ records: readXesRecords(LOG, mapping), pool, reportPath: '/tmp/qadaga-rtfm-rejected.ndjson' });
    expect(first).toMatchObject({ accepted: expected.logEvents, duplicates: 0, rejected: 0, violations: expected.traces });

    const { rows } = await pool.query<{ activity: string; n: string }>(
      "SELECT payload->>'sourceActivity' AS activity, count(*) AS n FROM ledger_event WHERE event_id !~ ':[a-z]+$' GROUP BY 1",
    );
    expect(Object.fromEntries(rows.map((r) => [r.activity, Number(r.n)]))).toEqual(expected.byActivity);
    const officers = await pool.query<{ id: string }>("SELECT DISTINCT actor_id AS id FROM ledger_event WHERE type = 'confirmed' AND actor_kind = 'officer'");
    expect(new Set(officers.rows.map((r) => r.id))).toEqual(expected.creatingOfficers);
    expect(expected.creatingOfficers.size).toBe(147);
    const violations = await pool.query<{ n: string }>('SELECT count(*) AS n FROM violation');
    expect(Number(violations.rows[0]?.n)).toBe(expected.traces);

    const second = await runImport({ records: readXesRecords(LOG, mapping), pool, reportPath: '/tmp/qadaga-rtfm-rejected.ndjson' });
    expect(second).toMatchObject({ accepted: 0, duplicates: expected.logEvents, rejected: 0 });
    const stored = await pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_event');
    expect(Number(stored.rows[0]?.n)).toBe(first.lifecycleEvents.accepted);

    const report = await new LedgerVerifier(pool).verify();
    expect(report.failures).toEqual([]);

    // The dismissal-share rule ranks every creating officer and explains the top ones.
    const ranking = await rank(['--rule', 'officer-dismissal-share', '--from', '2000-01-01T00:00:00Z', '--to', '2014-01-01T00:00:00Z', '--top', '3']);
    expect(ranking['subjects']).toBe(147);
    const ranked = ranking['ranked'] as { subjectId: string; score: number }[];
    expect(new Set(ranked.map((r) => r.subjectId))).toEqual(expected.creatingOfficers);
    expect(ranked.map((r) => r.score)).toEqual([...ranked.map((r) => r.score)].sort((a, b) => b - a));
    const top = ranking['top'] as { subjectId: string; explanation: string }[];
    expect(top).toHaveLength(3);
    for (const t of top) expect(t.explanation).toMatch(new RegExp(`^Officer ${t.subjectId} .* confirmed [\\d,]+ detections .* later dismissed`, 'u'));
  }, 600_000);
});
