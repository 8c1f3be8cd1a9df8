import { sourcesSupporting, STEP_REPORTED_BY, type SourceProfile } from '@qadaga/domain';
import { EVIDENCE_LIMIT, toNumber, type FactWindow, type Queryable, type SubjectSelection } from './queryable.js';

/**
 * Completeness roll-ups: a step that never came, counted per subject responsible for it
 * rather than flagged per violation, so that a queue reads "register: 312 notices not
 * delivered within 30 days" instead of 312 rows.
 *
 * A violation is judged for a step when the step's cause (the detection, the confirmation,
 * the notice, the register's payment) occurred in the window and its limit has run out by
 * the end of the window; it missed the step when the step did not come within the limit,
 * late or never, counting only events that occurred before the end of the window (a
 * backtest sees the ledger as it stood). "Within the limit" counts whole days as the
 * register does: the step is overdue once the limit and a full day more have passed.
 *
 * | step | cause | ends the wait | responsible |
 * | --- | --- | --- | --- |
 * | review | detected | confirmed, rejected, cancelled (an expiry is no decision) | the unit the detection was assigned to (latest assignment), else the unit that reviews its camera |
 * | notice | confirmed | notice issued, cancelled, expired | the unit of the officer who confirmed |
 * | delivery | notice issued | delivered, paid (payment proves receipt), cancelled | the source system that issued the notice |
 * | treasury | paid, by a register source | a treasury payment, from 30 days before the window on | the register source that reported the payment |
 *
 * A violation is judged for a step only when the sources that tell its story include one
 * that reports the step at all (libs/domain STEP_REPORTED_BY, from the sources' profiles),
 * or one that tells, in the window, the stories of other violations together with such a
 * source (the review desk whose confirmations the register follows with notices: a
 * violation confirmed and never noticed has no event of the register, yet the register
 * would have said). An export that never records deliveries, whose violations no other
 * source speaks of, has not left every notice undelivered. The violations not judged are
 * counted (…NotJudged), so a rule silent for lack of data is told apart from a rule that
 * found nothing.
 *
 * Per subject and step: how many were judged, how many missed, the violations that missed
 * (oldest cause first, up to ROLLUP_REF_LIMIT, the rest counted), and as evidence the
 * events that started the wait of the EVIDENCE_LIMIT oldest (for a review, the detection
 * and its latest assignment), so a flag's page can group its evidence by violation.
 */

/** Days each step may take before its absence counts. */
export const ROLLUP_LIMIT_DAYS = { review: 30, notice: 10, delivery: 30, treasury: 7 } as const;

/** Violations a roll-up lists by ref; beyond, they are counted (…NotListed). */
export const ROLLUP_REF_LIMIT = 2_000;

export type RollupStep = keyof typeof ROLLUP_LIMIT_DAYS;

const overdue = (cause: string, step: RollupStep) =>
  step === 'treasury' ? `${cause} + interval '${ROLLUP_LIMIT_DAYS.treasury} days'` : `${cause} + interval '${ROLLUP_LIMIT_DAYS[step] + 1} days'`;

/**
 * Which parameter holds the sources that report each step. A violation's sources are
 * compared with them once per violation, not once per event.
 */
const REPORTERS = { review: '$6', notice: '$7', delivery: '$8' } as const;
const reported = (step: keyof typeof REPORTERS) => `(a.sources && ${REPORTERS[step]}::text[])`;

/** The sources that tell, in the window, a story together with a source that reports `step`. */
const family = (step: keyof typeof REPORTERS) => `${step}_family AS (SELECT array_agg(DISTINCT s) AS sources FROM agg a, unnest(a.sources) s WHERE ${reported(step)})`;
const judgedFor = (step: keyof typeof REPORTERS) => `(${reported(step)} OR coalesce(a.sources && (SELECT sources FROM ${step}_family), false))`;

const firstOf = (what: string, where: string) => `(array_agg(${what} ORDER BY e.occurred_at, e.id) FILTER (WHERE ${where}))[1]`;
const KEY = "e.source || '|' || e.event_id";

/**
 * One row per (subject, step) from the violations due `j` (subject, step, ref, cause_at,
 * evidence text[], judged, missed: never true where judged is not).
 */
