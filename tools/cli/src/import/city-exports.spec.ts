import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { runQadaga } from '../testing/run-in-process.js';
import { IMPORT_EXIT } from './import-exit-codes.js';

/**
 * Exports shaped like two public registers of other cities (New York's open camera
 * violations, two nights; Chicago's tickets), imported with the shipped mappings through
 * the real ledger and judged by the rule pack as of the history's end. The files are made
 * up by libs/importers/scripts/generate-city-exports.ts with the registers' columns and quirks.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const CITIES = path.join(ROOT, 'libs/importers/examples/cities');
const pool = createPool({ url: testDatabaseUrl(), size: 2 });

beforeAll(async () => {
  process.env['DATABASE_URL'] = testDatabaseUrl();
  await resetLedger(pool);
});
afterAll(async () => pool.end());

describe('exports of other cities', () => {
  it('import whole, night after night, and raise no flag about a step their sources never report', async () => {
    const night1 = await runQadaga('import', path.join(CITIES, 'nyc-open-violations-night-1.csv'), '--mapping', 'nyc-open-violations');
    expect(night1.code).toBe(IMPORT_EXIT.clean);
    expect(night1.json).toMatchObject({ accepted: 1200, rejected: 0, lifecycleEvents: { accepted: 4735 } });
    // A week later: hearings decided, penalties added, payments made; only those steps are new.
    const night2 = await runQadaga('import', path.join(CITIES, 'nyc-open-violations-night-2.csv'), '--mapping', 'nyc-open-violations');
    expect(night2.code).toBe(IMPORT_EXIT.clean);
    expect(night2.json).toMatchObject({ accepted: 333, duplicates: 854, rejected: 0, lifecycleEvents: { accepted: 333 } });
    const chicago = await runQadaga('import', path.join(CITIES, 'chicago-tickets.csv'), '--mapping', 'chicago-tickets');
    expect(chicago.code).toBe(IMPORT_EXIT.clean);
    expect(chicago.json).toMatchObject({ accepted: 1500, rejected: 0, lifecycleEvents: { accepted: 5392 } });

    const { rows: overturned } = await pool.query<{ status: string; n: string }>(
      "SELECT status, count(*) AS n FROM violation WHERE ref LIKE 'CHI-%' GROUP BY status ORDER BY status",
    );
    // A dismissal is an overturned appeal, which cancels the ticket by itself.
    expect(overturned.map((r) => r.status)).toEqual(expect.arrayContaining(['cancelled', 'paid', 'appealed', 'notified']));

    expect((await runQadaga('rules', 'install')).code).toBe(0);
    const sweep = await runQadaga('rules', 'sweep');
    expect(sweep.json).toMatchObject({ asOfBasis: 'history-end', invalid: [] });
    const { rows: flags } = await pool.query<{ rule_id: string }>('SELECT DISTINCT rule_id FROM flag');
    const rules = flags.map((f) => f.rule_id);
    // Neither source reports deliveries, a treasury's payments or decisions timed to the second.
    for (const silent of ['notice-not-delivered', 'paid-without-treasury', 'rubber-stamping']) expect(rules).not.toContain(silent);

    const verify = await runQadaga('ledger', 'verify');
    expect(verify.json).toMatchObject({ ok: true, failures: [] });
  });
});
