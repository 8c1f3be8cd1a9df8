import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { testRedisUrl } from '@qadaga/db/testing';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';

/**
 * The client's address decides how many sign-in attempts it gets and is written to the
 * access log. A header the client writes itself must not choose it: only a proxy the
 * operator listed (TRUSTED_PROXIES) may say who stands behind it.
 */
let t: TestApp;
async function forgetAttempts(): Promise<void> {
  const redis = new Redis(testRedisUrl());
  const stale = await redis.keys('qadaga:login*');
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
}
beforeEach(forgetAttempts);
afterEach(async () => t?.close());

/** Until its Redis connection is up, a fresh process counts one attempt on its own; start counting in Redis. */
async function start(env: Record<string, string> = {}): Promise<TestApp> {
  const app = await startTestApp(env);
  await app.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: TEST_PASSWORD }, remoteAddress: '192.0.2.250' });
  return app;
}

const login = (password: string, remoteAddress: string, forwardedFor?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { username: 'prosecutor', password },
    remoteAddress,
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  });

describe('the client address', () => {
  it('is the connecting address when no proxy is trusted: a rotated X-Forwarded-For gains no attempts', async () => {
    t = await start({ LOGIN_ATTEMPTS_PER_MINUTE: '3' });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await login('guess', '203.0.113.7', `198.51.100.${i + 1}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429, 429]);
    const { rows } = await t.pool.query<{ principal: string }>(`SELECT principal FROM access_log WHERE action = 'sign_in_failed' ORDER BY id`);
    expect(rows.map((r) => r.principal)).toEqual(['anonymous:203.0.113.7', 'anonymous:203.0.113.7', 'anonymous:203.0.113.7']);
  });

  it('records the connecting address on a successful sign-in, not the one the client claims', async () => {
    t = await start();
    expect((await login(TEST_PASSWORD, '203.0.113.8', '192.0.2.99')).statusCode).toBe(200);
    const { rows } = await t.pool.query<{ details: { ip: string } }>(`SELECT details FROM access_log WHERE action = 'sign_in' ORDER BY id DESC LIMIT 1`);
    expect(rows[0]?.details.ip).toBe('203.0.113.8');
  });

  it('is taken from X-Forwarded-For only through a listed proxy, and then counted per real client', async () => {
    t = await start({ LOGIN_ATTEMPTS_PER_MINUTE: '2', TRUSTED_PROXIES: '10.1.0.0/16, 127.0.0.1' });
    // Through the trusted proxy, two clients each get their own attempts.
    const a = [await login('guess', '10.1.2.3', '198.51.100.1'), await login('guess', '10.1.2.3', '198.51.100.1'), await login('guess', '10.1.2.3', '198.51.100.1')];
    expect(a.map((r) => r.statusCode)).toEqual([401, 401, 429]);
    expect((await login('guess', '10.1.2.3', '198.51.100.2')).statusCode).toBe(401);
    // An untrusted address that sends the header is judged by its own address.
    const b = [await login('guess', '203.0.113.9', '198.51.100.3'), await login('guess', '203.0.113.9', '198.51.100.4'), await login('guess', '203.0.113.9', '198.51.100.5')];
    expect(b.map((r) => r.statusCode)).toEqual([401, 401, 429]);
    const { rows } = await t.pool.query<{ principal: string }>(`SELECT principal FROM access_log WHERE action = 'sign_in_failed' ORDER BY id`);
    expect(rows.map((r) => r.principal)).toEqual([
      'anonymous:198.51.100.1',
      'anonymous:198.51.100.1',
      'anonymous:198.51.100.2',
      'anonymous:203.0.113.9',
      'anonymous:203.0.113.9',
    ]);
  });

  it('counts a credential never issued as a failed sign-in of its address: guessing tokens is guessing passwords', async () => {
    t = await start({ LOGIN_ATTEMPTS_PER_MINUTE: '3' });
    const guess = (remoteAddress: string, token: string) => t.app.inject({ method: 'GET', url: '/v1/flags', remoteAddress, headers: { authorization: `Bearer qds_${token}` } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await guess('203.0.113.20', `guess${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    // The same address signing in with a password is held too, while others are not.
    expect((await login(TEST_PASSWORD, '203.0.113.20')).statusCode).toBe(429);
    expect((await guess('203.0.113.21', 'other')).statusCode).toBe(401);
    // A session that ended is no guess: an office behind one address is not locked out by its own expired sessions.
    const ended = await t.signIn('prosecutor2');
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: ended, remoteAddress: '203.0.113.22' })).statusCode).toBe(204);
    for (let i = 0; i < 5; i++) expect((await t.app.inject({ method: 'GET', url: '/v1/flags', remoteAddress: '203.0.113.22', headers: ended })).statusCode).toBe(401);
    // A valid credential is never slowed by the guesses made from its address.
    const valid = await t.signIn('prosecutor');
    expect((await t.app.inject({ method: 'GET', url: '/v1/flags', remoteAddress: '203.0.113.20', headers: valid })).statusCode).toBe(200);
  });
});

