import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_ENDPOINTS, flagEndpoints } from '@qadaga/contracts/api';
import { FlagRepository } from '@qadaga/db';
import { apiEndpoints, insertFlag, startTestApp, type TestApp } from '../testing/test-app.js';
import { answerThrough } from './contract.interceptor.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const routeOf = (path: string) => path.replace(/\{(\w+)\}/gu, ':$1');

async function adminGet(url: string) {
  return t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.keys.admin}` } });
}

describe('every endpoint answers through its contract', () => {
  it('routes exactly the endpoints the contracts declare, each once', () => {
    const declared = API_ENDPOINTS.map((e) => `${e.method} ${routeOf(e.path)}`);
    expect(new Set(declared).size).toBe(declared.length);
    expect(apiEndpoints(t.app)).toEqual([...declared].sort());
  });

  it('publishes an OpenAPI document generated from the same contracts', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } }>();
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(API_ENDPOINTS.map((e) => `${e.method} ${e.path}`).sort());
    expect(document.components.schemas).toHaveProperty('Flag');
  });

  it('states in the document who may call each endpoint, and leaves the public ones open', async () => {
    type Operation = { security?: unknown[]; 'x-roles': string[] };
    const document = (await t.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json<{ paths: Record<string, Record<string, Operation>> }>();
    for (const contract of API_ENDPOINTS) {
      const operation = document.paths[contract.path]?.[contract.method.toLowerCase()];
      if (contract.access === 'public') {
        expect(operation?.security, contract.path).toEqual([]);
      } else {
        expect(operation?.security, contract.path).toBeUndefined();
        expect(operation?.['x-roles'], contract.path).toEqual([...contract.access]);
      }
    }
    expect(document.paths['/v1/public/stats']?.['get']?.security).toEqual([]);
  });

  it('withholds an answer of another shape than its contract as a server fault', async () => {
    const id = await insertFlag(t.pool);
    const spy = vi.spyOn(FlagRepository.prototype, 'getWithHistory').mockImplementation(async function (this: FlagRepository, flagId: string) {
      spy.mockRestore();
      const flag = await this.getWithHistory(flagId);
      return flag === null ? null : ({ ...flag, score: 'very high' } as unknown as typeof flag);
    });
    const response = await adminGet(`/v1/flags/${id}`);
    expect(response.statusCode).toBe(500);
    expect(response.json<{ message: string }>().message).toMatch(/did not match its published contract/u);
    expect(response.body).not.toContain('very high');
  });

  it('drops a field the contract does not declare, so a column added to a query cannot leak', async () => {
    const id = await insertFlag(t.pool);
    const spy = vi.spyOn(FlagRepository.prototype, 'getWithHistory').mockImplementation(async function (this: FlagRepository, flagId: string) {
      spy.mockRestore();
      const flag = await this.getWithHistory(flagId);
      return flag === null ? null : ({ ...flag, ownerPassport: 'N1234567' } as unknown as typeof flag);
    });
    const response = await adminGet(`/v1/flags/${id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json<{ id: string }>().id).toBe(id);
    expect(response.body).not.toContain('N1234567');
  });

  it('parses the query through the contract before the handler runs, naming the field', async () => {
    const response = await adminGet('/v1/flags?severity=urgent&limit=0');
    expect(response.statusCode).toBe(400);
    const paths = response.json<{ reasons: { path: string }[] }>().reasons.map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(['severity.0', 'limit']));
  });
});

describe('answerThrough', () => {
  it('passes an answer that matches, and refuses one that does not', () => {
    const page = { total: 0, totalExact: true, bySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, flags: [] };
    expect(answerThrough(flagEndpoints.list, page)).toEqual(page);
    expect(() => answerThrough(flagEndpoints.list, { ...page, total: '0' })).toThrow(/did not match its published contract/u);
  });
});
