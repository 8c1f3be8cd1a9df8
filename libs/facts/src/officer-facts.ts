import { sourcesNotSupporting, TIMING_NEEDS, type SourceProfile } from '@qadaga/domain';
import { binomialUpperTail } from '@qadaga/statistics';
import { profilesOr } from './source-profiles.js';
import { againstPeers, SHARE_MAD_FLOOR } from './peer-baseline.js';
import { EVIDENCE_LIMIT, toNumber, type FactWindow, type Queryable, type SubjectFacts, type SubjectSelection } from './queryable.js';

/**
 * Per-officer counts, aggregated in one pass in PostgreSQL for every window of a sweep
 * that ends at the same instant (the pack judges officers over 180 and 365 days): the
 * widest window's decisions are read and sorted once, and each row counts towards every
 * window that holds it. The peer baseline (median, MAD, robust z, binomial tail against
 * the pooled peer rate) is then computed here over the officers of the same unit and
 * role, window by window. Peers are always computed in full, even when only one officer
 * is asked for, so a baseline never depends on which subjects happened to be re-evaluated.
 *
 * $1 the widest window's start, $2 the common end, $3/$4 the selection, $5 the time zone,
 * $6 every window's start (the result's "w" is its position, from 1), $7 the sources whose
 * times are not instants (a decision of theirs is not judged for speed or a workstation
 * switch), $8 those whose times are dates alone (not judged for the time of day).
 * The source is in the type index, so the pass stays index-only.
 */
