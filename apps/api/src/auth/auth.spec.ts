import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { AccessLogVerifier } from '@qadaga/ledger';
import { testRedisUrl } from '@qadaga/db/testing';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  // Attempt counts live in Redis for a minute: start from none, as a fresh deployment would.
  const redis = new Redis(testRedisUrl());
  const stale = await redis.keys('qadaga:login*');
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
  t = await startTestApp({ LOGIN_ATTEMPTS_PER_MINUTE: '5' });
});
afterAll(async () => t.close());

const login = (username: string, password: string, remoteAddress = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password }, remoteAddress });

describe('signing in', () => {
  it('answers a session token that expires, and the user with roles and language', async () => {
    const res = await login('prosecutor', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token).toMatch(/^qds_/u);
    const ttl = Date.parse(body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(7.9 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(8 * 3_600_000);
    expect(body.user).toMatchObject({ username: 'prosecutor', roles: ['prosecutor'], locale: 'ru', officerId: null });

    const me = await t.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${body.token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(t.users.prosecutor.id);
  });

  it('refuses a wrong password and an unknown name alike, and records both', async () => {
    const wrong = await login('prosecutor', 'guess', '10.0.0.2');
    const unknown = await login('nobody', 'guess', '10.0.0.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
    const { rows } = await t.pool.query(`SELECT subject_id FROM access_log WHERE action = 'sign_in_failed' ORDER BY id`);
    expect(rows.map((r) => r.subject_id)).toEqual(['prosecutor', 'nobody']);
  });

  it('names the missing field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'prosecutor' }, remoteAddress: '10.0.0.3' });
    expect(res.statusCode).toBe(422);
    expect(res.json().reasons).toContainEqual(expect.objectContaining({ path: 'password', code: 'invalid_type', message: expect.stringMatching(/expected string/u) }));
  });

  it('limits attempts per address, and other addresses are not affected', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await login('prosecutor', 'guess', '10.9.9.9')).statusCode);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429]);
    const blocked = await login('prosecutor', TEST_PASSWORD, '10.9.9.9');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().message).toMatch(/too many sign-in attempts/u);
    expect((await login('prosecutor', TEST_PASSWORD, '10.9.9.10')).statusCode).toBe(200);
  });

  it('ends the session on sign-out, and refuses an expired one', async () => {
    const a = await t.signIn('auditor');
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: a })).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/v1/me', headers: a });
    expect(after.statusCode).toBe(401);

    const b = await t.signIn('admin');
    await t.pool.query(`UPDATE user_session SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [t.users.admin.id]);
    // The per-process cache trusts a lookup for a few seconds at most; a fresh token was never cached as expired.
    await new Promise((r) => setTimeout(r, 5_100));
    expect((await t.app.inject({ method: 'GET', url: '/v1/me', headers: b })).statusCode).toBe(401);
  });

  it('switches the language per user, and refuses an unknown one naming the field', async () => {
    const auth = await t.signIn('author');
    const ok = await t.app.inject({ method: 'PUT', url: '/v1/me/locale', headers: auth, payload: { locale: 'kk' } });
    expect(ok.json().locale).toBe('kk');
    const bad = await t.app.inject({ method: 'PUT', url: '/v1/me/locale', headers: auth, payload: { locale: 'de' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().reasons[0].path).toBe('locale');
  });

  it('stores only a slow hash of the password', async () => {
    const { rows } = await t.pool.query(`SELECT password_hash FROM app_user WHERE username = 'prosecutor'`);
    expect(rows[0].password_hash).toMatch(/^scrypt\$32768\$8\$1\$/u);
    expect(rows[0].password_hash).not.toContain(TEST_PASSWORD);
  });

  it('chains every sign-in and sign-out into the access log, which verifies', async () => {
    const report = await new AccessLogVerifier(t.pool).verify();
    expect(report.ok).toBe(true);
    expect(report.rowsChecked).toBeGreaterThanOrEqual(8);
  });
});
