import { plateKey, type LifecycleEvent } from '@qadaga/domain';
import { evidenceKey, type FactWindow, type Queryable, type SubjectFacts, type SubjectSelection } from './queryable.js';
import { STALL_CANDIDATES_LAST_DETECTED_SQL, STALL_CANDIDATES_SQL, stallFacts } from './stall-facts.js';

/**
 * Per violation: the shape of its cancellation, payment and amendments, judged against
 * the source kinds (register, treasury, review desk), the canceller's role and the
 * deadlines of the lifecycle. A sweep considers violations with a cancellation, a plate
 * amendment, or a register payment the treasury does not know, in the window, and the
 * violations detected in the window that have waited a day or more for their next step
 * (stall-facts.ts): the rest have nothing for the violation rules of the catalogue to
 * judge. (A rule judging ordinary violations would need this candidate query widened.)
 */
const CANDIDATES_SQL = `
SELECT DISTINCT e.violation_ref AS ref FROM ledger_event e
WHERE e.occurred_at >= $1 AND e.occurred_at < $2
  AND (e.type = 'cancelled' OR (e.type = 'amended' AND e.payload->>'field' = 'plate'))
UNION
-- A payment the register records and the treasury does not; ordinary payments, seen by
-- both, give these rules nothing to judge and are most of the ledger. Set difference
-- rather than a correlated NOT EXISTS: one pass each, whatever the planner estimates.
(
  SELECT e.violation_ref FROM ledger_event e JOIN source_system s ON s.code = e.source AND s.kind = 'register'
  WHERE e.type = 'paid' AND e.occurred_at >= $1 AND e.occurred_at < $2
  EXCEPT
  SELECT t.violation_ref FROM ledger_event t JOIN source_system ts ON ts.code = t.source AND ts.kind = 'treasury'
  WHERE t.type = 'paid' AND t.occurred_at >= $1 - interval '30 days'
)
`;

const EVENTS_SQL = `
SELECT e.violation_ref, e.event_id, e.source, e.type, e.occurred_at, e.recorded_at, e.actor_kind, e.actor_id, e.payload,
  s.kind AS source_kind, o.role AS actor_role
FROM ledger_event e
LEFT JOIN source_system s ON s.code = e.source
LEFT JOIN officer o ON o.id = e.actor_id
WHERE e.violation_ref = ANY($1::text[])
ORDER BY e.violation_ref, e.occurred_at, e.id
`;

interface EventRow {
  violation_ref: string;
  event_id: string;
  source: string;
  type: LifecycleEvent['type'];
  occurred_at: Date;
  recorded_at: Date | null;
  actor_kind: string;
  actor_id: string;
  payload: Record<string, unknown>;
  source_kind: string | null;
  actor_role: string | null;
}

/** Deadlines: 7-day discount and 30-day payment after the notice; 2 calendar months' limitation from the offence. */
const DAY = 86_400_000;
const DISCOUNT_DAYS = 7;
const PAYMENT_DAYS = 30;
const LIMITATION_MONTHS = 2;
/** Roles that may cancel a fine once its notice has gone out. */
const MAY_CANCEL_AFTER_NOTICE = new Set(['supervisor', 'appeals_desk']);
const NO_DEADLINE_AHEAD = 9_999;

/** The limitation period runs in calendar months, not a fixed number of days. */
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

const BATCH = 2_000;

/** A violation with no event before the end of the window has nothing missing yet. */
const NO_STALL = { daysUnreviewed: 0, daysConfirmedWithoutNotice: 0, daysNoticeUndelivered: 0, detectedOn: null, confirmedOn: null, noticeOn: null };

async function candidatesOf(db: Queryable, window: FactWindow): Promise<string[]> {
  return [
    ...new Set([
      ...(await db.query<{ ref: string }>(CANDIDATES_SQL, [window.from, window.to])).rows.map((r) => r.ref),
      ...(await db.query<{ ref: string }>(STALL_CANDIDATES_SQL, [window.from, window.to, window.timeZone])).rows.map((r) => r.ref),
    ]),
  ];
}

/** A violation's facts depend on the end of the window only: where it starts decides which violations are candidates. */
async function factsOfRefs(db: Queryable, refs: readonly string[], window: FactWindow): Promise<SubjectFacts[]> {
  const registered = new Set((await db.query<{ plate_key: string }>('SELECT plate_key FROM vehicle')).rows.map((r) => r.plate_key));
  const out: SubjectFacts[] = [];
  for (let i = 0; i < refs.length; i += BATCH) {
    const batch = refs.slice(i, i + BATCH);
    const { rows } = await db.query<EventRow>(EVENTS_SQL, [batch]);
    const stalls = await stallFacts(db, batch, window.to, window.timeZone);
    const byRef = new Map<string, EventRow[]>();
    for (const row of rows) byRef.set(row.violation_ref, [...(byRef.get(row.violation_ref) ?? []), row]);
    for (const [ref, events] of byRef) out.push({ id: ref, facts: { ...factsOf(ref, events, registered, window.to), ...(stalls.get(ref) ?? NO_STALL) } });
  }
  return out;
}

export async function violationFacts(db: Queryable, window: FactWindow, selection: SubjectSelection): Promise<SubjectFacts[]> {
  return factsOfRefs(db, 'ids' in selection ? [...selection.ids] : await candidatesOf(db, window), window);
}

/**
 * The facts of several windows ending at the same instant (a sweep's 180 and 365 days),
 * each violation computed once: the stall candidates come from one pass over the widest
 * window, and a violation in several windows has the same facts in each.
 */
