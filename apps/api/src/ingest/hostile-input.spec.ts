import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detection, startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * Client input the contract must refuse item by item (or, where the body itself is not
 * text, as a whole), never with a 5xx: a 500 makes an obedient source retry a poisoned
 * batch forever, and stores none of its good events meanwhile.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

type Body = string | Buffer;
const post = (url: string, body: Body, contentType = 'application/json') =>
  t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${t.keys.source}`, 'content-type': contentType }, payload: body });

const asArray = (events: readonly unknown[]): string => JSON.stringify(events);

async function stored(eventIds: readonly string[]): Promise<string[]> {
  const { rows } = await t.pool.query<{ event_id: string }>("SELECT event_id FROM ledger_event WHERE source = 'sergek-almaty' AND event_id = ANY($1::text[]) ORDER BY event_id", [eventIds]);
  return rows.map((r) => r.event_id);
}

interface Reason {
  path: string;
  message: string;
}
interface Outcome {
  status: string;
  eventId: string | null;
  reasons?: Reason[];
}

/** Sends [good, bad, good] in one form and checks the bad one alone is refused, naming `path`. */
async function expectOnlyTheBadOneRefused(form: 'array' | 'ndjson', badText: string, path: string | RegExp): Promise<void> {
  const [a, b] = [detection(), detection()];
  const text = form === 'array' ? `[${JSON.stringify(a)},${badText},${JSON.stringify(b)}]` : `${JSON.stringify(a)}\n${badText}\n${JSON.stringify(b)}`;
  const res = await post('/v1/events/batch', text, form === 'array' ? 'application/json' : 'application/x-ndjson');
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json<{ summary: { accepted: number; rejected: number }; results: Outcome[] }>();
  expect(body.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted']);
  expect(body.results[1]?.reasons?.map((r) => r.path)).toContainEqual(typeof path === 'string' ? path : expect.stringMatching(path));
  expect(await stored([a['eventId'] as string, b['eventId'] as string])).toHaveLength(2);
}

describe('a poisoned batch', () => {
  // Written as JSON text: JSON.stringify escapes a lone surrogate as \ud800, as a source would send it.
  const triggers: { name: string; bad: () => string; path: string | RegExp }[] = [
    { name: 'a payload string with a lone surrogate', bad: () => JSON.stringify(detection({ payload: { article: '592', plate: 'AB\ud800' } })), path: 'payload.plate' },
    { name: 'an eventId with a lone low surrogate', bad: () => JSON.stringify(detection({ eventId: 'x\udc00y' })), path: 'eventId' },
    { name: 'an actor id with a lone surrogate', bad: () => JSON.stringify(detection({ actor: { kind: 'camera', id: '\udbff' } })), path: 'actor.id' },
    { name: 'a payload key with a lone surrogate', bad: () => JSON.stringify(detection({ payload: { article: '592', '\ud800': 1 } })), path: /^payload\./u },
    { name: 'an empty payload key', bad: () => JSON.stringify(detection({ payload: { article: '592', '': 1 } })), path: 'payload.""' },
    { name: 'an offset of +99:99', bad: () => JSON.stringify(detection({ occurredAt: '2026-03-01T10:15:00+99:99' })), path: 'occurredAt' },
    { name: 'an offset beyond +14:00', bad: () => JSON.stringify(detection({ recordedAt: '2026-03-01T10:15:00+14:30' })), path: 'recordedAt' },
    { name: 'an offset with 60 minutes', bad: () => JSON.stringify(detection({ occurredAt: '2026-03-01T10:15:00-05:60' })), path: 'occurredAt' },
    { name: 'a fine amount of 1e15', bad: () => JSON.stringify(detection({ payload: { article: '592', fine: { amount: 1e15 } } })), path: 'payload.fine.amount' },
    { name: 'a payment of 1e13', bad: () => JSON.stringify(detection({ type: 'paid', actor: { kind: 'treasury', id: 'KZT' }, payload: { amount: 1e13 } })), path: 'payload.amount' },
    { name: 'an amended amount of -1e14', bad: () => JSON.stringify(detection({ type: 'amended', actor: { kind: 'system', id: 's' }, payload: { field: 'amount', before: 1, after: -1e14 } })), path: 'payload.after' },
    { name: 'a number too large for a double', bad: () => JSON.stringify(detection()).replace('"speed":87', '"speed":1e999'), path: 'payload.speed' },
    { name: 'an event nested 5,000 levels deep', bad: () => JSON.stringify(detection({ payload: { article: '592' } })).replace('"592"', `${'['.repeat(5000)}${']'.repeat(5000)}`), path: /^(\(event\)|payload\.article)$/u },
  ];
  for (const form of ['array', 'ndjson'] as const) {
    describe(form === 'array' ? 'as a JSON array' : 'as NDJSON', () => {
      for (const trigger of triggers) {
        it(`refuses ${trigger.name} alone and stores the rest`, async () => {
          await expectOnlyTheBadOneRefused(form, trigger.bad(), trigger.path);
        });
      }
    });
  }

  it('refuses a deep event alone in a JSON array that begins with a byte order mark', async () => {
    const deep = JSON.stringify(detection()).replace('"592.1"', `${'['.repeat(5000)}${']'.repeat(5000)}`);
    for (const [form, body, contentType] of [
      ['array', `\ufeff[${JSON.stringify(detection())},${deep}]`, 'application/json'],
      ['ndjson', `\ufeff${JSON.stringify(detection())}\n${deep}`, 'application/x-ndjson'],
    ] as const) {
      const res = await post('/v1/events/batch', body, contentType);
      expect(res.statusCode, `${form}: ${res.body.slice(0, 300)}`).toBe(200);
      expect(res.json<{ results: Outcome[] }>().results.map((r) => r.status), form).toEqual(['accepted', 'rejected']);
    }
  });

  it('says why an NDJSON line nested too deep is refused, before parsing it', async () => {
    const res = await post('/v1/events/batch', `${JSON.stringify(detection())}\n${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, 'application/x-ndjson');
    expect(res.statusCode).toBe(200);
    expect(res.json<{ results: Outcome[] }>().results[1]?.reasons?.[0]).toMatchObject({ path: '(event)', message: expect.stringMatching(/nest/u) });
  });

  it('refuses a single event with a lone surrogate or a bad offset with 422, naming the field', async () => {
    const surrogate = await post('/v1/events', JSON.stringify(detection({ violationRef: 'V-\ud800' })));
    expect(surrogate.statusCode).toBe(422);
    expect(surrogate.json<Outcome>().reasons?.map((r) => r.path)).toContain('violationRef');
    const offset = await post('/v1/events', JSON.stringify(detection({ occurredAt: '2026-03-01T10:15:00+99:99' })));
    expect(offset.statusCode).toBe(422);
    expect(offset.json<Outcome>().reasons?.map((r) => r.path)).toContain('occurredAt');
  });

  it('keeps payments whose sum exceeds what the read model holds, with no 5xx', async () => {
    const ref = `V-sum-${Date.now()}`;
    const pay = (n: number) => detection({ violationRef: ref, type: 'paid', actor: { kind: 'treasury', id: 'KZT' }, payload: { amount: 900_000_000_000 + n } });
    const first = await post('/v1/events/batch', asArray([detection({ violationRef: ref, payload: { article: '592', fine: { amount: 999_999_999_999.99 } } }), pay(1), pay(2)]));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<{ summary: { accepted: number } }>().summary.accepted).toBe(3);
    const later = await post('/v1/events', JSON.stringify(pay(3)));
    expect(later.statusCode, later.body).toBe(201);
    const { rows } = await t.pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_event WHERE violation_ref = $1', [ref]);
    expect(Number(rows[0]?.n)).toBe(4);
  });
});

