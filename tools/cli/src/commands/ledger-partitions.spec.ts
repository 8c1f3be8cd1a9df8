import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '@qadaga/db';
import { testDatabaseUrl } from '@qadaga/db/testing';

/** `qadaga ledger partitions` as an operator (or a cron job) runs it. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const pool = createPool({ url: testDatabaseUrl(), size: 1 });

function qadaga(args: string[]) {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'tools/cli/bin/qadaga.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, json: () => JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown> };
}

function month(offset: number): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
}
const suffix = (m: Date) => `y${m.getUTCFullYear()}m${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
const far = month(7);
/** Every month the command said it made: none is left behind for the next spec file. */
const made: string[] = [];

afterAll(async () => {
  for (const name of made) {
    const table = name.startsWith('ledger_event_') ? 'ledger_event' : 'access_log';
    await pool.query(`ALTER TABLE ${table} DETACH PARTITION ${name}`).catch(() => undefined);
    await pool.query(`DROP TABLE IF EXISTS ${name}`);
  }
  await pool.end();
});

describe('qadaga ledger partitions', () => {
  it('makes the months missing up to the months asked for, once, and lists the months attached', async () => {
    const first = qadaga(['ledger', 'partitions', '--months-ahead', '7', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const summary = first.json() as { made: string[]; ledger: string[]; accessLog: string[] };
    made.push(...summary.made);
    expect(summary.made).toEqual(expect.arrayContaining([`ledger_event_${suffix(far)}`, `access_log_${suffix(far)}`]));
    for (const list of [summary.ledger, summary.accessLog]) {
      expect(list).toEqual(expect.arrayContaining([0, 1, 2, 3, 7].map((m) => month(m).toISOString().slice(0, 7))));
    }

    const again = qadaga(['ledger', 'partitions', '--months-ahead', '7']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^no month was missing\nledger months: \d+, \d{4}-\d{2} to \d{4}-\d{2}\naccess-log months: /u);
  });

  it('refuses a number of months that is not one, naming the option', () => {
    const run = qadaga(['ledger', 'partitions', '--months-ahead', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--months-ahead: a whole number of months from 0 to 120 is required, got "soon"/u);
  });
});
