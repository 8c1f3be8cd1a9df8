import { Pool } from 'undici';
import type pg from 'pg';
import { UserRepository } from '@qadaga/db';
import { Rng } from '@qadaga/simulator';

/**
 * The workbench as people use it: each virtual user is signed in with a session of its own,
 * opens a page (the API calls that page makes on its first render, in the order and with
 * the parallelism the web client uses), reads it for a while, and opens the next one.
 * Unlike a closed loop, a user waits between pages, so the load is what fifty people at
 * their desks make, not fifty requests always in flight.
 */

/** One API call of a page: `after` names a call whose answer it waits for (the web renders that part first). */
interface Call {
  name: string;
  path: string;
  after?: string;
}

export interface Page {
  name: string;
  calls: Call[];
}

export interface LatencyStats {
  name: string;
  count: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

export interface UsersResult {
  users: number;
  seconds: number;
  thinkMs: [number, number];
  calls: LatencyStats[];
  pages: LatencyStats[];
  totalPerSecond: number;
}

/** The pages of the workbench, as apps/web/src renders them. */
export function workbenchPages(ids: { flagIds: string[]; caseIds: string[] }, pick: (n: number) => number): (() => Page)[] {
  const flag = () => ids.flagIds[pick(ids.flagIds.length)] as string;
  const kase = () => ids.caseIds[pick(ids.caseIds.length)] as string;
  const pages: (() => Page)[] = [
    // FlagQueuePage: useFlags (default status filter new,triaged, 50 a page) and useRules, side by side.
    () => ({
      name: 'flag queue',
      calls: [
        { name: 'GET /v1/flags?status=new,triaged&limit=50', path: '/v1/flags?status=new%2Ctriaged&limit=50&offset=0' },
        { name: 'GET /v1/rules', path: '/v1/rules' },
      ],
    }),
    // FlagDetailPage: useFlag only.
    () => ({ name: 'flag detail', calls: [{ name: 'GET /v1/flags/:id', path: `/v1/flags/${flag()}` }] }),
  ];
  if (ids.caseIds.length > 0) {
    // CaseBoardPage: useCases() with no status.
    pages.push(() => ({ name: 'case board', calls: [{ name: 'GET /v1/cases', path: '/v1/cases' }] }));
    // CasePage: useCase, then, once the case is shown to a prosecutor and is not closed, Assignment's useUsers('prosecutor').
    pages.push(() => ({
      name: 'case',
      calls: [
        { name: 'GET /v1/cases/:id', path: `/v1/cases/${kase()}` },
        { name: 'GET /v1/users?role=prosecutor', path: '/v1/users?role=prosecutor', after: 'GET /v1/cases/:id' },
      ],
    }));
  }
  return pages;
}

/** Users who sign in as prosecutors do: one session token each, as the web holds after sign-in. */
export async function benchUsers(pool: pg.Pool, count: number): Promise<string[]> {
  const users = new UserRepository(pool);
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const user = await users.upsert({ username: `bench-reader-${i}`, displayName: `Bench reader ${i}`, roles: ['prosecutor'] });
    tokens.push((await users.startSession(user.id, 24 * 60)).token);
  }
  return tokens;
}


const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;

function stats(name: string, times: number[], errors: number, seconds: number): LatencyStats {
  const sorted = [...times].sort((a, b) => a - b);
  return { name, count: times.length, perSecond: times.length / seconds, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), errors };
}

/**
 * Runs `users` virtual users for `seconds`. Each starts at a random moment of the first
 * think interval (so they do not arrive in step), then loops: a page chosen at random,
 * its calls, a think time drawn uniformly from `thinkMs`. Each user has its own keep-alive
 * connections (up to six, as a browser keeps per host). Only calls that start before the
 * end are counted, and each page is awaited to its end.
 */
