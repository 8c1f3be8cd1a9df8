import { ReferenceRepository, IngestPipeline, LedgerWriter, RuleRepository, createPrismaClient, ingestStream } from '@qadaga/db';
import { Backtester, RuleRunner, installRulePack } from '@qadaga/detection';
import { computeFacts, windowEnding, type SubjectFacts } from '@qadaga/facts';
import { evaluateRule, loadRulePack } from '@qadaga/rules';
import { simulateCity } from '@qadaga/simulator';
import { freshBenchDatabase } from './bench-database.js';

export interface SweepBenchResult {
  violations: number;
  events: number;
  loadSeconds: number;
  sweepSeconds: number;
  factsSeconds: number;
  engine: { jsonRulesEngineMs: number; directMs: number; evaluations: number; rounds: number };
  /** A 12-month backtest per rule: the first run computes facts, the second (a moved threshold) reuses them. */
  backtests: { ruleId: string; subjects: number; firstMs: number; movedThresholdMs: number }[];
}

const AS_OF = new Date('2026-10-31T19:00:00Z');

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
    const events = loaded.accepted + loaded.duplicates + loaded.rejected;
    await pool.query('VACUUM ANALYZE');
    const loadSeconds = loaded.seconds;

    const rules = new RuleRepository(prisma);
    const pack = loadRulePack();
    await installRulePack(rules);
    const t1 = performance.now();
    await new RuleRunner(pool, rules, 'Asia/Almaty').evaluate({ asOf: AS_OF });
    const sweepSeconds = (performance.now() - t1) / 1000;

    const t2 = performance.now();
    const facts = new Map<string, SubjectFacts[]>();
    for (const rule of pack) {
      const key = `${rule.subject}|${rule.windowDays}`;
      if (!facts.has(key)) facts.set(key, await computeFacts(pool, rule.subject, windowEnding(AS_OF, rule.windowDays, 'Asia/Almaty'), { all: true }));
    }
    const factsSeconds = (performance.now() - t2) / 1000;

    const time = async (evaluator: 'json-rules-engine' | 'direct') => {
      let evaluations = 0;
      const start = performance.now();
      for (let round = 0; round < options.engineRounds; round += 1) {
        for (const rule of pack) {
          const subjects = facts.get(`${rule.subject}|${rule.windowDays}`) ?? [];
          await evaluateRule(rule, subjects, { conditionEvaluator: evaluator });
          evaluations += subjects.length;
        }
      }
      return { ms: performance.now() - start, evaluations };
    };
    await time('direct'); // warm both paths before measuring
    await time('json-rules-engine');
    const engine = await time('json-rules-engine');
    const direct = await time('direct');
    const backtester = new Backtester(pool, 'Asia/Almaty');
    const backtests: SweepBenchResult['backtests'] = [];
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
      await backtester.run(moved, { definition: rule, version: 1 }, range);
      backtests.push({ ruleId, subjects: first.subjects, firstMs: b1 - b0, movedThresholdMs: performance.now() - b1 });
    }
    return {
      backtests,
      violations: options.violations,
      events,
      loadSeconds,
      sweepSeconds,
      factsSeconds,
      engine: { jsonRulesEngineMs: engine.ms, directMs: direct.ms, evaluations: engine.evaluations, rounds: options.engineRounds },
    };
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}
