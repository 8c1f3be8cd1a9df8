import type pg from 'pg';
import { LRUCache } from 'lru-cache';
import { computeFacts, withFactSession } from '@qadaga/facts';
import type { ReplicaCatchUp } from '@qadaga/db';
import { weeksOfEvents } from '@qadaga/ledger';
import type { BacktestResult as ContractBacktestResult } from '@qadaga/contracts/api';
import { CheckedSubjects, evaluateFired, factDistributions, firedSubjectIds, flaggedShare, validateRule, type RuleDefinition, type Verdict } from '@qadaga/rules';

/** What a draft would flag over a past range; the answer of POST /v1/rules/backtest, declared in the API contract. */
export type BacktestResult = ContractBacktestResult;

/** How far a backtest is, in percent; awaited, so a caller may store it before the work goes on. */
export type BacktestProgress = (percent: number) => void | Promise<void>;

/**
 * Where each phase ends, in percent. They were weighed when the engine ran on every subject;
 * since the draft and the published version run on the direct evaluator, the facts (one
 * set-based SQL pass) take nearly all of a first run at 1M violations, so a job sits at 0 for
 * most of its time and then moves quickly through the rest.
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

/** The facts of one (subject kind, range), checked once, and what published versions flag on them. */
interface RangeFacts {
  subjects: CheckedSubjects;
  /** Fired subject ids by publishedKey: a moved threshold changes the draft, not the published version. */
  published: LRUCache<string, readonly string[]>;
  /** The ISO week (Monday) of each evidence event looked up so far; null when not in the range or the ledger. */
  weekOfEvent: Map<string, string | null>;
}

/**
 * Which published evaluation a fired set belongs to: the version, and the definition itself,
 * whose parameter defaults are the parameters it runs with. A version is never edited once
 * published, but a definition that differs under the same number still gets its own entry.
 */
function publishedKey(published: { definition: RuleDefinition; version: number }): string {
  return `${published.version}|${JSON.stringify(published.definition)}`;
}

/**
 * What a draft rule would flag over a past range, next to the published version. The
 * facts of a range are computed once and cached for a few minutes, with the published
 * version's flags on them, so moving a threshold evaluates only the draft: that is what
 * makes the preview interactive. The conditions run on the direct evaluator where it is
 * proven to agree with json-rules-engine, which raises the workers' flags, and on the engine
 * elsewhere (see directlyEvaluable in @qadaga/rules); verdicts are built only for the
 * subjects that fire.
 *
 * Given a replica (`reads`), a run reads the ledger and the flags' labels there once it
 * has replayed everything the primary held when the run began, and on the primary when it
 * does not catch up in time: the answer is the primary's either way.
 */
export class Backtester {
  private readonly cache = new LRUCache<string, RangeFacts>({ max: 32, ttl: 5 * 60_000 });

  constructor(
    private readonly pool: pg.Pool,
    private readonly timeZone: string,
    private readonly options: { reads?: ReplicaCatchUp } = {},
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
    const pool = this.options.reads === undefined ? this.pool : (await this.options.reads.now(`backtest of ${draft.id} over ${range.from.toISOString()}..${range.to.toISOString()}`)).pool;
    let facts = this.cache.get(key);
    const cachedFacts = facts !== undefined;
    if (facts === undefined) {
      const subjects = await withFactSession(pool, (db) => computeFacts(db, draft.subject, { from: range.from, to: range.to, timeZone: this.timeZone }, { all: true }));
      facts = { subjects: new CheckedSubjects(draft.subject, subjects), published: new LRUCache({ max: 8 }), weekOfEvent: new Map() };
      this.cache.set(key, facts);
    }
    await report(PHASE_END.facts);
    const t1 = performance.now();
    const fired = await evaluateFired(draft, facts.subjects, { conditionEvaluator: 'direct-where-proven' });
    await report(PHASE_END.draft);
    const t2 = performance.now();
    const before = await this.publishedFlags(facts, draft, published);
    await report(PHASE_END.published);
    const t3 = performance.now();
    const now = new Set(fired.map((v) => v.subjectId));
    const was = new Set(before.ids);
    const perWeek = await this.perWeek(pool, facts, fired, range);
    const added = [...now].filter((s) => !was.has(s)).sort();
    const removed = [...was].filter((s) => !now.has(s)).sort();
    const outcomes = await this.outcomes(pool, draft, added, removed);
    await report(PHASE_END.perWeek);
    const t4 = performance.now();
    const comparable = published !== null && published.definition.subject === draft.subject ? published.definition : null;
    return {
      range: { from: range.from.toISOString(), to: range.to.toISOString() },
      subjects: facts.subjects.subjects.length,
      flags: fired.map((v) => ({ subjectId: v.subjectId, score: v.score, qValue: v.qValue ?? null, explanation: v.explanation })),
      diff: { added, removed, publishedVersion: published?.version ?? null },
      perWeek,
      distributions: factDistributions(draft, facts.subjects.subjects, comparable),
      outcomes,
      flaggedShare: flaggedShare(fired.length, facts.subjects.subjects.length),
      timings: {
        factsMs: Math.round(t1 - t0),
        evaluateMs: Math.round(t3 - t1),
        cachedFacts,
        cachedPublished: before.cached,
        phases: { draftMs: Math.round(t2 - t1), publishedMs: Math.round(t3 - t2), perWeekMs: Math.round(t4 - t3) },
      },
    };
  }