const OFFICER_COUNTS_SQL = `
WITH win AS (
  SELECT w.start, w.i::int AS i, row_number() OVER (ORDER BY w.start, w.i)::int AS pos
  FROM unnest($6::timestamptz[]) WITH ORDINALITY AS w(start, i)
),
-- The windows' starts in ascending order: width_bucket(t, starts) is then the number of
-- starts at or before t, so a row falls in exactly the windows whose "pos" is at most that.
-- Rows are counted once per bucket and the buckets summed per window, rather than every
-- row joined to every window that holds it.
bounds AS (
  SELECT array_agg(start ORDER BY start, i) AS starts FROM win
),
-- Every actor's decisions of the widest window, each with the one before it by the same
-- actor, read from the type index alone (ledger_event_type_time_actor holds every column
-- used here). The roster is only looked up, not joined away: the officers it does not
-- know are read off this same pass instead of a second scan of the window.
decisions AS (
  SELECT e.actor_id AS officer, e.actor_kind, e.actor_unit, e.type, e.occurred_at, e.actor_workstation, e.violation_ref,
         (e.source || '|' || e.event_id) AS event_id,
         (e.occurred_at AT TIME ZONE $5) AS local_at,
         EXTRACT(HOUR FROM (e.occurred_at AT TIME ZONE $5))::int AS hour,
         lag(e.occurred_at) OVER w AS prev_at,
         lag(e.actor_workstation) OVER w AS prev_ws,
         e.source = ANY($7::text[]) AS untimed,
         lag(e.source = ANY($7::text[])) OVER w AS prev_untimed,
         e.source = ANY($8::text[]) AS unclocked,
         r.id IS NULL AS unlisted
  FROM ledger_event e LEFT JOIN officer r ON r.id = e.actor_id
  WHERE e.occurred_at >= $1 AND e.occurred_at < $2 AND e.type IN ('confirmed', 'rejected', 'cancelled', 'amended')
  -- Byte order ("C") for the partition sort: the same groups, without the locale's comparison.
  WINDOW w AS (PARTITION BY e.actor_id COLLATE "C" ORDER BY e.occurred_at)
),
listed AS (
  SELECT o.id, o.unit, o.role, o.shift, o.absences, NULL::timestamptz AS last_decided_at FROM officer o
  WHERE $4::boolean OR o.unit IN (SELECT unit FROM officer WHERE id = ANY($3::text[]))
  UNION ALL
  -- Officers the roster does not know (an imported log): judged against each other, with
  -- no shift or absence to check, in the windows where they decided something.
  -- Only their decisions are grouped: where the roster knows everyone, none are, rather
  -- than every decision of the year sorted by actor to find nobody.
  SELECT u.officer, coalesce(u.unit, 'unknown'), 'reviewer',
    '{"days": [1, 2, 3, 4, 5, 6, 7], "startHour": 0, "endHour": 24}'::jsonb, '[]'::jsonb, u.last_decided_at
  FROM (
    SELECT d.officer, min(d.actor_unit) AS unit, max(d.occurred_at) AS last_decided_at
    FROM decisions d
    WHERE d.unlisted AND d.actor_kind = 'officer' AND d.type IN ('confirmed', 'rejected') AND ($4::boolean OR d.officer = ANY($3::text[]))
    GROUP BY d.officer
  ) u
),
-- The shift read out of its JSON once per officer, not once per decision.
scope AS (
  SELECT l.*, ARRAY(SELECT jsonb_array_elements_text(l.shift->'days'))::int[] AS shift_days,
    jsonb_array_length(l.absences) > 0 AS ever_absent,
    (l.shift->>'startHour')::int AS start_hour, (l.shift->>'endHour')::int AS end_hour
  FROM listed l
),
-- A confirmation later cancelled: the violation's last cancellation is at or after it. Only
-- cancellations from the window's start on can be, so one range of the type index serves
-- (an earlier one of the widest window is before every confirmation of a shorter one).
last_cancel AS (
  SELECT c.violation_ref, max(c.occurred_at) AS at FROM ledger_event c
  WHERE c.type = 'cancelled' AND c.occurred_at >= $1 GROUP BY c.violation_ref
),
-- Each decision judged once, whatever the windows, into a few booleans.
judged AS (
  SELECT d.officer, d.type, d.occurred_at, d.prev_at,
    d.type = 'confirmed' AND lc.at >= d.occurred_at AS cancelled_later,
    d.type IN ('confirmed', 'rejected') AND NOT d.untimed AS timed,
    d.type IN ('confirmed', 'rejected', 'cancelled') AND NOT d.unclocked AS clocked,
    d.type IN ('confirmed', 'rejected', 'cancelled') AND NOT d.unclocked
      AND NOT (EXTRACT(ISODOW FROM CASE WHEN s.start_hour > s.end_hour AND d.hour < s.end_hour
                                        THEN d.local_at - interval '1 day' ELSE d.local_at END)::int = ANY (s.shift_days)
        AND CASE WHEN s.start_hour <= s.end_hour
                 THEN d.hour >= s.start_hour AND d.hour < s.end_hour
                 ELSE d.hour >= s.start_hour OR d.hour < s.end_hour END) AS off_shift,
    d.type IN ('confirmed', 'rejected', 'cancelled') AND NOT d.unclocked AND d.hour < 6 AS night,
    d.type IN ('confirmed', 'rejected') AND NOT d.untimed AND NOT d.prev_untimed AND d.occurred_at - d.prev_at < interval '2 seconds' AS quick,
    NOT d.untimed AND NOT d.prev_untimed AND d.prev_ws IS NOT NULL AND d.actor_workstation IS NOT NULL AND d.prev_ws <> d.actor_workstation
      AND d.occurred_at - d.prev_at < interval '1 minute' AS switched,
    d.type IN ('confirmed', 'rejected', 'cancelled') AND s.ever_absent AND EXISTS (
      SELECT 1 FROM jsonb_array_elements(s.absences) a
      WHERE d.occurred_at >= (a->>'from')::timestamptz AND (a->>'to' IS NULL OR d.occurred_at < (a->>'to')::timestamptz)) AS while_absent
  FROM decisions d JOIN scope s ON s.id = d.officer
  LEFT JOIN last_cancel lc ON lc.violation_ref = d.violation_ref AND d.type = 'confirmed'
),
-- Per bucket of time between the windows' starts (b), and of the decision before it (bp):
-- a decision counts in every window that holds it, and the one before it only when the
-- same window holds it too, as if that window had been read alone.
counted AS (
  SELECT j.officer,
    width_bucket(j.occurred_at, (SELECT starts FROM bounds)) AS b,
    coalesce(width_bucket(j.prev_at, (SELECT starts FROM bounds)), 0) AS bp,
    count(*) FILTER (WHERE j.type IN ('confirmed', 'rejected')) AS decisions,
    count(*) FILTER (WHERE j.type = 'rejected') AS rejections,
    count(*) FILTER (WHERE j.timed) AS timed,
    count(*) FILTER (WHERE j.clocked) AS clocked,
    count(*) FILTER (WHERE j.type = 'cancelled') AS cancellations,
    count(*) FILTER (WHERE j.type = 'confirmed') AS confirmed,
    count(*) FILTER (WHERE j.cancelled_later) AS confirmed_cancelled,
    count(*) FILTER (WHERE j.off_shift) AS off_shift,
    count(*) FILTER (WHERE j.night) AS night,
    count(*) FILTER (WHERE j.quick) AS fast,
    count(*) FILTER (WHERE j.while_absent) AS while_absent,
    count(*) FILTER (WHERE j.switched) AS ws_conflicts
  FROM judged j
  GROUP BY 1, 2, 3
),
counts AS (
  SELECT c.officer, w.i,
    sum(c.decisions) AS decisions, sum(c.rejections) AS rejections, sum(c.timed) AS timed, sum(c.clocked) AS clocked, sum(c.cancellations) AS cancellations,
    sum(c.confirmed) AS confirmed, sum(c.confirmed_cancelled) AS confirmed_cancelled, sum(c.off_shift) AS off_shift,
    sum(c.night) AS night, coalesce(sum(c.fast) FILTER (WHERE c.bp >= w.pos), 0) AS fast,
    sum(c.while_absent) AS while_absent, coalesce(sum(c.ws_conflicts) FILTER (WHERE c.bp >= w.pos), 0) AS ws_conflicts
  FROM counted c JOIN win w ON c.b >= w.pos
  GROUP BY c.officer, w.i
),
-- The first adverse actions of each officer and window, in time order (the event id breaks ties).
evidence AS (
  SELECT officer, i, array_agg(event_id ORDER BY occurred_at, event_id) AS events FROM (
    SELECT d.officer, w.i, d.event_id, d.occurred_at,
      row_number() OVER (PARTITION BY d.officer, w.i ORDER BY d.occurred_at, d.event_id) AS n
    FROM decisions d JOIN scope s ON s.id = d.officer JOIN win w ON d.occurred_at >= w.start
    WHERE d.type IN ('rejected', 'cancelled', 'amended')
  ) ranked
  WHERE n <= ${EVIDENCE_LIMIT}
  GROUP BY officer, i
),
-- Speed edits and emergency rejections read their payloads from the ledger directly, so
-- the million-row pass above stays narrow.
speed AS (
  SELECT sp.officer, w.i, count(*) AS edits,
    count(*) FILTER (WHERE sp.after < sp.before AND sp.speed_limit IS NOT NULL AND EXISTS (
      SELECT 1 FROM unnest(ARRAY[10, 20, 40, 60]) AS edge
      WHERE sp.before - sp.speed_limit >= edge AND sp.after - sp.speed_limit >= edge - 3 AND sp.after - sp.speed_limit < edge)) AS down_band
  FROM (
    SELECT e.actor_id AS officer, e.occurred_at,
      (e.payload->>'before')::numeric AS before, (e.payload->>'after')::numeric AS after,
      (det.payload->>'speedLimit')::numeric AS speed_limit
    FROM ledger_event e JOIN scope s ON s.id = e.actor_id
    LEFT JOIN LATERAL (SELECT payload FROM ledger_event x WHERE x.violation_ref = e.violation_ref AND x.type = 'detected' LIMIT 1) det ON true
    WHERE e.type = 'amended' AND e.occurred_at >= $1 AND e.occurred_at < $2 AND e.payload->>'field' = 'speed'
      AND jsonb_typeof(e.payload->'before') = 'number' AND jsonb_typeof(e.payload->'after') = 'number'
  ) sp JOIN win w ON sp.occurred_at >= w.start
  GROUP BY sp.officer, w.i
),
-- Reviews assigned, and of those the violations that went on to expire: only the expired
-- ones are looked up, not every violation.
assigned AS (
  SELECT a.officer, w.i, sum(a.assigned) AS assigned, sum(a.expired) AS expired
  FROM (
    SELECT e.payload->>'officerId' AS officer, width_bucket(e.occurred_at, (SELECT starts FROM bounds)) AS b,
      count(*) AS assigned, count(x.ref) AS expired
    FROM ledger_event e
    LEFT JOIN (SELECT v.ref FROM violation v WHERE v.status = 'expired') x ON x.ref = e.violation_ref
    WHERE e.type = 'review_assigned' AND e.occurred_at >= $1 AND e.occurred_at < $2
    GROUP BY 1, 2
  ) a
  JOIN scope s ON s.id = a.officer
  JOIN win w ON a.b >= w.pos
  GROUP BY a.officer, w.i
),
emergency AS (
  SELECT m.officer, w.i, count(*) AS emergency, count(*) FILTER (WHERE NOT m.dispatched) AS undispatched
  FROM (
    SELECT e.actor_id AS officer, e.occurred_at,
      EXISTS (
        SELECT 1 FROM violation v JOIN dispatch p ON p.plate_key = v.plate_key
        WHERE v.ref = e.violation_ref AND v.detected_at BETWEEN p.from_at AND p.to_at
      ) AS dispatched
    FROM ledger_event e JOIN scope s ON s.id = e.actor_id
    WHERE e.type = 'rejected' AND e.occurred_at >= $1 AND e.occurred_at < $2 AND e.payload->>'reasonCode' = 'emergency_vehicle'
  ) m JOIN win w ON m.occurred_at >= w.start
  GROUP BY m.officer, w.i
)
SELECT s.id, s.unit, s.role, w.i AS w,
  c.decisions, c.timed, c.clocked, c.rejections, c.cancellations, c.confirmed, c.confirmed_cancelled, c.off_shift, c.night, c.fast,
  c.while_absent, c.ws_conflicts,
  sp.edits AS speed_edits, sp.down_band AS speed_down_band,
  a.assigned, a.expired,
  m.emergency, m.undispatched AS emergency_undispatched,
  ev.events AS evidence
FROM scope s
CROSS JOIN win w
LEFT JOIN counts c ON c.officer = s.id AND c.i = w.i
LEFT JOIN speed sp ON sp.officer = s.id AND sp.i = w.i
LEFT JOIN assigned a ON a.officer = s.id AND a.i = w.i
LEFT JOIN emergency m ON m.officer = s.id AND m.i = w.i
LEFT JOIN evidence ev ON ev.officer = s.id AND ev.i = w.i
WHERE s.last_decided_at IS NULL OR s.last_decided_at >= w.start
`;