const PER_SUBJECT = `
SELECT j.subject, j.step, count(*) FILTER (WHERE j.judged) AS due, count(*) FILTER (WHERE j.missed) AS missed,
  count(*) FILTER (WHERE NOT j.judged) AS not_judged,
  coalesce((array_agg(j.ref ORDER BY j.cause_at, j.ref) FILTER (WHERE j.missed))[1:${ROLLUP_REF_LIMIT}], '{}') AS refs,
  coalesce((array_agg(array_to_json(j.evidence)::text ORDER BY j.cause_at, j.ref) FILTER (WHERE j.missed))[1:${EVIDENCE_LIMIT}], '{}') AS evidence,
  to_char(min(j.cause_at) FILTER (WHERE j.missed) AT TIME ZONE $3, 'YYYY-MM-DD') AS oldest_on
FROM judged j
WHERE j.subject IS NOT NULL AND ($5::boolean OR j.subject = ANY($4::text[]))
GROUP BY j.subject, j.step`;

/**
 * Per unit: detections unreviewed within their limit, confirmations with no notice within
 * theirs. One pass over the window's events of the types read, grouped by violation.
 * $1, $2 the window, $3 the time zone, $4 the units wanted, $5 all of them, $6 the sources
 * that report decisions, $7 those that report notices.
 */
const UNIT_ROLLUP_SQL = `
WITH agg AS (
  SELECT e.violation_ref AS ref,
    min(e.occurred_at) FILTER (WHERE e.type = 'detected') AS detected_at,
    ${firstOf(KEY, "e.type = 'detected'")} AS detected_event,
    min(e.payload->>'cameraId') FILTER (WHERE e.type = 'detected') AS camera_id,
    (array_agg(e.payload->>'unit' ORDER BY e.occurred_at DESC, e.id DESC) FILTER (WHERE e.type = 'review_assigned'))[1] AS assigned_unit,
    (array_agg(${KEY} ORDER BY e.occurred_at DESC, e.id DESC) FILTER (WHERE e.type = 'review_assigned'))[1] AS assigned_event,
    min(e.occurred_at) FILTER (WHERE e.type IN ('confirmed', 'rejected', 'cancelled')) AS decided_at,
    min(e.occurred_at) FILTER (WHERE e.type = 'confirmed') AS confirmed_at,
    ${firstOf(KEY, "e.type = 'confirmed'")} AS confirmed_event,
    ${firstOf('e.actor_id', "e.type = 'confirmed'")} AS confirmer,
    min(e.occurred_at) FILTER (WHERE e.type IN ('notice_issued', 'cancelled', 'expired')) AS noticed_at,
    array_agg(e.source) AS sources
  FROM ledger_event e
  WHERE e.type IN ('detected', 'review_assigned', 'confirmed', 'rejected', 'cancelled', 'notice_issued', 'expired')
    AND e.occurred_at >= $1 AND e.occurred_at < $2
  GROUP BY e.violation_ref
),
${family('review')},
${family('notice')},
camera_unit AS (
  -- A detection never assigned is the unit's that reviews its camera's other detections.
  SELECT camera_id, mode() WITHIN GROUP (ORDER BY assigned_unit) AS unit
  FROM agg WHERE camera_id IS NOT NULL AND assigned_unit IS NOT NULL GROUP BY camera_id
),
judged AS (
  SELECT coalesce(a.assigned_unit, c.unit) AS subject, 'review' AS step, a.ref, a.detected_at AS cause_at,
    array_remove(ARRAY[a.detected_event, a.assigned_event], NULL) AS evidence, ${judgedFor('review')} AS judged,
    ${judgedFor('review')} AND (a.decided_at IS NULL OR a.decided_at >= ${overdue('a.detected_at', 'review')}) AS missed
  FROM agg a LEFT JOIN camera_unit c ON c.camera_id = a.camera_id
  WHERE a.detected_at IS NOT NULL AND ${overdue('a.detected_at', 'review')} <= $2
  UNION ALL
  SELECT o.unit, 'notice', a.ref, a.confirmed_at, ARRAY[a.confirmed_event], ${judgedFor('notice')},
    ${judgedFor('notice')} AND (a.noticed_at IS NULL OR a.noticed_at >= ${overdue('a.confirmed_at', 'notice')})
  FROM agg a JOIN officer o ON o.id = a.confirmer
  WHERE a.confirmed_at IS NOT NULL AND ${overdue('a.confirmed_at', 'notice')} <= $2
)${PER_SUBJECT}`;

/**
 * Per source system: notices it issued that were not delivered within their limit, and
 * payments it reported (as a register, $6) that the treasury ($7) never matched within
 * theirs. Same shape as UNIT_ROLLUP_SQL; $8 the sources that report deliveries, $9 whether
 * any treasury source reports payments.
 */
