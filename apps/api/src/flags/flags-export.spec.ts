import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlagRepository, UserRepository } from '@qadaga/db';
import { TEST_PASSWORD, insertFlag, startTestApp, type TestApp } from '../testing/test-app.js';
import { FLAG_CSV_COLUMNS, flagCsv, guardFormula } from './flag-csv.js';

let t: TestApp;
let reader: { authorization: string };

beforeAll(async () => {
  t = await startTestApp();
  reader = await t.signIn('prosecutor');
});
afterAll(async () => t.close());

const BOM = '\uFEFF';
const exportCsv = (query: string, headers = reader) => t.app.inject({ method: 'GET', url: `/v1/flags/export.csv?${query}`, headers });
/** The file as a spreadsheet reads it: the BOM dropped, one array per record. */
const records = (body: string): string[][] => parse(body.replace(/^\uFEFF/u, ''), { relaxColumnCount: true }) as string[][];
const explained = (id: string, explanation: Record<string, string>) => t.pool.query('UPDATE flag SET explanation = $2 WHERE id = $1', [id, JSON.stringify(explanation)]);

describe('the queue as CSV', () => {
  it('holds exactly the flags the list matches, with the same filters, one row each', async () => {
    for (let i = 0; i < 7; i += 1) await insertFlag(t.pool, { ruleId: 'csv-same', severity: i % 3 === 0 ? 'critical' : 'low', score: i / 10 });
    await insertFlag(t.pool, { ruleId: 'csv-other' });
    const list = (await t.app.inject({ method: 'GET', url: '/v1/flags?rule=csv-same&severity=low,critical&limit=500', headers: reader })).json<{ flags: { id: string }[] }>();
    const res = await exportCsv('rule=csv-same&severity=low,critical');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="flags-\d{4}-\d{2}-\d{2}\.csv"$/u);
    expect(res.headers['x-export-rows']).toBe('7');
    expect(res.headers['x-export-truncated']).toBe('false');
    // UTF-8 with a byte order mark, records ended by CRLF (RFC 4180).
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(res.body.startsWith(`${BOM}${FLAG_CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    const [header, ...rows] = records(res.body);
    expect(header).toEqual([...FLAG_CSV_COLUMNS]);
    expect(rows.map((r) => r[0]).sort()).toEqual(list.flags.map((f) => f.id).sort());
    // Most severe first, strongest first.
    expect(rows.map((r) => r[1])).toEqual(['critical', 'critical', 'critical', 'low', 'low', 'low', 'low']);
    expect(rows.every((r) => r[6] === 'csv-same')).toBe(true);
    // A filter the list refuses is refused here too, by name.
    const bad = await exportCsv('severity=grave');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().reasons[0].path).toMatch(/^severity/u);
    expect((await exportCsv('limit=5')).statusCode).toBe(400);
  });

  it('quotes commas, quotes and line breaks, and guards every cell a spreadsheet would run as a formula', async () => {
    const id = await insertFlag(t.pool, { ruleId: 'csv-quoting', subjectId: '=HYPERLINK("http://evil","click")', unit: '@SUM(A1)' });
    await explained(id, { ru: 'Инспектор отменил 38 из 40, "без причины";\nпроверьте', en: '+38 of 40, cancelled', kk: '-38 / 40' });
    const res = await exportCsv('rule=csv-quoting');
    // The raw text: quotes doubled inside a quoted field, the line break kept inside it.
    expect(res.body).toContain('"Инспектор отменил 38 из 40, ""без причины"";\nпроверьте"');
    const [, row] = records(res.body);
    const cell = (name: (typeof FLAG_CSV_COLUMNS)[number]) => row?.[FLAG_CSV_COLUMNS.indexOf(name)];
    expect(cell('subject')).toBe(`'=HYPERLINK("http://evil","click")`);
    expect(cell('unit')).toBe(`'@SUM(A1)`);
    expect(cell('explanation')).toBe('Инспектор отменил 38 из 40, "без причины";\nпроверьте');
    expect(['=1', '+1', '-1', '@A', '\tx', 'plain', '1-2'].map(guardFormula)).toEqual(["'=1", "'+1", "'-1", "'@A", "'\tx", 'plain', '1-2']);
  });

  it('writes the explanation in the language the reader chose', async () => {
    const id = await insertFlag(t.pool, { ruleId: 'csv-locale' });
    await explained(id, { ru: 'по-русски', kk: 'қазақша', en: 'in English' });
    const kk = await t.signIn('prosecutor2');
    await t.app.inject({ method: 'PUT', url: '/v1/me/locale', headers: kk, payload: { locale: 'kk' } });
    expect(records((await exportCsv('rule=csv-locale', kk)).body)[1]?.at(-1)).toBe('қазақша');
    await t.app.inject({ method: 'PUT', url: '/v1/me/locale', headers: kk, payload: { locale: 'en' } });
    expect(records((await exportCsv('rule=csv-locale', kk)).body)[1]?.at(-1)).toBe('in English');
  });

  it('never holds a flag about the reader’s own officer record or unit', async () => {
    await insertFlag(t.pool, { ruleId: 'csv-recusal', subjectId: 'OF-CSV-1', unit: 'U-CSV' });
    await insertFlag(t.pool, { ruleId: 'csv-recusal', subjectId: 'OF-CSV-2', unit: 'U-CSV' });
    await insertFlag(t.pool, { ruleId: 'csv-recusal', subjectKind: 'officer_vehicle', subjectId: 'OF-CSV-1|777AAA02', unit: 'U-OTHER' });
    await insertFlag(t.pool, { ruleId: 'csv-recusal', subjectId: 'OF-CSV-3', unit: 'U-OTHER' });
    const people = new UserRepository(t.pool);
    await people.create({ username: 'csv-officer', displayName: 'Linked to an officer', password: TEST_PASSWORD, roles: ['prosecutor'], officerId: 'OF-CSV-1' });
    await people.create({ username: 'csv-unit', displayName: 'Linked to a unit', password: TEST_PASSWORD, roles: ['auditor'], unit: 'U-CSV' });
    const signIn = async (username: string) => ({
      authorization: `Bearer ${(await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password: TEST_PASSWORD } })).json<{ token: string }>().token}`,
    });
    const subjects = async (headers: { authorization: string }) => records((await exportCsv('rule=csv-recusal', headers)).body).slice(1).map((r) => r[10]).sort();
    expect(await subjects(reader)).toEqual(['OF-CSV-1', 'OF-CSV-1|777AAA02', 'OF-CSV-2', 'OF-CSV-3']);
    expect(await subjects(await signIn('csv-officer'))).toEqual(['OF-CSV-2', 'OF-CSV-3']);
    expect(await subjects(await signIn('csv-unit'))).toEqual(['OF-CSV-1|777AAA02', 'OF-CSV-3']);
  });

  it('is written to the access log as an export with its filters and row count', async () => {
    for (let i = 0; i < 3; i += 1) await insertFlag(t.pool, { ruleId: 'csv-logged' });
    const res = await exportCsv('rule=csv-logged&status=new');
    expect(res.statusCode).toBe(200);
    const { rows } = await t.pool.query<{ principal: string; subject_kind: string; details: { filters: Record<string, unknown>; rows: number; truncated: boolean } }>(
      `SELECT principal, subject_kind, details FROM access_log WHERE action = 'export_flags_csv' AND details->'filters'->>'rule' = 'csv-logged'`,
    );
    expect(rows).toEqual([{ principal: `user:${t.users.prosecutor.id}`, subject_kind: 'export', details: { filters: { rule: 'csv-logged', status: ['new'] }, rows: 3, truncated: false } }]);
  });

  it('stops at the bound, reading one row past it to know, and says the export was cut', async () => {
    for (let i = 0; i < 5; i += 1) await insertFlag(t.pool, { ruleId: 'csv-bound', score: i });
    const flags = new FlagRepository(t.pool);
    const read = async (offset: number, limit: number) => (await flags.list({ ruleId: 'csv-bound', order: 'severity', offset, limit })).flags;
    const cut = await flagCsv(read, { locale: 'ru', max: 3, pageSize: 2 });
    expect(cut).toMatchObject({ rows: 3, truncated: true });
    const lines = records(cut.csv);
    expect(lines).toHaveLength(1 + 3 + 1);
    expect(lines.at(-1)?.[0]).toMatch(/^# cut at 3 rows/u);
    expect(await flagCsv(read, { locale: 'ru', max: 5, pageSize: 2 })).toMatchObject({ rows: 5, truncated: false });
    expect(await flagCsv(read, { locale: 'ru', max: 5, pageSize: 5 })).toMatchObject({ rows: 5, truncated: false });
  });
});
