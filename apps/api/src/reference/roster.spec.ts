import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserRepository } from '@qadaga/db';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await t.pool.query('TRUNCATE officer CASCADE');
  await t.pool.query(
    `INSERT INTO officer (id, unit, role, shift, absences) VALUES
       ('RO-1', 'R-UNIT-A', 'reviewer', '{}', '[]'), ('RO-2', 'R-UNIT-A', 'reviewer', '{}', '[]'),
       ('RO-3', 'R-UNIT-B', 'reviewer', '{}', '[]'), ('RX_9', 'R-UNIT-B', 'supervisor', '{}', '[]')`,
  );
});
afterAll(async () => t.close());

type Roster = { officers: { id: string; unit: string }[]; units: string[]; withheld: number };
const read = async (query: string, headers: { authorization: string }) => {
  const res = await t.app.inject({ method: 'GET', url: `/v1/reference/officers${query}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Roster>();
};

describe('the roster for the export pickers', () => {
  it('lists officers with their unit, and every unit; narrows by the start of the id, taking _ and % as letters', async () => {
    const auditor = await t.signIn('auditor');
    expect(await read('', auditor)).toEqual({
      officers: [
        { id: 'RO-1', unit: 'R-UNIT-A' },
        { id: 'RO-2', unit: 'R-UNIT-A' },
        { id: 'RO-3', unit: 'R-UNIT-B' },
        { id: 'RX_9', unit: 'R-UNIT-B' },
      ],
      units: ['R-UNIT-A', 'R-UNIT-B'],
      withheld: 0,
    });
    expect((await read('?q=ro-', auditor)).officers.map((o) => o.id)).toEqual(['RO-1', 'RO-2', 'RO-3']);
    expect((await read('?q=R_', auditor)).officers.map((o) => o.id)).toEqual([]);
    expect((await read('?q=RX_', auditor)).officers.map((o) => o.id)).toEqual(['RX_9']);
    const { rows } = await t.pool.query(`SELECT subject_kind, subject_id FROM access_log WHERE action = 'list_officers' AND principal = $1 ORDER BY id`, [`user:${t.users.auditor.id}`]);
    expect(rows.map((r) => r.subject_id)).toEqual(['*', 'ro-*', 'R_*', 'RX_*']);
  });

  it('leaves out the reader’s own officer record and their unit’s officers, and counts them', async () => {
    const people = new UserRepository(t.pool);
    await people.create({ username: 'ro-officer', displayName: 'Linked to RO-1', password: TEST_PASSWORD, roles: ['auditor'], officerId: 'RO-1' });
    await people.create({ username: 'ro-unit', displayName: 'Linked to R-UNIT-B', password: TEST_PASSWORD, roles: ['prosecutor'], unit: 'R-UNIT-B' });
    const signIn = async (username: string) => ({
      authorization: `Bearer ${(await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password: TEST_PASSWORD } })).json<{ token: string }>().token}`,
    });
    const officer = await read('', await signIn('ro-officer'));
    expect(officer).toEqual({ officers: [{ id: 'RO-2', unit: 'R-UNIT-A' }, { id: 'RO-3', unit: 'R-UNIT-B' }, { id: 'RX_9', unit: 'R-UNIT-B' }], units: ['R-UNIT-A', 'R-UNIT-B'], withheld: 1 });
    const unit = await read('', await signIn('ro-unit'));
    expect(unit).toEqual({ officers: [{ id: 'RO-1', unit: 'R-UNIT-A' }, { id: 'RO-2', unit: 'R-UNIT-A' }], units: ['R-UNIT-A'], withheld: 3 });
    expect((await t.app.inject({ method: 'GET', url: `/v1/reference/officers?q=${'x'.repeat(65)}`, headers: await t.signIn('auditor') })).statusCode).toBe(400);
  });
});
