import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { copyText } from './ledger-copy.js';
import type pg from 'pg';
import { Pool } from 'undici';
import { ApiKeyRepository, createPrismaClient } from '@qadaga/db';
import { projectBatch } from '@qadaga/ledger';
import { GENESIS_HASH, canonicalEventForm, chainLink, sha256Hex } from '@qadaga/domain/hashing';
import type { LifecycleEvent } from '@qadaga/domain';
import { benchDatabaseUrl, freshBenchDatabase, truncateLedger } from './bench-database.js';
import { lifecycleEvents } from '@qadaga/simulator';
import { startApi } from './api-process.js';
import { ingestThreadProfile, mainThreadProfile, summariseIngestThreadProfile, summariseProfile } from './cpu-profile.js';
import { postgresCpuMeter, processCpuSeconds } from './process-cpu.js';

export interface PhaseResult {
  name: string;
  events: number;
  seconds: number;
  perSecond: number;
  apiCpuSeconds?: number;
  postgresCpuSeconds?: number;
  profile?: { category: string; share: number }[];
  /** The ingest thread's profile, where the phase used one. */
  threadProfile?: { category: string; share: number }[];
}

/**
 * Baseline: the rows the HTTP path leaves behind, written by raw COPY into the same indexed
 * tables: every event's ledger row (hashes precomputed) and every violation's read-model
 * row (derived beforehand). The time of the ledger rows alone is kept too, as a second,
 * stricter reference.
 */
function copyBaselineRows(events: readonly LifecycleEvent[]): { ledger: string[]; violations: string[] } {
  let previous = GENESIS_HASH;
  const ledger = events.map((e, i) => {
    const content = sha256Hex(canonicalEventForm(e));
    previous = chainLink(BigInt(i + 1), previous, content);
    return [e.source, String(i + 1), e.source, e.eventId, e.violationRef, e.type, e.occurredAt, e.recordedAt ?? null, e.actor.kind, e.actor.id, e.actor.unit ?? null, e.actor.workstation ?? null, JSON.stringify(e.payload), content, previous]
      .map(copyText)
      .join('\t');
  });
  const violations = projectBatch(events.map((event) => ({ event }))).map((p) => violationCopyLine(JSON.parse(p.row) as ProjectionRow));
  return { ledger, violations };
}

interface CopyRun {
  /** Seconds for the ledger rows alone, and for both tables. */
  ledger: number;
  both: number;
  pgCpu: number;
}

/** One COPY of the baseline rows into emptied tables. */
async function copyOnce(pool: pg.Pool, rows: { ledger: string[]; violations: string[] }): Promise<CopyRun> {
  await truncateLedger(pool);
  const chunks = (all: string[]) =>
    Readable.from((function* () { for (let i = 0; i < all.length; i += 1000) yield `${all.slice(i, i + 1000).join('\n')}\n`; })());
  const client = await pool.connect();
  const pgCpu = postgresCpuMeter();
  const started = performance.now();
  let ledger = 0;
  try {
    await pipeline(
      chunks(rows.ledger),
      client.query(copyFrom('COPY ledger_event (chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, recorded_at, actor_kind, actor_id, actor_unit, actor_workstation, payload, content_hash, chain_hash) FROM STDIN')),
    );
    ledger = (performance.now() - started) / 1000;
    await pipeline(chunks(rows.violations), client.query(copyFrom(`COPY violation (${VIOLATION_COPY_COLUMNS}) FROM STDIN`)));
  } finally {
    client.release();
  }
  return { ledger, both: (performance.now() - started) / 1000, pgCpu: pgCpu() };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** The run of median time among several, named with every run's rate. */
function medianPhase(name: string, runs: readonly PhaseResult[]): PhaseResult {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const middle = sorted[Math.floor(sorted.length / 2)] as PhaseResult;
  const rates = [...runs].sort((a, b) => b.perSecond - a.perSecond).map((r) => `${fmtCount(Math.round(r.perSecond))}`);
  return { ...middle, name: `${name} (median of ${runs.length} runs: ${rates.join(', ')} events/s)` };
}

const fmtCount = (n: number) => n.toLocaleString('en-US');

/** A projection row as projectBatch writes it (see violationRow in libs/db). */
interface ProjectionRow {
  ref: string;
  status: string;
  plate: string | null;
  plate_key: string | null;
  detected_plate: string | null;
  camera_id: string | null;
  district: string | null;
  article: string | null;
  fine: number | null;
  paid: number;
  owed: number;
  detected_at: string | null;
  last_event_at: string | null;
  by_source: unknown;
  officers: string[];
  event_count: number;
  anomalies: unknown;
  anomaly_count: number;
}

const VIOLATION_COPY_COLUMNS =
  'ref, status, plate, plate_key, detected_plate, camera_id, district, article, fine_amount, paid_amount, amount_owed, detected_at, last_event_at, status_by_source, officer_ids, event_count, anomalies, anomaly_count';

/** A text[] literal: every element double-quoted, with its quotes and backslashes escaped. */
const arrayLiteral = (items: readonly string[]) => `{${items.map((i) => `"${i.replace(/["\\]/gu, (c) => `\\${c}`)}"`).join(',')}}`;

