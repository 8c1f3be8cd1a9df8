import { mkdirSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { RuleRepository, ReferenceRepository } from '@qadaga/db';
import { IngestPipeline, LedgerWriter, clearPendingSubjects, eventsOutsideSources, ingestStream, resetEvaluationProgress, type StreamTotals } from '@qadaga/ledger';
import { QUALITY_CITY, QUALITY_SIMULATION_END, RuleRunner, installRulePack, sweepInstant, queueHealth, relayOutbox, scoreAgainstTruth, sweepMonthEnds, type QualityReport, type QueueHealth } from '@qadaga/detection';
import { simulateCity, writeCity, type SimulatedCity } from '@qadaga/simulator';
import { openContext, type CliContext } from '../context.js';
import { createOutput, type Output } from '../output.js';

/** The simulated year ends here; rules are judged as of this instant, so their windows cover it. */

/** Installs the built-in rule pack as published rules (unchanged rules are left alone). */
export function installRulePackWith(ctx: CliContext): Promise<string[]> {
  return installRulePack(new RuleRepository(ctx.prisma));
}

/** Loads a simulated city (reference data, then events) through the ingest pipeline. */
export async function loadCity(ctx: CliContext, city: SimulatedCity, out: Output): Promise<StreamTotals> {
  await new ReferenceRepository(ctx.pool).load(city.reference);
  const totals = await ingestStream(new IngestPipeline(new LedgerWriter(ctx.pool)), city.events(), {
    onProgress: (t) => out.progress(`  ${(t.accepted + t.duplicates + t.rejected).toLocaleString('en-US')} events loaded`),
  });
  // Planner statistics after a bulk load; in service, autovacuum keeps them current.
  await ctx.pool.query('ANALYZE');
  return totals;
}

/** The rule runner as the workers configure it, so a sweep from here is the workers' sweep. */
export function runnerOf(ctx: CliContext): RuleRunner {
  return new RuleRunner(ctx.pool, new RuleRepository(ctx.prisma), ctx.config.timeZone, { factParallelWorkers: ctx.config.detection.factParallelWorkers });
}

function parsePositive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: must be a positive whole number, not ${value}`);
  return n;
}

export function registerDetection(program: Command): void {
  program
    .command('simulate')
    .description('generate a simulated city with injected schemes and ground truth (seeded, deterministic)')
    .option('--seed <n>', 'random seed', '1')
    .option('--violations <n>', 'number of violations', '20000')
    .option('--out <dir>', 'write events.ndjson, reference.json and truth.json here')
    .option('--load', 'load it into the database (DATABASE_URL) through the ingest pipeline')
    .option('--json', 'print the summary as one JSON line')
    .action(async (options: { seed: string; violations: string; out?: string; load?: boolean; json?: boolean }) => {
      const out = createOutput(options.json === true);
      if (options.out === undefined && options.load !== true) throw new Error('say where the city goes: --out DIR and/or --load');
      const city = simulateCity({ seed: parsePositive(options.seed, '--seed'), violations: parsePositive(options.violations, '--violations') });
      const summary: Record<string, unknown> = { seed: Number(options.seed), violations: Number(options.violations) };
      if (options.out !== undefined) {
        mkdirSync(options.out, { recursive: true });
        await writeCity(city, options.out);
        summary['out'] = options.out;
      }
      if (options.load === true) {
        const ctx = openContext();
        try {
          summary['loaded'] = await loadCity(ctx, city, out);
        } finally {
          await ctx.close();
        }
      }
      out.result(summary, JSON.stringify(summary));
    });

  const rules = program.command('rules').description('the rule pack and sweeps');
  rules
    .command('install')
    .description('install the built-in rule pack as published rules')
    .option('--json', 'print the summary as one JSON line')
    .action(async (options: { json?: boolean }) => {
      const ctx = openContext();
      try {
        const installed = await installRulePackWith(ctx);
        createOutput(options.json === true).result({ installed }, `installed: ${installed.join(', ')}`);
      } finally {
        await ctx.close();
      }
    });
  rules
    .command('sweep')
    .description('evaluate every published rule over every subject, in this process, as the workers would, as of the end of the ledger\'s history (an imported history is judged as it stood when it ended)')
    .option('--as-of <instant>', 'evaluate as of this instant (default: the latest occurred_at in the ledger, or now if that is later)')
    .option('--json', 'print the summary as one JSON line')
    .action(async (options: { asOf?: string; json?: boolean }) => {
      const ctx = openContext();
      try {
        if (options.asOf !== undefined && Number.isNaN(new Date(options.asOf).getTime())) throw new Error(`--as-of: not an instant: ${options.asOf}`);
        const { asOf, basis } = await sweepInstant(ctx.pool, options.asOf);
        const out = createOutput(options.json === true);
        out.info(`judging as of ${asOf.toISOString()} (${basis === 'history-end' ? 'the end of the ledger\'s history' : basis === 'given' ? '--as-of' : 'now'})`);
        const runner = runnerOf(ctx);
        const started = performance.now();
        const report = await runner.evaluate({ asOf });
        const summary = { ...report, asOf: asOf.toISOString(), asOfBasis: basis, seconds: (performance.now() - started) / 1000 };
        out.result(summary, JSON.stringify(summary));
      } finally {
        await ctx.close();
      }
    });

  program
    .command('quality')
    .description('simulate a city, load it, run the rule pack as the workers would, and score the flags against the ground truth')
    .option('--seed <n>', 'random seed', String(QUALITY_CITY.seed))
    .option('--violations <n>', 'number of violations', String(QUALITY_CITY.violations))
    .option('--report <file>', 'also write the full report (misses, false positives) as JSON here')
    .option('--json', 'print { schemes: {id: {recall, precision}}, lookalikesFlagged, queue } as the last line')
    .action(async (options: { seed: string; violations: string; report?: string; json?: boolean }) => {
      const out = createOutput(options.json === true);
      const ctx = openContext();
      try {
        const city = simulateCity({ seed: parsePositive(options.seed, '--seed'), violations: parsePositive(options.violations, '--violations'), end: QUALITY_SIMULATION_END });
        // Scoring clears flags, so it refuses a database that holds anything but this simulation.
        const simSources = city.reference.sources.map((x) => x.code);
        if ((await eventsOutsideSources(ctx.pool, simSources)) > 0) throw new Error('the database holds events of other sources: point DATABASE_URL at an empty database for quality runs');
        await ctx.pool.query('TRUNCATE flag, flag_history');
        await resetEvaluationProgress(ctx.pool);
        out.info(`simulating and loading ${options.violations} violations (seed ${options.seed}) ...`);
        const loaded = await loadCity(ctx, city, out);
        await installRulePackWith(ctx);
        const runner = runnerOf(ctx);
        // The outbox is drained first so the workers would find nothing left to do.
        while ((await relayOutbox(ctx.pool)).events > 0);
        await clearPendingSubjects(ctx.pool);
        const started = performance.now();
        const sweep = await sweepMonthEnds(runner, QUALITY_SIMULATION_END);
        const report = await scoreAgainstTruth(ctx.pool, city.truth);
        const sweepSeconds = (performance.now() - started) / 1000;
        const queue = await queueHealth(ctx.pool);
        if (options.report !== undefined) writeFileSync(options.report, JSON.stringify({ loaded, sweep, report, queue }, null, 2));
        out.result(summarise(report, queue, loaded, sweepSeconds), `${table(report)}\n${queueLine(queue)}`);
      } finally {
        await ctx.close();
      }
    });
}

function summarise(report: QualityReport, queue: QueueHealth, loaded: object, sweepSeconds: number): object {
  return {
    schemes: Object.fromEntries(report.schemes.map((s) => [s.scheme, { recall: round(s.recall), precision: round(s.precision), truth: s.truth, flagged: s.flagged }])),
    lookalikesFlagged: report.lookalikesFlagged,
    queue,
    loaded,
    sweepSeconds: round(sweepSeconds),
  };
}

/** The open queue in one line: whether a prosecutor can work it. */
function queueLine(q: QueueHealth): string {
  const largest = q.largestRule === null ? 'none' : `${q.largestRule.ruleId} ${q.largestRule.flags} (${(q.largestRule.share * 100).toFixed(1)} %)`;
  const severities = (Object.keys(q.bySeverity) as (keyof QueueHealth['bySeverity'])[]).map((s) => `${s} ${q.firstPage[s]}/${q.bySeverity[s]}`).join(', ');
  return `open flags ${q.open}; largest rule ${largest}; unscored ${q.unscored}; first page of the queue (shown/open): ${severities}`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function table(report: QualityReport): string {
  const lines = ['scheme                          truth  flagged  recall  precision'];
  for (const s of report.schemes) {
    lines.push(`${s.scheme.padEnd(32)}${String(s.truth).padStart(5)}${String(s.flagged).padStart(9)}${s.recall.toFixed(2).padStart(8)}${s.precision.toFixed(2).padStart(11)}`);
  }
  lines.push(report.lookalikesFlagged.length === 0 ? 'no innocent look-alike flagged' : `look-alikes flagged: ${report.lookalikesFlagged.map((l) => `${l.lookalike} ${l.subject} by ${l.flags.join(',')}`).join('; ')}`);
  return lines.join('\n');
}
