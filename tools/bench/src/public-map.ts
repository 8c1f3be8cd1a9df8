/**
 * `npx tsx tools/bench/src/public-map.ts`: the public portal's endpoints under a crowd.
 *
 * 1. Freshness: a detection sent through the real API (POST /v1/events/batch) is timed until
 *    GET /v1/public/stats counts it, polled every 250 ms; repeated BENCH_PUBLIC_FRESH times.
 * 2. Load: BENCH_PUBLIC_READERS (default 1,000) concurrent readers of GET /v1/public/stats,
 *    /stats.csv, /stats.geojson and /districts for BENCH_PUBLIC_SECONDS, first against the
 *    API as configured (answers reused for PUBLIC_STATS_CACHE_SECONDS = 15), then, as the
 *    baseline of the same run, against an API with reuse turned off (0). The database's
 *    share is read from pg_stat_database (transactions committed in the bench database)
 *    and given per 1,000 requests.
 *
 * The city is simulated (BENCH_PUBLIC_VIOLATIONS, default 20,000 over twelve months) and
 * loaded through the ingest pipeline; the bench database is BENCH_DATABASE_URL.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { ApiKeyRepository, DistrictBoundaryRepository, ReferenceRepository, bundledBoundaries, createPrismaClient } from '@qadaga/db';
import { IngestPipeline, LedgerWriter, ingestStream } from '@qadaga/ledger';
import { simulateCity } from '@qadaga/simulator';
import type pg from 'pg';
import { benchDatabaseUrl, freshBenchDatabase } from './bench-database.js';
import { startApi } from './api-process.js';

const VIOLATIONS = Number(process.env['BENCH_PUBLIC_VIOLATIONS'] ?? 20_000);
const READERS = Number(process.env['BENCH_PUBLIC_READERS'] ?? 1_000);
const SECONDS = Number(process.env['BENCH_PUBLIC_SECONDS'] ?? 20);
const FRESH_RUNS = Number(process.env['BENCH_PUBLIC_FRESH'] ?? 5);
const REDIS_URL = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379/14';
/** The simulated year ends on 31 October 2026: the last quarter of ISO weeks it covers whole is the third (29 June - 27 September). */
const QUARTER = '2026-Q3';
const PATHS = [`/v1/public/stats?quarter=${QUARTER}`, `/v1/public/stats.csv?quarter=${QUARTER}`, `/v1/public/stats.geojson?quarter=${QUARTER}`, '/v1/public/districts'];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;

async function committed(pool: pg.Pool): Promise<number> {
  // Counters reach the shared statistics a little after each transaction ends.
  await sleep(1_500);
  const { rows } = await pool.query<{ n: string }>('SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()');
  return Number(rows[0]?.n ?? 0);
}

interface LoadResult {
  label: string;
  cacheSeconds: number;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  transactions: number;
  transactionsPer1000: number;
  megabytes: number;
}

async function load(pool: pg.Pool, url: string, label: string, cacheSeconds: number): Promise<LoadResult> {
  const times: number[] = [];
  let next = 0;
  const before = await committed(pool);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      // Readers take gzip, as every browser does.
      { url, connections: READERS, duration: SECONDS, timeout: 60, requests: [{ method: 'GET', headers: { 'accept-encoding': 'gzip' }, setupRequest: (request) => ({ ...request, path: PATHS[next++ % PATHS.length] as string }) }] },
      (error, done) => (error === null || error === undefined ? resolve(done) : reject(error)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  const transactions = (await committed(pool)) - before;
  times.sort((a, b) => a - b);
  const requests = result.requests.total;
  return {
    label,
    cacheSeconds,
    requests,
    perSecond: Math.round(result.requests.average),
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    transactions,
    transactionsPer1000: requests === 0 ? Number.NaN : Math.round((transactions / requests) * 1000 * 10) / 10,
    megabytes: Math.round(result.throughput.total / 1e6),
  };
}

async function cityDetections(url: string): Promise<number> {
  const res = await fetch(`${url}/v1/public/stats?quarter=${QUARTER}`);
  const body = (await res.json()) as { city: { total: { detections: number | null } } };
  if (body.city.total.detections === null) throw new Error(`the city's total for ${QUARTER} is withheld: nothing to watch`);
  return body.city.total.detections;
}

/** Seconds from the answer of POST /v1/events/batch to the first public answer that counts the new detection. */
async function freshness(url: string, key: string, run: number): Promise<number> {
  const before = await cityDetections(url);
  const camera = 'CAM-0001';
  const event = {
    source: 'sergek-almaty', eventId: `fresh-${run}-${Date.now()}`, violationRef: `FRESH-${run}-${Date.now()}`, type: 'detected',
    occurredAt: '2026-08-12T10:00:00+05:00', actor: { kind: 'camera', id: camera },
    payload: { plate: '999ZZZ02', cameraId: camera, place: { lat: 43.253, lon: 76.918, district: 'Almaly' }, article: '592.1', speed: 87, speedLimit: 60 },
  };
  const res = await fetch(`${url}/v1/events/batch`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify([event]) });
  if (!res.ok) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  const sent = performance.now();
  for (;;) {
    if ((await cityDetections(url)) > before) return (performance.now() - sent) / 1000;
    if (performance.now() - sent > 120_000) throw new Error('the detection did not reach the public figures within two minutes');
    await sleep(250);
  }
}