export async function violationFactsOverWindows(db: Queryable, windows: readonly FactWindow[], selection: SubjectSelection): Promise<SubjectFacts[][]> {
  const [first] = windows;
  const sameEnd = windows.every((w) => w.to.getTime() === first?.to.getTime() && w.timeZone === first.timeZone);
  if (first === undefined || windows.length === 1 || !sameEnd || 'ids' in selection) {
    const out: SubjectFacts[][] = [];
    for (const w of windows) out.push(await violationFacts(db, w, selection));
    return out;
  }
  const widest = windows.reduce((a, b) => (b.from < a.from ? b : a));
  const stalled = (
    await db.query<{ ref: string; last_detected_at: Date }>(STALL_CANDIDATES_LAST_DETECTED_SQL, [widest.from, widest.to, widest.timeZone])
  ).rows;
  const refsOf: string[][] = [];
  for (const w of windows) {
    const own = (await db.query<{ ref: string }>(CANDIDATES_SQL, [w.from, w.to])).rows.map((r) => r.ref);
    refsOf.push([...new Set([...own, ...stalled.filter((r) => r.last_detected_at.getTime() >= w.from.getTime()).map((r) => r.ref)])]);
  }
  const facts = new Map((await factsOfRefs(db, [...new Set(refsOf.flat())], widest)).map((f) => [f.id, f]));
  return refsOf.map((refs) => refs.flatMap((ref) => facts.get(ref) ?? []));
}

function factsOf(ref: string, events: EventRow[], registered: Set<string>, asOf: Date): Record<string, unknown> {
  const at = (e: EventRow | undefined) => e?.occurred_at.getTime();
  const first = (type: string, where: (e: EventRow) => boolean = () => true) => events.find((e) => e.type === type && where(e));
  const cancel = first('cancelled');
  const detected = first('detected');
  const confirmed = first('confirmed');
  const notice = first('notice_issued');
  const enforcement = first('sent_to_enforcement');
  const cancelAt = at(cancel);
  const noticeBeforeCancel = notice !== undefined && cancelAt !== undefined && (at(notice) ?? 0) <= cancelAt;
  const deadlines = [
    notice === undefined ? undefined : (at(notice) ?? 0) + DISCOUNT_DAYS * DAY,
    notice === undefined ? undefined : (at(notice) ?? 0) + PAYMENT_DAYS * DAY,
    detected === undefined ? undefined : addMonths(at(detected) ?? 0, LIMITATION_MONTHS),
  ].filter((d): d is number => d !== undefined && cancelAt !== undefined && d >= cancelAt);
  const plateEdit = events.find((e) => e.type === 'amended' && e.payload['field'] === 'plate' && confirmed !== undefined && e.occurred_at >= confirmed.occurred_at);
  const after = plateEdit?.payload['after'];
  const registerPaid = first('paid', (e) => e.source_kind === 'register');
  const cancels = events.filter((e) => e.type === 'cancelled');
  const backdated = Math.max(
    0,
    ...cancels.map((e) => {
      if (e.recorded_at === null) return 0;
      const effective = typeof e.payload['effectiveAt'] === 'string' ? Date.parse(e.payload['effectiveAt']) : e.occurred_at.getTime();
      return (e.recorded_at.getTime() - Math.min(effective, e.occurred_at.getTime())) / 3_600_000;
    }),
  );
  const code = typeof cancel?.payload['reasonCode'] === 'string' ? cancel.payload['reasonCode'] : '';
  const stated = ['reasonText', 'legalBasis', 'reference'].some((k) => typeof cancel?.payload[k] === 'string' && cancel.payload[k] !== '');
  const cancellerRole = cancel === undefined ? 'none' : (cancel.actor_role ?? cancel.actor_kind);
  const lastCancelAt = Math.max(...cancels.map((e) => e.occurred_at.getTime()), -Infinity);
  return {
    violationRef: ref,
    status: events.at(-1)?.type ?? 'unknown',
    cancelled: cancel !== undefined,
    cancelReasonCode: code,
    cancelHasGround: cancel === undefined || (code !== '' && code !== 'other') || stated,
    cancellerRole,
    // Roles bind people; a system closing a case is judged by the sources-disagree rule instead.
    cancellerMayCancel:
      cancel === undefined || cancel.actor_kind === 'court' || cancel.actor_kind === 'system' || !noticeBeforeCancel || MAY_CANCEL_AFTER_NOTICE.has(cancellerRole),
    cancelledAfterNotice: noticeBeforeCancel,
    appealed: events.some((e) => e.type === 'appealed' && (cancelAt === undefined || e.occurred_at.getTime() <= cancelAt)),
    hoursBeforeDeadline: deadlines.length === 0 || cancelAt === undefined ? NO_DEADLINE_AHEAD : (Math.min(...deadlines) - cancelAt) / 3_600_000,
    cancelledAfterEnforcement: enforcement !== undefined && cancelAt !== undefined && (at(enforcement) ?? 0) <= cancelAt,
    backdatedHours: backdated,
    plateAmendedAfterReview: plateEdit !== undefined,
    amendedPlateRegistered: typeof after === 'string' ? registered.has(plateKey(after)) : true,
    noticeDelivered: events.some((e) => e.type === 'notice_delivered'),
    registerPaid: registerPaid !== undefined,
    treasuryPaid: events.some((e) => e.type === 'paid' && e.source_kind === 'treasury'),
    daysSinceRegisterPaid: registerPaid === undefined ? 0 : (asOf.getTime() - registerPaid.occurred_at.getTime()) / DAY,
    registerCancelled: cancels.some((e) => e.source_kind === 'register'),
    reviewCancelled: cancels.some((e) => e.source_kind === 'review'),
    enforcementAfterCancel: cancels.length > 0 && events.some((e) => e.type === 'sent_to_enforcement' && e.occurred_at.getTime() > lastCancelAt),
    evidenceEventIds: events.map((e) => evidenceKey(e.source, e.event_id)),
  };
}
