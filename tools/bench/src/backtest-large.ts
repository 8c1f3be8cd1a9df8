import { loadavg } from 'node:os';
import { applyMigrations } from '@qadaga/migrate';
import { createPool } from '@qadaga/db';
import { simulateCity, type SimulatedCity } from '@qadaga/simulator';
import type pg from 'pg';
import { benchDatabaseUrl, freshBenchDatabase } from './bench-database.js';
import { fillCityByCopy } from './city-fill.js';
import { backtestRuns, type BacktestRun } from './sweep.bench.js';

/**
 * `npx tsx tools/bench/src/backtest-large.ts`: the 12-month backtests of the sweep
 * benchmark on a city of BENCH_BACKTEST_VIOLATIONS violations (default 1,000,000), loaded
 * by COPY (see city-fill.ts) because the ingest pipeline would take most of an hour here.
 * BENCH_BACKTEST_REUSE=1 keeps the ledger a previous run left in the bench database when it
 * holds the expected city (see holdsCity), and fills it afresh otherwise.
 * BENCH_BACKTEST_BASELINE=0 skips the baseline (the moved draft on json-rules-engine, every
 * verdict built), which computes each rule's facts a second time.
 */
const violations = Number(process.env['BENCH_BACKTEST_VIOLATIONS'] ?? 1_000_000);
const reuse = process.env['BENCH_BACKTEST_REUSE'] === '1';
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Whether the database already holds this city: as many violations, the city's first and last
 * references among them, and its roster. A fill cut short leaves fewer projected violations, and
 * a city of another size or seed differs in count or references, so neither is mistaken for it.
 */
async function holdsCity(pool: pg.Pool, city: SimulatedCity, expected: number): Promise<boolean> {
  const first = city.events().next().value;
  if (first === undefined) return false;
  const lastRef = first.violationRef.replace(/\d+$/, (digits: string) => String(Number(digits) + expected - 1).padStart(digits.length, '0'));
  const { rows } = await pool.query<{ violations: string; refs: string; officers: string }>(
    `SELECT (SELECT count(*) FROM violation) AS violations,
            (SELECT count(*) FROM violation WHERE ref = ANY($1::text[])) AS refs,
            (SELECT count(*) FROM officer) AS officers`,
    [[first.violationRef, lastRef]],
  );
  const row = rows[0];
  return row !== undefined && Number(row.violations) === expected && Number(row.refs) === 2 && Number(row.officers) === city.reference.officers.length;
}

const city = simulateCity({ seed: 21, violations });
let pool: pg.Pool;
if (reuse) {
  await applyMigrations({ databaseUrl: benchDatabaseUrl() });
  pool = createPool({ url: benchDatabaseUrl(), size: 4, applicationName: 'qadaga-bench' });
  if (!(await holdsCity(pool, city, violations))) {
    console.log('the bench database does not hold the expected city: filling it afresh');
    await pool.end();
    pool = await freshBenchDatabase();
  }
} else {
  pool = await freshBenchDatabase();
}
try {
  if ((await pool.query<{ n: string }>('SELECT count(*) AS n FROM violation')).rows[0]?.n === '0') {
    const t0 = performance.now();
    const fill = await fillCityByCopy(pool, city);
    const fillSeconds = (performance.now() - t0) / 1000;
    console.log(`filled ${fmt(fill.violations)} violations, ${fmt(fill.events)} events in ${fillSeconds.toFixed(0)} s (COPY ${fill.copySeconds.toFixed(0)} s, projection ${fill.projectSeconds.toFixed(0)} s)`);
  } else {
    console.log(`reusing the ${fmt(violations)} violations already in the bench database`);
  }
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(', ');
  const runs = await backtestRuns(pool, { baseline: process.env['BENCH_BACKTEST_BASELINE'] !== '0' });
  const load = `${loadBefore} before, ${loadavg().map((l) => l.toFixed(2)).join(', ')} after`;
  const phases = (t: BacktestRun['first']) => `facts ${fmt(t.factsMs)}${t.cachedFacts ? ' (cached)' : ''}, draft ${fmt(t.phases.draftMs)}, published ${fmt(t.phases.publishedMs)}${t.cachedPublished ? ' (cached)' : ''}, per week ${fmt(t.phases.perWeekMs)}`;
  console.log(`\nload average ${load}`);
  console.log(
    `\n| backtest over 12 months (${fmt(violations)} violations) | subjects | flags (first / moved) | first run ms (facts computed) | threshold moved ms (facts cached) | draft on the engine, every verdict (baseline) ms | baseline / moved | first run phases ms | moved threshold phases ms |\n|---|---:|---:|---:|---:|---:|---:|---|---|`,
  );
  for (const b of runs) {
    console.log(
      `| ${b.ruleId} | ${fmt(b.subjects)} | ${fmt(b.flagged.first)} / ${fmt(b.flagged.moved)} | ${fmt(b.firstMs)} | ${fmt(b.movedThresholdMs)} | ${b.engineAllVerdictsMs === null ? 'skipped' : fmt(b.engineAllVerdictsMs)} | ${b.engineAllVerdictsMs === null ? '' : (b.engineAllVerdictsMs / b.movedThresholdMs).toFixed(1)} | ${phases(b.first)} | ${phases(b.moved)} |`,
    );
  }
} finally {
  await pool.end();
}
