import { RuleRepository, createPrismaClient } from '@qadaga/db';
import { RuleRunner, installRulePack } from '@qadaga/detection';
import { IngestPipeline, LedgerWriter, ingestStream } from '@qadaga/ledger';
import { DEFAULT_END, simulateCity } from '@qadaga/simulator';
import type pg from 'pg';
import { freshBenchDatabase } from './bench-database.js';
import { fillCityByCopy } from './city-fill.js';

/**
 * `npx tsx tools/bench/src/growth.bench.ts`: what a ledger of years costs the work of today.
 *
 * A history of BENCH_GROWTH_YEARS simulated years (BENCH_GROWTH_VIOLATIONS violations each,
 * default 1,580,000, about 10M events a year) is loaded by COPY, each row received when it
 * occurred, so the years spread over their monthly partitions as the product's clock would
 * have spread them. The most recent year is loaded first; then, with one year stored and
 * again with every year stored:
 * - ingest: BENCH_GROWTH_INGEST events (default 200,000) of late reports of an old year
 *   through the ingest pipeline and the ledger writer, in batches of 1,000, two in flight
 *   (as the API writes them), received now, so into the current month;
 * - the sweep of the rule pack as of the end of the recent year (windows of up to 365 days,
 *   profiles of two years), flags emptied before each, the fastest of BENCH_GROWTH_SWEEPS;
 * - the disk: every partition of the ledger with its indexes, the key table, the read model.
 * Ingest is also measured on the empty ledger first: the baseline of the same run.
 */
const violationsPerYear = Number(process.env['BENCH_GROWTH_VIOLATIONS'] ?? 1_580_000);
const years = Number(process.env['BENCH_GROWTH_YEARS'] ?? 3);
const ingestEvents = Number(process.env['BENCH_GROWTH_INGEST'] ?? 200_000);
const sweepsPerStage = Number(process.env['BENCH_GROWTH_SWEEPS'] ?? 2);
const END = new Date(DEFAULT_END);

interface Stage {
  label: string;
  storedEvents: number;
  ingestPerSecond: number;
  sweepSeconds: number | null;
  disk: Disk;
}

