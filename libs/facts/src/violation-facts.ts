import { DAY_MS, discountDeadline, limitationDeadline, mayCancel, paymentDeadline, plateKey, type ViolationStatus } from '@qadaga/domain';
import { type FactWindow, type Queryable, type SubjectFacts, type SubjectSelection } from './queryable.js';
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

// SQL fragments of the fold below: a payload field where it is a string, an instant as
// epoch milliseconds.
const text = (key: string) => `CASE WHEN jsonb_typeof(e.payload->'${key}') = 'string' THEN e.payload->>'${key}' END`;
const ms = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::float8`;
/** The earliest (or latest) instant of the events that pass `where`. */
const instant = (fn: 'min' | 'max', where: string) => ms(`${fn}(e.occurred_at) FILTER (WHERE ${where})`);
const first = (type: string) => instant('min', `e.type = '${type}'`);
/** The domain's timeline order (compareTimeline): occurred-at, then recorded-at (none first), then ledger position. */
const IN_ORDER = 'ORDER BY e.occurred_at, e.recorded_at NULLS FIRST, e.id';

/**
 * A violation's events folded by the database into one row: the first and last instants
 * of each step, and the few events whose own fields a fact reads (cancellations, plate
 * amendments) as small JSON arrays in ledger order. A sweep reads about six events per
 * candidate; turning each into an object in this thread made its garbage collector the
 * largest cost of the violation facts, so they now stay in the database and only the
 * arithmetic on their dates is done here (calendar months, as JavaScript counts them).
 * Times come as epoch milliseconds; payload fields only where they are strings.
 */
const FOLDED_SQL = `
SELECT e.violation_ref AS ref,
  -- The state is the domain's fold (libs/domain lifecycle.ts), as the read model holds it:
  -- one lifecycle semantics, so a violation's page and its flags' facts agree.
  v.status,
  -- Where it happened, as the read model holds it: the violation's flag is placed there.
  v.district,
  v.camera_id,
  ${first('detected')} AS detected_at,
  ${first('confirmed')} AS confirmed_at,
  ${first('notice_issued')} AS notice_at,
  ${first('sent_to_enforcement')} AS enforcement_at,
  ${instant('max', "e.type = 'sent_to_enforcement'")} AS last_enforcement_at,
  ${first('appealed')} AS appealed_at,
  ${instant('min', "e.type = 'paid' AND s.kind = 'register'")} AS register_paid_at,
  coalesce(bool_or(e.type = 'paid' AND s.kind = 'treasury'), false) AS treasury_paid,
  coalesce(bool_or(e.type = 'notice_delivered'), false) AS notice_delivered,
  json_agg(json_build_array(${ms('e.occurred_at')}, ${ms('e.recorded_at')}, ${text('effectiveAt')}, ${text('reasonCode')}, ${text('reasonText')},
      ${text('legalBasis')}, ${text('reference')}, e.actor_kind, o.role, s.kind) ${IN_ORDER})
    FILTER (WHERE e.type = 'cancelled')::text AS cancels,
  json_agg(json_build_array(${ms('e.occurred_at')}, ${text('after')}) ${IN_ORDER})
    FILTER (WHERE e.type = 'amended' AND ${text('field')} = 'plate')::text AS plate_edits,
  -- The evidence keys of evidenceKey (queryable.ts), made where the rows are.
  json_agg(e.source || '|' || e.event_id ${IN_ORDER})::text AS evidence
