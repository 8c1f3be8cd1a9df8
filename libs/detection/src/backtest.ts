import type pg from 'pg';
import { LRUCache } from 'lru-cache';
import { computeFacts, withFactSession, type SubjectFacts } from '@qadaga/facts';
import { evaluateRule, validateRule, type RuleDefinition, type Verdict } from '@qadaga/rules';

export interface BacktestResult {
  range: { from: string; to: string };
  subjects: number;
  flags: { subjectId: string; score: number; qValue: number | null; explanation: Record<string, string> }[];
  /** Subjects the draft flags and the published version does not, and the reverse. */
  diff: { added: string[]; removed: string[]; publishedVersion: number | null };
  /** Evidence events of the flagged subjects per ISO week (Monday), to show when the behaviour happened. */
  perWeek: { week: string; flagged: number; events: number }[];
  timings: { factsMs: number; evaluateMs: number; cachedFacts: boolean };
}

/** How far a backtest is, in percent; awaited, so a caller may store it before the work goes on. */
export type BacktestProgress = (percent: number) => void | Promise<void>;

/**
 * Where each phase ends, in percent, weighed by a first run at 1M violations (see
 * docs/benchmarks.md): the facts (one set-based SQL pass) took about half, the engine over
 * the draft and over the published version a quarter each, the per-week counts little.
 */
const PHASE_END = { facts: 50, draft: 75, published: 98, perWeek: 100 } as const;

/** The published version a draft is compared with, when there is one and it is still valid. */
export async function publishedCounterpart(
  rules: { published(ruleId: string): Promise<{ definition: unknown; version: number } | null> },
  ruleId: string,
): Promise<{ definition: RuleDefinition; version: number } | null> {
  const published = await rules.published(ruleId);
  if (published === null) return null;
  const checked = validateRule(published.definition);
  return checked.ok ? { definition: checked.rule, version: published.version } : null;
}

/**
 * What a draft rule would flag over a past range, next to the published version. The
 * facts of a range are computed once and cached for a few minutes, so moving a
 * threshold re-runs only the engine: that is what makes the preview interactive.
 */
export class Backtester {
  private readonly cache = new LRUCache<string, SubjectFacts[]>({ max: 32, ttl: 5 * 60_000 });

  constructor(
    private readonly pool: pg.Pool,
    private readonly timeZone: string,
  ) {}

  /** onProgress is called after each phase with a rising percent, ending at 100. */
  async run(
    draft: RuleDefinition,
    published: { definition: RuleDefinition; version: number } | null,
    range: { from: Date; to: Date },
    options: { onProgress?: BacktestProgress } = {},
  ): Promise<BacktestResult> {
    const report = async (percent: number) => options.onProgress?.(percent);
    const key = `${draft.subject}|${range.from.toISOString()}|${range.to.toISOString()}`;
    const t0 = performance.now();
    let subjects = this.cache.get(key);
    const cachedFacts = subjects !== undefined;
    if (subjects === undefined) {
      subjects = await withFactSession(this.pool, (db) => computeFacts(db, draft.subject, { from: range.from, to: range.to, timeZone: this.timeZone }, { all: true }));
      this.cache.set(key, subjects);
    }
    await report(PHASE_END.facts);
    const t1 = performance.now();
    const fired = (await evaluateRule(draft, subjects)).filter((v) => v.fired);
    await report(PHASE_END.draft);
    const before =
      published === null || published.definition.subject !== draft.subject ? [] : (await evaluateRule(published.definition, subjects)).filter((v) => v.fired);
    await report(PHASE_END.published);
    const t2 = performance.now();
    const now = new Set(fired.map((v) => v.subjectId));
    const was = new Set(before.map((v) => v.subjectId));
    const perWeek = await this.perWeek(fired, range);
    await report(PHASE_END.perWeek);
    return {
      range: { from: range.from.toISOString(), to: range.to.toISOString() },
      subjects: subjects.length,
      flags: fired.map((v) => ({ subjectId: v.subjectId, score: v.score, qValue: v.qValue ?? null, explanation: v.explanation })),
      diff: { added: [...now].filter((s) => !was.has(s)).sort(), removed: [...was].filter((s) => !now.has(s)).sort(), publishedVersion: published?.version ?? null },
      perWeek,
      timings: { factsMs: Math.round(t1 - t0), evaluateMs: Math.round(t2 - t1), cachedFacts },
    };
  }

  private async perWeek(fired: Verdict[], range: { from: Date; to: Date }): Promise<BacktestResult['perWeek']> {
    const bySubject = fired.map((v) => ({ subject: v.subjectId, ids: Array.isArray(v.facts['evidenceEventIds']) ? (v.facts['evidenceEventIds'] as string[]) : [] }));
    const { rows } = await this.pool.query<{ week: string; flagged: string; events: string }>(
      `WITH ev AS (
         SELECT s.subject, e.occurred_at
         FROM jsonb_to_recordset($1::jsonb) AS s(subject text, ids text[]) CROSS JOIN LATERAL unnest(s.ids) AS k(key)
         JOIN ledger_event e ON e.source = split_part(k.key, '|', 1) AND e.event_id = substr(k.key, length(split_part(k.key, '|', 1)) + 2)
         WHERE e.occurred_at >= $2 AND e.occurred_at < $3
       )
       SELECT to_char(date_trunc('week', occurred_at AT TIME ZONE $4), 'YYYY-MM-DD') AS week,
         count(DISTINCT subject) AS flagged, count(*) AS events
       FROM ev GROUP BY 1 ORDER BY 1`,
      [JSON.stringify(bySubject), range.from, range.to, this.timeZone],
    );
    return rows.map((r) => ({ week: r.week, flagged: Number(r.flagged), events: Number(r.events) }));
  }
}