interface Disk {
  ledgerBytes: number;
  keyBytes: number;
  readModelBytes: number;
  partitions: number;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

async function count(pool: pg.Pool): Promise<number> {
  return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_event')).rows[0]?.n ?? 0);
}

async function disk(pool: pg.Pool): Promise<Disk> {
  const { rows } = await pool.query<{ ledger: string; keys: string; model: string; partitions: string }>(
    `SELECT (SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree('ledger_event') WHERE isleaf) AS ledger,
            pg_total_relation_size('ledger_event_key') AS keys,
            pg_total_relation_size('violation') AS model,
            (SELECT count(*) FROM pg_partition_tree('ledger_event') WHERE isleaf) AS partitions`,
  );
  const r = rows[0];
  return { ledgerBytes: Number(r?.ledger), keyBytes: Number(r?.keys), readModelBytes: Number(r?.model), partitions: Number(r?.partitions) };
}

/** Late reports of a year long before the history loaded: outside every window the sweep reads, so both sweeps judge the same events. */
function lateReports(round: string, events: number): Iterable<unknown> {
  const city = simulateCity({ seed: 900 + round.length, violations: Math.ceil(events / 6), end: new Date(END.getTime() - (years + 2) * 366 * 86_400_000).toISOString(), refPrefix: `LATE${round}` });
  return (function* () {
    let n = 0;
    for (const e of city.events()) {
      if (n++ >= events) return;
      yield e;
    }
  })();
}

async function ingestRate(pool: pg.Pool, round: number): Promise<number> {
  const pipeline = new IngestPipeline(new LedgerWriter(pool), { threads: 1 });
  try {
    // A warm-up, untimed: the ingest thread started, the code compiled, the statements prepared.
    await ingestStream(pipeline, lateReports(`W${round}`, 5_000), { batchSize: 1_000, inFlight: 2 });
    const totals = await ingestStream(pipeline, lateReports(`M${round}`, ingestEvents), { batchSize: 1_000, inFlight: 2 });
    if (totals.rejected > 0 || totals.duplicates > 0) throw new Error(`ingest refused ${totals.rejected} and found ${totals.duplicates} duplicates`);
    return totals.accepted / totals.seconds;
  } finally {
    await pipeline.close();
  }
}

/** The fastest of BENCH_GROWTH_SWEEPS sweeps (default 2): the same sweep moves by half from run to run on a shared host. */
async function sweep(pool: pg.Pool, rules: RuleRepository): Promise<number> {
  await pool.query('VACUUM ANALYZE');
  let fastest = Infinity;
  for (let round = 0; round < sweepsPerStage; round += 1) {
    await pool.query('TRUNCATE flag, flag_history CASCADE');
    const t0 = performance.now();
    await new RuleRunner(pool, rules, 'Asia/Almaty').evaluate({ asOf: END });
    fastest = Math.min(fastest, (performance.now() - t0) / 1000);
  }
  return fastest;
}

async function loadYear(pool: pg.Pool, year: number): Promise<void> {
  const end = new Date(END.getTime());
  end.setUTCFullYear(end.getUTCFullYear() - year);
  const t0 = performance.now();
  // The recent year's roster, cameras and register are the reference data; older years only add events.
  const fill = await fillCityByCopy(pool, simulateCity({ seed: 21 + year, violations: violationsPerYear, end: end.toISOString(), refPrefix: `Y${year}` }), { reference: year === 0, receivedWhenOccurred: true });
  console.log(`year ${year} (to ${end.toISOString().slice(0, 10)}): ${fmt(fill.events)} events, ${fmt(fill.violations)} violations, COPY ${fill.copySeconds.toFixed(0)} s, projection ${fill.projectSeconds.toFixed(0)} s (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

const pool = await freshBenchDatabase();
const prisma = createPrismaClient(pool);
const stages: Stage[] = [];
try {
  const rules = new RuleRepository(prisma);
  await installRulePack(rules);
  // Every month of the history, and of the late reports, has its partition before it is loaded.
  await pool.query('SELECT ensure_time_partitions(1, $1::date)', [new Date(END.getTime() - (years + 3) * 366 * 86_400_000).toISOString().slice(0, 10)]);

  const record = async (label: string, withSweep: boolean) => {
    const ingestPerSecond = await ingestRate(pool, stages.length);
    const sweepSeconds = withSweep ? await sweep(pool, rules) : null;
    const stage = { label, storedEvents: await count(pool), ingestPerSecond, sweepSeconds, disk: await disk(pool) };
    stages.push(stage);
    console.log(JSON.stringify(stage));
  };

  await record('empty ledger', false);
  await loadYear(pool, 0);
  await record('one year stored', true);
  for (let year = 1; year < years; year += 1) await loadYear(pool, year);
  await record(`${years} years stored`, true);

  const [empty, one, all] = stages as [Stage, Stage, Stage];
  console.log('\n| stored | events stored | ingest events/s | of the empty ledger | sweep s | of one year | partitions | ledger MB | key table MB | read model MB | ledger + keys per 1M events, MB |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of stages) {
    const perMillion = s.storedEvents === 0 ? '' : mb(((s.disk.ledgerBytes + s.disk.keyBytes) / s.storedEvents) * 1e6);
    const sweepCell = s.sweepSeconds === null ? '' : s.sweepSeconds.toFixed(1);
    const sweepRatio = s.sweepSeconds === null || one.sweepSeconds === null ? '' : (s.sweepSeconds / one.sweepSeconds).toFixed(2);
    console.log(`| ${s.label} | ${fmt(s.storedEvents)} | ${fmt(s.ingestPerSecond)} | ${(s.ingestPerSecond / empty.ingestPerSecond).toFixed(2)} | ${sweepCell} | ${sweepRatio} | ${s.disk.partitions} | ${mb(s.disk.ledgerBytes)} | ${mb(s.disk.keyBytes)} | ${mb(s.disk.readModelBytes)} | ${perMillion} |`);
  }
  console.log(`\ningest at ${years} years against one year: ${(all.ingestPerSecond / one.ingestPerSecond).toFixed(2)}; sweep: ${((all.sweepSeconds ?? 0) / (one.sweepSeconds ?? 1)).toFixed(2)}`);
} finally {
  await prisma.$disconnect();
  await pool.end();
}