const SOURCE_ROLLUP_SQL = `
WITH agg AS (
  SELECT e.violation_ref AS ref,
    min(e.occurred_at) FILTER (WHERE e.type = 'notice_issued' AND e.occurred_at >= $1) AS notice_at,
    ${firstOf('e.source', "e.type = 'notice_issued' AND e.occurred_at >= $1")} AS notice_source,
    ${firstOf(KEY, "e.type = 'notice_issued' AND e.occurred_at >= $1")} AS notice_event,
    min(e.occurred_at) FILTER (WHERE e.type IN ('notice_delivered', 'paid', 'cancelled')) AS reached_at,
    min(e.occurred_at) FILTER (WHERE e.type = 'paid' AND e.occurred_at >= $1 AND e.source = ANY($6::text[])) AS register_paid_at,
    ${firstOf('e.source', "e.type = 'paid' AND e.occurred_at >= $1 AND e.source = ANY($6::text[])")} AS register_source,
    ${firstOf(KEY, "e.type = 'paid' AND e.occurred_at >= $1 AND e.source = ANY($6::text[])")} AS register_event,
    min(e.occurred_at) FILTER (WHERE e.type = 'paid' AND e.source = ANY($7::text[])) AS treasury_paid_at,
    array_agg(e.source) AS sources
  FROM ledger_event e
  WHERE e.type IN ('notice_issued', 'notice_delivered', 'paid', 'cancelled')
    AND e.occurred_at >= $1 - interval '30 days' AND e.occurred_at < $2
  GROUP BY e.violation_ref
),
${family('delivery')},
judged AS (
  SELECT a.notice_source AS subject, 'delivery' AS step, a.ref, a.notice_at AS cause_at, ARRAY[a.notice_event] AS evidence, ${judgedFor('delivery')} AS judged,
    ${judgedFor('delivery')} AND (a.reached_at IS NULL OR a.reached_at >= ${overdue('a.notice_at', 'delivery')}) AS missed
  FROM agg a
  WHERE a.notice_at IS NOT NULL AND ${overdue('a.notice_at', 'delivery')} <= $2
  UNION ALL
  -- A treasury payment matches whenever it came (the treasury records first, the register
  -- 0-3 days later); none by the end of the window, past the limit, is the omission.
  SELECT a.register_source, 'treasury', a.ref, a.register_paid_at, ARRAY[a.register_event], $9::boolean, $9::boolean AND a.treasury_paid_at IS NULL
  FROM agg a
  WHERE a.register_paid_at IS NOT NULL AND ${overdue('a.register_paid_at', 'treasury')} < $2
)${PER_SUBJECT}`;

interface RollupRow {
  subject: string;
  step: RollupStep;
  due: string;
  missed: string;
  not_judged: string;
  refs: string[];
  /** Per violation evidenced, its evidence keys as a JSON array. */
  evidence: string[];
  oldest_on: string | null;
}

/** One step's roll-up for one subject. */
export interface StepRollup {
  due: number;
  missed: number;
  /** Violations due whose sources never report the step: not judged. */
  notJudged: number;
  refs: string[];
  notListed: number;
  evidence: string[];
  oldestOn: string | null;
}

export type SubjectRollups = Map<string, Partial<Record<RollupStep, StepRollup>>>;

async function rollups(db: Queryable, sql: string, params: unknown[]): Promise<SubjectRollups> {
  const { rows } = await db.query<RollupRow>(sql, params);
  const out: SubjectRollups = new Map();
  for (const r of rows) {
    const missed = toNumber(r.missed);
    const evidence = r.evidence.flatMap((keys) => JSON.parse(keys) as string[]);
    const entry = out.get(r.subject) ?? {};
    entry[r.step] = { due: toNumber(r.due), missed, notJudged: toNumber(r.not_judged), refs: r.refs, notListed: missed - r.refs.length, evidence, oldestOn: r.oldest_on };
    out.set(r.subject, entry);
  }
  return out;
}

function selectionParams(selection: SubjectSelection): [string[], boolean] {
  return 'ids' in selection ? [[...selection.ids], false] : [[], true];
}

export function unitRollups(db: Queryable, window: FactWindow, selection: SubjectSelection, profiles: readonly SourceProfile[]): Promise<SubjectRollups> {
  const reporting = (step: RollupStep) => sourcesSupporting(profiles, { reports: STEP_REPORTED_BY[step] });
  return rollups(db, UNIT_ROLLUP_SQL, [window.from, window.to, window.timeZone, ...selectionParams(selection), reporting('review'), reporting('notice')]);
}

export async function sourceRollups(db: Queryable, window: FactWindow, selection: SubjectSelection, profiles: readonly SourceProfile[]): Promise<SubjectRollups> {
  const kinds = (await db.query<{ code: string; kind: string }>('SELECT code, kind FROM source_system')).rows;
  const codesOf = (kind: string) => kinds.filter((k) => k.kind === kind).map((k) => k.code);
  const treasury = codesOf('treasury');
  // A register's payment is matched against the treasury only where some treasury source reports payments.
  const treasuryReports = sourcesSupporting(profiles.filter((p) => treasury.includes(p.source)), { reports: STEP_REPORTED_BY.treasury }).length > 0;
  const delivering = sourcesSupporting(profiles, { reports: STEP_REPORTED_BY.delivery });
  return rollups(db, SOURCE_ROLLUP_SQL, [window.from, window.to, window.timeZone, ...selectionParams(selection), codesOf('register'), treasury, delivering, treasuryReports]);
}

