import { plateKey, type LifecycleEvent } from '@qadaga/domain';
import { evidenceKey, type FactWindow, type Queryable, type SubjectFacts, type SubjectSelection } from './queryable.js';
import { CANDIDATES_WITH_STALLS_SQL, stallFacts, toStallFacts, type StallFacts, type StallRow } from './stall-facts.js';

/**
 * Per violation: the shape of its cancellation, payment and amendments, judged against
 * the source kinds (register, treasury, review desk), the canceller's role and the
 * deadlines of the lifecycle. A sweep considers the violations of CANDIDATES_WITH_STALLS_SQL
 * (stall-facts.ts): cancelled, plate amended, paid at the register and unknown to the
 * treasury, or detected and waiting a day or more for their next step, in the window. The
 * rest have nothing for the violation rules of the catalogue to judge. (A rule judging
 * ordinary violations would need that candidate query widened.)
 */
/**
 * The payload fields the facts below read, each only where it is a string (as they test
 * it): a violation's detection payload (place, camera, media) is most of its bytes and
 * none of its facts, so it never leaves the database. Times come as epoch milliseconds:
 * a million rows are read per sweep, and the driver's Date parsing and an object per row
 * were most of the time spent here.
 */
const PAYLOAD_TEXTS = ['field', 'after', 'effectiveAt', 'reasonCode', 'reasonText', 'legalBasis', 'reference'] as const;

const EVENTS_SQL = `
SELECT e.violation_ref, e.event_id, e.source, e.type,
  floor(extract(epoch FROM e.occurred_at) * 1000)::float8 AS occurred_at,
  floor(extract(epoch FROM e.recorded_at) * 1000)::float8 AS recorded_at,
  e.actor_kind, e.actor_id,
  ${PAYLOAD_TEXTS.map((k) => `CASE WHEN jsonb_typeof(e.payload->'${k}') = 'string' THEN e.payload->>'${k}' END AS "${k}"`).join(',\n  ')},
  s.kind AS source_kind, o.role AS actor_role
FROM ledger_event e
LEFT JOIN source_system s ON s.code = e.source
LEFT JOIN officer o ON o.id = e.actor_id
WHERE e.violation_ref = ANY($1::text[])
ORDER BY e.violation_ref, e.occurred_at, e.id
`;

type EventRow = { [K in (typeof PAYLOAD_TEXTS)[number]]: string | null } & {
  violation_ref: string;
  event_id: string;
  source: string;
  type: LifecycleEvent['type'];
  /** Epoch milliseconds. */
  occurred_at: number;
  recorded_at: number | null;
  actor_kind: string;
  actor_id: string;
  source_kind: string | null;
  actor_role: string | null;
};

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

interface CandidateRow extends StallRow {
  /** The window the violation is a candidate in: its position in the list, from 1. */
  w: number;
}

/**
 * The candidates of every window ending at the same instant, each with its waits, from one
 * pass over the ledger (see CANDIDATES_WITH_STALLS_SQL).
 */
async function candidatesOf(db: Queryable, windows: readonly FactWindow[]): Promise<{ refsOf: string[][]; stalls: Map<string, StallFacts> }> {
  const widest = windows.reduce((x, y) => (y.from < x.from ? y : x));
  const kinds = (await db.query<{ code: string; kind: string }>('SELECT code, kind FROM source_system')).rows;
  const codesOf = (kind: string) => kinds.filter((k) => k.kind === kind).map((k) => k.code);
  const { rows } = await db.query<CandidateRow>(CANDIDATES_WITH_STALLS_SQL, [
    widest.from,
    widest.to,
    widest.timeZone,
    windows.map((w) => w.from),
    codesOf('register'),
    codesOf('treasury'),
  ]);
  const refsOf: string[][] = windows.map(() => []);
  const stalls = new Map<string, StallFacts>();
  for (const r of rows) {
    refsOf[Number(r.w) - 1]?.push(r.ref);
    if (!stalls.has(r.ref)) stalls.set(r.ref, toStallFacts(r));
  }
  return { refsOf, stalls };
}

/**
 * A violation's facts depend on the end of the window only: where it starts decides which
 * violations are candidates. Waits already known (from the candidates' pass) are not read again.
 */
