import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type pg from 'pg';
import { ApiKeyRepository, createPrismaClient } from '@qadaga/db';
import { GENESIS_HASH, canonicalEventForm, chainLink, sha256Hex } from '@qadaga/domain/hashing';
import type { LifecycleEvent } from '@qadaga/domain';
import { benchDatabaseUrl, freshBenchDatabase, truncateLedger } from './bench-database.js';
import { lifecycleEvents } from '@qadaga/simulator';
import { startApi } from './api-process.js';
import { summariseProfile } from './cpu-profile.js';
import { postgresCpuSeconds, processCpuSeconds } from './process-cpu.js';

export interface PhaseResult {
  name: string;
  events: number;
  seconds: number;
  perSecond: number;
  apiCpuSeconds?: number;
  postgresCpuSeconds?: number;
  profile?: { category: string; share: number }[];
}

function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/\\/gu, '\\\\').replace(/\t/gu, '\\t').replace(/\n/gu, '\\n').replace(/\r/gu, '\\r');
}

/** Baseline: the same rows, hashes precomputed, written by COPY into the same indexed table. */
async function copyBaseline(pool: pg.Pool, events: LifecycleEvent[]): Promise<PhaseResult> {
  await truncateLedger(pool);
  let previous = GENESIS_HASH;
  const lines: string[] = [];
  events.forEach((e, i) => {
    const content = sha256Hex(canonicalEventForm(e));
    previous = chainLink(BigInt(i + 1), previous, content);
    lines.push(
      [e.source, String(i + 1), e.source, e.eventId, e.violationRef, e.type, e.occurredAt, e.recordedAt ?? null, e.actor.kind, e.actor.id, e.actor.unit ?? null, e.actor.workstation ?? null, JSON.stringify(e.payload), content, previous]
        .map(copyText)
        .join('\t'),
    );
  });
  const client = await pool.connect();
  const started = performance.now();
  try {
    const sink = client.query(
      copyFrom('COPY ledger_event (chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, recorded_at, actor_kind, actor_id, actor_unit, actor_workstation, payload, content_hash, chain_hash) FROM STDIN'),
    );
    await pipeline(Readable.from((function* () { for (let i = 0; i < lines.length; i += 1000) yield `${lines.slice(i, i + 1000).join('\n')}\n`; })()), sink);
  } finally {
    client.release();
  }
  const seconds = (performance.now() - started) / 1000;
  return { name: 'raw COPY into ledger_event (baseline)', events: events.length, seconds, perSecond: events.length / seconds };
}

async function withCpu<T>(pid: number, run: () => Promise<T>): Promise<{ result: T; apiCpu: number; pgCpu: number }> {
  const api0 = processCpuSeconds(pid);
  const pg0 = postgresCpuSeconds();
  const result = await run();
  return { result, apiCpu: processCpuSeconds(pid) - api0, pgCpu: postgresCpuSeconds() - pg0 };
}

async function postBatches(url: string, key: string, bodies: string[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as string;
      const res = await fetch(`${url}/v1/events/batch`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
      const json = (await res.json()) as { summary?: { accepted: number } };
      if (!res.ok || json.summary === undefined) throw new Error(`batch failed: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function postSingles(url: string, key: string, bodies: string[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as string;
      const res = await fetch(`${url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`single event failed: ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export async function runIngestBenchmarks(options: { violations: number; singles: number; batchSize: number; profileDir: string }): Promise<PhaseResult[]> {
  const pool = await freshBenchDatabase();
  const results: PhaseResult[] = [];
  try {
    const events = [...lifecycleEvents({ source: 'bench-batch', violations: options.violations, seed: 7 })];
    results.push(await copyBaseline(pool, events));
    await truncateLedger(pool);

    const prisma = createPrismaClient(pool);
    const keys = new ApiKeyRepository(prisma);
    await keys.ensureSource('bench-batch', 'Benchmark, batches');
    await keys.ensureSource('bench-single', 'Benchmark, single events');
    const batchKey = (await keys.issue({ sourceCode: 'bench-batch' })).key;
    const singleKey = (await keys.issue({ sourceCode: 'bench-single' })).key;

    mkdirSync(options.profileDir, { recursive: true });
    const api = await startApi({ DATABASE_URL: benchDatabaseUrl(), RATE_LIMIT_PER_MINUTE: '10000000', DATABASE_POOL_SIZE: '8' }, { cpuProfileDir: options.profileDir });
    const pid = api.child.pid as number;
    try {
      const bodies: string[] = [];
      for (let i = 0; i < events.length; i += options.batchSize) bodies.push(JSON.stringify(events.slice(i, i + options.batchSize)));
      const t0 = performance.now();
      const batch = await withCpu(pid, () => postBatches(api.url, batchKey, bodies, 2));
      const seconds = (performance.now() - t0) / 1000;
      results.push({ name: `HTTP batches of ${options.batchSize} (durable, chained, projected)`, events: events.length, seconds, perSecond: events.length / seconds, apiCpuSeconds: batch.apiCpu, postgresCpuSeconds: batch.pgCpu });

      const singles = [...lifecycleEvents({ source: 'bench-single', violations: Math.ceil(options.singles / 5), seed: 11, prefix: 'S' })]
        .slice(0, options.singles)
        .map((e) => JSON.stringify(e));
      const t1 = performance.now();
      const single = await withCpu(pid, () => postSingles(api.url, singleKey, singles, 64));
      const s1 = (performance.now() - t1) / 1000;
      results.push({ name: 'single-event requests, 64 concurrent clients', events: singles.length, seconds: s1, perSecond: singles.length / s1, apiCpuSeconds: single.apiCpu, postgresCpuSeconds: single.pgCpu });
    } finally {
      await api.stop();
      await prisma.$disconnect();
    }
    const profiles = readdirSync(options.profileDir).filter((f) => f.endsWith('.cpuprofile')).sort();
    const latest = profiles.at(-1);
    if (latest !== undefined) {
      const profile = summariseProfile(path.join(options.profileDir, latest));
      const httpBatch = results[1];
      if (httpBatch !== undefined) httpBatch.profile = profile;
    }
  } finally {
    await pool.end();
  }
  return results;
}
