import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEndpoints, startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * The API serving a built workbench (WEB_DIST_DIR) on its own origin, against a small
 * build laid out as Vite lays it out, with a secret file beside it that no path may reach.
 */
const PAGE = '<!doctype html><title>Qadaga</title><div id="root"></div>';
const ASSET = 'console.log("workbench");';
const SECRET = 'outside the build';

let base: string;
let t: TestApp;

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'qadaga-web-'));
  const dist = path.join(base, 'dist');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), PAGE);
  writeFileSync(path.join(dist, 'assets/index-B3x9kQ1z.js'), ASSET);
  writeFileSync(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(dist, '.env'), SECRET);
  writeFileSync(path.join(base, 'secret.txt'), SECRET);
  t = await startTestApp({ WEB_DIST_DIR: dist });
});

afterAll(async () => {
  await t.close();
  rmSync(base, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

describe('the workbench served by the API', () => {
  it('answers / with the page, revalidated on every load', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/u);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toBe(PAGE);
  });

  it('answers a deep workbench route with the page, so a reload or a shared link works', async () => {
    for (const url of ['/flags/3f0c2a9e-1b7d-4c11-9a55-0d6f1e2b7c44', '/rules/officer-outlier-rate?tab=backtest', '/profiles/vehicle/123%20%D0%90%D0%92%D0%A1%2002', '/sign-in']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(PAGE);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('serves a hashed asset to be kept for a year, and revalidates an unhashed file', async () => {
    const asset = await get('/assets/index-B3x9kQ1z.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/u);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe(ASSET);
    const icon = await get('/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
    const again = await get('/favicon.svg', { 'if-none-match': String(icon.headers['etag']) });
    expect(again.statusCode).toBe(304);
  });

  it('answers a missing hashed asset with 404, not the page', async () => {
    expect((await get('/assets/index-OLDHASH.js')).statusCode).toBe(404);
  });

  it('leaves /v1, /health and /docs to the API, their misses included', async () => {
    expect((await get('/health/live')).statusCode).toBe(200);
    expect((await get('/v1/me')).statusCode).toBe(401);
    expect((await get('/v1/me', await t.signIn('prosecutor'))).json()).toMatchObject({ username: 'prosecutor' });
    expect((await get('/docs/openapi.json')).json()).toHaveProperty('openapi');
    for (const url of ['/v1/no-such-endpoint', '/v1', '/health/none', '/docs/none.js']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('<title>Qadaga</title>');
    }
  });

  it('answers every path that reaches outside the build, or a hidden file in it, with 404', async () => {
    // Over a real socket: an HTTP client library would tidy these paths before sending them.
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.getHttpServer().address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const rawGet = (url: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: url, method: 'GET' }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    for (const url of ['/../secret.txt', '/assets/../../secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%5csecret.txt', '/.env']) {
      const res = await rawGet(url);
      expect(res.status, url).toBe(404);
      expect(res.body, url).not.toContain(SECRET);
    }
  });

  it('keeps the pages out of the API endpoint list the access policy is held to', () => {
    expect(apiEndpoints(t.app).filter((e) => !e.includes(' /v1/') && !e.includes(' /health/'))).toEqual([]);
  });
});

describe('the API without WEB_DIST_DIR', () => {
  it('serves no pages', async () => {
    const bare = await startTestApp();
    try {
      expect((await bare.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
      expect((await bare.app.inject({ method: 'GET', url: '/flags' })).statusCode).toBe(404);
      // The API works as ever (and its Redis connection is up before it is closed).
      expect((await bare.app.inject({ method: 'GET', url: '/v1/me', headers: await bare.signIn('auditor') })).statusCode).toBe(200);
    } finally {
      await bare.close();
    }
  });
});