interface CountsRow {
  id: string;
  unit: string;
  role: string;
  /** The window's position in the query's list, from 1. */
  w: number;
  decisions: string | null;
  timed: string | null;
  clocked: string | null;
  rejections: string | null;
  cancellations: string | null;
  confirmed: string | null;
  confirmed_cancelled: string | null;
  off_shift: string | null;
  night: string | null;
  fast: string | null;
  while_absent: string | null;
  ws_conflicts: string | null;
  speed_edits: string | null;
  speed_down_band: string | null;
  assigned: string | null;
  expired: string | null;
  emergency: string | null;
  emergency_undispatched: string | null;
  evidence: string[] | null;
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

export async function officerFacts(db: Queryable, window: FactWindow, selection: SubjectSelection, profiles?: readonly SourceProfile[]): Promise<SubjectFacts[]> {
  return (await officerFactsOverWindows(db, [window], selection, profiles))[0] ?? [];
}

/**
 * The facts of several windows ending at the same instant and in the same time zone (a
 * sweep's 180 and 365 days) from one pass over the widest; each window gets what it
 * would get alone. Windows ending apart are computed one by one.
 */
export async function officerFactsOverWindows(db: Queryable, windows: readonly FactWindow[], selection: SubjectSelection, given?: readonly SourceProfile[]): Promise<SubjectFacts[][]> {
  const [first] = windows;
  if (first === undefined) return [];
  if (!windows.every((w) => w.to.getTime() === first.to.getTime() && w.timeZone === first.timeZone)) {
    const out: SubjectFacts[][] = [];
    for (const w of windows) out.push(await officerFacts(db, w, selection, given));
    return out;
  }
  const widest = windows.reduce((a, b) => (b.from < a.from ? b : a));
  const ids = 'ids' in selection ? [...selection.ids] : [];
  const profiles = await profilesOr(db, widest, given);
  const { rows } = await db.query<CountsRow>(OFFICER_COUNTS_SQL, [
    widest.from,
    widest.to,
    ids,
    'all' in selection,
    widest.timeZone,
    windows.map((w) => w.from),
    sourcesNotSupporting(profiles, TIMING_NEEDS.speed),
    sourcesNotSupporting(profiles, TIMING_NEEDS.timeOfDay),
  ]);
  const perWindow: CountsRow[][] = windows.map(() => []);
  for (const r of rows) perWindow[Number(r.w) - 1]?.push(r);
  return perWindow.map((counts) => withPeerBaselines(counts, selection));
}

/** One window's officers with their facts against the peers of the same unit and role. */
function withPeerBaselines(rows: readonly CountsRow[], selection: SubjectSelection): SubjectFacts[] {
  const officers = rows.map((r) => {
    const decisions = toNumber(r.decisions);
    const rejections = toNumber(r.rejections);
    const cancellations = toNumber(r.cancellations);
    const acted = decisions + toNumber(r.cancellations);
    const timed = toNumber(r.timed);
    const clocked = toNumber(r.clocked);
    const assigned = toNumber(r.assigned);
    return {
      id: r.id,
      unit: r.unit,
      role: r.role,
      decisions,
      rejections,
      cancellations,
      adverseActions: rejections + cancellations,
      adverseShare: share(rejections + cancellations, decisions),
      confirmed: toNumber(r.confirmed),
      confirmedThenCancelled: toNumber(r.confirmed_cancelled),
      dismissalShare: share(toNumber(r.confirmed_cancelled), toNumber(r.confirmed)),
      speedEdits: toNumber(r.speed_edits),
      speedEditsDownBelowBand: toNumber(r.speed_down_band),
      speedDowngradeShare: share(toNumber(r.speed_down_band), toNumber(r.speed_edits)),
      assigned,
      expiredAssigned: toNumber(r.expired),
      expiredShare: share(toNumber(r.expired), assigned),
      offShiftDecisions: toNumber(r.off_shift),
      nightDecisions: toNumber(r.night),
      offShiftShare: share(toNumber(r.off_shift), clocked),
      clockedDecisions: clocked,
      unclockedDecisions: acted - clocked,
      fastDecisions: toNumber(r.fast),
      timedDecisions: timed,
      untimedDecisions: decisions - timed,
      fastDecisionShare: share(toNumber(r.fast), timed),
      decisionsWhileAbsent: toNumber(r.while_absent),
      workstationConflicts: toNumber(r.ws_conflicts),
      emergencyRejections: toNumber(r.emergency),
      emergencyWithoutDispatch: toNumber(r.emergency_undispatched),
      evidenceEventIds: r.evidence ?? [],
    };
  });
  const peersOf = new Map<string, typeof officers>();
  for (const o of officers) {
    const key = `${o.unit}|${o.role}`;
    peersOf.set(key, [...(peersOf.get(key) ?? []), o]);
  }
  const unitExpired = new Map<string, { expired: number; assigned: number }>();
  for (const o of officers) {
    const u = unitExpired.get(o.unit) ?? { expired: 0, assigned: 0 };
    u.expired += o.expiredAssigned;
    u.assigned += o.assigned;
    unitExpired.set(o.unit, u);
  }
  const wanted = 'ids' in selection ? new Set(selection.ids) : null;
  return officers
    .filter((o) => wanted === null || wanted.has(o.id))
    .map((o) => {
      // Peers exclude the officer: an outlier must not pull its own baseline.
      const peers = (peersOf.get(`${o.unit}|${o.role}`) ?? []).filter((p) => p.id !== o.id && p.decisions > 0);
      const adverse = againstPeers(o.adverseShare, peers.map((p) => p.adverseShare), SHARE_MAD_FLOOR);
      const pooledDecisions = peers.reduce((s, p) => s + p.decisions, 0);
      const pooledAdverse = peers.reduce((s, p) => s + p.adverseActions, 0);
      const peerRate = share(pooledAdverse, pooledDecisions);
      const speed = againstPeers(o.speedDowngradeShare, peers.map((p) => p.speedDowngradeShare), SHARE_MAD_FLOOR);
      const expired = againstPeers(o.expiredShare, peers.filter((p) => p.assigned > 0).map((p) => p.expiredShare), SHARE_MAD_FLOOR);
      const unit = unitExpired.get(o.unit) ?? { expired: 0, assigned: 0 };
      const confirmers = peers.filter((p) => p.confirmed > 0);
      const dismissal = againstPeers(o.dismissalShare, confirmers.map((p) => p.dismissalShare), SHARE_MAD_FLOOR);
      const pooledConfirmed = confirmers.reduce((sum, p) => sum + p.confirmed, 0);
      const peerDismissalRate = share(confirmers.reduce((sum, p) => sum + p.confirmedThenCancelled, 0), pooledConfirmed);
      const { id, ...own } = o;
      return {
        id,
        facts: {
          ...own,
          peerCount: peers.length,
          peerAdverseMedian: adverse.median,
          peerAdverseMad: adverse.mad,
          adverseRobustZ: adverse.z,
          adversePValue: o.decisions > 0 ? binomialUpperTail(o.adverseActions, o.decisions, Math.min(1, Math.max(peerRate, 1e-6))) : 1,
          peerAdverseRate: peerRate,
          peerDismissalMedian: dismissal.median,
          peerDismissalRate,
          dismissalRobustZ: dismissal.z,
          dismissalPValue: o.confirmed > 0 ? binomialUpperTail(o.confirmedThenCancelled, o.confirmed, Math.min(1, Math.max(peerDismissalRate, 1e-6))) : 1,
          peerSpeedDowngradeMedian: speed.median,
          speedDowngradeRobustZ: speed.z,
          unitExpiredShare: share(unit.expired, unit.assigned),
          // Against the unit's own backlog: a unit-wide shortage lifts everyone together.
          expiredUnitRatio: unit.expired > 0 ? o.expiredShare / share(unit.expired, unit.assigned) : 0,
          peerExpiredMedian: expired.median,
          expiredRobustZ: expired.z,
        },
      };
    });
}