FROM ledger_event e
LEFT JOIN source_system s ON s.code = e.source
LEFT JOIN officer o ON o.id = e.actor_id
LEFT JOIN violation v ON v.ref = e.violation_ref
WHERE e.violation_ref = ANY($1::text[])
GROUP BY e.violation_ref, v.ref
ORDER BY e.violation_ref
`;

/** Epoch milliseconds, null where the step never happened. */
type Instant = number | null;

export interface FoldedRow {
  ref: string;
  status: ViolationStatus;
  district: string | null;
  camera_id: string | null;
  detected_at: Instant;
  confirmed_at: Instant;
  notice_at: Instant;
  enforcement_at: Instant;
  last_enforcement_at: Instant;
  appealed_at: Instant;
  register_paid_at: Instant;
  treasury_paid: boolean;
  notice_delivered: boolean;
  /** [occurred, recorded, effectiveAt, reasonCode, reasonText, legalBasis, reference, actor kind, actor role, source kind], in ledger order. */
  cancels: string | null;
  /** [occurred, after], in ledger order. */
  plate_edits: string | null;
  /** "source|eventId" of every event, in ledger order (a JSON array). */
  evidence: string;
}

/** The violations' events as the database folds them for the facts (FOLDED_SQL), in one query. */
export async function foldViolations(db: Queryable, refs: readonly string[]): Promise<FoldedRow[]> {
  return (await db.query<FoldedRow>(FOLDED_SQL, [refs])).rows;
}

/** A cancellation as the fold lists it (see `cancels` in FOLDED_SQL). */
type CancelTuple = [number, number | null, string | null, string | null, string | null, string | null, string | null, string, string | null, string | null];

interface Cancellation {
  occurred: number;
  recorded: number | null;
  effectiveAt: string | null;
  reasonCode: string | null;
  reasonText: string | null;
  legalBasis: string | null;
  reference: string | null;
  actorKind: string;
  actorRole: string | null;
  sourceKind: string | null;
}

function cancellationsOf(json: string | null): Cancellation[] {
  if (json === null) return [];
  return (JSON.parse(json) as CancelTuple[]).map(([occurred, recorded, effectiveAt, reasonCode, reasonText, legalBasis, reference, actorKind, actorRole, sourceKind]) => ({
    occurred, recorded, effectiveAt, reasonCode, reasonText, legalBasis, reference, actorKind, actorRole, sourceKind,
  }));
}
type PlateEdit = [number, string | null];

const NO_DEADLINE_AHEAD = 9_999;

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
    const { rows } = await db.query<FoldedRow>(FOLDED_SQL, [batch]);
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
    for (const row of rows) out.push({ id: row.ref, facts: factsOf(row, registered, window.to, stalls.get(row.ref) ?? NO_STALL) });
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

/**
 * One object literal with every fact, the waits included: a quarter of a million of these
 * stay alive through a sweep. One built by spreading two objects into a third took about
 * 1 KB in V8 against 190 bytes for the literal, and fifteen times as long to build; the
 * garbage collector copied every byte of it.
 */
function factsOf(row: FoldedRow, registered: Set<string>, asOf: Date, stall: StallFacts): Record<string, unknown> {
  const cancels = cancellationsOf(row.cancels);
  const plateEdits = row.plate_edits === null ? [] : (JSON.parse(row.plate_edits) as PlateEdit[]);
  const cancel = cancels[0];
  const cancelAt = cancel?.occurred;
  const noticeBeforeCancel = row.notice_at !== null && cancelAt !== undefined && row.notice_at <= cancelAt;
  const deadlines = [
    row.notice_at === null ? undefined : discountDeadline(row.notice_at),
    row.notice_at === null ? undefined : paymentDeadline(row.notice_at),
    row.detected_at === null ? undefined : limitationDeadline(row.detected_at),
  ].filter((d): d is number => d !== undefined && cancelAt !== undefined && d >= cancelAt);
  const confirmedAt = row.confirmed_at;
  const plateEdit = confirmedAt === null ? undefined : plateEdits.find(([at]) => at >= confirmedAt);
  const after = plateEdit?.[1];
  const backdated = Math.max(
    0,
    ...cancels.map(({ occurred, recorded, effectiveAt }) => {
      if (recorded === null) return 0;
      const effective = typeof effectiveAt === 'string' ? Date.parse(effectiveAt) : occurred;
      return (recorded - Math.min(effective, occurred)) / 3_600_000;
    }),
  );
  const code = typeof cancel?.reasonCode === 'string' ? cancel.reasonCode : '';
  const stated = [cancel?.reasonText, cancel?.legalBasis, cancel?.reference].some((v) => typeof v === 'string' && v !== '');
  const cancellerRole = cancel === undefined ? 'none' : (cancel.actorRole ?? cancel.actorKind);
  const lastCancelAt = Math.max(...cancels.map((c) => c.occurred), -Infinity);
  return {
    violationRef: row.ref,
    status: row.status,
    district: row.district,
    cameraId: row.camera_id,
    cancelled: cancel !== undefined,
    cancelReasonCode: code,
    cancelHasGround: cancel === undefined || (code !== '' && code !== 'other') || stated,
    cancellerRole,
    cancellerMayCancel: cancel === undefined || mayCancel({ actorKind: cancel.actorKind, role: cancellerRole }, noticeBeforeCancel),
    cancelledAfterNotice: noticeBeforeCancel,
    appealed: row.appealed_at !== null && (cancelAt === undefined || row.appealed_at <= cancelAt),
    hoursBeforeDeadline: deadlines.length === 0 || cancelAt === undefined ? NO_DEADLINE_AHEAD : (Math.min(...deadlines) - cancelAt) / 3_600_000,
    cancelledAfterEnforcement: row.enforcement_at !== null && cancelAt !== undefined && row.enforcement_at <= cancelAt,
    backdatedHours: backdated,
    plateAmendedAfterReview: plateEdit !== undefined,
    amendedPlateRegistered: typeof after === 'string' ? registered.has(plateKey(after)) : true,
    noticeDelivered: row.notice_delivered,
    registerPaid: row.register_paid_at !== null,
    treasuryPaid: row.treasury_paid,
    daysSinceRegisterPaid: row.register_paid_at === null ? 0 : (asOf.getTime() - row.register_paid_at) / DAY_MS,
    registerCancelled: cancels.some((c) => c.sourceKind === 'register'),
    reviewCancelled: cancels.some((c) => c.sourceKind === 'review'),
    enforcementAfterCancel: cancels.length > 0 && row.last_enforcement_at !== null && row.last_enforcement_at > lastCancelAt,
    evidenceEventIds: JSON.parse(row.evidence) as string[],
    daysUnreviewed: stall.daysUnreviewed,
    daysConfirmedWithoutNotice: stall.daysConfirmedWithoutNotice,
    daysNoticeUndelivered: stall.daysNoticeUndelivered,
    detectedOn: stall.detectedOn,
    confirmedOn: stall.confirmedOn,
    noticeOn: stall.noticeOn,
  };
}
