import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { SearchRepository, UserRepository } from '@qadaga/db';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../testing/test-app.js';
import { ingest, insertFlag, loadReference, storyEvents, type Story } from '../profiles/read-fixtures.js';

let t: TestApp;
let prosecutor: { authorization: string };
let unitLinked: { authorization: string };
let caseId = '';
let caseNumber = '';

const story = (ref: string, officer: string, unit: string, plate: string, day: string, camera = 'CAM-A'): Story => ({
  ref, officer, unit, plate, camera, detectedAt: `${day}T09:00:00+05:00`, decidedAt: `${day}T10:00:00+05:00`, decision: 'confirmed',
});

const STORIES: Story[] = [
  // The registered vehicle, as the camera and the clerks spelled it.
  story('V1', 'OF-1', 'U-1', '123 АВС 02', '2026-03-01'),
  story('V10', 'OF-2', 'U-1', '123abc02', '2026-03-02'),
  story('V11', 'OF-3', 'U-1', '123ABC02', '2026-03-03'),
  // A plate the vehicle register lacks, read in Cyrillic: known from the ledger alone.
  story('V12', 'OF-9', 'U-2', '700 ООО 02', '2026-03-04'),
  // An officer the roster does not know, and a camera the register does not know: only the events.
  story('V13', 'OF-77', 'U-7', '555XYZ01', '2026-03-05', 'CAM-C'),
];

type Results = {
  vehicles: { plate: string; plateKey: string; kind: string | null; violations: number }[];
  officers: { id: string; unit: string | null; role: string | null; inRoster: boolean }[];
  cameras: { id: string; district: string | null; inRegister: boolean }[];
  violations: { ref: string; officerIds: string[] }[];
  cases: { id: string; number: string; title: string; status: string }[];
  withheldForRecusal: number;
};

const search = async (q: string, who: { authorization: string } = prosecutor) => {
  const res = await t.app.inject({ method: 'GET', url: `/v1/search?q=${encodeURIComponent(q)}`, headers: who });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Results>();
};

beforeAll(async () => {
  t = await startTestApp();
  await loadReference(t);
  await ingest(t, STORIES.flatMap(storyEvents));
  prosecutor = await t.signIn('prosecutor');
  await new UserRepository(t.pool).create({ username: 'unit-linked', displayName: 'Once of unit U-1', password: TEST_PASSWORD, roles: ['prosecutor'], unit: 'U-1' });
  const login = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'unit-linked', password: TEST_PASSWORD } });
  unitLinked = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
  const flag = await insertFlag(t, { subjectKind: 'officer', subjectId: 'OF-1', unit: 'U-1' });
  const opened = await t.app.inject({ method: 'POST', url: '/v1/cases', headers: prosecutor, payload: { title: 'Cancellations at the Almaly desk', flagIds: [flag] } });
  expect(opened.statusCode, opened.body).toBe(201);
  ({ id: caseId, number: caseNumber } = opened.json<{ id: string; number: string }>());
});
afterAll(async () => t?.close());