export async function runUsers(options: { url: string; tokens: string[]; pages: (pick: (n: number) => number) => (() => Page)[]; seconds: number; thinkMs: [number, number]; seed?: number }): Promise<UsersResult> {
  const callTimes = new Map<string, number[]>();
  const pageTimes = new Map<string, number[]>();
  const errors = new Map<string, number>();
  const note = (map: Map<string, number[]>, name: string, ms: number) => (map.get(name) ?? map.set(name, []).get(name))?.push(ms);
  const [minThink, maxThink] = options.thinkMs;
  const started = performance.now();
  const end = started + options.seconds * 1000;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function user(token: string, index: number): Promise<void> {
    // Seeded, so two runs make the same choices.
    const random = new Rng((options.seed ?? 7) * 1000 + index);
    const pick = (n: number) => Math.floor(random.next() * n);
    const pages = options.pages(pick);
    const client = new Pool(options.url, { connections: 6, pipelining: 1 });
    const headers = { authorization: `Bearer ${token}` };
    const call = async (c: Call): Promise<void> => {
      const t0 = performance.now();
      try {
        const res = await client.request({ method: 'GET', path: c.path, headers });
        await res.body.arrayBuffer();
        if (res.statusCode !== 200) errors.set(c.name, (errors.get(c.name) ?? 0) + 1);
      } catch {
        errors.set(c.name, (errors.get(c.name) ?? 0) + 1);
      }
      note(callTimes, c.name, performance.now() - t0);
    };
    try {
      await sleep(random.next() * maxThink);
      while (performance.now() < end) {
        const page = (pages[pick(pages.length)] as () => Page)();
        const t0 = performance.now();
        const done = new Map<string, Promise<void>>();
        for (const c of page.calls) {
          const before = c.after === undefined ? undefined : done.get(c.after);
          done.set(c.name, before === undefined ? call(c) : before.then(() => call(c)));
        }
        await Promise.all(done.values());
        note(pageTimes, page.name, performance.now() - t0);
        await sleep(minThink + random.next() * (maxThink - minThink));
      }
    } finally {
      await client.close();
    }
  }

  await Promise.all(options.tokens.map((token, i) => user(token, i)));
  const seconds = (performance.now() - started) / 1000;
  const calls = [...callTimes.entries()].map(([name, times]) => stats(name, times, errors.get(name) ?? 0, seconds));
  const pages = [...pageTimes.entries()].map(([name, times]) => stats(name, times, 0, seconds));
  return { users: options.tokens.length, seconds, thinkMs: options.thinkMs, calls, pages, totalPerSecond: calls.reduce((s, c) => s + c.count, 0) / seconds };
}

/** The users table for docs/benchmarks.md: every call, then every page (its calls to the last answer). */
export function usersTable(r: UsersResult, floorP95: number | null): string {
  const think = `${(r.thinkMs[0] / 1000).toFixed(0)}-${(r.thinkMs[1] / 1000).toFixed(0)} s`;
  const ratio = (p95: number) => (floorP95 === null ? '' : (p95 / Math.max(floorP95, 1)).toFixed(1));
  const lines = [
    `| ${r.users} users, think time uniform ${think}, ${r.seconds.toFixed(0)} s; ${r.totalPerSecond.toFixed(1)} API calls/s in all | calls | calls/s | p50 ms | p95 ms | p99 ms | p95 / floor p95 | errors |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const x of r.calls) lines.push(`| ${x.name} | ${x.count} | ${x.perSecond.toFixed(1)} | ${x.p50.toFixed(1)} | ${x.p95.toFixed(1)} | ${x.p99.toFixed(1)} | ${ratio(x.p95)} | ${x.errors} |`);
  for (const x of r.pages) lines.push(`| page: ${x.name} (all its calls) | ${x.count} | ${x.perSecond.toFixed(1)} | ${x.p50.toFixed(1)} | ${x.p95.toFixed(1)} | ${x.p99.toFixed(1)} | ${ratio(x.p95)} | |`);
  return lines.join('\n');
}
