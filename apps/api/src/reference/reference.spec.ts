import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const roster = {
  sources: [{ code: 'dispatch-112', name: 'Dispatch 112', kind: 'dispatch' }],
  officers: [{ id: 'OF-1', unit: 'AP-1', role: 'reviewer', shift: { days: [1, 2, 3, 4, 5], startHour: 8, endHour: 20 }, absences: [{ kind: 'leave', from: '2026-07-01T00:00:00+05:00', to: '2026-07-15T00:00:00+05:00' }] }],
  vehicles: [{ plate: '001 АВС 02', kind: 'special' }],
  dispatches: [{ id: 'D-1', plate: '001ABC02', from: '2026-07-02T10:00:00+05:00', to: '2026-07-02T11:00:00+05:00' }],
};

describe('POST /v1/reference', () => {
  it('loads reference data idempotently, with plates keyed as the rules compare them', async () => {
    const post = () => t.app.inject({ method: 'POST', url: '/v1/reference', headers: { authorization: `Bearer ${t.keys.admin}` }, payload: roster });
    expect((await post()).json()).toEqual({ sources: 1, officers: 1, vehicles: 1, cameras: 0, dispatches: 1 });
    await post();
    const vehicles = await t.pool.query('SELECT plate_key, plate FROM vehicle');
    expect(vehicles.rows).toEqual([{ plate_key: '001ABC02', plate: '001 АВС 02' }]);
    const dispatch = await t.pool.query('SELECT plate_key FROM dispatch');
    expect(dispatch.rows).toEqual([{ plate_key: '001ABC02' }]);
    const officer = await t.pool.query("SELECT absences->0->>'kind' AS kind FROM officer WHERE id = 'OF-1'");
    expect(officer.rows[0]).toEqual({ kind: 'leave' });
  });

  it('refuses bad records with the path and the reason, and writes nothing', async () => {
    const bad = { officers: [{ ...roster.officers[0], role: 'boss', shift: { days: [8], startHour: 8, endHour: 20 } }] };
    const res = await t.app.inject({ method: 'POST', url: '/v1/reference', headers: { authorization: `Bearer ${t.keys.admin}` }, payload: bad });
    expect(res.statusCode).toBe(422);
    const paths = res.json().reasons.map((r: { path: string }) => r.path);
    expect(paths).toEqual(expect.arrayContaining(['officers.0.role', 'officers.0.shift.days.0']));
    const officers = await t.pool.query("SELECT role FROM officer WHERE id = 'OF-1'");
    expect(officers.rows).toEqual([{ role: 'reviewer' }]);
  });
});