describe('copies of one event in one batch', () => {
  it('answers a copy of a conflicting event as a conflict too, never as a duplicate that was not stored', async () => {
    const stored = detection();
    expect((await post('/v1/events', JSON.stringify(stored))).statusCode).toBe(201);
    const changed = { ...stored, payload: { article: 'changed' } };
    const res = await post('/v1/events/batch', asArray([changed, changed]));
    const results = res.json<{ results: (Outcome & { contentHash?: string })[] }>().results;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results[1]?.reasons?.[0]).toMatchObject({ path: 'eventId' });
  });

  it('answers a later copy that matches the stored event as a duplicate, though the first copy conflicts', async () => {
    const stored = detection();
    const first = await post('/v1/events', JSON.stringify(stored));
    const changed = { ...stored, payload: { article: 'changed' } };
    const res = await post('/v1/events/batch', asArray([changed, stored]));
    const results = res.json<{ results: (Outcome & { contentHash?: string })[] }>().results;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'duplicate']);
    expect(results[1]?.contentHash).toBe(first.json<{ contentHash: string }>().contentHash);
  });
});

describe('bytes that are not UTF-8', () => {
  /** An event whose eventId ends in one raw byte, as JSON bytes. */
  const withRawByte = (event: Record<string, unknown>, byte: number): Buffer => {
    const [head, tail] = JSON.stringify(event).split('@@');
    return Buffer.concat([Buffer.from(head as string), Buffer.from([byte]), Buffer.from(tail as string)]);
  };

  for (const form of ['single', 'array', 'ndjson'] as const) {
    it(`refuses them with 400 and never stores a replacement character (${form})`, async () => {
      const id = `utf8-${form}-${Date.now()}-@@`;
      const send = (byte: number) => {
        const event = withRawByte(detection({ eventId: id }), byte);
        if (form === 'single') return post('/v1/events', event);
        if (form === 'array') return post('/v1/events/batch', Buffer.concat([Buffer.from('['), event, Buffer.from(']')]));
        return post('/v1/events/batch', Buffer.concat([Buffer.from(`${JSON.stringify(detection())}\n`), event, Buffer.from('\n')]), 'application/x-ndjson');
      };
      for (const byte of [0xff, 0xfe]) {
        const res = await send(byte);
        expect(res.statusCode, res.body).toBe(400);
        const reason = res.json<{ reasons: Reason[] }>().reasons[0];
        expect(reason?.path).toBe('(body)');
        expect(reason?.message).toMatch(/UTF-8/u);
      }
      const { rows } = await t.pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_event WHERE event_id LIKE $1', [`utf8-${form}-%`]);
      expect(Number(rows[0]?.n)).toBe(0);
    });
  }

  it('refuses a truncated multi-byte sequence and an overlong encoding too', async () => {
    for (const bytes of [[0xd0], [0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
      const text = JSON.stringify([detection({ eventId: 'x@@' })]).split('@@');
      const res = await post('/v1/events/batch', Buffer.concat([Buffer.from(text[0] as string), Buffer.from(bytes), Buffer.from(text[1] as string)]));
      expect(res.statusCode, `${bytes.join(',')}: ${res.body}`).toBe(400);
    }
  });
});

describe('a __proto__ or constructor key', () => {
  const withKey = (key: '__proto__' | 'constructor') => JSON.stringify(detection()).replace('"article"', `"${key}":{"prototype":{"polluted":true}},"article"`);

  for (const key of ['__proto__', 'constructor'] as const) {
    it(`is refused in a JSON array batch as an unknown field, naming it (${key})`, async () => {
      await expectOnlyTheBadOneRefused('array', withKey(key), `payload.${key}`);
    });

    it(`is refused in NDJSON the same way (${key})`, async () => {
      await expectOnlyTheBadOneRefused('ndjson', withKey(key), `payload.${key}`);
    });

    it(`is refused in a single event with 422, naming it (${key})`, async () => {
      const res = await post('/v1/events', withKey(key));
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json<Outcome>().reasons?.map((r) => r.path)).toContain(`payload.${key}`);
    });

    it(`is refused in any other JSON body with 400, naming where it is (${key})`, async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: `{"username":"nobody","password":"x","profile":{"${key}":{"prototype":{"admin":true}}}}`,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ reasons: Reason[] }>().reasons[0]).toMatchObject({ path: `profile.${key}` });
      expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    });
  }

  it('does not pollute any prototype on the way', async () => {
    await post('/v1/events/batch', `[${JSON.stringify(detection()).replace('"payload"', '"__proto__":{"polluted":true},"payload"')}]`);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
