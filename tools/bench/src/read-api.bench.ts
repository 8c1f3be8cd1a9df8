import autocannon from 'autocannon';
import { copyIntoLedger, copyText } from './ledger-copy.js';
import type pg from 'pg';
import { ApiKeyRepository, createPool, createPrismaClient } from '@qadaga/db';
import { applyMigrations } from '@qadaga/migrate';
import { GENESIS_HASH, canonicalEventForm, chainLink, sha256Hex } from '@qadaga/domain/hashing';
import { lifecycleEvents } from '@qadaga/simulator';
import { loadavg } from 'node:os';
import { startApi } from './api-process.js';
import { benchUsers, runUsers, usersTable, workbenchPages, type UsersResult } from './read-users.js';
import { benchDatabaseUrl, freshBenchDatabase } from './bench-database.js';

export interface ReadResult {
  name: string;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

export interface ReadBenchResult {
  events: number;
  flags: number;
  cases: number;
  fillSeconds: number;
  concurrency: number;
  /** The stress phases: a closed loop, every connection sending its next request as soon as it has an answer. */
  results: ReadResult[];
  users?: UsersResult;
  /** The 1, 5 and 15 minute load averages at the end of each phase. */
  load: { phase: string; loadAverage: number[] }[];
}

const EVENTS_PER_VIOLATION = 4.75;
const CHAIN = 'bench-read:0';

/** Simulated events with their real content and chain hashes, streamed into the ledger by COPY. */
async function fillLedger(pool: pg.Pool, events: number): Promise<number> {
  const violations = Math.ceil(events / EVENTS_PER_VIOLATION);
  let previous = GENESIS_HASH;
  let seq = 0;
  function* lines(): Generator<string> {
    let batch: string[] = [];
    for (const e of lifecycleEvents({ source: 'bench-read', violations, seed: 5 })) {
      if (seq >= events) break;
      seq += 1;
      const content = sha256Hex(canonicalEventForm(e));
      previous = chainLink(BigInt(seq), previous, content);
      batch.push(
        [CHAIN, String(seq), e.source, e.eventId, e.violationRef, e.type, e.occurredAt, e.recordedAt ?? null, e.actor.kind, e.actor.id, e.actor.unit ?? null, e.actor.workstation ?? null, JSON.stringify(e.payload), content, previous]
          .map(copyText)
          .join('\t'),
      );
      if (batch.length === 2_000) {
        yield `${batch.join('\n')}\n`;
        batch = [];
      }
    }
    if (batch.length > 0) yield `${batch.join('\n')}\n`;
  }
  await copyIntoLedger(pool, lines());
  await pool.query(`INSERT INTO source_system (code, name, kind) VALUES ('bench-read', 'Read benchmark', 'camera') ON CONFLICT DO NOTHING`);
  await pool.query('INSERT INTO ledger_chain (chain_id, source, lane, head_seq, head_hash) VALUES ($1, $2, 0, $3, $4)', [CHAIN, 'bench-read', seq, previous]);
  return seq;
}

/**
 * Flags as the rule runner stores them, one per fifty events: real subjects (the
 * officers, units and districts of the events), evidence naming real events with their
 * hashes, a raise in the history, spread over statuses, severities and the year.
 */
async function fillFlags(pool: pg.Pool, count: number): Promise<void> {
  await pool.query(
    `WITH ev AS (SELECT max(id) AS top FROM ledger_event)
     INSERT INTO flag (id, rule_id, rule_version, scheme, subject_kind, subject_id, status, severity, score, q_value, explanation, facts, baseline,
       evidence, unit, district, window_from, window_to, first_raised_at, last_raised_at)
     SELECT gen_random_uuid(), 'rule-' || (i % 16), 1, (ARRAY['protected_plate', 'officer_outlier_rate', 'officer_favours_vehicle', 'backdated_cancellation', 'off_shift_action'])[1 + i % 5],
       (ARRAY['vehicle', 'officer', 'officer_vehicle', 'violation', 'officer'])[1 + i % 5],
       e.actor_id || '|' || i,
       (ARRAY['new', 'new', 'triaged', 'dismissed', 'in_case'])[1 + (i / 7) % 5],
       (ARRAY['low', 'medium', 'high', 'critical'])[1 + (i / 3) % 4],
       (i * 7919 % 1000) / 10.0, 0.01,
       jsonb_build_object('en', 'Officer cancelled 38 of 40 detections of one plate', 'ru', 'Инспектор отменил 38 из 40', 'kk', 'Инспектор 40-тың 38-ін жойды'),
       jsonb_build_object('cancellations', 38, 'detections', 40), jsonb_build_object('peerRate', 0.04, 'peers', 24),
       jsonb_build_array(jsonb_build_object('eventId', e.event_id, 'source', e.source, 'contentHash', e.content_hash, 'chainHash', e.chain_hash)),
       'AP-' || (i % 8), (ARRAY['Almaly', 'Auezov', 'Bostandyk', 'Zhetysu', 'Medeu', 'Nauryzbay', 'Turksib', 'Alatau'])[1 + i % 8],
       timestamptz '2026-01-01' + (i % 300) * interval '1 day', timestamptz '2026-01-31' + (i % 300) * interval '1 day',
       timestamptz '2026-02-01' + (i % 300) * interval '1 day', timestamptz '2026-02-01' + (i % 300) * interval '1 day' + (i % 1440) * interval '1 minute'
     FROM generate_series(1, $1::int) AS i, ev
     JOIN LATERAL (SELECT * FROM ledger_event WHERE id = 1 + (i::bigint * 104729) % ev.top) e ON true`,
    [count],
  );
  await pool.query(`INSERT INTO flag_history (flag_id, actor, action, "to") SELECT id, 'rule:' || rule_id || '@1', 'raised', 'new' FROM flag`);
  await pool.query('VACUUM ANALYZE');
}

/** Cases opened through the API, as prosecutors open them: each from two flags. */
async function openCases(url: string, key: string, pool: pg.Pool, count: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM flag WHERE status IN ('new', 'triaged') ORDER BY id LIMIT $1`, [count * 2]);
  const ids: string[] = [];
  for (let i = 0; i + 1 < rows.length && ids.length < count; i += 2) {
    const res = await fetch(`${url}/v1/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Bench case ${i / 2}`, flagIds: [rows[i]?.id, rows[i + 1]?.id] }),
    });
    const body = (await res.json()) as { id?: string };
    if (res.status !== 201 || body.id === undefined) throw new Error(`POST /v1/cases answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    ids.push(body.id);
  }
  return ids;
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;

/** autocannon reports p97.5 but not p95, so each response time is kept and the percentiles are read from them. */
async function measure(name: string, url: string, paths: string[], key: string | null, concurrency: number, seconds: number): Promise<ReadResult> {
  const times: number[] = [];
  let next = 0;
  const headers = key === null ? {} : { authorization: `Bearer ${key}` };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: concurrency,
        duration: seconds,
        requests: [{ method: 'GET', headers, setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] as string }) }],
      },
      (error, done) => (error === null || error === undefined ? resolve(done) : reject(error)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    name,
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

/** The ledger and flags a previous run left, if it filled the same number of events and finished its flags. */
async function previousFill(pool: pg.Pool, events: number): Promise<{ events: number; flags: number } | null> {
  const chain = await pool.query<{ head: string }>('SELECT head_seq::text AS head FROM ledger_chain WHERE chain_id = $1', [CHAIN]).catch(() => ({ rows: [] }));
  const head = Number(chain.rows[0]?.head ?? -1);
  // The simulated violations can end a little short of the number of events asked.
  if (head > events || head < events * 0.98) return null;
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM flag WHERE rule_id LIKE 'rule-%'`);
  const flags = Number(rows[0]?.n ?? 0);
  return flags === Math.max(1_000, Math.round(head / 50)) ? { events: head, flags } : null;
}

/**
 * The bench database filled with `events` events and their flags. With `reuse`, a fill of
 * the same size that a previous run left is read as it is (filling 10M events takes a
 * quarter of an hour or more), otherwise the database is emptied and filled again.
 */
export async function prepareReadDatabase(options: { events: number; reuse: boolean }): Promise<{ pool: pg.Pool; events: number; flags: number; fillSeconds: number; reused: boolean }> {
  if (options.reuse) {
    await applyMigrations({ databaseUrl: benchDatabaseUrl() });
    const pool = createPool({ url: benchDatabaseUrl(), size: 4, applicationName: 'qadaga-bench' });
    const previous = await previousFill(pool, options.events);
    if (previous !== null) return { pool, ...previous, fillSeconds: 0, reused: true };
    await pool.end();
  }
  const pool = await freshBenchDatabase();
  const t0 = performance.now();
  const events = await fillLedger(pool, options.events);
  const flags = Math.max(1_000, Math.round(events / 50));
  await fillFlags(pool, flags);
  return { pool, events, flags, fillSeconds: (performance.now() - t0) / 1000, reused: false };
}

export interface ReadRunOptions {
  events: number;
  concurrency: number;
  seconds: number;
  /** Read a fill of the same size left by a previous run instead of filling again (default: BENCH_READ_REUSE=1). */
  reuse?: boolean;
  /** The users phase: how many, for how long, and the range of think times; from the environment when not given. */
  users?: UsersPhase;
  /** Where the API writes its CPU profile (node --cpu-prof); none when undefined. */
  profileDir?: string;
  /** Extra environment for the API process (e.g. DATABASE_POOL_SIZE). */
  apiEnv?: Record<string, string>;
}

export interface UsersPhase {
  count: number;
  seconds: number;
  thinkMs: [number, number];
}

/**
 * BENCH_READ_USERS (default 50; 0 skips the phase), BENCH_READ_USERS_SECONDS (default 90)
 * and BENCH_READ_THINK_MS (default 1000-5000). Think times are uniform between the two
 * bounds: a prosecutor skimming a queue and clicking through, busier than one reading a
 * case file, so the load is on the heavy side of what fifty people make.
 */
export function usersPhaseFromEnv(env: NodeJS.ProcessEnv = process.env): UsersPhase | undefined {
  const count = Number(env['BENCH_READ_USERS'] ?? 50);
  if (count <= 0) return undefined;
  const [min, max] = (env['BENCH_READ_THINK_MS'] ?? '1000-5000').split('-').map(Number) as [number, number];
  return { count, seconds: Number(env['BENCH_READ_USERS_SECONDS'] ?? 90), thinkMs: [min, max] };
}

/** Cases for the case pages: those a previous run opened, or 200 opened now through the API. */
async function benchCases(url: string, key: string, pool: pg.Pool): Promise<string[]> {
  if ((await fetch(`${url}/v1/cases`, { headers: { authorization: `Bearer ${key}` } })).status === 404) return [];
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM case_file WHERE title LIKE 'Bench case %' ORDER BY created_at LIMIT 200`);
  return rows.length >= 200 ? rows.map((r) => r.id) : [...rows.map((r) => r.id), ...(await openCases(url, key, pool, 200 - rows.length))];
}

