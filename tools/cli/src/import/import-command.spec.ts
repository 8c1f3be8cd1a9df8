import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { runQadaga } from '../testing/run-in-process.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const FIXTURES = path.join(ROOT, 'libs/importers/fixtures');
const EXAMPLES = path.join(ROOT, 'libs/importers/examples');
const pool = createPool({ url: testDatabaseUrl(), size: 2 });

/** The exit code and summary of `qadaga ...args --json`, run in this process. */
async function qadaga(...args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  const { code, json } = await runQadaga(...args);
  return { code, json };
}

async function scalar(sql: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(sql);
  return Number(rows[0]?.n);
}

/** Counts the log's events per activity straight from the XES text, without our reader. */
function activityCounts(xes: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of xes.split('<event>').slice(1)) {
    const name = /key="concept:name" value="([^"]*)"/u.exec(event)?.[1];
    if (name !== undefined) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

beforeAll(() => {
  process.env['DATABASE_URL'] = testDatabaseUrl();
});
beforeEach(async () => resetLedger(pool));
afterAll(async () => pool.end());

describe('qadaga import', () => {
  it('imports the RTFM sample: every log event accepted, per-activity counts kept, then only duplicates', async () => {
    const file = path.join(FIXTURES, 'rtfm-sample.xes.zip');
    const expected = activityCounts(readFileSync(path.join(FIXTURES, 'rtfm-sample.xes'), 'utf8'));
    const logEvents = Object.values(expected).reduce((a, b) => a + b, 0);
    const traces = readFileSync(path.join(FIXTURES, 'rtfm-sample.xes'), 'utf8').split('<trace>').length - 1;

    const first = await qadaga('import', file);
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({ accepted: logEvents, duplicates: 0, rejected: 0, violations: traces });

    // Each log event's first lifecycle event carries the activity; the ones it adds (confirmation, cancellation) have suffixed ids.
    const { rows } = await pool.query<{ activity: string; n: string }>(
      "SELECT payload->>'sourceActivity' AS activity, count(*) AS n FROM ledger_event WHERE event_id !~ ':[a-z]+$' GROUP BY 1",
    );
    expect(Object.fromEntries(rows.map((r) => [r.activity, Number(r.n)]))).toEqual(expected);
    expect(await scalar('SELECT count(*) AS n FROM violation')).toBe(traces);

    const again = await qadaga('import', file);
    expect(again.json).toMatchObject({ accepted: 0, duplicates: logEvents, rejected: 0 });
    expect(await scalar('SELECT count(*) AS n FROM ledger_event')).toBe((first.json['lifecycleEvents'] as { accepted: number }).accepted);

    const verify = await qadaga('ledger', 'verify');
    expect(verify).toMatchObject({ code: 0, json: { ok: true, failures: [] } });
  });

  it('imports a CSV export, writes each rejected row with its reasons to the report, and keeps the good rows', async () => {
    const report = path.join(os.tmpdir(), `qadaga-import-${process.pid}.ndjson`);
    rmSync(report, { force: true });
    const result = await qadaga('import', path.join(FIXTURES, 'register-bad-rows.csv'), '--mapping', path.join(EXAMPLES, 'register-current-state.mapping.json'), '--report', report);
    // Some rows refused: the exit code says so, so a nightly job does not pass over them.
    expect(result.code).toBe(2);
    const rejected = result.json['rejected'] as number;
    expect(rejected).toBeGreaterThan(0);
    expect(result.json['accepted'] as number).toBeGreaterThan(0);
    const lines = readFileSync(report, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; label: string; reasons: { path: string; message: string }[] });
    expect(new Set(lines.map((l) => l.kind))).toEqual(new Set(['rejected']));
    expect(lines).toHaveLength(rejected);
    for (const line of lines) {
      expect(line.reasons.length).toBeGreaterThan(0);
      for (const reason of line.reasons) expect(reason.path.length).toBeGreaterThan(0);
    }
  });

  it('names the problem when the file or the mapping is wrong', async () => {
    expect(await qadaga('import', '/nonexistent.xes')).toEqual({ code: 3, json: { ok: false, error: 'no such file: /nonexistent.xes' } });
    const badMapping = await qadaga('import', path.join(FIXTURES, 'rtfm-sample.xes'), '--mapping', 'no-such-mapping');
    expect(badMapping.json['error']).toMatch(/--mapping: no file no-such-mapping/u);
    expect(await scalar('SELECT count(*) AS n FROM ledger_event')).toBe(0);
  });
});
