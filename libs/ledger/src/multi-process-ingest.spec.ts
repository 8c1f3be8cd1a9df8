import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { LedgerVerifier } from './ledger-verifier.js';
import type { IngestPlan, IngestProcessReport } from './testing/ingest-process.js';

/**
 * Two writer processes (each what one API process runs: its own pool, writer and
 * pipeline) write one ledger at the same moment, with batches that overlap: some events
 * are sent by both in the same order, some in opposite orders, and each re-sends a batch
 * of its own. Nothing in one process can serialise them; only PostgreSQL does.
 */

const SCRIPT = fileURLToPath(new URL('./testing/ingest-process.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const pool = createPool({ url: testDatabaseUrl(), size: 4 });
let dir = '';

interface RawEvent {
  source: string;
  eventId: string;
  violationRef: string;
  type: string;
  occurredAt: string;
  actor: { kind: string; id: string; unit?: string };
  payload: Record<string, unknown>;
}

/** A violation's lifecycle from four sources, so writers of different sources share violations. */
function lifecycle(v: number): RawEvent[] {
  const ref = `MP-${v}`;
  const at = (minutes: number) => new Date(Date.UTC(2026, 2, 1) + v * 600_000 + minutes * 60_000).toISOString();
  const events: RawEvent[] = [
    { source: 'cam', eventId: `d-${v}`, violationRef: ref, type: 'detected', occurredAt: at(0), actor: { kind: 'camera', id: `CAM-${v % 40}` }, payload: { article: '592', plate: `${String(v % 997).padStart(3, '0')}ABC02`, fine: { amount: 30_000 } } },
    { source: 'review', eventId: `c-${v}`, violationRef: ref, type: 'confirmed', occurredAt: at(30), actor: { kind: 'officer', id: `OF-${v % 25}`, unit: `AP-${v % 4}` }, payload: {} },
    { source: 'register', eventId: `n-${v}`, violationRef: ref, type: 'notice_issued', occurredAt: at(60), actor: { kind: 'system', id: 'REG' }, payload: { noticeNumber: `N-${v}` } },
  ];
  if (v % 3 === 0) events.push({ source: 'treasury', eventId: `p-${v}`, violationRef: ref, type: 'paid', occurredAt: at(900), actor: { kind: 'treasury', id: 'T' }, payload: { amount: 30_000 } });
  return events;
}

function batchesOf(events: readonly RawEvent[], size: number): RawEvent[][] {
  const out: RawEvent[][] = [];
  for (let i = 0; i < events.length; i += size) out.push(events.slice(i, i + size));
  return out;
}

/** Starts a writer process; resolves once it is connected and waiting for the signal to write. */
async function startWriter(planFile: string): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, planFile], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`writer exited (${code}) before it was ready: ${err}`)));
  });
  return child;
}

/** Its report, once it has written everything and exited. */
async function reportOf(child: ChildProcessWithoutNullStreams): Promise<IngestProcessReport> {
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`writer exited with ${code}: ${err}`);
  return JSON.parse(out.trim().split('\n').at(-1) as string) as IngestProcessReport;
}