describe('GET /v1/search', () => {
  it('finds the same vehicle however its plate is spelled: Cyrillic look-alikes, case, spaces, O/0 and I/1, or its start', async () => {
    for (const q of ['123ABC02', '123 авс 02', '123-abc-02', 'I23 ABC O2', ' 123 АВ ']) {
      const found = await search(q);
      expect(found.vehicles, q).toEqual([{ plate: '123ABC02', plateKey: '123ABC02', kind: 'private', violations: 3 }]);
    }
  });

  it('finds a plate the vehicle register lacks through the violations, with zeros typed for letters', async () => {
    const found = await search('7OO 000 02');
    expect(found.vehicles).toEqual([{ plate: '700 ООО 02', plateKey: '700OOO02', kind: null, violations: 1 }]);
  });

  it('finds officers by the start of their id in any case, with unit and role, the ledger-only ones too', async () => {
    const found = await search('of-');
    expect(found.officers).toEqual([
      { id: 'OF-1', unit: 'U-1', role: 'reviewer', inRoster: true },
      { id: 'OF-2', unit: 'U-1', role: 'reviewer', inRoster: true },
      { id: 'OF-3', unit: 'U-1', role: 'reviewer', inRoster: true },
      { id: 'OF-9', unit: 'U-2', role: 'reviewer', inRoster: true },
      { id: 'OF-77', unit: 'U-7', role: null, inRoster: false },
    ]);
    expect((await search('Of-7')).officers.map((o) => o.id)).toEqual(['OF-77']);
  });

  it('finds cameras by the start of their id in any case, the ones only their detections name too', async () => {
    expect((await search('cam-')).cameras).toEqual([
      { id: 'CAM-A', district: 'Almaly', inRegister: true },
      { id: 'CAM-B', district: 'Bostandyq', inRegister: true },
      { id: 'CAM-C', district: 'Almaly', inRegister: false },
    ]);
  });

  it('finds violations by ref, the exact one first, and cases by number or title words', async () => {
    expect((await search('v1')).violations.map((v) => v.ref)).toEqual(['V1', 'V10', 'V11', 'V12', 'V13']);
    expect((await search('V12')).violations.map((v) => v.ref)).toEqual(['V12']);
    for (const q of [caseNumber, caseNumber.toLowerCase().slice(0, 6), 'almaly CANCEL', 'desk']) {
      expect((await search(q)).cases, q).toEqual([{ id: caseId, number: caseNumber, title: 'Cancellations at the Almaly desk', status: 'open' }]);
    }
    expect((await search('almaly nothing')).cases).toEqual([]);
  });

  it('answers an empty result as such', async () => {
    expect(await search('zz-nothing-like-this')).toEqual({ vehicles: [], officers: [], cameras: [], violations: [], cases: [], withheldForRecusal: 0 });
  });

  it("withholds the reader's own unit: its officers, the violations they handled and cases about them, and counts them", async () => {
    const officers = await search('OF-', unitLinked);
    expect(officers.officers.map((o) => o.id)).toEqual(['OF-9', 'OF-77']);
    expect(officers.withheldForRecusal).toBe(3);
    const violations = await search('V1', unitLinked);
    expect(violations.violations.map((v) => v.ref)).toEqual(['V12', 'V13']);
    expect(violations.withheldForRecusal).toBe(3);
    const cases = await search(caseNumber, unitLinked);
    expect(cases.cases).toEqual([]);
    expect(cases.withheldForRecusal).toBe(1);
    for (const answer of [officers, violations, cases]) expect(JSON.stringify(answer)).not.toMatch(/OF-[123]\b|U-1\b|Almaly desk/u);
    // The car is not the officer: the vehicle itself is still found.
    expect((await search('123abc02', unitLinked)).vehicles.map((v) => v.plateKey)).toEqual(['123ABC02']);
  });

  it('records every search with what it answered before answering', async () => {
    await search('OF-', unitLinked);
    const { rows } = await t.pool.query<{ principal: string; subject_kind: string; subject_id: string; details: Record<string, unknown> }>(
      `SELECT principal, subject_kind, subject_id, details FROM access_log WHERE action = 'search' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({ subject_kind: 'search', subject_id: 'OF-' });
    expect(rows[0]?.principal).toMatch(/^user:/u);
    expect(rows[0]?.details).toEqual({ q: 'OF-', vehicles: [], officers: ['OF-9', 'OF-77'], cameras: [], violations: [], cases: [], withheldForRecusal: 3 });
  });

  it('refuses a hostile or useless query naming q, never with a 5xx', async () => {
    const bad = ['', 'q=', 'q=a', `q=${'x'.repeat(101)}`, `q=${'x'.repeat(5000)}`, 'q=%20%20a%20%20', 'q=ab%00cd', 'q=ab%1Fcd', 'q=ab%7Fcd', 'q=ab%C2%85cd', 'q=ab&q=cd'];
    for (const query of bad) {
      const res = await t.app.inject({ method: 'GET', url: `/v1/search?${query}`, headers: prosecutor });
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect(res.json<{ reasons: { path: string }[] }>().reasons.map((r) => r.path.replace(/^query\./u, '')), `${query}: ${res.body}`).toEqual(['q']);
    }
    const extra = await t.app.inject({ method: 'GET', url: '/v1/search?q=ab&limit=5', headers: prosecutor });
    expect(extra.statusCode).toBe(400);
    expect(extra.json<{ reasons: { params: { keys: string[] } }[] }>().reasons[0]?.params.keys).toEqual(['limit']);
    for (const q of ["' OR 1=1 --", '%_\\', '%%', '____', 'ё'.repeat(100), '💥💥', `${'Ж'.repeat(99)}\u{10FFFF}`]) {
      const res = await t.app.inject({ method: 'GET', url: `/v1/search?q=${encodeURIComponent(q)}`, headers: prosecutor });
      expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
      expect(res.json<Results>().cases).toEqual([]);
    }
  });

  it('seeks indexes: no lookup scans the ledger, the violations or the vehicles', async () => {
    const client = await t.pool.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const plans: string[] = [];
      // Each query of the repository is explained instead of run.
      const explaining = {
        query: async (sql: string, params: unknown[]) => {
          plans.push((await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n'));
          return { rows: [] };
        },
      } as unknown as pg.Pool;
      await new SearchRepository(explaining).find('OF-1 АВС', 10);
      expect(plans).toHaveLength(5);
      // The ledger's months are tables of their own (ledger_event_y2026m12, ...), each scanned through its own copy of an index.
      for (const plan of plans) expect(plan).not.toMatch(/Seq Scan on (ledger_event(_y\d{4}m\d{2})?|violation|vehicle|officer)\b/u);
      // The ledger is reached through its actor index, the plates through their keys.
      expect(plans[1]).toMatch(/Index (Only )?Scan using ledger_event_y\d{4}m\d{2}_actor_id_occurred_at_idx on ledger_event_y\d{4}m\d{2}/u);
      expect(plans[0]).toMatch(/Index (Only )?Scan using violation_plate_key_idx on violation/u);
      expect(plans[2]).toMatch(/Index (Only )?Scan using violation_camera_id_detected_at_idx on violation/u);
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });
});
