import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detection, startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ INGEST_MAX_BATCH_EVENTS: '50', INGEST_MAX_BODY_BYTES: '200000' });
});
afterAll(async () => t.close());

const post = (url: string, body: unknown, key = t.keys.source, contentType = 'application/json') =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await t.pool.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n);
}

describe('single-event ingestion', () => {
  it('accepts an event, commits it hash-chained, and projects the violation', async () => {
    const event = detection();
    const res = await post('/v1/events', event);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ status: 'accepted', eventId: event['eventId'], contentHash: expect.stringMatching(/^[0-9a-f]{64}$/u) });
    expect(await count('SELECT count(*) AS n FROM ledger_event WHERE event_id = $1', [event['eventId']])).toBe(1);
    const { rows } = await t.pool.query('SELECT status, plate_key FROM violation WHERE ref = $1', [event['violationRef']]);
    expect(rows[0]).toEqual({ status: 'detected', plate_key: '123ABC02' });
  });

  it('answers the same event again as a harmless duplicate', async () => {
    const event = detection();
    expect((await post('/v1/events', event)).statusCode).toBe(201);
    const again = await post('/v1/events', event);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'duplicate' });
    expect(await count('SELECT count(*) AS n FROM ledger_event WHERE event_id = $1', [event['eventId']])).toBe(1);
  });

  it('refuses the same id with other content as a conflict, and records it', async () => {
    const event = detection();
    await post('/v1/events', event);
    const changed = { ...event, payload: { ...(event['payload'] as object), speed: 59 } };
    const res = await post('/v1/events', changed);
    expect(res.statusCode).toBe(409);
    expect(res.json().reasons[0]).toMatchObject({ path: 'eventId' });
    expect(await count('SELECT count(*) AS n FROM ingest_conflict WHERE event_id = $1', [event['eventId']])).toBe(1);
    const { rows } = await t.pool.query("SELECT payload->>'speed' AS speed FROM ledger_event WHERE event_id = $1", [event['eventId']]);
    expect(rows[0].speed).toBe('87');
  });

  it('rejects an invalid event with every reason and writes nothing', async () => {
    const before = await count('SELECT count(*) AS n FROM ledger_event');
    const res = await post('/v1/events', { ...detection(), occurredAt: '2026-02-30T10:00:00+05:00', payload: { speed: 'fast' } });
    expect(res.statusCode).toBe(422);
    const paths = res.json().reasons.map((r: { path: string }) => r.path);
    expect(paths).toEqual(expect.arrayContaining(['occurredAt', 'payload.article', 'payload.speed']));
    expect(await count('SELECT count(*) AS n FROM ledger_event')).toBe(before);
  });

  it("refuses a key writing another source's events", async () => {
    const res = await post('/v1/events', detection({ source: 'register' }));
    expect(res.statusCode).toBe(403);
    expect(res.json().reasons[0]).toMatchObject({ path: 'source' });
  });

  it('names an unknown source system', async () => {
    const res = await post('/v1/events', detection({ source: 'nobody-registered-this' }));
    expect(res.statusCode).toBe(403);
    expect(res.json().reasons[0]).toMatchObject({ path: 'source', message: expect.stringMatching(/unknown source system "nobody-registered-this"/u) });
  });

  it('refuses malformed JSON with a reason', async () => {
    const res = await post('/v1/events', '{"source": ');
    expect(res.statusCode).toBe(400);
    expect(res.json().reasons[0].path).toBe('(body)');
  });
});

