import { simulateCity } from '@qadaga/simulator';
import { freshBenchDatabase } from './bench-database.js';
import { fillCityByCopy } from './city-fill.js';
import { backtestRuns } from './sweep.bench.js';

/**
 * `npx tsx tools/bench/src/backtest-large.ts`: the 12-month backtests of the sweep
 * benchmark on a city of BENCH_BACKTEST_VIOLATIONS violations (default 1,000,000), loaded
 * by COPY (see city-fill.ts) because the ingest pipeline would take most of an hour here.
 */
const violations = Number(process.env['BENCH_BACKTEST_VIOLATIONS'] ?? 1_000_000);
const pool = await freshBenchDatabase();
try {
  const t0 = performance.now();
  const city = simulateCity({ seed: 21, violations });
  const fill = await fillCityByCopy(pool, city);
  const fillSeconds = (performance.now() - t0) / 1000;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`filled ${fmt(fill.violations)} violations, ${fmt(fill.events)} events in ${fillSeconds.toFixed(0)} s (COPY ${fill.copySeconds.toFixed(0)} s, projection ${fill.projectSeconds.toFixed(0)} s)`);
  const runs = await backtestRuns(pool);
  console.log(`\n| backtest over 12 months (${fmt(fill.violations)} violations) | subjects | first run ms (facts computed) | threshold moved ms (facts cached) |\n|---|---:|---:|---:|`);
  for (const b of runs) console.log(`| ${b.ruleId} | ${fmt(b.subjects)} | ${fmt(b.firstMs)} | ${fmt(b.movedThresholdMs)} |`);
} finally {
  await pool.end();
}