  /**
   * How the subjects a draft adds and removes fared when a case about them closed: each
   * subject once, by the label of its latest labelled flag of this rule (any version), or
   * unjudged when no closed case has labelled one.
   */
  private async outcomes(pool: pg.Pool, draft: RuleDefinition, added: readonly string[], removed: readonly string[]): Promise<BacktestResult['outcomes']> {
    const ids = [...added, ...removed];
    const label = new Map<string, string>();
    if (ids.length > 0) {
      const { rows } = await pool.query<{ subject_id: string; label: string }>(
        `SELECT DISTINCT ON (subject_id) subject_id, label FROM flag
          WHERE rule_id = $1 AND subject_kind = $2 AND subject_id = ANY($3::text[]) AND label IS NOT NULL
          ORDER BY subject_id, updated_at DESC, id`,
        [draft.id, draft.subject, ids],
      );
      for (const row of rows) label.set(row.subject_id, row.label);
    }
    const count = (subjects: readonly string[]) => {
      const counts = { substantiated: 0, unfounded: 0, unjudged: 0 };
      for (const s of subjects) {
        const l = label.get(s);
        if (l === 'substantiated') counts.substantiated += 1;
        else if (l === 'unfounded') counts.unfounded += 1;
        else counts.unjudged += 1;
      }
      return counts;
    };
    return { added: count(added), removed: count(removed) };
  }

  private async publishedFlags(
    facts: RangeFacts,
    draft: RuleDefinition,
    published: { definition: RuleDefinition; version: number } | null,
  ): Promise<{ ids: readonly string[]; cached: boolean }> {
    if (published === null || published.definition.subject !== draft.subject) return { ids: [], cached: false };
    const key = publishedKey(published);
    const cached = facts.published.get(key);
    if (cached !== undefined) return { ids: cached, cached: true };
    const ids = await firedSubjectIds(published.definition, facts.subjects, { conditionEvaluator: 'direct-where-proven' });
    facts.published.set(key, ids);
    return { ids, cached: false };
  }

  /**
   * Evidence events of the flagged subjects per ISO week. Each evidence key is looked up in the
   * ledger once per cached range (its week, or none when the event lies outside the range or is
   * not in the ledger) and kept with the facts: a moved threshold flags mostly the same subjects,
   * so it looks up only the keys of newly flagged ones instead of all of them again, which took
   * seconds at 1M violations with thousands of subjects flagged.
   */
  private async perWeek(pool: pg.Pool, facts: RangeFacts, fired: Verdict[], range: { from: Date; to: Date }): Promise<BacktestResult['perWeek']> {
    // The rule's own evidence facts (evidence.eventIdFacts): a roll-up's are not the kind's evidenceEventIds.
    const bySubject = fired.map((v) => ({ subject: v.subjectId, keys: v.evidenceEventIds as unknown[] }));
    const unknown = new Set<string>();
    for (const { keys } of bySubject) for (const key of keys) if (typeof key === 'string' && !facts.weekOfEvent.has(key)) unknown.add(key);
    if (unknown.size > 0) {
      // Sorted, so the index lookups walk (source, event_id) in order.
      const keys = [...unknown].sort();
      const rows = await weeksOfEvents(pool, keys, range, this.timeZone);
      const weeks = new Map<string, string>();
      for (const row of rows) {
        // One string per week, shared by all the events of that week.
        const week = weeks.get(row.week) ?? row.week;
        weeks.set(week, week);
        facts.weekOfEvent.set(row.key, week);
      }
      for (const key of keys) if (!facts.weekOfEvent.has(key)) facts.weekOfEvent.set(key, null);
    }
    // As a join would count them: every evidence key that names an event in the range, and each
    // subject once per week it has such an event in.
    const perWeek = new Map<string, { subjects: Set<string>; events: number }>();
    for (const { subject, keys } of bySubject) {
      for (const key of keys) {
        const week = typeof key === 'string' ? facts.weekOfEvent.get(key) : undefined;
        if (week === undefined || week === null) continue;
        let entry = perWeek.get(week);
        if (entry === undefined) {
          entry = { subjects: new Set(), events: 0 };
          perWeek.set(week, entry);
        }
        entry.subjects.add(subject);
        entry.events += 1;
      }
    }
    return [...perWeek]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([week, entry]) => ({ week, flagged: entry.subjects.size, events: entry.events }));
  }
}
