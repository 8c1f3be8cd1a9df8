import { RuleRepository, createPool, createPrismaClient } from '@qadaga/db';
import { simulateCity } from '@qadaga/simulator';
import { benchDatabaseUrl, freshBenchDatabase } from './bench-database.js';
import { fillCityByCopy } from './city-fill.js';
import { measureSweep } from './sweep.bench.js';

/**
 * `npx tsx tools/bench/src/sweep-large.ts`: the sweep benchmark on a city of
 * BENCH_SWEEP_VIOLATIONS violations (default 500,000, about 2.4M events) loaded by COPY
 * (see city-fill.ts). BENCH_SWEEP_REUSE=1 sweeps the ledger a previous run left in the
 * bench database instead of filling it again.
 */
const violations = Number(process.env['BENCH_SWEEP_VIOLATIONS'] ?? 500_000);
const reuse = process.env['BENCH_SWEEP_REUSE'] === '1';
const pool = reuse ? createPool({ url: benchDatabaseUrl(), size: 4, applicationName: 'qadaga-bench' }) : await freshBenchDatabase();
const prisma = createPrismaClient(pool);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
try {
  if (!reuse) {
    const t0 = performance.now();
    const fill = await fillCityByCopy(pool, simulateCity({ seed: 21, violations }));
    console.log(`filled ${fmt(fill.violations)} violations, ${fmt(fill.events)} events in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  await pool.query('TRUNCATE flag, flag_history CASCADE');
  const m = await measureSweep(pool, new RuleRepository(prisma), Number(process.env['BENCH_ENGINE_ROUNDS'] ?? 1));
  const e = m.engine;
  console.log(`\n| full sweep | events | sweep s | facts (SQL) s | events swept/s | floor scan s | sweep / floor |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|`);
  console.log(`| ${fmt(violations)} violations | ${fmt(m.events)} | ${m.sweepSeconds.toFixed(1)} | ${m.factsSeconds.toFixed(1)} | ${fmt(m.events / m.sweepSeconds)} | ${m.floorSeconds.toFixed(2)} | ${(m.sweepSeconds / m.floorSeconds).toFixed(1)} |`);
  console.log(`\n| facts of | subjects | s |\n|---|---:|---:|`);
  for (const k of m.factsByKind) console.log(`| ${k.key} | ${fmt(k.subjects)} | ${k.seconds.toFixed(2)} |`);
  console.log(`\nengine: ${fmt(e.evaluations)} evaluations, json-rules-engine ${fmt(e.jsonRulesEngineMs)} ms, plain ${fmt(e.directMs)} ms, as the runner evaluates ${fmt(e.runnerMs)} ms (${e.rounds} round(s))`);
} finally {
  await prisma.$disconnect();
  await pool.end();
}
