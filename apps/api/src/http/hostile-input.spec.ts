import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../app.factory.js';
import { insertFlag, startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * Whatever a client sends, the answer is never a 5xx: every endpoint, called as a user
 * allowed to call it, with path parameters and bodies no screen would send. The ingest
 * endpoints have a fuzz suite of their own (ingest-fuzz.spec.ts); here every other one is
 * walked, with fixed hostile values and JSON that fast-check generates from a fixed seed.
 */

const HOSTILE_PARAMS = [
  'none',
  '0',
  '-1',
  '99999999999999999999999',
  'NaN',
  '%00',
  'a%00b',
  '%C3%28',
  '%ED%A0%80',
  '%FF%FE',
  encodeURIComponent('\u{1F697}'),
  encodeURIComponent('ОФ-201'),
  '..%2F..%2Fetc%2Fpasswd',
  encodeURIComponent("' OR 1=1 --"),
  'A'.repeat(5_000),
  '00000000-0000-4000-8000-000000000000',
  'FFFFFFFF-FFFF-4FFF-8FFF-FFFFFFFFFFFF',
  '00000000-0000-0000-0000-00000000000g',
];

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const HOSTILE_BODIES: string[] = [
  '',
  'null',
  '[]',
  '"text"',
  '1e309',
  '{"__proto__": {"admin": true}}',
  '{"constructor": {"prototype": {"admin": true}}}',
  '{"reason": "\\ud800 lone surrogate here", "text": "\\udfff"}',
  '{"reason": "nul \\u0000 byte", "title": "\\u0000"}',
  deep(5_000),
  `{"a": ${deep(2_000)}}`,
  '{"limit": 1e300, "offset": -1, "from": "2026-03-01T10:15:00+99:99", "to": "0000-00-00T00:00:00Z"}',
  '{"flagIds": ["X"], "ids": [null], "subjects": [{"kind": 1}], "query": {"from": [], "to": {}}}',
  `{"text": "${'x'.repeat(200_000)}"}`,
  '{"unterminated": ',
];
const HOSTILE_QUERIES = ['?limit=-1&offset=1e400', '?from=2026-13-45T99:99:99Z&to=x', '?state=%00&queue=__proto__', '?subject=%00', '?status=,,,&severity=%FF'];

const skipped = new Set(['POST /v1/events', 'POST /v1/events/batch']);

let t: TestApp;
const sessions: Record<string, { authorization: string }> = {};
beforeAll(async () => {
  t = await startTestApp();
  // The admin may call every endpoint but the source systems' own.
  sessions['admin'] = await t.signIn('admin');
});
afterAll(async () => t.close());

function fill(template: string, value: string): string {
  return template.replace(/:[A-Za-z]+/gu, value);
}

/** Every status answered, so the walk can show it reached the handlers and was not turned away at the door. */
const seen = new Map<number, number>();

async function send(method: string, url: string, body: string | undefined): Promise<{ status: number; text: string }> {
  // Signing out ends the session used: that call gets one of its own.
  const endsSession = new URL(url, 'http://api').pathname === '/v1/auth/logout';
  const headers = { ...(endsSession ? await t.signIn('admin') : sessions['admin']) };
  const res = await t.app.inject({
    method: method as 'GET',
    url,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { payload: body }),
  });
  seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
  return { status: res.statusCode, text: res.body.slice(0, 300) };
}

describe('hostile input on every endpoint', () => {
  it('never answers a 5xx to hostile path parameters, queries and bodies', async () => {
    const routes = registeredRoutes(t.app).filter((r) => !r.url.startsWith('/docs') && !skipped.has(`${r.method} ${r.url}`));
    expect(routes.length).toBeGreaterThan(40);
    const failures: string[] = [];
    for (const route of routes) {
      const hasBody = route.method === 'POST' || route.method === 'PUT';
      const urls = route.url.includes(':') ? HOSTILE_PARAMS.map((p) => fill(route.url, p)) : [route.url];
      for (const url of [...urls, ...HOSTILE_QUERIES.map((q) => fill(route.url, 'none') + q)]) {
        const { status, text } = await send(route.method, url, hasBody ? '{}' : undefined);
        if (status >= 500) failures.push(`${route.method} ${url.slice(0, 120)} -> ${status} ${text}`);
      }
      if (!hasBody) continue;
      for (const body of HOSTILE_BODIES) {
        const { status, text } = await send(route.method, fill(route.url, '00000000-0000-4000-8000-000000000000'), body);
        if (status >= 500) failures.push(`${route.method} ${route.url} body ${body.slice(0, 60)} -> ${status} ${text}`);
      }
    }
    expect(failures).toEqual([]);
    // Refusals of every kind, and answers: the requests reached the parsers, the checks and the database.
    for (const status of [200, 400, 404, 422]) expect(seen.get(status) ?? 0, `answers with ${status}`).toBeGreaterThan(0);
  });

  it('refuses text no column can store (NUL, a lone surrogate) by field, and changes nothing', async () => {
    const flag = await insertFlag(t.pool);
    const json = (url: string, body: string) => t.app.inject({ method: 'POST', url, headers: { ...sessions['admin'], 'content-type': 'application/json' }, payload: body });
    const status = await json(`/v1/flags/${flag}/status`, '{"status": "dismissed", "reason": "seen \\ud800 here"}');
    expect(status.statusCode, status.body).toBe(422);
    expect(status.json().reasons).toEqual([{ path: 'reason', message: 'must not contain NUL characters or unpaired UTF-16 surrogates' }]);
    const { rows } = await t.pool.query<{ status: string }>('SELECT status FROM flag WHERE id = $1', [flag]);
    expect(rows[0]?.status).toBe('new');
    const opened = await json('/v1/cases', `{"title": "about \\u0000 nothing", "flagIds": ["${flag}"]}`);
    expect(opened.statusCode, opened.body).toBe(422);
    expect(opened.json().reasons).toEqual([{ path: 'title', message: 'must not contain NUL characters or unpaired UTF-16 surrogates' }]);
    const key = await json('/v1/cases', `{"title": "ok title", "flagIds": ["${flag}"], "\\udfff": 1}`);
    expect(key.statusCode, key.body).toBe(422);
    expect(key.json().reasons[0].path).toBe('"\\udfff"');
  });

  it('never answers a 5xx to generated JSON bodies (seeded, reproducible)', async () => {
    const seed = Number(process.env['FUZZ_SEED'] ?? 20261207);
    const routes = registeredRoutes(t.app).filter((r) => (r.method === 'POST' || r.method === 'PUT') && !skipped.has(`${r.method} ${r.url}`) && !r.url.endsWith('/auth/logout'));
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }), async (route, value) => {
        const { status, text } = await send(route.method, fill(route.url, '00000000-0000-4000-8000-000000000000'), JSON.stringify(value));
        if (status >= 500) failures.push(`${route.method} ${route.url} -> ${status} ${text}`);
        return status < 500;
      }),
      { seed, numRuns: 1_500 },
    );
    expect(failures).toEqual([]);
  });
});