beforeAll(async () => {
  await resetLedger(pool);
  dir = await mkdtemp(path.join(tmpdir(), 'qadaga-multi-writer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await pool.end();
});

describe('two writer processes on one ledger', () => {
  it('store every distinct event once, on gapless chains that verify, and answer every copy as a duplicate', async () => {
    const lifecycles = Array.from({ length: 700 }, (_, v) => lifecycle(v)).flat();
    // Repeated detections of one camera feed: a long append of one source, sent by both.
    const feed = Array.from({ length: 3000 }, (_, i) => ({ ...lifecycle(i % 700)[0], eventId: `r-${i}` }) as RawEvent);
    const all = [...lifecycles, ...feed];
    const n = all.length;
    const at = (share: number) => Math.floor(lifecycles.length * share);
    // Both start with the same feed, A in order and B reversed (each inserting what the
    // other then waits for); then A sends the first 60 % and re-sends its own first batch, B
    // from 40 % to the end (A's end and B's start overlap in the same order) and re-sends one.
    const opposite = [feed];
    const planA: IngestPlan = { concurrency: 2, batches: [...opposite, ...batchesOf(lifecycles.slice(0, at(0.6)), 100), lifecycles.slice(0, 100)] };
    const planB: IngestPlan = {
      concurrency: 2,
      batches: [...opposite.map((slice) => [...slice].reverse()), ...batchesOf(lifecycles.slice(at(0.4)), 100), lifecycles.slice(at(0.4), at(0.4) + 100)],
    };
    const files = [path.join(dir, 'a.json'), path.join(dir, 'b.json')];
    await writeFile(files[0] as string, JSON.stringify(planA));
    await writeFile(files[1] as string, JSON.stringify(planB));

    const writers = await Promise.all(files.map((f) => startWriter(f)));
    const reports = writers.map((w) => reportOf(w));
    for (const w of writers) w.stdin.end('go\n');
    const [a, b] = (await Promise.all(reports)) as [IngestProcessReport, IngestProcessReport];

    expect(a.failedBatches).toEqual([]);
    expect(b.failedBatches).toEqual([]);
    const sent = [...planA.batches, ...planB.batches].flat() as RawEvent[];
    const outcomes = [...a.outcomes, ...b.outcomes];
    expect(outcomes).toHaveLength(sent.length);
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);

    // Each distinct event accepted exactly once, across both processes; every other copy a duplicate.
    const key = (e: { source: string; eventId: string }) => `${e.source}/${e.eventId}`;
    const accepted = outcomes.filter((o) => o.status === 'accepted').map(key);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(new Set(accepted)).toEqual(new Set(all.map(key)));
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(sent.length - n);
    // The overlaps did meet: both processes accepted some of the events both sent.
    const sentByA = new Set((planA.batches.flat() as RawEvent[]).map(key));
    const sentByB = new Set((planB.batches.flat() as RawEvent[]).map(key));
    const shared = [...sentByA].filter((k) => sentByB.has(k));
    expect(shared.length).toBeGreaterThan(0);

    // The ledger holds exactly the distinct events, each as sent.
    const stored = await pool.query<{ source: string; event_id: string; violation_ref: string }>('SELECT source, event_id, violation_ref FROM ledger_event');
    expect(stored.rows).toHaveLength(n);
    expect(new Set(stored.rows.map((r) => `${r.source}/${r.event_id}`))).toEqual(new Set(all.map(key)));

    // Every chain numbered 1..head with no gap, its head where its last row is.
    const chains = await pool.query<{ chain_id: string; rows: string; first: string; last: string; head_seq: string }>(
      `SELECT c.chain_id, count(e.id) AS rows, min(e.chain_seq) AS first, max(e.chain_seq) AS last, c.head_seq
       FROM ledger_chain c LEFT JOIN ledger_event e ON e.chain_id = c.chain_id GROUP BY c.chain_id, c.head_seq`,
    );
    for (const c of chains.rows.filter((row) => row.rows !== '0')) {
      expect({ chain: c.chain_id, first: c.first, last: c.last, head: c.head_seq }).toEqual({ chain: c.chain_id, first: '1', last: c.rows, head: c.rows });
    }
    // The accepted answers name the positions the rows hold.
    const seqs = await pool.query<{ k: string; chain_seq: string }>(`SELECT source || '/' || event_id AS k, chain_seq::text FROM ledger_event`);
    const seqOf = new Map(seqs.rows.map((r) => [r.k, r.chain_seq]));
    for (const o of outcomes.filter((x) => x.status === 'accepted')) expect(o.chainSeq).toBe(seqOf.get(key(o)));

    const report = await new LedgerVerifier(pool).verify();
    expect(report.failures).toEqual([]);
    expect(report.rowsChecked).toBe(n);

    // No projection lost a concurrent writer's events: each violation folds all of its own.
    const folded = await pool.query<{ ref: string; event_count: number; ledger: string }>(
      `SELECT v.ref, v.event_count, (SELECT count(*) FROM ledger_event e WHERE e.violation_ref = v.ref) AS ledger FROM violation v`,
    );
    expect(folded.rows).toHaveLength(700);
    expect(folded.rows.filter((r) => String(r.event_count) !== r.ledger)).toEqual([]);
  });
});
