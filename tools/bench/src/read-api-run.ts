import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mainThreadProfile, summariseProfile, topSelfTime } from './cpu-profile.js';
import { readTable, runReadApiBenchmark } from './read-api.bench.js';

/**
 * `npx tsx tools/bench/src/read-api-run.ts`: the workbench read benchmark alone (the users
 * phase, then the closed-loop stress phases) over BENCH_READ_EVENTS events, default
 * 1,000,000. The users phase reads BENCH_READ_USERS, BENCH_READ_USERS_SECONDS and
 * BENCH_READ_THINK_MS (usersPhaseFromEnv); BENCH_READ_REUSE=1 reads a fill of the same size
 * left by a previous run or by read-api-fill.ts; BENCH_READ_PROFILE=1 writes and summarises
 * the API's CPU profile; BENCH_READ_POOL_SIZE sets the API's DATABASE_POOL_SIZE.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const reports = path.join(ROOT, 'reports');
const profileDir = path.join(reports, 'profiles', 'read-api');
const env = process.env;
const profile = env['BENCH_READ_PROFILE'] === '1';
if (profile) {
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
}
const read = await runReadApiBenchmark({
  events: Number(env['BENCH_READ_EVENTS'] ?? 1_000_000),
  concurrency: Number(env['BENCH_READ_CONCURRENCY'] ?? 50),
  seconds: Number(env['BENCH_READ_SECONDS'] ?? 10),
  ...(profile ? { profileDir } : {}),
  ...(env['BENCH_READ_POOL_SIZE'] === undefined ? {} : { apiEnv: { DATABASE_POOL_SIZE: env['BENCH_READ_POOL_SIZE'] } }),
});
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const lines = [`Workbench reads over ${fmt(read.events)} events, ${fmt(read.flags)} flags, ${fmt(read.cases)} cases:`, ''];
lines.push(readTable(read), '', 'Load average (1, 5, 15 min) at the end of each phase:', '');
for (const l of read.load) lines.push(`- ${l.phase}: ${l.loadAverage.map((x) => x.toFixed(2)).join(', ')}`);
const file = profile ? mainThreadProfile(profileDir) : undefined;
if (file !== undefined) {
  lines.push('', 'API CPU profile over the whole run (share of sampled wall time):', '', '| where | share |', '|---|---:|');
  for (const p of summariseProfile(file).slice(0, 12)) lines.push(`| ${p.category} | ${(p.share * 100).toFixed(1)}% |`);
  lines.push('', 'Most self time (share of busy time):', '', '| function | share |', '|---|---:|');
  for (const p of topSelfTime(file)) lines.push(`| ${p.where} | ${(p.share * 100).toFixed(1)}% |`);
}
const table = lines.join('\n');
console.log(table);
mkdirSync(reports, { recursive: true });
writeFileSync(path.join(reports, 'bench-read.md'), `${table}\n`);