describe('batch ingestion', () => {
  it('answers each event on its own: one bad event never sinks the batch', async () => {
    const good = detection();
    const bad = { ...detection(), type: 'vanished' };
    const res = await post('/v1/events/batch', [good, bad, good]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.summary).toEqual({ accepted: 1, duplicates: 1, rejected: 1, violations: 1 });
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected', 'duplicate']);
    expect(body.results[1].reasons[0]).toMatchObject({ path: 'type', message: expect.stringMatching(/must be one of/u) });
  });

  it('derives state in occurred-at order from late, out-of-order events and keeps impossible ones as anomalies', async () => {
    const ref = `V-ooo-${Date.now()}`;
    const at = (d: string) => `2026-03-0${d}T12:00:00+05:00`;
    const officer = { kind: 'officer', id: 'OF-1', unit: 'AP-1' };
    const events = [
      { source: 'sergek-almaty', eventId: `${ref}-p`, violationRef: ref, type: 'paid', occurredAt: at('6'), actor: { kind: 'treasury', id: 'KZT' }, payload: { amount: 7384 } },
      { source: 'sergek-almaty', eventId: `${ref}-c`, violationRef: ref, type: 'cancelled', occurredAt: at('5'), actor: officer, payload: { reasonCode: 'other' } },
      { source: 'sergek-almaty', eventId: `${ref}-n`, violationRef: ref, type: 'notice_issued', occurredAt: at('3'), actor: { kind: 'system', id: 'sys' }, payload: { noticeNumber: 'N-1' } },
      { source: 'sergek-almaty', eventId: `${ref}-k`, violationRef: ref, type: 'confirmed', occurredAt: at('2'), actor: officer, payload: {} },
    ];
    // Everything but the detection first: kept, not dropped.
    expect((await post('/v1/events/batch', events)).json().summary.accepted).toBe(4);
    await post('/v1/events/batch', [detection({ violationRef: ref, eventId: `${ref}-d`, occurredAt: at('1') })]);
    const res = await t.app.inject({ method: 'GET', url: `/v1/violations/${ref}`, headers: { authorization: `Bearer ${t.keys.prosecutor}` } });
    const body = res.json();
    expect(body.violation.status).toBe('cancelled');
    expect(body.timeline.map((e: { event: { type: string } }) => e.event.type)).toEqual(['detected', 'confirmed', 'notice_issued', 'cancelled', 'paid']);
    expect(body.violation.anomalies).toEqual([expect.objectContaining({ code: 'impossible_transition', eventId: `${ref}-p` })]);
  });

  it('streams NDJSON and answers per line, naming unparseable lines', async () => {
    const lines = [JSON.stringify(detection()), '{not json', JSON.stringify(detection())].join('\n');
    const res = await post('/v1/events/batch', lines, t.keys.source, 'application/x-ndjson');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.summary).toMatchObject({ accepted: 2, rejected: 1 });
    expect(body.results[1].reasons[0].message).toMatch(/line 2 is not valid JSON/u);
  });

  it('refuses too many events with 413 and writes none of them', async () => {
    const before = await count('SELECT count(*) AS n FROM ledger_event');
    const res = await post('/v1/events/batch', Array.from({ length: 51 }, () => detection()));
    expect(res.statusCode).toBe(413);
    expect(res.json().reasons[0].message).toMatch(/limit is 50/u);
    const ndjson = await post('/v1/events/batch', Array.from({ length: 51 }, () => JSON.stringify(detection())).join('\n'), t.keys.source, 'application/x-ndjson');
    expect(ndjson.statusCode).toBe(413);
    expect(await count('SELECT count(*) AS n FROM ledger_event')).toBe(before);
  });

  it('refuses an oversized body with 413', async () => {
    const big = [detection({ payload: { article: 'x'.repeat(60), plate: '1' } })];
    const res = await post('/v1/events/batch', JSON.stringify(big).padEnd(250_000, ' '));
    expect(res.statusCode).toBe(413);
    expect(res.json().reasons[0].path).toBe('(body)');
  });

  it('refuses a body that is not an array, and an empty batch', async () => {
    expect((await post('/v1/events/batch', detection())).statusCode).toBe(400);
    expect((await post('/v1/events/batch', [])).statusCode).toBe(400);
  });

  it('records a conflicting duplicate inside one batch and accepts the first', async () => {
    const event = detection();
    const other = { ...event, payload: { ...(event['payload'] as object), speed: 61 } };
    const body = (await post('/v1/events/batch', [event, other])).json();
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected']);
    expect(await count('SELECT count(*) AS n FROM ingest_conflict WHERE event_id = $1', [event['eventId']])).toBe(1);
  });

  it('refuses unknown and missing credentials', async () => {
    expect((await post('/v1/events/batch', [detection()], 'qdg_nope')).statusCode).toBe(401);
    const res = await t.app.inject({ method: 'POST', url: '/v1/events/batch', payload: [detection()] });
    expect(res.statusCode).toBe(401);
  });
});

describe('read side', () => {
  it("finds a plate's violations however the plate is typed, with what is owed now", async () => {
    const plate = '555 КМТ 02'; // Cyrillic К, М, Т
    const a = detection({ payload: { plate, article: '592', fine: { amount: 7384 } } });
    const b = detection({ payload: { plate: '555kmt02', article: '592', fine: { amount: 3692 } } });
    await post('/v1/events/batch', [a, b]);
    const officer = { kind: 'officer', id: 'OF-9' };
    await post('/v1/events/batch', [
      { ...detection(), type: 'confirmed', violationRef: a['violationRef'], actor: officer, payload: {} },
      { ...detection(), type: 'rejected', violationRef: b['violationRef'], actor: officer, payload: { reasonCode: 'plate_misread' } },
    ]);
    const res = await t.app.inject({ method: 'GET', url: `/v1/plates/${encodeURIComponent('555 KMT 02')}/violations`, headers: { authorization: `Bearer ${t.keys.prosecutor}` } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.plateKey).toBe('555KMT02');
    expect(body.violations).toHaveLength(2);
    expect(body.totalOwed).toBe(7384);
    expect(body.openCount).toBe(1);
    expect(await count("SELECT count(*) AS n FROM access_log WHERE action = 'view_plate' AND subject_id = '555 KMT 02'")).toBe(1);
  });

  it('counts violations and events by type and source', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/ledger/stats', headers: { authorization: `Bearer ${t.keys.rule_author}` } });
    const body = res.json();
    expect(body.events).toBe(await count('SELECT count(*) AS n FROM ledger_event'));
    expect(body.violations).toBe(await count('SELECT count(*) AS n FROM violation'));
    expect(body.eventsByType['detected']).toBe(await count("SELECT count(*) AS n FROM ledger_event WHERE type = 'detected'"));
    expect(body.conflicts).toBe(await count('SELECT count(*) AS n FROM ingest_conflict'));
  });
});
