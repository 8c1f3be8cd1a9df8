import type pg from 'pg';
import { FlagRepository } from '@qadaga/db';
import { SCHEME_IDS, SEVERITIES, type GroundTruth, type SchemeId, type Severity } from '@qadaga/domain';
import type { RuleRunner } from './rule-runner.js';

export interface SchemeQuality {
  scheme: SchemeId;
  truth: number;
  flagged: number;
  found: number;
  recall: number;
  precision: number;
  missed: string[];
  falsePositives: string[];
}

export interface QualityReport {
  schemes: SchemeQuality[];
  lookalikesFlagged: { lookalike: string; subject: string; flags: string[] }[];
}

/**
 * Schemes whose rules roll violations up per responsible subject (a unit, a source): the
 * flag's fact that lists its violations. The ground truth names violations, so such a flag
 * flags each violation it lists.
 */
export const ROLLUP_REFS_FACT: Partial<Record<SchemeId, string>> = {
  unreviewed_detection: 'unreviewedRefs',
  confirmed_without_notice: 'withoutNoticeRefs',
  notice_not_delivered: 'undeliveredRefs',
  paid_without_treasury: 'unmatchedRefs',
};

/**
 * Scores the flags in the database against a simulation's ground truth: per scheme, the
 * share of planted subjects flagged (recall) and the share of flags that hit a planted
 * subject (precision); and every innocent look-alike that any rule flagged. A roll-up flag
 * counts as a flag on each violation it lists.
 */
export async function scoreAgainstTruth(pool: pg.Pool, truth: GroundTruth): Promise<QualityReport> {
  const { rows: flags } = await pool.query<{ scheme: string; subject_kind: string; subject_id: string; rule_id: string; refs: unknown }>(
    "SELECT scheme, subject_kind, subject_id, rule_id, facts -> ($1::jsonb ->> scheme) AS refs FROM flag WHERE status <> 'dismissed'",
    [JSON.stringify(ROLLUP_REFS_FACT)],
  );
  const rows = flags.flatMap((r) => {
    const { refs, ...flag } = r;
    if (!Array.isArray(refs) || r.subject_kind === 'violation') return [flag];
    return refs.filter((ref): ref is string => typeof ref === 'string').map((ref) => ({ ...flag, subject_kind: 'violation', subject_id: ref }));
  });
  const schemes: SchemeQuality[] = SCHEME_IDS.map((scheme) => {
    const planted = new Set(truth.schemes.filter((s) => s.scheme === scheme).flatMap((s) => s.subjects.map((x) => x.id)));
    const flagged = new Set(rows.filter((r) => r.scheme === scheme).map((r) => r.subject_id));
    const found = [...planted].filter((id) => flagged.has(id));
    return {
      scheme,
      truth: planted.size,
      flagged: flagged.size,
      found: found.length,
      recall: planted.size === 0 ? 1 : found.length / planted.size,
      precision: flagged.size === 0 ? (planted.size === 0 ? 1 : 0) : found.length / flagged.size,
      missed: [...planted].filter((id) => !flagged.has(id)).sort(),
      falsePositives: [...flagged].filter((id) => !planted.has(id)).sort(),
    };
  });
  const lookalikesFlagged: QualityReport['lookalikesFlagged'] = [];
  for (const look of truth.lookalikes) {
    for (const subject of look.subjects) {
      // An officer is also flagged through an officer-vehicle pair that names them.
      const hits = rows.filter(
        (r) =>
          (r.subject_kind === subject.kind && r.subject_id === subject.id) ||
          (subject.kind === 'officer' && r.subject_kind === 'officer_vehicle' && r.subject_id.split('|')[0] === subject.id),
      );
      if (hits.length > 0) lookalikesFlagged.push({ lookalike: look.lookalike, subject: `${subject.kind}:${subject.id}`, flags: hits.map((h) => h.rule_id) });
    }
  }
  return { schemes, lookalikesFlagged };
}

/** The simulated year of the quality command: it ends here, Almaty's midnight. */
export const QUALITY_SIMULATION_END = '2026-10-31T19:00:00Z';
/** The quality command's city unless told otherwise. */
export const QUALITY_CITY = { seed: 7, violations: 60_000 } as const;

/** The last `count` month ends up to `end`, oldest first, ending with `end` itself. */
export function monthEnds(end: string, count: number): Date[] {
  const last = new Date(end);
  const out: Date[] = [];
  for (let i = count - 1; i >= 1; i -= 1) out.push(new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - i + 1, 1)));
  out.push(last);
  return out;
}

/**
 * The workers sweep every night over a live ledger; replaying a year, a sweep at the end of
 * every month sees each month's behaviour within the rules' windows as they would.
 */
export async function sweepMonthEnds(runner: RuleRunner, end: string, months = 12): Promise<{ rules: number; fired: number; raised: number; sweeps: number }> {
  const sweep = { rules: 0, fired: 0, raised: 0, sweeps: 0 };
  for (const asOf of monthEnds(end, months)) {
    const report = await runner.evaluate({ asOf });
    sweep.rules = report.rules;
    sweep.fired += report.fired;
    sweep.raised += report.raised;
    sweep.sweeps += 1;
  }
  return sweep;
}

/** Whether a prosecutor can work the open queue: what the acceptance of a rule pack asks of it. */
export interface QueueHealth {
  open: number;
  /** The rule with most open flags, and its share of them (at most a quarter is workable). */
  largestRule: { ruleId: string; flags: number; share: number } | null;
  /** Open flags with no score to order them by. */
  unscored: number;
  /** Open flags per severity, and how many of each the queue's first page shows. */
  bySeverity: Record<Severity, number>;
  firstPage: Record<Severity, number>;
}

const OPEN_STATUSES: ('new' | 'triaged')[] = ['new', 'triaged'];

export async function queueHealth(pool: pg.Pool, pageSize = 50): Promise<QueueHealth> {
  const { rows } = await pool.query<{ rule_id: string; severity: Severity; unscored: number; n: number }>(
    'SELECT rule_id, severity, count(*) FILTER (WHERE NOT score > 0)::int AS unscored, count(*)::int AS n FROM flag WHERE status = ANY($1) GROUP BY 1, 2',
    [OPEN_STATUSES],
  );
  const zero = () => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const perRule = new Map<string, number>();
  const bySeverity = zero();
  let open = 0;
  let unscored = 0;
  for (const r of rows) {
    perRule.set(r.rule_id, (perRule.get(r.rule_id) ?? 0) + r.n);
    bySeverity[r.severity] += r.n;
    open += r.n;
    unscored += r.unscored;
  }
  const [largest] = [...perRule].sort((a, b) => b[1] - a[1]);
  const firstPage = zero();
  // The page the queue opens on, as the API reads it (its default order).
  for (const flag of (await new FlagRepository(pool).list({ status: OPEN_STATUSES, limit: pageSize })).flags) firstPage[flag.severity as Severity] += 1;
  return { open, largestRule: largest === undefined ? null : { ruleId: largest[0], flags: largest[1], share: largest[1] / open }, unscored, bySeverity, firstPage };
}