async function factsOfRefs(db: Queryable, refs: readonly string[], window: FactWindow, known?: Map<string, StallFacts>): Promise<SubjectFacts[]> {
  const registered = new Set((await db.query<{ plate_key: string }>('SELECT plate_key FROM vehicle')).rows.map((r) => r.plate_key));
  const fetchBatch = async (from: number) => {
    const batch = refs.slice(from, from + BATCH);
    const { rows } = await db.query<EventRow>(EVENTS_SQL, [batch]);
    return { rows, stalls: known ?? (await stallFacts(db, batch, window.to, window.timeZone)) };
  };
  const out: SubjectFacts[] = [];
  let next = refs.length > 0 ? fetchBatch(0) : null;
  for (let i = 0; next !== null; i += BATCH) {
    const { rows, stalls } = await next;
    // The next batch is read while this one is judged: the database and this thread work
    // side by side instead of in turn. A failure of the read ahead surfaces when awaited.
    next = i + BATCH < refs.length ? fetchBatch(i + BATCH) : null;
    next?.catch(() => undefined);
    const byRef = new Map<string, EventRow[]>();
    for (const row of rows) {
      const list = byRef.get(row.violation_ref);
      if (list === undefined) byRef.set(row.violation_ref, [row]);
      else list.push(row);
    }
    for (const [ref, events] of byRef) out.push({ id: ref, facts: { ...factsOf(ref, events, registered, window.to), ...(stalls.get(ref) ?? NO_STALL) } });
  }
  return out;
}

export async function violationFacts(db: Queryable, window: FactWindow, selection: SubjectSelection): Promise<SubjectFacts[]> {
  return (await violationFactsOverWindows(db, [window], selection))[0] ?? [];
}

/**
 * The facts of several windows ending at the same instant (a sweep's 180 and 365 days),
 * each violation computed once: the candidates of every window come from one pass, and a
 * violation in several windows has the same facts in each.
 */
export async function violationFactsOverWindows(db: Queryable, windows: readonly FactWindow[], selection: SubjectSelection): Promise<SubjectFacts[][]> {
  const [first] = windows;
  if (first === undefined) return [];
  if ('ids' in selection) {
    const out: SubjectFacts[][] = [];
    for (const w of windows) out.push(await factsOfRefs(db, [...selection.ids], w));
    return out;
  }
  if (!windows.every((w) => w.to.getTime() === first.to.getTime() && w.timeZone === first.timeZone)) {
    const out: SubjectFacts[][] = [];
    for (const w of windows) out.push(await violationFacts(db, w, selection));
    return out;
  }
  const { refsOf, stalls } = await candidatesOf(db, windows);
  const facts = new Map((await factsOfRefs(db, [...stalls.keys()], first, stalls)).map((f) => [f.id, f]));
  return refsOf.map((refs) => refs.flatMap((ref) => facts.get(ref) ?? []));
}

function factsOf(ref: string, events: EventRow[], registered: Set<string>, asOf: Date): Record<string, unknown> {
  const at = (e: EventRow | undefined) => e?.occurred_at;
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
  const plateEdit = events.find((e) => e.type === 'amended' && e.field === 'plate' && confirmed !== undefined && e.occurred_at >= confirmed.occurred_at);
  const after = plateEdit?.after;
  const registerPaid = first('paid', (e) => e.source_kind === 'register');
  const cancels = events.filter((e) => e.type === 'cancelled');
  const backdated = Math.max(
    0,
    ...cancels.map((e) => {
      if (e.recorded_at === null) return 0;
      const effective = typeof e.effectiveAt === 'string' ? Date.parse(e.effectiveAt) : e.occurred_at;
      return (e.recorded_at - Math.min(effective, e.occurred_at)) / 3_600_000;
    }),
  );
  const code = typeof cancel?.reasonCode === 'string' ? cancel.reasonCode : '';
  const stated = (['reasonText', 'legalBasis', 'reference'] as const).some((k) => typeof cancel?.[k] === 'string' && cancel[k] !== '');
  const cancellerRole = cancel === undefined ? 'none' : (cancel.actor_role ?? cancel.actor_kind);
  const lastCancelAt = Math.max(...cancels.map((e) => e.occurred_at), -Infinity);
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
    appealed: events.some((e) => e.type === 'appealed' && (cancelAt === undefined || e.occurred_at <= cancelAt)),
    hoursBeforeDeadline: deadlines.length === 0 || cancelAt === undefined ? NO_DEADLINE_AHEAD : (Math.min(...deadlines) - cancelAt) / 3_600_000,
    cancelledAfterEnforcement: enforcement !== undefined && cancelAt !== undefined && (at(enforcement) ?? 0) <= cancelAt,
    backdatedHours: backdated,
    plateAmendedAfterReview: plateEdit !== undefined,
    amendedPlateRegistered: typeof after === 'string' ? registered.has(plateKey(after)) : true,
    noticeDelivered: events.some((e) => e.type === 'notice_delivered'),
    registerPaid: registerPaid !== undefined,
    treasuryPaid: events.some((e) => e.type === 'paid' && e.source_kind === 'treasury'),
    daysSinceRegisterPaid: registerPaid === undefined ? 0 : (asOf.getTime() - registerPaid.occurred_at) / DAY,
    registerCancelled: cancels.some((e) => e.source_kind === 'register'),
    reviewCancelled: cancels.some((e) => e.source_kind === 'review'),
    enforcementAfterCancel: cancels.length > 0 && events.some((e) => e.type === 'sent_to_enforcement' && e.occurred_at > lastCancelAt),
    evidenceEventIds: events.map((e) => evidenceKey(e.source, e.event_id)),
  };
}
