import { Pool as HttpPool } from 'undici';
import type { LifecycleEvent } from '@qadaga/domain';
import { ApiKeyRepository, RuleRepository, createPrismaClient } from '@qadaga/db';
import { installRulePack } from '@qadaga/detection';
import { lifecycleEvents } from '@qadaga/simulator';
import { benchDatabaseUrl, freshBenchDatabase } from './bench-database.js';
import { startWorkerProcess } from '@qadaga/demo';
import { startApi } from './api-process.js';


export interface LatencyResult {
  ratePerSecond: number;
  seconds: number;
  events: number;
  flags: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/**
 * Ingest to flag latency under a sustained load: ordinary lifecycles at the given rate,
 * with one backdated cancellation in every twenty violations, each of which must raise
 * a flag. Latency is from the moment the flag's last event was committed (received_at)
 * to the moment the flag was raised, both read from the database clock.
 */
export async function runLatencyBenchmark(options: { rate: number; seconds: number; redisUrl: string }): Promise<LatencyResult> {
  const pool = await freshBenchDatabase();
  const prisma = createPrismaClient(pool);
  const rules = new RuleRepository(prisma);
  await installRulePack(rules);
  const keys = new ApiKeyRepository(prisma);
  await keys.ensureSource('latency', 'Latency benchmark');
  const key = (await keys.issue({ sourceCode: 'latency' })).key;
  const env = { DATABASE_URL: benchDatabaseUrl(), REDIS_URL: options.redisUrl, RATE_LIMIT_PER_MINUTE: '10000000' };
  const api = await startApi(env);
  const worker = startWorkerProcess(env);
  const http = new HttpPool(api.url, { connections: 8 });
  try {
    await new Promise((r) => setTimeout(r, 3_000));
    const now = Date.now();
    const stream = lifecycleEvents({ source: 'latency', violations: options.rate * options.seconds, seed: 5, prefix: 'L' });
    const total = options.rate * options.seconds;
    const tickMs = 100;
    const perTick = Math.max(1, Math.round((options.rate * tickMs) / 1000));
    let sent = 0;
    let violation = 0;
    const started = performance.now();
    while (sent < total) {
      const batch: LifecycleEvent[] = [];
      while (batch.length < perTick && sent + batch.length < total) {
        const next = stream.next();
        if (next.done === true) break;
        // Shift the simulated year to end now, so rules judging "as of now" see these events.
        const e = { ...next.value, occurredAt: new Date(Date.parse(next.value.occurredAt) - Date.UTC(2025, 11, 31) + now - 86_400_000).toISOString() } as LifecycleEvent;
        batch.push(e);
        if (e.type === 'detected' && (violation += 1) % 20 === 0) {
          batch.push({
            source: 'latency', eventId: `${e.violationRef}-backdated`, violationRef: e.violationRef, type: 'cancelled',
            occurredAt: new Date(now - 5 * 86_400_000).toISOString(), recordedAt: new Date(now).toISOString(),
            actor: { kind: 'officer', id: 'OF-1', unit: 'AP-1' }, payload: { reasonCode: 'other', legalBasis: 'none' },
          } as LifecycleEvent);
        }
      }
      if (batch.length === 0) break;
      sent += batch.length;
      const res = await http.request({ method: 'POST', path: '/v1/events/batch', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(batch) });
      await res.body.text();
      const due = started + (sent / options.rate) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const seconds = (performance.now() - started) / 1000;
    // Let the pipeline drain before measuring.
    await new Promise((r) => setTimeout(r, 5_000));
    const { rows } = await pool.query<{ ms: string }>(
      `SELECT extract(epoch FROM f.first_raised_at - e.received_at) * 1000 AS ms
       FROM flag f JOIN ledger_event e ON e.violation_ref = f.subject_id AND e.event_id = f.subject_id || '-backdated'
       WHERE f.rule_id = 'backdated-cancellation'`,
    );
    const ms = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
    return { ratePerSecond: sent / seconds, seconds, events: sent, flags: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), max: ms.at(-1) ?? Number.NaN };
  } finally {
    await http.close();
    worker.kill('SIGTERM');
    await api.stop();
    await prisma.$disconnect();
    await pool.end();
  }
}
