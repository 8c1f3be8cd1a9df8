import { ReferenceRepository, RuleRepository, createPrismaClient } from '@qadaga/db';
import { IngestPipeline, LedgerWriter, ingestStream } from '@qadaga/ledger';
import { Backtester, RuleRunner, RUNNER_FACT_SESSION, installRulePack, type BacktestResult } from '@qadaga/detection';
import { computeFacts, computeFactsOverWindows, KINDS_SHARING_WINDOWS, windowEnding, withFactSession, type SubjectFacts } from '@qadaga/facts';
import { evaluateFired, evaluateRule, loadRulePack } from '@qadaga/rules';
import type pg from 'pg';
import type { SubjectKind } from '@qadaga/domain';
import { simulateCity } from '@qadaga/simulator';
import { freshBenchDatabase } from './bench-database.js';

export interface SweepMeasurement {
  events: number;
  sweepSeconds: number;
  factsSeconds: number;
  /** Facts of each subject kind and window, computed alone and in turn: where the SQL time goes. */
  factsByKind: { key: string; seconds: number; subjects: number }[];
  /** One sequential pass over the same rows, counted per actor: the floor of any set-based pass. */
  floorSeconds: number;
  engine: { jsonRulesEngineMs: number; directMs: number; runnerMs: number; evaluations: number; rounds: number };
}

export interface SweepBenchResult extends SweepMeasurement {
  violations: number;
  loadSeconds: number;
  /** A 12-month backtest per rule: the first run computes facts, the second (a moved threshold) reuses them. */
  backtests: BacktestRun[];
}

export interface BacktestRun {
  ruleId: string;
  subjects: number;
  firstMs: number;
  movedThresholdMs: number;
  /** Flags raised by the first run and by the moved threshold. */
  flagged: { first: number; moved: number };
  /** Each run's phases as the backtester reports them. */
  first: BacktestResult['timings'];
  moved: BacktestResult['timings'];
  /**
   * Baseline of the same run: the moved draft on json-rules-engine with a verdict for every
   * subject, as backtests evaluated before; null when skipped (it recomputes the facts).
   */
  engineAllVerdictsMs: number | null;
}

export const AS_OF = new Date('2026-10-31T19:00:00Z');

/**
 * A full sweep of the rule pack over a simulated city, and, on the facts of that sweep,
 * json-rules-engine against the same conditions evaluated by plain TypeScript (same
 * subjects, same parameters, same run), to show what share of evaluation the engine is.
 */
