import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LifecycleEvent } from '@qadaga/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { isRejected, type ImportRecord } from '../import-record.js';
import { MappingError, type FieldIssue } from '../shared/issues.js';
import { FIXTURES } from '../testing/fixtures.js';
import type { CsvMapping } from './csv-mapping-schema.js';
import { loadCsvMapping } from './load-csv-mapping.js';
import { readCsvRecords } from './read-csv-records.js';

type Json = Record<string, unknown>;
let example: Json;
let mapping: CsvMapping;
let workDir: string;

beforeAll(async () => {
  example = JSON.parse(await readFile(FIXTURES.registerExampleMapping, 'utf8')) as Json;
  mapping = await loadCsvMapping(FIXTURES.registerExampleMapping);
  workDir = await mkdtemp(join(tmpdir(), 'qadaga-csv-'));
});

async function collect(path: string, using: CsvMapping = mapping): Promise<ImportRecord[]> {
  const out: ImportRecord[] = [];
  for await (const record of readCsvRecords(path, using)) out.push(record);
  return out;
}

async function csvFile(text: string): Promise<string> {
  const path = join(workDir, `rows-${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(path, text);
  return path;
}

/** Data rows as plain split lines: the example has no quoted cells, so this is an independent reading. */
async function plainRows(path: string): Promise<Record<string, string>[]> {
  const [header = '', ...lines] = (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i] ?? '', cell])));
}

const eventsOf = (record: ImportRecord | undefined): LifecycleEvent[] => (record === undefined || isRejected(record) ? [] : record.events);

describe('CSV import in current-state mode (the shipped example)', () => {
  it('yields one accepted record per data row, in order', async () => {
    const rows = await plainRows(FIXTURES.registerExampleCsv);
    const records = await collect(FIXTURES.registerExampleCsv);
    expect(records.map((r) => r.index)).toEqual(rows.map((_, i) => i + 1));
    expect(records.filter(isRejected)).toEqual([]);
    expect(records.map((r) => r.activity)).toEqual(rows.map((r) => r['status']));
  });

  it('turns a row "PAID, detected_at, confirmed_by, paid_at, amount" into detected, confirmed and paid', async () => {
    const rows = await plainRows(FIXTURES.registerExampleCsv);
    const records = await collect(FIXTURES.registerExampleCsv);
    const at = rows.findIndex((r) => r['status'] === 'PAID' && r['confirmed_by'] !== '' && r['notice_no'] === '');
    const row = rows[at] as Record<string, string>;
    const events = eventsOf(records[at]);

    expect(events.map((e) => e.type)).toEqual(['detected', 'confirmed', 'paid']);
    // A payment can repeat, so its id carries its own time; the others happen once per ticket.
    expect(events.map((e) => e.eventId)).toEqual([`${row['ticket_no']}:detected`, `${row['ticket_no']}:confirmed`, `${row['ticket_no']}:paid:20260318T073000Z`]);
    expect(new Set(events.map((e) => e.violationRef))).toEqual(new Set([`ALM/${row['ticket_no']}`]));
    // The row's status is today's, not a fact of the earlier steps: it stays out of their content.
    expect(events.map((e) => e.payload.sourceActivity)).toEqual([undefined, undefined, undefined]);
    expect(records[at]?.activity).toBe('PAID');
    const [detected, confirmed, paid] = events;
    // Almaty keeps UTC+5 all year: 16.03.2026 07:58:33 local is 02:58:33 UTC.
    expect(detected).toMatchObject({ occurredAt: '2026-03-16T02:58:33.000Z', actor: { kind: 'camera', id: row['camera_id'] } });
    expect(detected?.payload).toMatchObject({ plate: row['plate'], article: row['article'], fine: { amount: Number(row['amount']) } });
    // No confirmed_at in the row: the detection time stands in, as the mapping's "first" says.
    expect(confirmed).toMatchObject({ occurredAt: detected?.occurredAt, actor: { kind: 'officer', id: row['confirmed_by'] } });
    expect(paid).toMatchObject({ occurredAt: '2026-03-18T07:30:00.000Z', actor: { kind: 'treasury' }, payload: { amount: Number(row['amount']) } });
  });

  it('leaves out the steps a state implies only when the row supports them', async () => {
    const rows = await plainRows(FIXTURES.registerExampleCsv);
    const records = await collect(FIXTURES.registerExampleCsv);
    const at = rows.findIndex((r) => r['status'] === 'PAID' && r['confirmed_by'] === '');
    expect(eventsOf(records[at]).map((e) => e.type)).toEqual(['detected', 'notice_issued', 'paid']);
    const rejectedAt = rows.findIndex((r) => r['status'] === 'REJECTED');
    expect(eventsOf(records[rejectedAt])[1]).toMatchObject({ type: 'rejected', payload: { reasonCode: 'plate_misread' } });
  });

  it('gives a later export of the same ticket the same ids and the same content for the steps already imported', async () => {
    const header = (await readFile(FIXTURES.registerExampleCsv, 'utf8')).split('\n')[0];
    const earlier = await collect(await csvFile(`${header}\nT-9,CONFIRMED,318BCD02,592.1,CAM-1,16.03.2026 07:58:33,OF-1,16.03.2026 09:00:00,,,,21625,,,,\n`));
    const later = await collect(await csvFile(`${header}\nT-9,PAID,318BCD02,592.1,CAM-1,16.03.2026 07:58:33,OF-1,16.03.2026 09:00:00,,,,21625,18.03.2026 12:30:00,,,\n`));
    const earlierEvents = eventsOf(earlier[0]);
    const laterEvents = eventsOf(later[0]);
    expect(laterEvents.slice(0, earlierEvents.length)).toEqual(earlierEvents);
    expect(laterEvents.at(-1)?.eventId).toBe('T-9:paid:20260318T073000Z');
  });
});

describe('CSV rows that cannot be imported', () => {
  it('rejects each bad row with the field path and the reason, and imports the rows around it', async () => {
    const records = await collect(FIXTURES.registerBadRowsCsv);
    const lines = (await readFile(FIXTURES.registerBadRowsCsv, 'utf8')).split('\n').filter((l) => l !== '');
    expect(records).toHaveLength(lines.length - 1);
    const byTicket = (ticket: string): ImportRecord | undefined => records[lines.slice(1).findIndex((l) => l.startsWith(`${ticket},`))];

    expect(isRejected(byTicket('BAD-0001') as ImportRecord)).toBe(false);
    expect(isRejected(byTicket('BAD-0008') as ImportRecord)).toBe(false);
    const issues = (ticket: string): FieldIssue[] => {
      const record = byTicket(ticket);
      return record !== undefined && isRejected(record) ? record.rejected : [];
    };
    expect(issues('BAD-0002')).toEqual(
      expect.arrayContaining([
        { path: 'paid.payload.amount', message: 'column "amount": "21 625 tenge" is not a number' },
        { path: 'paid.occurredAt', message: 'column "paid_at": "31.02.2026 12:30:00" is not a real calendar date-time' },
      ]),
    );
    expect(issues('BAD-0003')).toEqual([{ path: 'status', message: expect.stringMatching(/^column "status": "ARCHIVED" is not one of the mapped codes/u) }]);
    expect(issues('BAD-0004')).toEqual([{ path: '(row)', message: 'expected 16 cells as in the header, found 12' }]);
    expect(issues('BAD-0005')).toEqual([{ path: '(row)', message: expect.stringMatching(/^unreadable CSV: Invalid Closing Quote/u) }]);
    expect(issues('BAD-0006')).toEqual([{ path: 'rejected.payload.reasonCode', message: expect.stringMatching(/^column "reject_reason": "GLARE" is not in the value map/u) }]);
    expect(issues('BAD-0007')).toContainEqual({ path: 'detected.occurredAt', message: 'column "detected_at": "2026-03-14 08:21" does not match the date format "dd.MM.yyyy HH:mm:ss"' });
  });

  it('keeps a quoted line break inside its cell', async () => {
    const header = (await readFile(FIXTURES.registerExampleCsv, 'utf8')).split('\n')[0];
    const records = await collect(await csvFile(`${header}\nT-1,CANCELLED,318BCD02,592.1,CAM-1,16.03.2026 07:58:33,,,,,,,,SV-1,17.03.2026 10:00:00,"court\ndecision"\nT-2,NEW,1,592.1,CAM-1,16.03.2026 07:58:33,,,,,,,,,,\n`));
    expect(records).toHaveLength(2);
    expect(eventsOf(records[0]).at(-1)).toMatchObject({ type: 'cancelled', payload: { reasonCode: 'court\ndecision' } });
    expect(records[1]?.label).toBe('line 4 ALM/T-2');
  });

  it('refuses a file whose header lacks a column the mapping reads, naming the column and where it is used', async () => {
    const path = await csvFile('ticket_no,status\nT-1,NEW\n');
    const failure = await collect(path).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MappingError);
    expect((failure as MappingError).issues).toContainEqual({
      path: 'events.detected.occurredAt.column',
      message: expect.stringMatching(/^column "detected_at" is not in the header of .*rows-.*\.csv \(ticket_no, status\)$/u),
    });
  });
});

describe('CSV import in event-per-row mode', () => {
  it('maps each row to the single event its code names', async () => {
    const eventMapping = await loadCsvMapping({
      format: 'qadaga/csv-mapping@1',
      source: 'treasury-feed',
      mode: 'event-per-row',
      timeZone: '+05:00',
      csv: { delimiter: ';' },
      violationRef: { column: 'ref' },
      eventId: { template: 'pay-{column:payment_id}' },
      status: { column: 'kind' },
      eventTypes: { P: 'paid' },
      events: {
        paid: {
          occurredAt: { column: 'at', as: 'instant', format: 'yyyy-MM-dd HH:mm' },
          actor: { kind: 'treasury', id: { const: 'kaztreasury' } },
          payload: { amount: { column: 'sum', as: 'number' }, discountApplied: { column: 'discount', as: 'boolean', optional: true } },
        },
      },
    });
    const records = await collect(await csvFile('payment_id;ref;kind;at;sum;discount\n77;ALM/1;P;2026-03-18 12:30;10812.5;yes\n78;ALM/2;P;2026-03-19 08:00;21625;\n'), eventMapping);
    expect(records.flatMap(eventsOf)).toEqual([
      { source: 'treasury-feed', eventId: 'pay-77', violationRef: 'ALM/1', type: 'paid', occurredAt: '2026-03-18T07:30:00.000Z', actor: { kind: 'treasury', id: 'kaztreasury' }, payload: { amount: 10812.5, discountApplied: true, sourceActivity: 'P' } },
      { source: 'treasury-feed', eventId: 'pay-78', violationRef: 'ALM/2', type: 'paid', occurredAt: '2026-03-19T03:00:00.000Z', actor: { kind: 'treasury', id: 'kaztreasury' }, payload: { amount: 21625, sourceActivity: 'P' } },
    ]);
  });
});

describe('loadCsvMapping', () => {
  async function issuesOf(edit: (m: Json) => void): Promise<FieldIssue[]> {
    const copy = structuredClone(example);
    edit(copy);
    try {
      await loadCsvMapping(copy);
    } catch (error) {
      expect(error).toBeInstanceOf(MappingError);
      return (error as MappingError).issues;
    }
    throw new Error('the mapping was accepted');
  }

  it('requires an explicit time zone', async () => {
    expect(await issuesOf((m) => delete m['timeZone'])).toContainEqual({ path: 'timeZone', message: expect.stringMatching(/expected string/u) });
  });

  it('rejects a state that implies an event without a template', async () => {
    const issues = await issuesOf((m) => ((m['states'] as Record<string, unknown[]>)['NEW'] = ['detected', 'expired']));
    expect(issues).toContainEqual({ path: 'states.NEW[1]', message: '"expired" has no template under events.expired' });
  });

  it('rejects an XES-only source in a CSV mapping', async () => {
    const issues = await issuesOf((m) => (m['status'] = { attr: 'status' }));
    expect(issues).toContainEqual({ path: 'status.attr', message: expect.stringMatching(/"attr" is not available in CSV mappings/u) });
  });

  it('rejects a date format that cannot name a day', async () => {
    const issues = await issuesOf((m) => (((m['events'] as Json)['paid'] as Json)['occurredAt'] = { column: 'paid_at', as: 'instant', format: 'HH:mm' }));
    expect(issues).toContainEqual({ path: 'events.paid.occurredAt.format', message: expect.stringMatching(/needs at least yyyy, MM and dd/u) });
  });

  it('rejects an unknown mode', async () => {
    const issues = await issuesOf((m) => (m['mode'] = 'snapshot'));
    expect(issues.map((i) => i.path)).toContain('mode');
  });
});
