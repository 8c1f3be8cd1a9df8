import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
});
afterAll(async () => t.close());

describe('rate limit', () => {
  it('answers 429 with a reason beyond the configured requests per minute per key, and spares other keys', async () => {
    const call = (key: string) => t.app.inject({ method: 'GET', url: '/v1/ledger/stats', headers: { authorization: `Bearer ${key}` } });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await call(t.keys.prosecutor)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await call(t.keys.prosecutor);
    expect(refused.json()).toMatchObject({ statusCode: 429, reasons: [expect.objectContaining({ message: expect.stringMatching(/rate limit/iu) })] });
    expect((await call(t.keys.auditor)).statusCode).toBe(200);
  });

  it('never limits the health probes', async () => {
    for (let i = 0; i < 5; i += 1) expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});
