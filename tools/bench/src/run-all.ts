import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runIngestBenchmarks, type PhaseResult } from './ingest.bench.js';
import { runImportBenchmarks } from './import.bench.js';
import { runLatencyBenchmark } from './latency.bench.js';
import { runSweepBenchmark } from './sweep.bench.js';
import { runBundleBenchmark } from './bundle.bench.js';
import { runVerifyBenchmark } from './verify.bench.js';
import { readTable, runReadApiBenchmark } from './read-api.bench.js';

/**
 * `npm run bench`: every benchmark, each reported against a baseline measured in the
 * same run. Sizes can be raised with BENCH_VIOLATIONS / BENCH_SINGLES / BENCH_VERIFY_EVENTS.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const reportsDir = path.join(ROOT, 'reports');
mkdirSync(reportsDir, { recursive: true });

const violations = Number(process.env['BENCH_VIOLATIONS'] ?? 20_000);
const singles = Number(process.env['BENCH_SINGLES'] ?? 15_000);

const ingest = await runIngestBenchmarks({ violations, singles, batchSize: Number(process.env['BENCH_BATCH_SIZE'] ?? 1_000), profileDir: path.join(reportsDir, 'profiles') });
const copy = ingest[0] as PhaseResult;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const floor = ingest.find((r) => r.name.startsWith('HTTP floor'));
const ledgerOnly = ingest.find((r) => r.name.startsWith('raw COPY into ledger_event alone'));
const lines = ['| phase | events | seconds | events/s | ratio to its baseline | API CPU s | PostgreSQL CPU s |', '|---|---:|---:|---:|---:|---:|---:|'];
for (const r of ingest) {
  // Batches are compared with COPY of the same rows; single events with the bare HTTP round trip.
  const baseline = r.name.startsWith('single-event') && floor !== undefined ? floor : copy;
  const against = (b: PhaseResult, label: string) => `${(r.perSecond / b.perSecond).toFixed(2)} of ${label}`;
  const ratio =
    r === baseline
      ? '1.00 (baseline)'
      : r === ledgerOnly
        ? `${against(copy, 'COPY')} (reference)`
        : r.name.startsWith('HTTP batches') && ledgerOnly !== undefined
          ? `${against(copy, 'COPY')}; ${against(ledgerOnly, 'ledger COPY alone')}`
          : against(baseline, baseline === copy ? 'COPY' : 'HTTP floor');
  lines.push(`| ${r.name} | ${fmt(r.events)} | ${r.seconds.toFixed(2)} | ${fmt(r.perSecond)} | ${ratio} | ${r.apiCpuSeconds?.toFixed(1) ?? ''} | ${r.postgresCpuSeconds?.toFixed(1) ?? ''} |`);
}
const profileTable = (title: string, shares: { category: string; share: number }[]) => {
  lines.push('', title, '', '| where | share |', '|---|---:|');
  for (const p of shares.slice(0, 12)) lines.push(`| ${p.category} | ${(p.share * 100).toFixed(1)}% |`);
};
for (const r of ingest) {
  if (r.profile !== undefined) profileTable(`API CPU profile, ${r.name} (a separate run under the profiler; share of sampled wall time, startup included):`, r.profile);
  if (r.threadProfile !== undefined) profileTable('Ingest thread CPU profile, same run (validation, canonical form, hashing; share of sampled wall time):', r.threadProfile);
}
const imports = process.env['BENCH_SKIP_IMPORT'] === '1' ? [] : await runImportBenchmarks();
if (imports.length > 0) {
  const [read, load] = imports as [PhaseResult, PhaseResult];
  lines.push('', '| XES import | log events | seconds | log events/s | ratio to reading alone |', '|---|---:|---:|---:|---:|');
  lines.push(`| ${read.name} | ${fmt(read.events)} | ${read.seconds.toFixed(1)} | ${fmt(read.perSecond)} | 1.00 (baseline) |`);
  lines.push(`| ${load.name} | ${fmt(load.events)} | ${load.seconds.toFixed(1)} | ${fmt(load.perSecond)} | ${(load.perSecond / read.perSecond).toFixed(2)} |`);
}
if (process.env['BENCH_SKIP_LATENCY'] !== '1') {
  const latency = await runLatencyBenchmark({
    rate: Number(process.env['BENCH_LATENCY_RATE'] ?? 1_000),
    seconds: Number(process.env['BENCH_LATENCY_SECONDS'] ?? 30),
    redisUrl: process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379/14',
  });
  lines.push('', '| ingest to flag | events/s sustained | seconds | flags measured | p50 ms | p95 ms | p99 ms | max ms |', '|---|---:|---:|---:|---:|---:|---:|---:|');
  lines.push(`| API + one worker process | ${fmt(latency.ratePerSecond)} | ${latency.seconds.toFixed(0)} | ${latency.flags} | ${fmt(latency.p50)} | ${fmt(latency.p95)} | ${fmt(latency.p99)} | ${fmt(latency.max)} |`);
}
if (process.env['BENCH_SKIP_SWEEP'] !== '1') {
  const sweep = await runSweepBenchmark({ violations: Number(process.env['BENCH_SWEEP_VIOLATIONS'] ?? 100_000), engineRounds: 3 });
  const e = sweep.engine;
  lines.push('', '| full sweep of the rule pack | violations | events | load s | sweep s | facts (SQL) s, kind by kind | events swept/s | one-pass floor s | sweep / floor |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  lines.push(`| simulated city, as of its last day | ${fmt(sweep.violations)} | ${fmt(sweep.events)} | ${sweep.loadSeconds.toFixed(1)} | ${sweep.sweepSeconds.toFixed(1)} | ${sweep.factsSeconds.toFixed(1)} | ${fmt(sweep.events / sweep.sweepSeconds)} | ${sweep.floorSeconds.toFixed(2)} | ${(sweep.sweepSeconds / sweep.floorSeconds).toFixed(0)} |`);
  for (const k of sweep.factsByKind) lines.push(`| facts of ${k.key} | | | | | ${k.seconds.toFixed(2)} | | | |`);
  lines.push('', '| rule conditions over the sweep\'s facts | subject evaluations | ms | µs per evaluation | ratio |', '|---|---:|---:|---:|---:|');
  lines.push(`| plain TypeScript, same predicates (baseline) | ${fmt(e.evaluations)} | ${fmt(e.directMs)} | ${((e.directMs * 1000) / e.evaluations).toFixed(1)} | 1.00 |`);
  lines.push(`| json-rules-engine | ${fmt(e.evaluations)} | ${fmt(e.jsonRulesEngineMs)} | ${((e.jsonRulesEngineMs * 1000) / e.evaluations).toFixed(1)} | ${(e.jsonRulesEngineMs / e.directMs).toFixed(2)} |`);
  lines.push(`| as the rule runner evaluates: direct evaluator screens, json-rules-engine confirms, fired verdicts only | ${fmt(e.evaluations)} | ${fmt(e.runnerMs)} | ${((e.runnerMs * 1000) / e.evaluations).toFixed(1)} | ${(e.runnerMs / e.directMs).toFixed(2)} |`);
  lines.push(`| the runner's evaluation as a share of one sweep | | | | ${((e.runnerMs / e.rounds / 1000 / sweep.sweepSeconds) * 100).toFixed(1)}% |`);
  lines.push('', '| backtest over 12 months | subjects | first run ms (facts computed) | threshold moved ms (facts cached) |', '|---|---:|---:|---:|');
  for (const b of sweep.backtests) lines.push(`| ${b.ruleId} | ${fmt(b.subjects)} | ${fmt(b.firstMs)} | ${fmt(b.movedThresholdMs)} |`);
}
if (process.env['BENCH_SKIP_READ'] !== '1') {
  const read = await runReadApiBenchmark({
    events: Number(process.env['BENCH_READ_EVENTS'] ?? 1_000_000),
    concurrency: Number(process.env['BENCH_READ_CONCURRENCY'] ?? 50),
    seconds: Number(process.env['BENCH_READ_SECONDS'] ?? 10),
  });
  lines.push('', `Workbench reads over ${fmt(read.events)} events, ${fmt(read.flags)} flags, ${fmt(read.cases)} cases:`, '', readTable(read));
}
if (process.env['BENCH_SKIP_VERIFY'] !== '1') {
  const v = await runVerifyBenchmark({ events: Number(process.env['BENCH_VERIFY_EVENTS'] ?? 1_000_000) });
  const readRate = v.events / v.readSeconds;
  const verifyRate = v.events / v.verifySeconds;
  lines.push('', `| ledger verification (${v.fillSeconds === null ? 'ledger of an earlier fill, reused' : `fill by COPY: ${v.fillSeconds.toFixed(0)} s`}) | rows | seconds | rows/s | ratio | 10M rows, extrapolated s | process CPU s | PostgreSQL CPU s |`, '|---|---:|---:|---:|---:|---:|---:|---:|');
  lines.push(`| COPY TO of the same rows in id order, hashing nothing (baseline) | ${fmt(v.events)} | ${v.readSeconds.toFixed(1)} | ${fmt(readRate)} | 1.00 | ${(10_000_000 / readRate).toFixed(0)} | | |`);
  lines.push(`| LedgerVerifier.verify(), ${v.threads} worker threads | ${fmt(v.events)} | ${v.verifySeconds.toFixed(1)} | ${fmt(verifyRate)} | ${(verifyRate / readRate).toFixed(2)} | ${(10_000_000 / verifyRate).toFixed(0)} | ${v.verifyCpuSeconds.toFixed(1)} | ${v.postgresCpuSeconds.toFixed(1)} |`);
}
if (process.env['BENCH_SKIP_BUNDLE'] !== '1') {
  const b = await runBundleBenchmark({ events: Number(process.env['BENCH_BUNDLE_EVENTS'] ?? 10_000) });
  const ratio = (ms: number, base: number) => (ms / base).toFixed(2);
  lines.push('', `| evidence bundle: a case of ${fmt(b.events)} events, ${fmt(b.links)} chain links, ${(b.bundleBytes / 1_048_576).toFixed(1)} MiB | ms (median of ${b.rounds}) | ratio to its baseline |`, '|---|---:|---:|');
  lines.push(`| the events as NDJSON to /dev/null | ${fmt(b.ndjsonMs)} | |`);
  lines.push(`| ZIP of the bundle's files as plain bytes (baseline) | ${fmt(b.rawZipMs)} | 1.00 |`);
  lines.push(`| writeBundle from memory | ${fmt(b.buildMs)} | ${ratio(b.buildMs, b.rawZipMs)} |`);
  if (b.collectAndBuildMs !== null) lines.push(`| collectBundleInput from PostgreSQL, then writeBundle | ${fmt(b.collectAndBuildMs)} | ${ratio(b.collectAndBuildMs, b.rawZipMs)} |`);
  lines.push(`| unzip and SHA-256 of every file (baseline) | ${fmt(b.rawUnzipMs)} | 1.00 |`);
  lines.push(`| verifyBundle | ${fmt(b.verifyMs)} | ${ratio(b.verifyMs, b.rawUnzipMs)} |`);
}
const table = lines.join('\n');
console.log(table);
writeFileSync(path.join(reportsDir, 'bench-ingest.md'), `${table}\n`);
writeFileSync(path.join(reportsDir, 'bench-ingest.json'), JSON.stringify({ ingest, imports }, null, 2));