async function main(): Promise<void> {
  const pool = await freshBenchDatabase();
  const prisma = createPrismaClient(pool);
  const city = simulateCity({ seed: 2026, violations: VIOLATIONS });
  await new ReferenceRepository(pool).load(city.reference);
  await new DistrictBoundaryRepository(pool).replace(bundledBoundaries());
  log(`loading ${VIOLATIONS.toLocaleString('en-US')} simulated violations ...`);
  await ingestStream(new IngestPipeline(new LedgerWriter(pool)), city.events());
  await pool.query('ANALYZE');
  const keys = new ApiKeyRepository(prisma);
  await keys.ensureSource('sergek-almaty', 'Sergek, Almaty');
  const key = (await keys.issue({ sourceCode: 'sergek-almaty', label: 'bench' })).key;
  const env = { DATABASE_URL: benchDatabaseUrl(), REDIS_URL, RATE_LIMIT_PER_MINUTE: '10000000', PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000' };

  const results: LoadResult[] = [];
  const fresh: number[] = [];
  const cached = await startApi({ ...env, PUBLIC_STATS_CACHE_SECONDS: '15' });
  try {
    for (let run = 0; run < FRESH_RUNS; run += 1) {
      fresh.push(await freshness(cached.url, key, run));
      log(`  a new detection counted publicly after ${fresh.at(-1)!.toFixed(1)} s`);
      await sleep(Math.random() * 5_000);
    }
    log(`${READERS} readers for ${SECONDS} s, answers reused for 15 s ...`);
    results.push(await load(pool, cached.url, 'reused for 15 s (as configured)', 15));
  } finally {
    await cached.stop();
  }
  const uncached = await startApi({ ...env, PUBLIC_STATS_CACHE_SECONDS: '0' });
  try {
    log(`${READERS} readers for ${SECONDS} s, baseline: every answer computed afresh ...`);
    results.push(await load(pool, uncached.url, 'baseline: no reuse', 0));
  } finally {
    await uncached.stop();
  }
  const [withCache, baseline] = results as [LoadResult, LoadResult];
  const report = {
    at: new Date().toISOString(),
    violations: VIOLATIONS,
    readers: READERS,
    seconds: SECONDS,
    paths: PATHS,
    freshnessSeconds: { runs: fresh.map((s) => Math.round(s * 10) / 10), max: Math.round(Math.max(...fresh) * 10) / 10 },
    load: results,
    ratio: {
      databaseTransactionsPer1000: Math.round((baseline.transactionsPer1000 / withCache.transactionsPer1000) * 10) / 10,
      requestsPerSecond: Math.round((withCache.perSecond / Math.max(1, baseline.perSecond)) * 10) / 10,
    },
  };
  const dir = path.join(ROOT, 'reports');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `public-map-${report.at.replace(/[:.]/gu, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  log(`written to ${path.relative(ROOT, file)}`);
  await prisma.$disconnect();
  await pool.end();
}

await main();
