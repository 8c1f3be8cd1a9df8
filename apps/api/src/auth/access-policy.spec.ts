import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../app.factory.js';
import { startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * Who may call what, written down independently of the decorators: the test proves the
 * server enforces this table, and fails when an endpoint exists that the table does not
 * list, so no endpoint can be added without stating its roles.
 */
type Caller = 'anonymous' | 'source' | 'prosecutor' | 'rule_author' | 'auditor' | 'admin';
const EVERYONE: Caller[] = ['anonymous', 'source', 'prosecutor', 'rule_author', 'auditor', 'admin'];

const POLICY: Record<string, Caller[]> = {
  'POST /v1/events': ['source'],
  'POST /v1/events/batch': ['source'],
  'GET /v1/violations/:ref': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/plates/:plate/violations': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/ledger/stats': ['prosecutor', 'rule_author', 'auditor', 'admin'],
  'POST /v1/ledger/verify': ['auditor', 'admin'],
  'GET /health/live': EVERYONE,
  'GET /health/ready': EVERYONE,
};

/** The API description itself is public: it holds no data. */
const isDocs = (url: string) => url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs-');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('access policy', () => {
  it('lists every registered endpoint', () => {
    const registered = registeredRoutes(t.app)
      .filter((r) => !isDocs(r.url))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(registered).toEqual(Object.keys(POLICY).sort());
  });

  for (const [route, allowed] of Object.entries(POLICY)) {
    for (const caller of EVERYONE) {
      const may = allowed.includes(caller);
      it(`${may ? 'lets' : 'refuses'} ${caller} ${may ? 'call' : 'calling'} ${route}`, async () => {
        const [method, template] = route.split(' ') as [string, string];
        const url = template.replace(':ref', 'V-none').replace(':plate', '123ABC02');
        const key = caller === 'anonymous' ? undefined : t.keys[caller];
        const res = await t.app.inject({
          method: method as 'GET' | 'POST',
          url,
          headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
          ...(method === 'POST' ? { payload: url.endsWith('batch') ? [] : {} } : {}),
        });
        if (may) expect([401, 403]).not.toContain(res.statusCode);
        else expect(res.statusCode).toBe(caller === 'anonymous' ? 401 : 403);
      });
    }
  }
});