const NONE: StepRollup = { due: 0, missed: 0, notJudged: 0, refs: [], notListed: 0, evidence: [], oldestOn: null };

/** The local calendar day (YYYY-MM-DD) the window starts on. */
export function windowStartDay(window: FactWindow): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: window.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(window.from);
}

/** How each step's figures are named among its subject's facts (catalogue: unit, source). */
const STEP_FACT_NAMES = {
  review: { limit: 'reviewLimitDays', due: 'detectionsDue', missed: 'detectionsUnreviewed', notJudged: 'detectionsNotJudged', share: 'unreviewedShare', refs: 'unreviewedRefs', notListed: 'unreviewedNotListed', oldestOn: 'oldestUnreviewedOn', evidence: 'unreviewedEvidenceEventIds' },
  notice: { limit: 'noticeLimitDays', due: 'confirmationsDue', missed: 'confirmationsWithoutNotice', notJudged: 'confirmationsNotJudged', share: 'withoutNoticeShare', refs: 'withoutNoticeRefs', notListed: 'withoutNoticeNotListed', oldestOn: 'oldestWithoutNoticeOn', evidence: 'withoutNoticeEvidenceEventIds' },
  delivery: { limit: 'deliveryLimitDays', due: 'noticesDue', missed: 'noticesUndelivered', notJudged: 'noticesNotJudged', share: 'undeliveredShare', refs: 'undeliveredRefs', notListed: 'undeliveredNotListed', oldestOn: 'oldestUndeliveredOn', evidence: 'undeliveredEvidenceEventIds' },
  treasury: { limit: 'treasuryLimitDays', due: 'paymentsDue', missed: 'paymentsUnmatched', notJudged: 'paymentsNotJudged', share: 'unmatchedShare', refs: 'unmatchedRefs', notListed: 'unmatchedNotListed', oldestOn: 'oldestUnmatchedOn', evidence: 'unmatchedEvidenceEventIds' },
} as const satisfies Record<RollupStep, Record<string, string>>;

const UNIT_STEPS = ['review', 'notice'] as const satisfies readonly RollupStep[];
const SOURCE_STEPS = ['delivery', 'treasury'] as const satisfies readonly RollupStep[];

/** One step's figures under its names: the limit, how many were judged and missed, the share, the refs, the evidence. */
function stepFacts(step: RollupStep, r: StepRollup): Record<string, unknown> {
  const n = STEP_FACT_NAMES[step];
  return {
    [n.limit]: ROLLUP_LIMIT_DAYS[step],
    [n.due]: r.due,
    [n.missed]: r.missed,
    [n.notJudged]: r.notJudged,
    [n.share]: r.due === 0 ? 0 : r.missed / r.due,
    [n.refs]: r.refs,
    [n.notListed]: r.notListed,
    [n.oldestOn]: r.oldestOn,
    [n.evidence]: r.evidence,
  };
}

function rollupFacts(steps: readonly RollupStep[], entry: Partial<Record<RollupStep, StepRollup>> | undefined, window: FactWindow): Record<string, unknown> {
  return Object.assign({ windowFrom: windowStartDay(window) }, ...steps.map((step) => stepFacts(step, entry?.[step] ?? NONE)));
}

/** The unit facts of the roll-ups (catalogue: unit): review and notice. */
export function unitRollupFacts(entry: Partial<Record<RollupStep, StepRollup>> | undefined, window: FactWindow): Record<string, unknown> {
  return rollupFacts(UNIT_STEPS, entry, window);
}

/** The source facts of the roll-ups (catalogue: source): delivery and treasury. */
export function sourceRollupFacts(entry: Partial<Record<RollupStep, StepRollup>> | undefined, window: FactWindow): Record<string, unknown> {
  return rollupFacts(SOURCE_STEPS, entry, window);
}

/** The facts of each kind's roll-ups but the window's start: a group a caller may do without (see FactNeed). */
export const UNIT_ROLLUP_FACTS: readonly string[] = UNIT_STEPS.flatMap((step) => Object.values(STEP_FACT_NAMES[step]));
export const SOURCE_ROLLUP_FACTS: readonly string[] = SOURCE_STEPS.flatMap((step) => Object.values(STEP_FACT_NAMES[step]));
