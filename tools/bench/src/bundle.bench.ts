import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import canonicalize from 'canonicalize';
import yauzl from 'yauzl';
import yazl from 'yazl';
import type { LifecycleEvent } from '@qadaga/domain';
import { sha256Hex } from '@qadaga/domain/hashing';
import { CheckpointRepository, FlagRepository } from '@qadaga/db';
import { LedgerWriter } from '@qadaga/ledger';
import { KeyRing, generateSigningKey, signCheckpoint, verifyBundle, writeBundle, type BundleEvent } from '@qadaga/evidence';
import { collectBundleInput } from '@qadaga/evidence/collect';
import { readZipEntries, syntheticBundleInput, syntheticLedger } from '@qadaga/evidence/testing';
import { freshBenchDatabase } from './bench-database.js';

export interface BundleBenchResult {
  events: number;
  links: number;
  bundleBytes: number;
  /** Medians over the measured rounds, in milliseconds. */
  buildMs: number;
  verifyMs: number;
  ndjsonMs: number;
  rawZipMs: number;
  rawUnzipMs: number;
  /** Collecting the same case from PostgreSQL and writing it, when a database was used. */
  collectAndBuildMs: number | null;
  rounds: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function timed(rounds: number, run: () => Promise<void>): Promise<number> {
  await run(); // warm-up: JIT and file cache
  const times: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return median(times);
}

/**
 * A case of `events` ledger events on four chains, every other chain position a case
 * event (so the chain proof carries as many links again). Building the bundle is set
 * against writing the same events as NDJSON to /dev/null and against zipping the
 * bundle's own files as plain bytes; verifying it against unzipping and hashing them.
 */
export async function runBundleBenchmark(options: { events: number; rounds?: number; database?: boolean }): Promise<BundleBenchResult> {
  const rounds = options.rounds ?? 3;
  const ring = KeyRing.of(generateSigningKey());
  const input = syntheticBundleInput(ring, { events: options.events * 2, chains: 4, stride: 2 });
  const events = input.events as BundleEvent[];
  const links = input.chainProofs.reduce((n, p) => n + (p.links as unknown[]).length, 0);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qadaga-bench-bundle-'));
  try {
    const file = path.join(dir, 'bundle.zip');
    const buildMs = await timed(rounds, async () => {
      await writeBundle(input, createWriteStream(file), ring);
    });
    const bundleBytes = (await stat(file)).size;
    const verifyMs = await timed(rounds, async () => {
      const result = await verifyBundle(file, { trustedKeys: [ring.activeKeyId] });
      if (!result.ok) throw new Error(`the benchmark bundle does not verify: ${JSON.stringify(result.failures.slice(0, 3))}`);
    });

    const ndjsonMs = await timed(rounds, async () => {
      const out = createWriteStream('/dev/null');
      for (const e of events) {
        const line = `${JSON.stringify({ chainId: e.chainId, chainSeq: e.chainSeq, ...e.event, contentHash: e.contentHash, chainHash: e.chainHash })}\n`;
        if (!out.write(line)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'close');
    });
    const entries = await readZipEntries(await readFile(file));
    const raw = path.join(dir, 'raw.zip');
    const rawZipMs = await timed(rounds, async () => {
      const zip = new yazl.ZipFile();
      for (const e of entries) zip.addBuffer(e.data, e.name, { compress: true, compressionLevel: 3 });
      zip.end();
      await pipeline(zip.outputStream as Readable, createWriteStream(raw));
    });
    const rawUnzipMs = await timed(rounds, async () => {
      const zip = await yauzl.openPromise(file, { lazyEntries: true });
      for await (const entry of zip.eachEntry()) {
        const hash = createHash('sha256');
        for await (const chunk of (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) hash.update(chunk);
        hash.digest('hex');
      }
      zip.close();
    });

    const collectAndBuildMs = options.database === false ? null : await collectFromDatabase(options.events, rounds, ring, dir);
    return { events: events.length, links, bundleBytes, buildMs, verifyMs, ndjsonMs, rawZipMs, rawUnzipMs, collectAndBuildMs, rounds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The same size of case loaded into the ledger, one flag citing one event of every violation. */
async function collectFromDatabase(events: number, rounds: number, ring: KeyRing, dir: string): Promise<number> {
  const pool = await freshBenchDatabase();
  try {
    const { chains } = syntheticLedger({ events, chains: 4 });
    const all = [...chains.values()].flat().map((e) => e.event);
    const writer = new LedgerWriter(pool);
    for (let i = 0; i < all.length; i += 1_000) await writer.write(all.slice(i, i + 1_000).map((event, index) => ({ index, event })));
    const definition = { id: 'bench-rule', parameters: {}, conditions: { all: [] } };
    await pool.query(`INSERT INTO rule (id, published_version) VALUES ('bench-rule', 1)`);
    await pool.query(`INSERT INTO rule_version (rule_id, version, status, definition, definition_hash, author_id) VALUES ('bench-rule', 1, 'published', $1, $2, 'bench')`, [
      JSON.stringify(definition),
      sha256Hex(canonicalize(definition) ?? ''),
    ]);
    const firstOfViolation = new Map<string, LifecycleEvent>();
    for (const e of all) if (!firstOfViolation.has(e.violationRef)) firstOfViolation.set(e.violationRef, e);
    const window = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };
    await new FlagRepository(pool).upsert({ ruleId: 'bench-rule', version: 1, scheme: 'cancellation' }, window, [
      {
        subjectKind: 'officer',
        subjectId: 'O3',
        severity: 'high',
        score: 5,
        qValue: null,
        explanation: { en: 'benchmark' },
        facts: {},
        baseline: {},
        evidenceEventIds: [...firstOfViolation.values()].map((e) => `${e.source}|${e.eventId}`),
        unit: null,
        district: null,
      },
    ]);
    const repo = new CheckpointRepository(pool);
    const heads = await repo.currentHeads();
    await repo.store(signCheckpoint({ at: new Date().toISOString(), ledgerHeads: heads.ledgerHeads, accessLogHead: null }, ring));
    await pool.query('VACUUM ANALYZE ledger_event');
    const { rows } = await pool.query<{ id: string }>('SELECT id FROM flag');
    const flagIds = rows.map((r) => r.id);
    const file = path.join(dir, 'collected.zip');
    return await timed(rounds, async () => {
      const input = await collectBundleInput(pool, { flagIds }, { keyRing: ring, generatedAt: '2026-06-01T00:00:00.000Z', generatedBy: { id: 'bench' }, reason: 'benchmark', productVersion: '0' });
      await writeBundle(input, createWriteStream(file), ring);
    });
  } finally {
    await pool.end();
  }
}