function violationCopyLine(r: ProjectionRow): string {
  const text = (v: string | number | null) => copyText(v === null ? null : String(v));
  return [
    text(r.ref), text(r.status), text(r.plate), text(r.plate_key), text(r.detected_plate), text(r.camera_id), text(r.district), text(r.article),
    text(r.fine), text(r.paid), text(r.owed), text(r.detected_at), text(r.last_event_at), copyText(JSON.stringify(r.by_source)),
    copyText(arrayLiteral(r.officers)), text(r.event_count), copyText(JSON.stringify(r.anomalies)), text(r.anomaly_count),
  ].join('\t');
}

/**
 * COPY and the HTTP batches are each timed this many times, alternately, and their medians
 * compared: a run of a few seconds moves by a third on a shared machine, and alternating
 * lets both sides meet the same drift.
 */
const RUNS = 3;

async function withCpu<T>(pid: number, run: () => Promise<T>): Promise<{ result: T; apiCpu: number; pgCpu: number }> {
  const api0 = processCpuSeconds(pid);
  const pgCpu = postgresCpuMeter();
  const result = await run();
  return { result, apiCpu: processCpuSeconds(pid) - api0, pgCpu: pgCpu() };
}

/** Runs `count` requests through `concurrency` keep-alive connections; undici keeps the load generator's own CPU cost low. */
async function drive(url: string, count: number, concurrency: number, send: (pool: Pool, i: number) => Promise<void>): Promise<void> {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  let next = 0;
  const worker = async () => {
    while (next < count) await send(pool, next++);
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await pool.close();
  }
}

