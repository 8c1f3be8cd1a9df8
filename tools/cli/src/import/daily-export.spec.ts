import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { runQadaga } from '../testing/run-in-process.js';
import { IMPORT_EXIT } from './import-exit-codes.js';

/**
 * A register exports every ticket in its current state each night. Three nights are
 * imported through the real ledger: statuses move forward, a ticket is paid twice, a
 * payment disappears from a row and a ticket disappears from the export.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const MAPPING = path.join(ROOT, 'libs/importers/examples/daily-register.mapping.json');
const pool = createPool({ url: testDatabaseUrl(), size: 2 });
const dir = mkdtempSync(path.join(os.tmpdir(), 'qadaga-daily-'));

const HEADER = 'ticket_no,status,plate,article,camera_id,detected_at,confirmed_by,confirmed_at,fine,notice_no,notified_at,payment_ref,paid_at,paid_amount,cancelled_by,cancelled_at,cancel_reason';

interface Ticket {
  no: string;
  status: string;
  notice?: boolean;
  payment?: { ref: string; at: string; amount: number };
  cancelled?: boolean;
}

function row(t: Ticket): string {
  const n = Number(t.no.slice(-1));
  const cells = [
    t.no,
    t.status,
    `${100 + n}ABC02`,
    '592.1',
    'CAM-0417',
    `0${n}.03.2026 08:15:0${n}`,
    'OF-1183',
    `0${n}.03.2026 09:00:00`,
    '21625',
    t.notice === true ? `N-2026-00${n}` : '',
    t.notice === true ? `0${n}.03.2026 12:00:00` : '',
    t.payment?.ref ?? '',
    t.payment?.at ?? '',
    t.payment === undefined ? '' : String(t.payment.amount),
    t.cancelled === true ? 'SV-0007' : '',
    t.cancelled === true ? '20.03.2026 10:00:00' : '',
    t.cancelled === true ? 'court_decision' : '',
  ];
  return cells.join(',');
}

function exportOf(day: number, tickets: Ticket[]): string {
  const file = path.join(dir, `register-day-${day}.csv`);
  writeFileSync(file, `${[HEADER, ...tickets.map(row)].join('\n')}\n`);
  return file;
}

const FIRST_PAYMENT = { ref: 'PAY-1', at: '10.03.2026 10:00:00', amount: 10000 };
const SECOND_PAYMENT = { ref: 'PAY-2', at: '12.03.2026 10:00:00', amount: 11625 };

const DAY_1: Ticket[] = [
  { no: 'T-1', status: 'CONFIRMED' },
  { no: 'T-2', status: 'NOTIFIED', notice: true },
  { no: 'T-3', status: 'PAID', notice: true, payment: FIRST_PAYMENT },
  { no: 'T-4', status: 'NOTIFIED', notice: true },
  { no: 'T-5', status: 'PAID', notice: true, payment: { ref: 'PAY-5', at: '11.03.2026 09:30:00', amount: 21625 } },
];
const DAY_2: Ticket[] = [
  { no: 'T-1', status: 'NOTIFIED', notice: true },
  { no: 'T-2', status: 'PAID', notice: true, payment: { ref: 'PAY-20', at: '13.03.2026 16:45:12', amount: 21625 } },
  // The second part of T-3's fine: the row now shows only the last payment.
  { no: 'T-3', status: 'PAID', notice: true, payment: SECOND_PAYMENT },
  { no: 'T-4', status: 'NOTIFIED', notice: true },
  { no: 'T-5', status: 'PAID', notice: true, payment: { ref: 'PAY-5', at: '11.03.2026 09:30:00', amount: 21625 } },
];
const DAY_3: Ticket[] = [
  { no: 'T-1', status: 'CANCELLED', notice: true, cancelled: true },
  { no: 'T-2', status: 'PAID', notice: true, payment: { ref: 'PAY-20', at: '13.03.2026 16:45:12', amount: 21625 } },
  { no: 'T-3', status: 'PAID', notice: true, payment: SECOND_PAYMENT },
  // T-4 is gone from the export; T-5's payment is gone from its row.
  { no: 'T-5', status: 'NOTIFIED', notice: true },
];

async function stepsByTicket(): Promise<Record<string, string[]>> {
  const { rows } = await pool.query<{ violation_ref: string; types: string[] }>(
    "SELECT violation_ref, array_agg(type ORDER BY occurred_at, event_id) AS types FROM ledger_event WHERE source = 'daily-register' GROUP BY 1",
  );
  return Object.fromEntries(rows.map((r) => [r.violation_ref, r.types]));
}

interface ReportLine {
  kind: string;
  violationRef?: string;
  eventId?: string;
  type?: string;
  status?: string;
}

beforeAll(() => {
  process.env['DATABASE_URL'] = testDatabaseUrl();
});
beforeEach(async () => resetLedger(pool));
afterAll(async () => pool.end());

describe('importing the same current-state export every day', () => {
  it('adds exactly the new steps each day, keeps both payments, reports what vanished and refuses nothing', async () => {
    const report = (day: number) => path.join(dir, `day-${day}.report.ndjson`);

    const first = await runQadaga('import', exportOf(1, DAY_1), '--mapping', MAPPING, '--report', report(1));
    expect(first.code).toBe(IMPORT_EXIT.clean);
    // detected + confirmed (T-1), + notice (T-2, T-4), + notice + paid (T-3, T-5).
    expect(first.json).toMatchObject({ accepted: 5, duplicates: 0, rejected: 0, vanished: { steps: 0, tickets: 0 }, lifecycleEvents: { accepted: 2 + 3 + 4 + 3 + 4 } });

    const second = await runQadaga('import', exportOf(2, DAY_2), '--mapping', MAPPING, '--report', report(2));
    expect(second.code).toBe(IMPORT_EXIT.clean);
    // New: T-1's notice, T-2's payment, T-3's second payment. T-4 and T-5 are unchanged.
    expect(second.json).toMatchObject({ accepted: 3, duplicates: 2, rejected: 0, vanished: { steps: 0, tickets: 0 }, lifecycleEvents: { accepted: 3 } });

    const third = await runQadaga('import', exportOf(3, DAY_3), '--mapping', MAPPING, '--report', report(3));
    expect(third.code).toBe(IMPORT_EXIT.vanished);
    expect(third.json).toMatchObject({ accepted: 1, duplicates: 3, rejected: 0, vanished: { steps: 1, tickets: 1 }, lifecycleEvents: { accepted: 1 } });
    const lines = readFileSync(report(3), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ReportLine);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'vanished-step', violationRef: 'DR/T-5', eventId: 'T-5:paid:PAY-5', type: 'paid', status: 'NOTIFIED' }),
        expect.objectContaining({ kind: 'vanished-ticket', violationRef: 'DR/T-4', steps: 3 }),
      ]),
    );
    expect(lines).toHaveLength(2);

    // The ledger holds each step once; what vanished at the source is still there.
    expect(await stepsByTicket()).toEqual({
      'DR/T-1': ['detected', 'confirmed', 'notice_issued', 'cancelled'],
      'DR/T-2': ['detected', 'confirmed', 'notice_issued', 'paid'],
      'DR/T-3': ['detected', 'confirmed', 'notice_issued', 'paid', 'paid'],
      'DR/T-4': ['detected', 'confirmed', 'notice_issued'],
      'DR/T-5': ['detected', 'confirmed', 'notice_issued', 'paid'],
    });
    const { rows: payments } = await pool.query<{ event_id: string; amount: string }>(
      "SELECT event_id, payload->>'amount' AS amount FROM ledger_event WHERE violation_ref = 'DR/T-3' AND type = 'paid' ORDER BY occurred_at",
    );
    expect(payments).toEqual([
      { event_id: 'T-3:paid:PAY-1', amount: '10000' },
      { event_id: 'T-3:paid:PAY-2', amount: '11625' },
    ]);
    expect(await pool.query('SELECT 1 FROM ingest_conflict').then((r) => r.rowCount)).toBe(0);

    // A fourth night with the same file: nothing new, the same absences reported again.
    const again = await runQadaga('import', exportOf(3, DAY_3), '--mapping', MAPPING, '--report', report(4));
    expect(again.json).toMatchObject({ accepted: 0, duplicates: 4, rejected: 0, vanished: { steps: 1, tickets: 1 } });

    const verify = await runQadaga('ledger', 'verify');
    expect(verify.code).toBe(0);
    expect(verify.json).toMatchObject({ ok: true, failures: [] });
  });

  it('with a partial snapshot, a ticket missing from the export is not reported', async () => {
    const mapping = JSON.parse(readFileSync(MAPPING, 'utf8')) as Record<string, unknown>;
    const partial = path.join(dir, 'partial.mapping.json');
    writeFileSync(partial, JSON.stringify({ ...mapping, snapshot: 'partial' }));
    await runQadaga('import', exportOf(1, DAY_1), '--mapping', partial);
    const changesOnly = await runQadaga('import', exportOf(5, [{ no: 'T-1', status: 'NOTIFIED', notice: true }]), '--mapping', partial);
    expect(changesOnly.code).toBe(IMPORT_EXIT.clean);
    expect(changesOnly.json).toMatchObject({ accepted: 1, vanished: { steps: 0, tickets: 0 } });
  });
});

describe('files and mappings that are refused change nothing', () => {
  it('refuses a mapping whose column is missing from the file, naming every place and the mapping file, without registering the source', async () => {
    const mapping = readFileSync(MAPPING, 'utf8').replaceAll('"column": "fine"', '"column": "fine_amount"');
    const typo = path.join(dir, 'typo.mapping.json');
    writeFileSync(typo, mapping);
    const refused = await runQadaga('import', exportOf(1, DAY_1), '--mapping', typo);
    expect(refused.code).toBe(IMPORT_EXIT.refused);
    const error = String(refused.json['error']);
    expect(error).toContain(typo);
    // "fine_amount" is read in two templates: both are named.
    expect(error).toContain('events.confirmed.payload.fine.amount.column: column "fine_amount" is not in the header');
    expect(error).toContain('events.notice_issued.payload.fine.amount.column: column "fine_amount" is not in the header');
    const { rowCount } = await pool.query("SELECT 1 FROM source_system WHERE code = 'daily-register'");
    expect(rowCount).toBe(0);
  });

  it('keys a pseudonymous plate with the key in the environment, and refuses the mapping when the key is missing', async () => {
    const mapping = JSON.parse(readFileSync(MAPPING, 'utf8')) as { events: { detected: { payload: Record<string, unknown> } } };
    mapping.events.detected.payload['plate'] = { column: 'plate', trim: true, upper: true, hash: 'hmac-sha256', hashKeyEnv: 'QADAGA_TEST_PSEUDONYM_KEY', truncate: 20 };
    const hashed = path.join(dir, 'hashed.mapping.json');
    writeFileSync(hashed, JSON.stringify(mapping));
    delete process.env['QADAGA_TEST_PSEUDONYM_KEY'];
    const refused = await runQadaga('import', exportOf(1, DAY_1), '--mapping', hashed);
    expect(refused.code).toBe(IMPORT_EXIT.refused);
    expect(String(refused.json['error'])).toContain('QADAGA_TEST_PSEUDONYM_KEY');
    process.env['QADAGA_TEST_PSEUDONYM_KEY'] = 'a key of at least thirty-two characters, kept apart';
    try {
      const imported = await runQadaga('import', exportOf(1, DAY_1), '--mapping', hashed);
      expect(imported.code).toBe(IMPORT_EXIT.clean);
      const { rows } = await pool.query<{ plate: string }>("SELECT payload->>'plate' AS plate FROM ledger_event WHERE type = 'detected' ORDER BY event_id LIMIT 1");
      expect(rows[0]?.plate).toMatch(/^[0-9a-f]{20}$/u);
    } finally {
      delete process.env['QADAGA_TEST_PSEUDONYM_KEY'];
    }
  });

  it('warns about a file whose last line has no line break, and refuses it with --strict', async () => {
    const cut = path.join(dir, 'cut.csv');
    writeFileSync(cut, `${HEADER}\n${row({ no: 'T-1', status: 'CONFIRMED' })}\n${row({ no: 'T-2', status: 'CONFIRMED' }).slice(0, -5)}`);
    const strict = await runQadaga('import', cut, '--mapping', MAPPING, '--strict');
    expect(strict.code).toBe(IMPORT_EXIT.refused);
    expect(String(strict.json['error'])).toMatch(/cut\.csv: the last line has no line break.*refused \(--strict\)/u);
    expect(await pool.query('SELECT 1 FROM ledger_event').then((r) => r.rowCount)).toBe(0);

    const lenient = await runQadaga('import', cut, '--mapping', MAPPING);
    expect(lenient.stderr).toMatch(/warning: .*cut\.csv: the last line has no line break/u);
  });
});
