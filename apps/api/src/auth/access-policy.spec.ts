import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEndpoints, startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * Who may call what, written down independently of the decorators: the test proves the
 * server enforces this table, and fails when an endpoint exists that the table does not
 * list, so no endpoint can be added without stating its roles.
 */
type Caller = 'anonymous' | 'source' | 'prosecutor' | 'rule_author' | 'auditor' | 'admin';
const EVERYONE: Caller[] = ['anonymous', 'source', 'prosecutor', 'rule_author', 'auditor', 'admin'];
/** Endpoints for people signed in, whatever their role. */
const PEOPLE: Caller[] = ['prosecutor', 'rule_author', 'auditor', 'admin'];

const POLICY: Record<string, Caller[]> = {
  'POST /v1/events': ['source'],
  'POST /v1/events/batch': ['source'],
  'GET /v1/violations/:ref': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/plates/:plate/violations': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/ledger/stats': ['prosecutor', 'rule_author', 'auditor', 'admin'],
  'POST /v1/ledger/verify': ['auditor', 'admin'],
  'GET /v1/flags': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/flags/:id': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/flags/export.csv': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/me/views': ['prosecutor', 'auditor', 'admin'],
  'POST /v1/me/views': ['prosecutor', 'auditor', 'admin'],
  'DELETE /v1/me/views/:id': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/bundles': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/reference/officers': ['prosecutor', 'auditor', 'admin'],
  'POST /v1/flags/:id/status': ['prosecutor', 'admin'],
  'POST /v1/flags/:id/comments': ['prosecutor', 'admin'],
  'POST /v1/flags/:id/assign': ['prosecutor', 'admin'],
  'GET /v1/me/work': ['prosecutor', 'admin'],
  'POST /v1/suppressions': ['prosecutor', 'admin'],
  'GET /v1/rules': ['rule_author', 'prosecutor', 'auditor', 'admin'],
  'GET /v1/rules/:id': ['rule_author', 'prosecutor', 'auditor', 'admin'],
  'GET /v1/rule-schema': ['rule_author', 'admin'],
  'PUT /v1/rules/:id/draft': ['rule_author', 'admin'],
  'POST /v1/rules/:id/versions/:version/submit': ['rule_author', 'admin'],
  'POST /v1/rules/:id/versions/:version/approve': ['rule_author', 'admin'],
  'POST /v1/rules/:id/versions/:version/publish': ['rule_author', 'admin'],
  'POST /v1/rules/backtest': ['rule_author', 'admin'],
  'GET /v1/rules/backtests/:id': ['rule_author', 'admin'],
  'POST /v1/sweeps': ['rule_author', 'admin'],
  'GET /v1/sweeps/:id': ['rule_author', 'admin'],
  'GET /v1/coverage': ['rule_author', 'prosecutor', 'auditor', 'admin'],
  'GET /v1/jobs': ['auditor', 'admin'],
  'POST /v1/jobs/:queue/:id/retry': ['admin'],
  'POST /v1/reference': ['admin'],
  'POST /v1/auth/login': EVERYONE,
  'POST /v1/auth/logout': PEOPLE,
  'GET /v1/me': PEOPLE,
  'PUT /v1/me/locale': PEOPLE,
  'GET /v1/users': ['prosecutor', 'auditor', 'admin'],
  'POST /v1/flags/bulk-status': ['prosecutor', 'admin'],
  'POST /v1/reveal': PEOPLE,
  'POST /v1/cases': ['prosecutor', 'admin'],
  'GET /v1/cases': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/cases/overdue': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/cases/:id': ['prosecutor', 'auditor', 'admin'],
  'POST /v1/cases/:id/flags': ['prosecutor', 'admin'],
  'POST /v1/cases/:id/notes': ['prosecutor', 'admin'],
  'POST /v1/cases/:id/attachments': ['prosecutor', 'admin'],
  'GET /v1/cases/:id/attachments/:attachmentId': ['prosecutor', 'auditor', 'admin'],
  'POST /v1/cases/:id/assign': ['prosecutor', 'admin'],
  'POST /v1/cases/:id/due': ['prosecutor', 'admin'],
  'POST /v1/cases/:id/status': ['prosecutor', 'admin'],
  'POST /v1/cases/:id/close-request': ['prosecutor', 'admin'],
  'POST /v1/cases/:id/close-approve': ['prosecutor', 'admin'],
  'POST /v1/cases/:id/close-reject': ['prosecutor', 'admin'],
  'POST /v1/cases/:id/tasks': ['prosecutor', 'admin'],
  'POST /v1/cases/:id/tasks/:taskId/done': ['prosecutor', 'admin'],
  'POST /v1/cases/:id/tasks/:taskId/reopen': ['prosecutor', 'admin'],
  'POST /v1/cases/:id/bundles': ['prosecutor', 'auditor', 'admin'],
  'POST /v1/bundles': ['auditor', 'admin'],
  'GET /v1/bundles/:id': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/bundles/:id/download': ['prosecutor', 'auditor', 'admin'],
  'POST /v1/bundles/verify': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/checkpoints/latest': PEOPLE,
  'GET /v1/checkpoints': ['auditor', 'admin'],
  'GET /v1/keys': EVERYONE,
  'POST /v1/access-log/verify': ['auditor', 'admin'],
  'GET /v1/integrity/alarms': ['auditor', 'admin'],
  'GET /v1/officers/:id/profile': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/vehicles/:plate/profile': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/cameras/:id/profile': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/search': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/places': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/officers/:id/places': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/units/:id/places': ['prosecutor', 'auditor', 'admin'],
  'GET /v1/public/stats': EVERYONE,
  'GET /v1/public/stats.csv': EVERYONE,
  'GET /v1/public/stats.geojson': EVERYONE,
  'GET /v1/public/districts': EVERYONE,
  'GET /health/live': EVERYONE,
  'GET /health/ready': EVERYONE,
};