async function post(pool: Pool, path: string, key: string, body: string, expected: number): Promise<void> {
  const res = await pool.request({ method: 'POST', path, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
  const text = await res.body.text();
  if (res.statusCode !== expected) throw new Error(`${path} answered ${res.statusCode}: ${text.slice(0, 300)}`);
}

async function get(pool: Pool, path: string): Promise<void> {
  const res = await pool.request({ method: 'GET', path });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}`);
}

/**
 * One phase against its own API process, so its CPU time and profile are its own. With a
 * profile directory it runs under V8's profiler, which costs the API a tenth or more of its
 * CPU time: such a run shows where the time goes and is not timed against a baseline.
 */
async function apiPhase(
  name: string,
  events: number,
  env: Record<string, string>,
  profileDir: string | undefined,
  load: (url: string) => Promise<void>,
  warmUp?: (url: string) => Promise<void>,
): Promise<PhaseResult> {
  if (profileDir !== undefined) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  const api = await startApi(env, profileDir === undefined ? {} : { cpuProfileDir: profileDir });
  let result: PhaseResult;
  try {
    // A server in service is warm: its ingest threads have started and loaded their code.
    // The first requests pay for that once, which is not the steady state being measured.
    if (warmUp !== undefined) await warmUp(api.url);
    const t0 = performance.now();
    const cpu = await withCpu(api.child.pid as number, () => load(api.url));
    const seconds = (performance.now() - t0) / 1000;
    result = { name, events, seconds, perSecond: events / seconds, apiCpuSeconds: cpu.apiCpu, postgresCpuSeconds: cpu.pgCpu };
  } finally {
    await api.stop();
  }
  const main = profileDir === undefined ? undefined : mainThreadProfile(profileDir);
  if (main !== undefined) result.profile = summariseProfile(main);
  const thread = profileDir === undefined ? undefined : ingestThreadProfile(profileDir);
  if (thread !== undefined) result.threadProfile = summariseIngestThreadProfile(thread);
  return result;
}

/** A phase timed without the profiler, then run once more under it for its profile (`between` runs in between). */
async function timedThenProfiled(
  name: string,
  events: number,
  env: Record<string, string>,
  profileDir: string,
  load: (url: string) => Promise<void>,
  between?: () => Promise<void>,
): Promise<PhaseResult> {
  const timed = await apiPhase(name, events, env, undefined, load);
  await between?.();
  const profiled = await apiPhase(name, events, env, profileDir, load);
  return { ...timed, profile: profiled.profile };
}

/** The scale-out path: two API processes behind one address would share the load like this. */
async function twoProcessPhase(name: string, events: number, env: Record<string, string>, bodies: string[], key: string): Promise<PhaseResult> {
  const apis = await Promise.all([startApi(env), startApi(env)]);
  try {
    const pids = apis.map((a) => a.child.pid as number);
    const api0 = pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
    const pgCpu = postgresCpuMeter();
    const t0 = performance.now();
    const half = Math.ceil(bodies.length / 2);
    await Promise.all(
      apis.map((api, a) => {
        const mine = bodies.slice(a * half, (a + 1) * half);
        return drive(api.url, mine.length, 2, (pool, i) => post(pool, '/v1/events/batch', key, mine[i] as string, 200));
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    return {
      name,
      events,
      seconds,
      perSecond: events / seconds,
      apiCpuSeconds: pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0) - api0,
      postgresCpuSeconds: pgCpu(),
    };
  } finally {
    await Promise.all(apis.map((a) => a.stop()));
  }
}

/** Batches in flight at once: a source system (or several) sending in parallel. */
const BATCH_CONCURRENCY = Number(process.env['BENCH_BATCH_CONCURRENCY'] ?? 4);

export async function runIngestBenchmarks(options: { violations: number; singles: number; batchSize: number; profileDir: string }): Promise<PhaseResult[]> {
  const pool = await freshBenchDatabase();
  const results: PhaseResult[] = [];
  try {
    const events = [...lifecycleEvents({ source: 'bench-batch', violations: options.violations, seed: 7 })];
    const copyRows = copyBaselineRows(events);

    const prisma = createPrismaClient(pool);
    const keys = new ApiKeyRepository(prisma);
    await keys.ensureSource('bench-batch', 'Benchmark, batches');
    await keys.ensureSource('bench-single', 'Benchmark, single events');
    const batchKey = (await keys.issue({ sourceCode: 'bench-batch' })).key;
    const singleKey = (await keys.issue({ sourceCode: 'bench-single' })).key;

    const apiEnv = { DATABASE_URL: benchDatabaseUrl(), RATE_LIMIT_PER_MINUTE: '10000000', DATABASE_POOL_SIZE: '8' };
    const bodies: string[] = [];
    for (let i = 0; i < events.length; i += options.batchSize) bodies.push(JSON.stringify(events.slice(i, i + options.batchSize)));
    const warmUpEvents = [...lifecycleEvents({ source: 'bench-batch', violations: 300, seed: 99, prefix: 'W' })];
    const warmUpBodies = [0, 1, 2, 3].map((i) => JSON.stringify(warmUpEvents.slice(i * 250, (i + 1) * 250)));
    const batchName = `HTTP batches of ${options.batchSize} (durable, chained, projected)`;
    const sendBatches = (url: string) => drive(url, bodies.length, BATCH_CONCURRENCY, (pool, i) => post(pool, '/v1/events/batch', batchKey, bodies[i] as string, 200));
    const warmUp = (url: string) => drive(url, warmUpBodies.length, 2, (pool, i) => post(pool, '/v1/events/batch', batchKey, warmUpBodies[i] as string, 200));

    const copies: CopyRun[] = [];
    const batches: PhaseResult[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      copies.push(await copyOnce(pool, copyRows));
      await truncateLedger(pool);
      batches.push(await apiPhase(batchName, events.length, apiEnv, undefined, sendBatches, warmUp));
    }
    const copyRates = (pick: (r: CopyRun) => number) =>
      copies.map((r) => events.length / pick(r)).sort((a, b) => b - a).map((r) => fmtCount(Math.round(r))).join(', ');
    const both = median(copies.map((r) => r.both));
    const ledgerOnly = median(copies.map((r) => r.ledger));
    results.push(
      {
        name: `raw COPY into ledger_event and violation (baseline; ${fmtCount(copyRows.violations.length)} violation rows; median of ${RUNS} runs: ${copyRates((r) => r.both)} events/s)`,
        events: events.length,
        seconds: both,
        perSecond: events.length / both,
        postgresCpuSeconds: median(copies.map((r) => r.pgCpu)),
      },
      {
        name: `raw COPY into ledger_event alone (reference; median of ${RUNS} runs: ${copyRates((r) => r.ledger)} events/s)`,
        events: events.length,
        seconds: ledgerOnly,
        perSecond: events.length / ledgerOnly,
      },
    );
    // Where the time goes: the same load once more, under the profiler (not timed).
    await truncateLedger(pool);
    const profiled = await apiPhase(batchName, events.length, apiEnv, path.join(options.profileDir, 'batch'), sendBatches, warmUp);
    results.push({ ...medianPhase(batchName, batches), profile: profiled.profile, threadProfile: profiled.threadProfile });

    await truncateLedger(pool);
    results.push(await twoProcessPhase(`HTTP batches of ${options.batchSize}, two API processes`, events.length, apiEnv, bodies, batchKey));
    const singles = [...lifecycleEvents({ source: 'bench-single', violations: options.singles, seed: 11, prefix: 'S' })]
      .slice(0, options.singles)
      .map((e) => JSON.stringify(e));
    const sendSingles = (url: string) => drive(url, singles.length, 64, (pool, i) => post(pool, '/v1/events', singleKey, singles[i] as string, 201));
    const singleName = 'single-event requests, 64 concurrent clients';
    // The profiled run sends the same events again: it starts from an empty ledger too.
    results.push(await timedThenProfiled(singleName, singles.length, apiEnv, path.join(options.profileDir, 'single'), sendSingles, () => truncateLedger(pool)));
    const checkHealth = (url: string) => drive(url, singles.length, 64, (pool) => get(pool, '/health/live'));
    results.push(
      await timedThenProfiled('HTTP floor: GET /health/live, 64 concurrent clients (baseline for single events)', singles.length, apiEnv, path.join(options.profileDir, 'floor'), checkHealth),
    );
    await prisma.$disconnect();
  } finally {
    await pool.end();
  }
  return results;
}
