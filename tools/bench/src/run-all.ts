import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runIngestBenchmarks, type PhaseResult } from './ingest.bench.js';

/**
 * `npm run bench`: every benchmark, each reported against a baseline measured in the
 * same run. Sizes can be raised with BENCH_VIOLATIONS / BENCH_SINGLES.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const reportsDir = path.join(ROOT, 'reports');
mkdirSync(reportsDir, { recursive: true });

const violations = Number(process.env['BENCH_VIOLATIONS'] ?? 20_000);
const singles = Number(process.env['BENCH_SINGLES'] ?? 15_000);

const ingest = await runIngestBenchmarks({ violations, singles, batchSize: 1_000, profileDir: path.join(reportsDir, 'profiles') });
const copy = ingest[0] as PhaseResult;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const lines = ['| phase | events | seconds | events/s | ratio to COPY | API CPU s | PostgreSQL CPU s |', '|---|---:|---:|---:|---:|---:|---:|'];
for (const r of ingest) {
  lines.push(`| ${r.name} | ${fmt(r.events)} | ${r.seconds.toFixed(2)} | ${fmt(r.perSecond)} | ${(r.perSecond / copy.perSecond).toFixed(2)} | ${r.apiCpuSeconds?.toFixed(1) ?? ''} | ${r.postgresCpuSeconds?.toFixed(1) ?? ''} |`);
}
const profile = ingest.find((r) => r.profile !== undefined)?.profile ?? [];
lines.push('', 'API CPU profile over the whole run (share of sampled time):', '', '| where | share |', '|---|---:|');
for (const p of profile) lines.push(`| ${p.category} | ${(p.share * 100).toFixed(1)}% |`);
const table = lines.join('\n');
console.log(table);
writeFileSync(path.join(reportsDir, 'bench-ingest.md'), `${table}\n`);
writeFileSync(path.join(reportsDir, 'bench-ingest.json'), JSON.stringify(ingest, null, 2));