/** People call as signed-in users of their role; source systems with their key. */
const USER_OF = { prosecutor: 'prosecutor', rule_author: 'author', auditor: 'auditor', admin: 'admin' } as const;

let t: TestApp;
const sessions: Partial<Record<Caller, string>> = {};
beforeAll(async () => {
  t = await startTestApp();
  for (const [role, user] of Object.entries(USER_OF)) sessions[role as Caller] = (await t.signIn(user)).authorization;
  sessions.source = `Bearer ${t.keys.source}`;
});
afterAll(async () => t.close());

describe('access policy', () => {
  it('lists every registered endpoint', () => {
    const registered = apiEndpoints(t.app);
    expect(registered).toEqual(Object.keys(POLICY).sort());
  });

  for (const [route, allowed] of Object.entries(POLICY)) {
    for (const caller of EVERYONE) {
      const may = allowed.includes(caller);
      it(`${may ? 'lets' : 'refuses'} ${caller} ${may ? 'call' : 'calling'} ${route}`, async () => {
        const [method, template] = route.split(' ') as [string, string];
        const url = template
          .replace(':ref', 'V-none')
          .replace(':plate', '123ABC02')
          .replace(':id', /\/(flags|cases|bundles)\//u.test(route) ? '00000000-0000-4000-8000-000000000000' : 'none')
          .replace(':attachmentId', '00000000-0000-4000-8000-000000000001')
          .replace(':version', '1');
        // Signing out ends the session: that call gets a session of its own.
        const authorization =
          caller === 'anonymous' ? undefined
          : route === 'POST /v1/auth/logout' && caller !== 'source' ? (await t.signIn(USER_OF[caller])).authorization
          : sessions[caller];
        const res = await t.app.inject({
          method: method as 'GET' | 'POST' | 'PUT',
          url,
          headers: authorization === undefined ? {} : { authorization },
          ...(method === 'POST' || method === 'PUT' ? { payload: url.endsWith('batch') ? [] : {} } : {}),
        });
        if (may) expect([401, 403]).not.toContain(res.statusCode);
        else expect(res.statusCode).toBe(caller === 'anonymous' ? 401 : 403);
      });
    }
  }
});