export async function runSweepBenchmark(options: { violations: number; engineRounds: number }): Promise<SweepBenchResult> {
  const pool = await freshBenchDatabase();
  const prisma = createPrismaClient(pool);
  try {
    const city = simulateCity({ seed: 21, violations: options.violations });
    await new ReferenceRepository(pool).load(city.reference);
    const loaded = await ingestStream(new IngestPipeline(new LedgerWriter(pool)), city.events());
    await pool.query('VACUUM ANALYZE');
    const measured = await measureSweep(pool, new RuleRepository(prisma), options.engineRounds);
    const backtests = await backtestRuns(pool);
    return { ...measured, backtests, violations: options.violations, loadSeconds: loaded.seconds };
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

/** The sweep, its facts kind by kind, the floor scan and the two condition evaluators, over a filled ledger. */
export async function measureSweep(pool: pg.Pool, rules: RuleRepository, engineRounds: number): Promise<SweepMeasurement> {
  const pack = loadRulePack();
  await installRulePack(rules);
  const events = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_event')).rows[0]?.n ?? 0);

  const f0 = performance.now();
  await pool.query('SELECT actor_id, count(*) FROM ledger_event GROUP BY actor_id');
  const floorSeconds = (performance.now() - f0) / 1000;

  const t1 = performance.now();
  await new RuleRunner(pool, rules, 'Asia/Almaty').evaluate({ asOf: AS_OF });
  const sweepSeconds = (performance.now() - t1) / 1000;

  // Kind by kind, all of a kind's windows at once, as the runner computes them (one after another here).
  const facts = new Map<string, SubjectFacts[]>();
  const factsByKind: SweepMeasurement['factsByKind'] = [];
  const daysOf = new Map<SubjectKind, number[]>();
  for (const rule of pack) daysOf.set(rule.subject, [...new Set([...(daysOf.get(rule.subject) ?? []), rule.windowDays])]);
  for (const [kind, days] of daysOf) {
    const windows = days.map((d) => windowEnding(AS_OF, d, 'Asia/Almaty'));
    const k0 = performance.now();
    const perWindow = KINDS_SHARING_WINDOWS.has(kind)
      ? await withFactSession(pool, (db) => computeFactsOverWindows(db, kind, windows, { all: true }), RUNNER_FACT_SESSION)
      : await Promise.all(windows.map((w) => withFactSession(pool, (db) => computeFactsOverWindows(db, kind, [w], { all: true }), RUNNER_FACT_SESSION).then((r) => r[0] ?? [])));
    factsByKind.push({ key: `${kind}|${days.join('+')}`, seconds: (performance.now() - k0) / 1000, subjects: perWindow.reduce((s, w) => s + w.length, 0) });
    days.forEach((d, i) => facts.set(`${kind}|${d}`, perWindow[i] ?? []));
  }
  const factsSeconds = factsByKind.reduce((s, k) => s + k.seconds, 0);

  // "runner" is how the rule runner evaluates: the direct evaluator screens every subject,
  // json-rules-engine confirms those that pass, and only fired verdicts are built.
  const time = async (evaluator: 'json-rules-engine' | 'direct' | 'runner') => {
    let evaluations = 0;
    const start = performance.now();
    for (let round = 0; round < engineRounds; round += 1) {
      for (const rule of pack) {
        const subjects = facts.get(`${rule.subject}|${rule.windowDays}`) ?? [];
        if (evaluator === 'runner') await evaluateFired(rule, subjects, { conditionEvaluator: 'engine-confirms' });
        else await evaluateRule(rule, subjects, { conditionEvaluator: evaluator });
        evaluations += subjects.length;
      }
    }
    return { ms: performance.now() - start, evaluations };
  };
  await time('direct'); // warm every path before measuring
  await time('json-rules-engine');
  await time('runner');
  const engine = await time('json-rules-engine');
  const direct = await time('direct');
  const runner = await time('runner');
  return {
    events,
    sweepSeconds,
    factsSeconds,
    factsByKind,
    floorSeconds,
    engine: { jsonRulesEngineMs: engine.ms, directMs: direct.ms, runnerMs: runner.ms, evaluations: engine.evaluations, rounds: engineRounds },
  };
}

/**
 * A 12-month backtest of three rules (a plate rule, an officer rule with peers, a violation
 * rule), each against itself as the published version as the workbench runs it: the first
 * run computes the range's facts, the second moves the first parameter by half and reuses
 * them and the published version's flags. The baseline, in the same run, evaluates the
 * moved draft the way backtests did before: json-rules-engine on every subject, a verdict
 * (facts copied) for each.
 */
export async function backtestRuns(pool: pg.Pool, options: { baseline?: boolean } = {}): Promise<BacktestRun[]> {
  const pack = loadRulePack();
  const backtester = new Backtester(pool, 'Asia/Almaty');
  const backtests: BacktestRun[] = [];
  const range = { from: new Date(AS_OF.getTime() - 365 * 86_400_000), to: AS_OF };
  for (const ruleId of ['protected-plate', 'officer-outlier-rate', 'cancel-near-deadline']) {
    const rule = pack.find((r) => r.id === ruleId);
    if (rule === undefined) continue;
    const b0 = performance.now();
    const first = await backtester.run(rule, { definition: rule, version: 1 }, range);
    const b1 = performance.now();
    const moved = structuredClone(rule);
    const name = Object.keys(moved.parameters)[0];
    if (name !== undefined) {
      const p = moved.parameters[name];
      if (p !== undefined) p.default = p.default * 1.5;
    }
    const again = await backtester.run(moved, { definition: rule, version: 1 }, range);
    const b2 = performance.now();
    let engineAllVerdictsMs: number | null = null;
    if (options.baseline !== false) {
      const subjects = await withFactSession(pool, (db) => computeFacts(db, rule.subject, { from: range.from, to: range.to, timeZone: 'Asia/Almaty' }, { all: true }));
      const e0 = performance.now();
      await evaluateRule(moved, subjects);
      engineAllVerdictsMs = performance.now() - e0;
    }
    backtests.push({
      ruleId,
      subjects: first.subjects,
      firstMs: b1 - b0,
      movedThresholdMs: b2 - b1,
      flagged: { first: first.flags.length, moved: again.flags.length },
      first: first.timings,
      moved: again.timings,
      engineAllVerdictsMs,
    });
  }
  return backtests;
}
