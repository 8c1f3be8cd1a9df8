import { prepareReadDatabase } from './read-api.bench.js';

/**
 * `npx tsx tools/bench/src/read-api-fill.ts`: fills the bench database for the read
 * benchmark (BENCH_READ_EVENTS events, default 1,000,000) and stops, so that a large fill
 * can run once ahead of the measurements and be read again with BENCH_READ_REUSE=1.
 */
const events = Number(process.env['BENCH_READ_EVENTS'] ?? 1_000_000);
const fill = await prepareReadDatabase({ events, reuse: true });
console.log(`${fill.reused ? 'reused' : 'filled'} ${fill.events} events, ${fill.flags} flags${fill.reused ? '' : ` in ${fill.fillSeconds.toFixed(0)} s`}`);
await fill.pool.end();
