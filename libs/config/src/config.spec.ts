import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/qadaga');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.timeZone).toBe('Asia/Almaty');
    expect(config.ingest.maxBatchEvents).toBe(10_000);
    expect(config.ingest.concurrentWrites).toBe(2);
  });

  it('bounds the batch transactions an API process runs at once', () => {
    expect(loadConfig({ INGEST_CONCURRENT_WRITES: '4' }).ingest.concurrentWrites).toBe(4);
    for (const bad of ['0', '65', 'many']) expect(() => loadConfig({ INGEST_CONCURRENT_WRITES: bad })).toThrow(/INGEST_CONCURRENT_WRITES/u);
  });

  it('names every bad variable with its reason in one error', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', API_PORT: '70000', TIME_ZONE: 'Mars/Olympus' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/DATABASE_URL: must be a postgres/u);
    expect(problems).toMatch(/API_PORT:/u);
    expect(problems).toMatch(/TIME_ZONE: must be an IANA time zone/u);
  });

  it('trusts no proxy unless told, and names a bad proxy entry', () => {
    expect(loadConfig({}).http.trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,::1' }).http.trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    for (const bad of ['*', 'proxy.local', '10.0.0.0/33', '10.0.0.1/8/1', 'true']) expect(() => loadConfig({ TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES.*IP address or a CIDR block/su);
  });

  it('serves the workbench only from a folder holding a build, named absolute', () => {
    expect(loadConfig({}).http.webDistDir).toBeNull();
    const dist = mkdtempSync(path.join(tmpdir(), 'qadaga-dist-'));
    try {
      expect(() => loadConfig({ WEB_DIST_DIR: dist })).toThrow(/WEB_DIST_DIR: must be a folder holding the built workbench \(index\.html\)/u);
      writeFileSync(path.join(dist, 'index.html'), '<!doctype html>');
      expect(loadConfig({ WEB_DIST_DIR: path.relative(process.cwd(), dist) }).http.webDistDir).toBe(dist);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ API_PORT: '' }).http.port).toBe(3000);
  });

  it('coerces numbers from strings', () => {
    expect(loadConfig({ API_PORT: '8080', INGEST_MAX_BATCH_EVENTS: '500' })).toMatchObject({
      http: { port: 8080 },
      ingest: { maxBatchEvents: 500 },
    });
  });

  it('reads the signing key files as a list, the first being the active key', () => {
    expect(loadConfig({ SIGNING_KEY_FILES: 'keys/2026.pem, keys/2025.pem' }).evidence.signingKeyFiles).toEqual(['keys/2026.pem', 'keys/2025.pem']);
    expect(loadConfig({}).evidence.signingKeyFiles).toBeNull();
    expect(() => loadConfig({ SIGNING_KEY_FILES: ' , ' })).toThrow(/SIGNING_KEY_FILES: list at least one PEM file/u);
  });

  it('bounds session lifetime', () => {
    expect(loadConfig({}).auth.sessionTtlMinutes).toBe(480);
    expect(() => loadConfig({ SESSION_TTL_MINUTES: '20000' })).toThrow(/SESSION_TTL_MINUTES/u);
  });

  it('withholds public counts under 10 by default, and refuses a cache older than 30 seconds', () => {
    expect(loadConfig({}).publicStats).toEqual({ minCellCount: 10, cacheSeconds: 15, perMinute: 60 });
    expect(loadConfig({ PUBLIC_RATE_LIMIT_PER_MINUTE: '5000' }).publicStats.perMinute).toBe(5000);
    expect(loadConfig({ PUBLIC_MIN_CELL_COUNT: '5' }).publicStats.minCellCount).toBe(5);
    expect(() => loadConfig({ PUBLIC_MIN_CELL_COUNT: '0', PUBLIC_STATS_CACHE_SECONDS: '60' })).toThrow(/PUBLIC_MIN_CELL_COUNT[\s\S]*PUBLIC_STATS_CACHE_SECONDS/u);
  });

  it('answers backtests of up to 400 days in the request unless told otherwise, and bounds the setting', () => {
    expect(loadConfig({}).backtest.syncMaxDays).toBe(400);
    expect(loadConfig({ BACKTEST_SYNC_MAX_DAYS: '31' }).backtest.syncMaxDays).toBe(31);
    expect(() => loadConfig({ BACKTEST_SYNC_MAX_DAYS: '0' })).toThrow(/BACKTEST_SYNC_MAX_DAYS/u);
    expect(() => loadConfig({ BACKTEST_SYNC_MAX_DAYS: '1.5' })).toThrow(/BACKTEST_SYNC_MAX_DAYS/u);
    expect(loadConfig({}).detection.factParallelWorkers).toBe(0);
    expect(loadConfig({ FACT_PARALLEL_WORKERS: '4' }).detection.factParallelWorkers).toBe(4);
    expect(() => loadConfig({ FACT_PARALLEL_WORKERS: '-1' })).toThrow(/FACT_PARALLEL_WORKERS/u);
  });

  it('reads from a replica only when READ_DATABASE_URL names one, and refuses one that is not PostgreSQL', () => {
    expect(loadConfig({}).database.readUrl).toBeNull();
    expect(loadConfig({ READ_DATABASE_URL: 'postgres://reader@10.0.0.2:5432/qadaga' }).database.readUrl).toBe('postgres://reader@10.0.0.2:5432/qadaga');
    expect(() => loadConfig({ READ_DATABASE_URL: 'mysql://10.0.0.2/qadaga' })).toThrow(/READ_DATABASE_URL: must be a postgres/u);
  });

  it("waits 10 s for a replica to catch up with a sweep's or backtest's start unless told otherwise, 0 meaning not at all", () => {
    expect(loadConfig({}).database.replicaCatchUpMs).toBe(10_000);
    expect(loadConfig({ REPLICA_CATCH_UP_MS: '0' }).database.replicaCatchUpMs).toBe(0);
    expect(loadConfig({ REPLICA_CATCH_UP_MS: '30000' }).database.replicaCatchUpMs).toBe(30_000);
    expect(() => loadConfig({ REPLICA_CATCH_UP_MS: '-1' })).toThrow(/REPLICA_CATCH_UP_MS/u);
    expect(() => loadConfig({ REPLICA_CATCH_UP_MS: 'soon' })).toThrow(/REPLICA_CATCH_UP_MS/u);
  });

  it("takes a sweep part's lock and stall check in milliseconds, 15 s and 5 s unless told otherwise", () => {
    expect(loadConfig({}).sweep).toEqual({ lockMs: 15_000, stalledCheckMs: 5_000 });
    expect(loadConfig({ SWEEP_LOCK_MS: '8000', SWEEP_STALLED_CHECK_MS: '1000' }).sweep).toEqual({ lockMs: 8_000, stalledCheckMs: 1_000 });
    expect(() => loadConfig({ SWEEP_LOCK_MS: '10', SWEEP_STALLED_CHECK_MS: 'often' })).toThrow(/SWEEP_LOCK_MS[\s\S]*SWEEP_STALLED_CHECK_MS/u);
  });
});
