import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '@qadaga/contracts';
import { PseudonymRepository, ReferenceRepository, UserRepository } from '@qadaga/db';
import { IngestPipeline, LedgerWriter, ingestStream } from '@qadaga/ledger';
import { testDatabaseUrl, testRedisUrl } from '@qadaga/db/testing';
import { startWorkerProcess } from '@qadaga/demo';
import { simulateCity } from '@qadaga/simulator';
import { everyOfficerDraft } from '../testing/drafts.js';
import { apiEndpoints, insertFlag, startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';

/**
 * Recusal on every path to the same data. People linked to an officer record or a unit
 * call every endpoint of the API with ids of things about that officer or unit. Each
 * endpoint is listed here with what it must do: refuse, or answer without a trace of the
 * officer or unit (checked against the admin's answer to the same call, which names them,
 * so no check passes on an empty answer), or hold no such data at all, said why. A new
 * endpoint fails the first test until it is listed.
 */

type Caller = 'officerLinked' | 'unitLinked' | 'authorLinked';
interface Call {
  method: 'GET' | 'POST' | 'PUT';
  url: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  /** Who calls; the prosecutor-auditors by default. */
  as?: Caller[];
  /** The refusal expected, when not 403. */
  status?: number;
  /** What the admin's answer shows and the recused caller's must not, when not the officer's and unit's names. */
  shows?: (f: Fixture) => string[];
}
type Expectation = { refuses: Call[] } | { withholds: Call[] } | { holdsNone: string; calls?: Call[] };

interface Fixture {
  officer: string;
  unit: string;
  unitOfficers: string[];
  pseudonym: string;
  violationRef: string;
  plate: string;
  camera: string;
  flagOfficer: string;
  flagPeer: string;
  caseId: string;
  attachmentId: string;
  caseBundleId: string;
  queryBundleId: string;
}

const PROSECUTOR_AUDITORS: Caller[] = ['officerLinked', 'unitLinked'];
const AUTHOR: Caller[] = ['authorLinked'];
const RANGE = { from: '2025-10-01T00:00:00+05:00', to: '2026-11-01T00:00:00+05:00' };
const SYNC_RANGE = { from: '2026-10-01T00:00:00+05:00', to: '2026-10-31T00:00:00+05:00' };
const get = (url: (f: Fixture) => string, as?: Caller[]): Call => ({ method: 'GET', url, ...(as === undefined ? {} : { as }) });
const post = (url: (f: Fixture) => string, body: (f: Fixture) => unknown, extra: Partial<Call> = {}): Call => ({ method: 'POST', url, body, ...extra });

const POLICY: Record<string, Expectation> = {
  'POST /v1/events': { holdsNone: 'source systems only: writes events, answers their ids' },
  'POST /v1/events/batch': { holdsNone: 'source systems only: writes events, answers their ids' },
  'GET /v1/violations/:ref': { refuses: [get((f) => `/v1/violations/${f.violationRef}`)] },
  'GET /v1/plates/:plate/violations': { withholds: [get((f) => `/v1/plates/${encodeURIComponent(f.plate)}/violations`)] },
  'GET /v1/ledger/stats': { holdsNone: 'counts by type, source and status', calls: [get(() => '/v1/ledger/stats')] },
  'POST /v1/ledger/verify': { holdsNone: 'chain positions and hashes', calls: [post(() => '/v1/ledger/verify', () => ({}))] },
  'GET /v1/flags': {
    withholds: [get((f) => `/v1/flags?subject=${f.officer}`), get((f) => `/v1/flags?unit=${f.unit}`), get(() => '/v1/flags?limit=500')],
  },
  'GET /v1/flags/export.csv': {
    withholds: [get((f) => `/v1/flags/export.csv?subject=${f.officer}`), get((f) => `/v1/flags/export.csv?unit=${f.unit}`), get(() => '/v1/flags/export.csv')],
  },
  'GET /v1/me/views': { holdsNone: 'the caller’s own saved filters of the queue', calls: [get(() => '/v1/me/views')] },
  'POST /v1/me/views': { holdsNone: 'saves the caller’s own filters; answers them' },
  'DELETE /v1/me/views/:id': { holdsNone: 'deletes one of the caller’s own saved views' },
  'GET /v1/bundles': { withholds: [{ ...get(() => '/v1/bundles'), shows: (f) => [f.caseBundleId, f.queryBundleId] }] },
  'GET /v1/reference/officers': { withholds: [get(() => '/v1/reference/officers')] },
  'GET /v1/flags/:id': { refuses: [get((f) => `/v1/flags/${f.flagOfficer}`), get((f) => `/v1/flags/${f.flagPeer.toUpperCase()}`, ['unitLinked'])] },
  'POST /v1/flags/:id/status': { refuses: [post((f) => `/v1/flags/${f.flagOfficer}/status`, () => ({ status: 'dismissed', reason: 'nothing to see here' }))] },
  'POST /v1/flags/:id/comments': {
    refuses: [post((f) => `/v1/flags/${f.flagOfficer}/comments`, () => ({ text: 'my side of it' })), post((f) => `/v1/flags/${f.flagPeer.toUpperCase()}/comments`, () => ({ text: 'my side of it' }), { as: ['unitLinked'] })],
  },
  'POST /v1/flags/:id/assign': {
    refuses: [post((f) => `/v1/flags/${f.flagOfficer}/assign`, () => ({ assigneeId: null, dueAt: null })), post((f) => `/v1/flags/${f.flagPeer}/assign`, () => ({ assigneeId: null, dueAt: null }), { as: ['unitLinked'] })],
  },
  'GET /v1/me/work': { withholds: [get(() => '/v1/me/work')] },
  'POST /v1/flags/bulk-status': {
    refuses: [post(() => '/v1/flags/bulk-status', (f) => ({ ids: [f.flagOfficer.toUpperCase()], status: 'dismissed', reason: 'nothing to see' }), { status: 422 })],
  },
  'POST /v1/suppressions': {
    refuses: [
      post(() => '/v1/suppressions', (f) => ({ ruleId: 'officer-dismissal-share', subjectKind: 'officer', subjectId: f.officer, until: '2099-01-01T00:00:00Z', reason: 'quiet please' })),
      post(() => '/v1/suppressions', (f) => ({ ruleId: 'officer-dismissal-share', subjectKind: 'unit', subjectId: f.unit, until: '2099-01-01T00:00:00Z', reason: 'quiet please' }), { as: ['unitLinked'] }),
    ],
  },
  'GET /v1/rules': { holdsNone: 'rule texts, hits and precision', calls: [get(() => '/v1/rules', AUTHOR)] },
  'GET /v1/rules/:id': { holdsNone: 'rule versions' },
  'GET /v1/coverage': { holdsNone: 'per rule and source, what the rules can judge, and counts of subjects and items not judged: no subject is named', calls: [get(() => '/v1/coverage', AUTHOR)] },
  'GET /v1/rule-schema': { holdsNone: 'the rule format as JSON Schema: field names and fact names', calls: [get(() => '/v1/rule-schema', AUTHOR)] },
  'PUT /v1/rules/:id/draft': { holdsNone: 'writes a rule text' },
  'POST /v1/rules/:id/versions/:version/submit': { holdsNone: 'moves a rule version on' },
  'POST /v1/rules/:id/versions/:version/approve': { holdsNone: 'moves a rule version on' },
  'POST /v1/rules/:id/versions/:version/publish': { holdsNone: 'moves a rule version on' },
  'POST /v1/rules/backtest': { withholds: [post(() => '/v1/rules/backtest', () => ({ definition: everyOfficerDraft(), ...SYNC_RANGE }), { as: AUTHOR })] },
  'GET /v1/rules/backtests/:id': { withholds: [get(() => `/v1/rules/backtests/${backtestJobId}`, AUTHOR)] },
  'POST /v1/sweeps': { holdsNone: 'queues an evaluation; answers a job id' },
  'GET /v1/sweeps/:id': { holdsNone: 'counts of flags raised' },
  'GET /v1/jobs': { withholds: [{ ...get(() => '/v1/jobs?queue=evidence&state=completed'), shows: (f) => [f.caseBundleId, f.queryBundleId] }] },
  'POST /v1/jobs/:queue/:id/retry': { holdsNone: 'admin only: reruns a failed job' },
  'POST /v1/reference': { holdsNone: 'admin only: loads reference data' },
  'POST /v1/auth/login': { holdsNone: 'answers the caller’s own session' },
  'POST /v1/auth/logout': { holdsNone: 'ends the caller’s own session' },
  'GET /v1/me': { holdsNone: 'the caller’s own record, which names the officer or unit they are linked to' },
  'PUT /v1/me/locale': { holdsNone: 'the caller’s own language' },
  'GET /v1/users': { holdsNone: 'people who may be assigned cases', calls: [get(() => '/v1/users')] },
  'POST /v1/reveal': {
    refuses: [post(() => '/v1/reveal', (f) => ({ pseudonym: f.pseudonym, reason: 'I want to know who this is' }), { as: ['officerLinked', 'unitLinked', 'authorLinked'] })],
  },
  'POST /v1/cases': { refuses: [post(() => '/v1/cases', (f) => ({ title: 'my own case', flagIds: [f.flagOfficer.toUpperCase()] }))] },
  'GET /v1/cases': { withholds: [{ ...get(() => '/v1/cases'), shows: (f) => [f.caseId] }] },
  'GET /v1/cases/overdue': { withholds: [{ ...get(() => '/v1/cases/overdue'), shows: (f) => [f.caseId] }] },
  'GET /v1/cases/:id': { refuses: [get((f) => `/v1/cases/${f.caseId}`), get((f) => `/v1/cases/${f.caseId.toUpperCase()}`)] },
  'POST /v1/cases/:id/flags': { refuses: [post((f) => `/v1/cases/${f.caseId}/flags`, (f) => ({ flagIds: [f.flagPeer] }))] },
  'POST /v1/cases/:id/notes': { refuses: [post((f) => `/v1/cases/${f.caseId.toUpperCase()}/notes`, () => ({ text: 'a note' }))] },
  'POST /v1/cases/:id/attachments': { refuses: [post((f) => `/v1/cases/${f.caseId}/attachments`, () => ({ name: 'a.txt', mediaType: 'text/plain', contentBase64: 'aGk=' }))] },
  'GET /v1/cases/:id/attachments/:attachmentId': { refuses: [get((f) => `/v1/cases/${f.caseId}/attachments/${f.attachmentId}`)] },
  'POST /v1/cases/:id/assign': { refuses: [post((f) => `/v1/cases/${f.caseId}/assign`, () => ({ assigneeId: '00000000-0000-4000-8000-000000000000' }))] },
  'POST /v1/cases/:id/due': { refuses: [post((f) => `/v1/cases/${f.caseId}/due`, () => ({ dueAt: null }))] },
  'POST /v1/cases/:id/status': { refuses: [post((f) => `/v1/cases/${f.caseId}/status`, () => ({ status: 'investigating' }))] },
  'POST /v1/cases/:id/close-request': { refuses: [post((f) => `/v1/cases/${f.caseId}/close-request`, () => ({ outcome: 'unfounded', reason: 'nothing here' }))] },
  'POST /v1/cases/:id/close-approve': { refuses: [post((f) => `/v1/cases/${f.caseId}/close-approve`, () => ({}))] },
  'POST /v1/cases/:id/close-reject': { refuses: [post((f) => `/v1/cases/${f.caseId}/close-reject`, () => ({ reason: 'not so fast' }))] },
  'POST /v1/cases/:id/tasks': { refuses: [post((f) => `/v1/cases/${f.caseId.toUpperCase()}/tasks`, () => ({ title: 'ask for the log', ownerId: null }))] },
  // The task need not exist: the case is refused before its task is looked up.
  'POST /v1/cases/:id/tasks/:taskId/done': { refuses: [post((f) => `/v1/cases/${f.caseId}/tasks/00000000-0000-4000-8000-000000000000/done`, () => ({}))] },
  'POST /v1/cases/:id/tasks/:taskId/reopen': { refuses: [post((f) => `/v1/cases/${f.caseId}/tasks/00000000-0000-4000-8000-000000000000/reopen`, () => ({}))] },
  'POST /v1/cases/:id/bundles': { refuses: [post((f) => `/v1/cases/${f.caseId.toUpperCase()}/bundles`, () => ({ reason: 'for my own records' }))] },
  'POST /v1/bundles': {
    refuses: [
      post(() => '/v1/bundles', (f) => ({ reason: 'for my own records', query: { subjects: [{ kind: 'officer', id: f.officer }], ...RANGE } }), { as: ['officerLinked'] }),
      post(() => '/v1/bundles', (f) => ({ reason: 'for my own records', query: { subjects: [{ kind: 'unit', id: f.unit }], ...RANGE } }), { as: ['unitLinked'] }),
      post(() => '/v1/bundles', (f) => ({ reason: 'for my own records', query: { subjects: [{ kind: 'officer', id: f.unitOfficers[1] }], ...RANGE } }), { as: ['unitLinked'] }),
    ],
  },
  'GET /v1/bundles/:id': { refuses: [get((f) => `/v1/bundles/${f.caseBundleId}`), get((f) => `/v1/bundles/${f.queryBundleId.toUpperCase()}`)] },
  'GET /v1/bundles/:id/download': { refuses: [get((f) => `/v1/bundles/${f.caseBundleId}/download`), get((f) => `/v1/bundles/${f.queryBundleId}/download`)] },
  'POST /v1/bundles/verify': { holdsNone: 'checks bytes the caller already holds' },
  'GET /v1/keys': { holdsNone: 'the product’s public signing keys' },
  'GET /v1/integrity/alarms': { holdsNone: 'chains, positions and hashes that disagree with a checkpoint', calls: [get(() => '/v1/integrity/alarms')] },
  'GET /v1/checkpoints/latest': { holdsNone: 'chain heads and a signature', calls: [get(() => '/v1/checkpoints/latest')] },
  'GET /v1/checkpoints': { holdsNone: 'chain heads and signatures', calls: [get(() => '/v1/checkpoints')] },
  'POST /v1/access-log/verify': { holdsNone: 'chain positions and hashes of the access log', calls: [post(() => '/v1/access-log/verify', () => ({}))] },
  'GET /v1/officers/:id/profile': { refuses: [get((f) => `/v1/officers/${f.officer}/profile?from=${RANGE.from.replace('+', '%2B')}&to=${RANGE.to.replace('+', '%2B')}`)] },
  'GET /v1/vehicles/:plate/profile': { withholds: [get((f) => `/v1/vehicles/${encodeURIComponent(f.plate)}/profile`)] },
  'GET /v1/cameras/:id/profile': { withholds: [get((f) => `/v1/cameras/${f.camera}/profile?from=${RANGE.from.replace('+', '%2B')}&to=${RANGE.to.replace('+', '%2B')}`)] },
  'GET /v1/search': {
    withholds: [
      get((f) => `/v1/search?q=${encodeURIComponent(f.officer.toLowerCase())}`),
      get((f) => `/v1/search?q=${encodeURIComponent(f.violationRef)}`),
      { ...get(() => `/v1/search?q=${encodeURIComponent('one officer cancellations')}`), shows: (f) => [f.caseId] },
    ],
  },
  'GET /v1/places': { holdsNone: 'counts by district, camera and grid cell', calls: [get(() => '/v1/places')] },
  'GET /v1/officers/:id/places': {
    refuses: [
      get((f) => `/v1/officers/${f.officer}/places?from=${RANGE.from.replace('+', '%2B')}&to=${RANGE.to.replace('+', '%2B')}`),
      get((f) => `/v1/officers/${f.unitOfficers[1]}/places`, ['unitLinked']),
    ],
  },
  'GET /v1/units/:id/places': { refuses: [get((f) => `/v1/units/${f.unit}/places?from=${RANGE.from.replace('+', '%2B')}&to=${RANGE.to.replace('+', '%2B')}`)] },
  'GET /v1/public/stats': { holdsNone: 'public counts by district and camera, small ones withheld' },
  'GET /v1/public/stats.csv': { holdsNone: 'the public counts as CSV' },
  'GET /v1/public/stats.geojson': { holdsNone: 'the public counts as GeoJSON' },
  'GET /v1/public/districts': { holdsNone: 'district boundaries' },
  'GET /health/live': { holdsNone: 'liveness' },
  'GET /health/ready': { holdsNone: 'readiness' },
};


let t: TestApp;
let worker: ChildProcess;
let fx: Fixture;
let backtestJobId = '';
const sessions = {} as Record<Caller | 'admin', { authorization: string }>;
const redis = (() => {
  const url = new URL(testRedisUrl());
  return { host: url.hostname, port: Number(url.port || 6379), db: Number(url.pathname.slice(1) || 0) };
})();

/** A name as it appears in an answer: OF-12 is not found inside OF-123. */
const nameIn = (name: string) => new RegExp(`(?<![A-Za-z0-9~-])${name.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}(?![A-Za-z0-9])`, 'u');

/** What each recused caller must never be shown. */
function forbidden(caller: Caller): RegExp[] {
  if (caller === 'unitLinked') return [fx.unit, ...fx.unitOfficers].map(nameIn);
  return [nameIn(fx.officer), nameIn(fx.pseudonym)];
}

async function call(c: Call, who: Caller | 'admin') {
  return t.app.inject({
    method: c.method,
    url: c.url(fx),
    headers: sessions[who],
    ...(c.body === undefined ? {} : { payload: c.body(fx) as Record<string, unknown> }),
  });
}

async function until<T>(what: string, read: () => Promise<T | null>): Promise<T> {
  for (let i = 0; i < 1_800; i += 1) {
    const value = await read();
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen within three minutes`);
}

beforeAll(async () => {
  t = await startTestApp({ BACKTEST_SYNC_MAX_DAYS: '60' });
  for (const name of Object.values(QUEUES)) {
    const q = new Queue(name, { connection: redis });
    await q.obliterate({ force: true });
    await q.close();
  }
  await t.pool.query('TRUNCATE flag, flag_history, rule_version, rule, officer, vehicle, camera, dispatch, pseudonym CASCADE');
  const city = simulateCity({ seed: 11, violations: 1_200 });
  await new ReferenceRepository(t.pool).load(city.reference);
  await ingestStream(new IngestPipeline(new LedgerWriter(t.pool)), city.events());

  // The recused officer: the one who signed most decisions in the backtest's month, so every path has something about them.
  const { rows: busiest } = await t.pool.query<{ officer: string; unit: string }>(
    `SELECT e.actor_id AS officer, o.unit FROM ledger_event e JOIN officer o ON o.id = e.actor_id
     WHERE e.type IN ('confirmed', 'cancelled') AND e.occurred_at >= $1 AND e.occurred_at < $2
     GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
    [SYNC_RANGE.from, SYNC_RANGE.to],
  );
  const { officer, unit } = busiest[0]!;
  const { rows: peers } = await t.pool.query<{ id: string }>('SELECT id FROM officer WHERE unit = $1 AND id <> $2 ORDER BY id', [unit, officer]);
  const { rows: handled } = await t.pool.query<{ ref: string; plate: string }>(
    `SELECT v.ref, v.plate FROM violation v WHERE $1 = ANY(v.officer_ids) AND v.plate IS NOT NULL ORDER BY v.ref LIMIT 1`,
    [officer],
  );
  const { ref, plate } = handled[0]!;
  // The camera whose detections the officer reviewed most: they are among its top reviewers.
  const { rows: cameras } = await t.pool.query<{ camera: string }>(
    `SELECT v.camera_id AS camera FROM violation v WHERE $1 = ANY(v.officer_ids) AND v.camera_id IS NOT NULL AND v.detected_at >= $2 AND v.detected_at < $3
     GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    [officer, RANGE.from, RANGE.to],
  );
  const camera = cameras[0]!.camera;
  const pseudonym = (await new PseudonymRepository(t.pool).pseudonymsFor('officer', [officer])).get(officer)!;

  const people = new UserRepository(t.pool);
  await people.create({ username: 'linked-officer', displayName: 'Linked to an officer', password: TEST_PASSWORD, roles: ['prosecutor', 'auditor'], officerId: officer });
  await people.create({ username: 'linked-unit', displayName: 'Linked to a unit', password: TEST_PASSWORD, roles: ['prosecutor', 'auditor'], unit });
  await people.create({ username: 'linked-author', displayName: 'Rule author linked to an officer', password: TEST_PASSWORD, roles: ['rule_author'], officerId: officer });
  const signIn = async (username: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
    return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
  };
  sessions.officerLinked = await signIn('linked-officer');
  sessions.unitLinked = await signIn('linked-unit');
  sessions.authorLinked = await signIn('linked-author');
  sessions.admin = await t.signIn('admin');

  const flagOfficer = await insertFlag(t.pool, { subjectId: officer, unit });
  const flagPeer = await insertFlag(t.pool, { subjectId: peers[0]?.id ?? `${unit}-peer`, unit });
  await insertFlag(t.pool, { ruleId: 'plate-pair', subjectKind: 'officer_vehicle', subjectId: `${officer}|${plate.replace(/\s/gu, '')}`, unit });
  await insertFlag(t.pool, { ruleId: 'unit-rate', subjectKind: 'unit', subjectId: unit, unit: null });
  // The officer's flags given as work: to the admin, who sees them in their list, and to the
  // people linked to the officer and the unit, whose lists must withhold them.
  for (const username of ['admin', 'linked-officer', 'linked-unit']) {
    const given = await insertFlag(t.pool, { ruleId: `given-to-${username}`, subjectId: officer, unit });
    await t.pool.query(`UPDATE flag SET assignee_id = (SELECT id FROM app_user WHERE username = $2), due_at = now() + interval '3 days' WHERE id = $1`, [given, username]);
  }
  // And one about an officer of another unit, which nobody here is recused from.
  const { rows: outsiders } = await t.pool.query<{ id: string; unit: string }>('SELECT id, unit FROM officer WHERE unit <> $1 ORDER BY id LIMIT 1', [unit]);
  await insertFlag(t.pool, { subjectId: outsiders[0]!.id, unit: outsiders[0]!.unit });

  const admin = sessions.admin;
  const opened = await t.app.inject({ method: 'POST', url: '/v1/cases', headers: admin, payload: { title: 'Cancellations by one officer', flagIds: [flagOfficer] } });
  const caseId = opened.json<{ id: string }>().id;
  const attached = await t.app.inject({ method: 'POST', url: `/v1/cases/${caseId}/attachments`, headers: admin, payload: { name: 'memo.txt', mediaType: 'text/plain', contentBase64: 'bWVtbw==' } });
  // Overdue, as a case whose date passed: the overdue list must withhold it too.
  await t.pool.query(`UPDATE case_file SET due_at = now() - interval '1 day' WHERE id = $1`, [caseId]);

  worker = startWorkerProcess({ DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), LOG_LEVEL: 'warn' });
  const caseBundle = await t.app.inject({ method: 'POST', url: `/v1/cases/${caseId}/bundles`, headers: admin, payload: { reason: 'for the court hearing' } });
  const queryBundle = await t.app.inject({
    method: 'POST',
    url: '/v1/bundles',
    headers: admin,
    payload: { reason: 'for the court hearing', query: { subjects: [{ kind: 'officer', id: officer }], ...RANGE } },
  });
  const long = await t.app.inject({ method: 'POST', url: '/v1/rules/backtest', headers: admin, payload: { definition: everyOfficerDraft(), ...RANGE } });
  // A refused backtest would otherwise show only as a job that never completes.
  if (long.statusCode !== 202) throw new Error(`the long backtest was not queued: ${long.statusCode} ${long.body}`);
  backtestJobId = long.json<{ id: string }>().id;
  fx = {
    officer,
    unit,
    unitOfficers: [officer, ...peers.map((p) => p.id)],
    pseudonym,
    violationRef: ref,
    plate,
    camera,
    flagOfficer,
    flagPeer,
    caseId,
    attachmentId: attached.json<{ id: string }>().id,
    caseBundleId: caseBundle.json<{ id: string }>().id,
    queryBundleId: queryBundle.json<{ id: string }>().id,
  };
  for (const id of [fx.caseBundleId, fx.queryBundleId]) {
    await until(`bundle ${id}`, async () => ((await call(get(() => `/v1/bundles/${id}`), 'admin')).json<{ status: string }>().status === 'done' ? true : null));
  }
  await until('the long backtest', async () => ((await call(get(() => `/v1/rules/backtests/${backtestJobId}`), 'admin')).json<{ state: string }>().state === 'completed' ? true : null));
}, 300_000);

afterAll(async () => {
  if (worker !== undefined && worker.exitCode === null) await new Promise((resolve) => worker.once('exit', resolve).kill('SIGTERM'));
  await t?.close();
});

describe('recusal on every path', () => {
  it('lists every registered endpoint', () => {
    const registered = apiEndpoints(t.app);
    expect(registered).toEqual(Object.keys(POLICY).sort());
  });

  for (const [route, expectation] of Object.entries(POLICY)) {
    if ('refuses' in expectation) {
      expectation.refuses.forEach((c, i) => {
        for (const who of c.as ?? PROSECUTOR_AUDITORS) {
          it(`refuses ${who} on ${route} (${i + 1})`, async () => {
            const res = await call(c, who);
            expect(res.statusCode, res.body).toBe(c.status ?? 403);
            expect(res.body).toMatch(/recus/u);
            for (const name of forbidden(who)) expect(res.body).not.toMatch(name);
          });
        }
      });
    } else if ('withholds' in expectation) {
      expectation.withholds.forEach((c, i) => {
        for (const who of c.as ?? PROSECUTOR_AUDITORS) {
          it(`answers ${who} on ${route} (${i + 1}) without the officer or unit they are recused from`, async () => {
            // The same call by someone not recused names them: the answer below is not empty by chance.
            const full = await call(c, 'admin');
            expect(full.statusCode, full.body).toBeLessThan(300);
            const names = c.shows === undefined ? forbidden(who === 'authorLinked' ? 'officerLinked' : who) : c.shows(fx).map(nameIn);
            expect(names.some((name) => name.test(full.body)), `the admin's answer shows what ${who} must not see`).toBe(true);
            const res = await call(c, who);
            expect(res.statusCode, res.body).toBeLessThan(300);
            for (const name of [...forbidden(who), ...names]) expect(res.body).not.toMatch(name);
          });
        }
      });
    } else {
      (expectation.calls ?? []).forEach((c, i) => {
        for (const who of c.as ?? PROSECUTOR_AUDITORS) {
          it(`answers ${who} on ${route} (${i + 1}) with nothing about the officer or unit (${expectation.holdsNone})`, async () => {
            const res = await call(c, who);
            expect(res.statusCode, res.body).toBeLessThan(300);
            for (const name of forbidden(who)) expect(res.body).not.toMatch(name);
          });
        }
      });
    }
  }

  it('withholds a bundle from the job listing only for those recused from it', async () => {
    const listed = async (who: Caller | 'admin') =>
      (await call(get(() => '/v1/jobs?queue=evidence&state=completed'), who)).json<{ jobs: { data: { bundleId?: string } | null }[] }>().jobs.map((j) => j.data?.bundleId);
    expect(await listed('admin')).toEqual(expect.arrayContaining([fx.caseBundleId, fx.queryBundleId]));
    expect(await listed('officerLinked')).not.toContain(fx.caseBundleId);
    expect(await listed('officerLinked')).not.toContain(fx.queryBundleId);
  });

  it('leaves the outcome of a case about the recused officer out of a backtest’s counts', async () => {
    interface Outcomes { diff: { added: string[] }; outcomes: { added: { substantiated: number; unfounded: number; unjudged: number } } }
    interface Totals { subjects: number; flags: unknown[]; perWeek: unknown[]; distributions: unknown[]; withheldForRecusal?: number; flaggedShare: { flagged: number; subjects: number } }
    const labelled = await insertFlag(t.pool, { ruleId: String(everyOfficerDraft()['id']), subjectId: fx.officer, unit: fx.unit });
    await t.pool.query(`UPDATE flag SET label = 'substantiated' WHERE id = $1`, [labelled]);
    try {
      const sync = post(() => '/v1/rules/backtest', () => ({ definition: everyOfficerDraft(), ...SYNC_RANGE }));
      const full = (await call(sync, 'admin')).json<Outcomes>();
      expect(full.diff.added).toContain(fx.officer);
      expect(full.outcomes.added.substantiated).toBe(1);
      const trimmed = (await call(sync, 'authorLinked')).json<Outcomes & Totals>();
      expect(trimmed.outcomes.added).toEqual({ substantiated: 0, unfounded: 0, unjudged: full.outcomes.added.unjudged });
      // No total still counts the withheld officer: set beside the list, it would give them away.
      const fullTotals = (await call(sync, 'admin')).json<Totals>();
      expect(trimmed.withheldForRecusal).toBeGreaterThan(0);
      expect(trimmed.flaggedShare.flagged).toBe(trimmed.flags.length);
      expect(trimmed.subjects).toBe(fullTotals.subjects - (trimmed.withheldForRecusal ?? 0));
      expect(trimmed.flaggedShare.subjects).toBe(trimmed.subjects);
      expect(trimmed.perWeek).toEqual([]);
      expect(trimmed.distributions).toEqual([]);
      expect(fullTotals.perWeek.length).toBeGreaterThan(0);
      // The job's result was stored before the label: counted again over the subjects left, it still adds up to the list.
      const job = (await call(get(() => `/v1/rules/backtests/${backtestJobId}`), 'authorLinked')).json<{ result: Outcomes }>().result;
      const { substantiated, unfounded, unjudged } = job.outcomes.added;
      expect(substantiated).toBe(0);
      expect(substantiated + unfounded + unjudged).toBe(job.diff.added.length);
    } finally {
      await t.pool.query('DELETE FROM flag WHERE id = $1', [labelled]);
    }
  });

  it('keeps the requester’s own officer out of a query bundle that does not name it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/bundles', headers: sessions.unitLinked, payload: { reason: 'every flag of the period', query: RANGE } });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json<{ id: string }>().id;
    await until('the query bundle', async () => ((await call(get(() => `/v1/bundles/${id}`), 'admin')).json<{ status: string }>().status === 'done' ? true : null));
    const { rows } = await t.pool.query<{ concerns: string[]; query: { excludeSubjects: string[] } }>('SELECT concerns, query FROM evidence_bundle WHERE id = $1', [id]);
    expect(rows[0]?.query.excludeSubjects).toEqual([fx.unit]);
    expect(rows[0]?.concerns.length).toBeGreaterThan(0);
    expect(rows[0]?.concerns).not.toContain(fx.unit);
    for (const officer of fx.unitOfficers) expect(rows[0]?.concerns).not.toContain(officer);
    // And the one who asked may fetch it.
    expect((await call(get(() => `/v1/bundles/${id}/download`), 'unitLinked')).statusCode).toBe(200);
  });
});