export async function runReadApiBenchmark(options: ReadRunOptions): Promise<ReadBenchResult> {
  const { pool, events, flags, fillSeconds } = await prepareReadDatabase({ events: options.events, reuse: options.reuse ?? process.env['BENCH_READ_REUSE'] === '1' });
  const prisma = createPrismaClient(pool);
  try {
    const key = (await new ApiKeyRepository(prisma).issue({ roles: ['prosecutor', 'auditor'], label: 'read benchmark' })).key;
    const usersPhase = options.users ?? usersPhaseFromEnv();
    const tokens = usersPhase === undefined ? [] : await benchUsers(pool, usersPhase.count);
    const api = await startApi(
      { DATABASE_URL: benchDatabaseUrl(), REDIS_URL: process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379/14', RATE_LIMIT_PER_MINUTE: '100000000', LOG_LEVEL: 'warn', ...options.apiEnv },
      options.profileDir === undefined ? {} : { cpuProfileDir: options.profileDir },
    );
    try {
      const caseIds = await benchCases(api.url, key, pool);
      const { rows } = await pool.query<{ id: string }>('SELECT id FROM flag ORDER BY md5(id::text) LIMIT 2000');
      const flagIds = rows.map((r) => r.id);
      const run = (name: string, paths: string[], withKey = true) => measure(name, api.url, paths, withKey ? key : null, options.concurrency, options.seconds);
      await run('warm-up', ['/v1/flags?limit=50', ...flagIds.slice(0, 50).map((id) => `/v1/flags/${id}`)]);
      const results: ReadResult[] = [];
      const load: { phase: string; loadAverage: number[] }[] = [];
      const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
        const done = await work();
        load.push({ phase: name, loadAverage: loadavg() });
        return done;
      };
      results.push(await phase('HTTP floor', () => run('GET /health/live (HTTP floor)', ['/health/live'], false)));
      const users =
        usersPhase === undefined
          ? undefined
          : await phase('users', () =>
              runUsers({ url: api.url, tokens, pages: (pick) => workbenchPages({ flagIds, caseIds }, pick), seconds: usersPhase.seconds, thinkMs: usersPhase.thinkMs }),
            );
      results.push(await phase('flag list', () => run('GET /v1/flags, first page, most severe first', ['/v1/flags?limit=50'])));
      results.push(
        await phase('filtered list', () =>
          run(
            'GET /v1/flags, filtered (status, severity, unit, district, time)',
            Array.from({ length: 64 }, (_, i) =>
              [
                `/v1/flags?status=new,triaged&severity=high,critical&limit=50`,
                `/v1/flags?unit=AP-${i % 8}&status=new&limit=50`,
                `/v1/flags?district=Medeu&from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z&limit=50`,
                `/v1/flags?rule=rule-${i % 16}&offset=${(i % 4) * 50}&limit=50`,
              ][i % 4] as string,
            ),
          ),
        ),
      );
      results.push(await phase('one flag', () => run('GET /v1/flags/:id', flagIds.map((id) => `/v1/flags/${id}`))));
      if (caseIds.length > 0) {
        results.push(await phase('case list', () => run('GET /v1/cases', ['/v1/cases', '/v1/cases?status=open', '/v1/cases?overdue=true'])));
        results.push(await phase('one case', () => run('GET /v1/cases/:id', caseIds.map((id) => `/v1/cases/${id}`))));
      }
      return { events, flags, cases: caseIds.length, fillSeconds, concurrency: options.concurrency, results, ...(users === undefined ? {} : { users }), load };
    } finally {
      await api.stop();
    }
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

/**
 * The tables for docs/benchmarks.md, each read against the HTTP floor measured in the same
 * run: the users phase (people at the workbench), then the stress phases (saturation).
 */
export function readTable(r: ReadBenchResult): string {
  const floor = r.results[0];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const lines = [
    ...(r.users === undefined ? [] : [usersTable(r.users, floor?.p95 ?? null), '']),
    `| stress (saturation): ${r.concurrency} connections in a closed loop, no think time | requests | req/s | p50 ms | p95 ms | p99 ms | p95 / floor p95 | errors |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const x of r.results) {
    const ratio = x === floor || floor === undefined ? '1.00 (baseline)' : (x.p95 / Math.max(floor.p95, 1)).toFixed(1);
    lines.push(`| ${x.name} | ${fmt(x.requests)} | ${fmt(x.perSecond)} | ${x.p50.toFixed(1)} | ${x.p95.toFixed(1)} | ${x.p99.toFixed(1)} | ${ratio} | ${x.errors} |`);
  }
  return lines.join('\n');
}
