import { binomialUpperTail } from '@qadaga/rules';
import { againstPeers, SHARE_MAD_FLOOR } from './peer-baseline.js';
import { EVIDENCE_LIMIT, toNumber, type FactWindow, type Queryable, type SubjectFacts, type SubjectSelection } from './queryable.js';

/**
 * Per-officer counts over the window, aggregated in one pass in PostgreSQL; the peer
 * baseline (median, MAD, robust z, binomial tail against the pooled peer rate) is then
 * computed here over the officers of the same unit and role. Peers are always computed
 * in full, even when only one officer is asked for, so a baseline never depends on
 * which subjects happened to be re-evaluated.
 */
const OFFICER_COUNTS_SQL = `
WITH listed AS (
  SELECT o.id, o.unit, o.role, o.shift, o.absences FROM officer o
  WHERE $4::boolean OR o.unit IN (SELECT unit FROM officer WHERE id = ANY($3::text[]))
  UNION ALL
  -- Officers the roster does not know (an imported log): judged against each other, with
  -- no shift or absence to check.
  SELECT DISTINCT ON (e.actor_id) e.actor_id, coalesce(e.actor_unit, 'unknown'), 'reviewer',
    '{"days": [1, 2, 3, 4, 5, 6, 7], "startHour": 0, "endHour": 24}'::jsonb, '[]'::jsonb
  FROM ledger_event e
  WHERE e.actor_kind = 'officer' AND e.type IN ('confirmed', 'rejected') AND e.occurred_at >= $1 AND e.occurred_at < $2
    AND ($4::boolean OR e.actor_id = ANY($3::text[]))
    AND NOT EXISTS (SELECT 1 FROM officer o WHERE o.id = e.actor_id)
),
-- The shift read out of its JSON once per officer, not once per decision.
scope AS (
  SELECT l.*, ARRAY(SELECT jsonb_array_elements_text(l.shift->'days'))::int[] AS shift_days,
    (l.shift->>'startHour')::int AS start_hour, (l.shift->>'endHour')::int AS end_hour
  FROM listed l
),
-- A confirmation later cancelled: the violation's last cancellation is at or after it. Only
-- cancellations from the window's start on can be, so one range of the type index serves.
last_cancel AS (
  SELECT c.violation_ref, max(c.occurred_at) AS at FROM ledger_event c
  WHERE c.type = 'cancelled' AND c.occurred_at >= $1 GROUP BY c.violation_ref
),
-- Decisions without their payloads: the few rows that need one (speed edits, emergency
-- rejections) read it below from the ledger directly, so the million-row pass stays narrow.
decisions AS (
  SELECT e.actor_id AS officer, e.type, e.occurred_at, e.actor_workstation, e.violation_ref, (e.source || '|' || e.event_id) AS event_id,
         (e.occurred_at AT TIME ZONE $5) AS local_at,
         lag(e.occurred_at) OVER w AS prev_at,
         lag(e.actor_workstation) OVER w AS prev_ws
  FROM ledger_event e JOIN scope s ON s.id = e.actor_id
  WHERE e.occurred_at >= $1 AND e.occurred_at < $2 AND e.type IN ('confirmed', 'rejected', 'cancelled', 'amended')
  WINDOW w AS (PARTITION BY e.actor_id ORDER BY e.occurred_at)
),
judged AS (
  SELECT d.*, s.shift_days, s.start_hour, s.end_hour, s.absences, lc.at AS last_cancel_at,
    EXTRACT(HOUR FROM d.local_at)::int AS hour,
    -- A night shift's early hours belong to the shift that started the day before.
    EXTRACT(ISODOW FROM CASE WHEN s.start_hour > s.end_hour AND EXTRACT(HOUR FROM d.local_at) < s.end_hour
                             THEN d.local_at - interval '1 day' ELSE d.local_at END)::int AS shift_day
  FROM decisions d JOIN scope s ON s.id = d.officer
  LEFT JOIN last_cancel lc ON lc.violation_ref = d.violation_ref AND d.type = 'confirmed'
),
speed AS (
  SELECT e.actor_id AS officer, (e.source || '|' || e.event_id) AS event_id,
    (e.payload->>'before')::numeric AS before, (e.payload->>'after')::numeric AS after,
    (det.payload->>'speedLimit')::numeric AS speed_limit
  FROM ledger_event e JOIN scope s ON s.id = e.actor_id
  LEFT JOIN LATERAL (SELECT payload FROM ledger_event x WHERE x.violation_ref = e.violation_ref AND x.type = 'detected' LIMIT 1) det ON true
  WHERE e.type = 'amended' AND e.occurred_at >= $1 AND e.occurred_at < $2 AND e.payload->>'field' = 'speed'
    AND jsonb_typeof(e.payload->'before') = 'number' AND jsonb_typeof(e.payload->'after') = 'number'
),
assigned AS (
  SELECT e.payload->>'officerId' AS officer, e.violation_ref
  FROM ledger_event e JOIN scope s ON s.id = e.payload->>'officerId'
  WHERE e.type = 'review_assigned' AND e.occurred_at >= $1 AND e.occurred_at < $2
),
emergency AS (
  SELECT e.actor_id AS officer,
    EXISTS (
      SELECT 1 FROM violation v JOIN dispatch p ON p.plate_key = v.plate_key
      WHERE v.ref = e.violation_ref AND v.detected_at BETWEEN p.from_at AND p.to_at
    ) AS dispatched
  FROM ledger_event e JOIN scope s ON s.id = e.actor_id
  WHERE e.type = 'rejected' AND e.occurred_at >= $1 AND e.occurred_at < $2 AND e.payload->>'reasonCode' = 'emergency_vehicle'
)
SELECT s.id, s.unit, s.role,
  count(*) FILTER (WHERE j.type IN ('confirmed', 'rejected')) AS decisions,
  count(*) FILTER (WHERE j.type = 'rejected') AS rejections,
  count(*) FILTER (WHERE j.type = 'cancelled') AS cancellations,
  count(*) FILTER (WHERE j.type = 'confirmed') AS confirmed,
  count(*) FILTER (WHERE j.type = 'confirmed' AND j.last_cancel_at >= j.occurred_at) AS confirmed_cancelled,
  count(*) FILTER (WHERE j.type IN ('confirmed', 'rejected', 'cancelled')
    AND NOT (j.shift_day = ANY (j.shift_days)
      AND CASE WHEN j.start_hour <= j.end_hour
               THEN j.hour >= j.start_hour AND j.hour < j.end_hour
               ELSE j.hour >= j.start_hour OR j.hour < j.end_hour END)) AS off_shift,
  count(*) FILTER (WHERE j.type IN ('confirmed', 'rejected', 'cancelled') AND j.hour < 6) AS night,
  count(*) FILTER (WHERE j.type IN ('confirmed', 'rejected') AND j.prev_at IS NOT NULL AND j.occurred_at - j.prev_at < interval '2 seconds') AS fast,
  count(*) FILTER (WHERE j.type IN ('confirmed', 'rejected', 'cancelled') AND EXISTS (
    SELECT 1 FROM jsonb_array_elements(j.absences) a
    WHERE j.occurred_at >= (a->>'from')::timestamptz AND (a->>'to' IS NULL OR j.occurred_at < (a->>'to')::timestamptz))) AS while_absent,
  count(*) FILTER (WHERE j.prev_ws IS NOT NULL AND j.actor_workstation IS NOT NULL AND j.prev_ws <> j.actor_workstation
    AND j.occurred_at - j.prev_at < interval '1 minute') AS ws_conflicts,
  max(sp.edits) AS speed_edits, max(sp.down_band) AS speed_down_band,
  max(a.assigned) AS assigned, max(a.expired) AS expired,
  max(m.emergency) AS emergency, max(m.undispatched) AS emergency_undispatched,
  (array_agg(j.event_id ORDER BY j.occurred_at) FILTER (WHERE j.type IN ('rejected', 'cancelled', 'amended')))[1:${EVIDENCE_LIMIT}] AS evidence
FROM scope s
LEFT JOIN judged j ON j.officer = s.id
LEFT JOIN (
  SELECT officer, count(*) AS edits,
    count(*) FILTER (WHERE after < before AND speed_limit IS NOT NULL AND EXISTS (
      SELECT 1 FROM unnest(ARRAY[10, 20, 40, 60]) AS edge
      WHERE before - speed_limit >= edge AND after - speed_limit >= edge - 3 AND after - speed_limit < edge)) AS down_band
  FROM speed GROUP BY officer
) sp ON sp.officer = s.id
LEFT JOIN (
  SELECT a.officer, count(*) AS assigned, count(*) FILTER (WHERE v.status = 'expired') AS expired
  FROM assigned a LEFT JOIN violation v ON v.ref = a.violation_ref GROUP BY a.officer
) a ON a.officer = s.id
LEFT JOIN (
  SELECT officer, count(*) AS emergency, count(*) FILTER (WHERE NOT dispatched) AS undispatched FROM emergency GROUP BY officer
) m ON m.officer = s.id
GROUP BY s.id, s.unit, s.role
`;

interface CountsRow {
  id: string;
  unit: string;
  role: string;
  decisions: string;
  rejections: string;
  cancellations: string;
  confirmed: string;
  confirmed_cancelled: string;
  off_shift: string;
  night: string;
  fast: string;
  while_absent: string;
  ws_conflicts: string;
  speed_edits: string;
  speed_down_band: string;
  assigned: string;
  expired: string;
  emergency: string;
  emergency_undispatched: string;
  evidence: string[] | null;
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

export async function officerFacts(db: Queryable, window: FactWindow, selection: SubjectSelection): Promise<SubjectFacts[]> {
  const ids = 'ids' in selection ? [...selection.ids] : [];
  const { rows } = await db.query<CountsRow>(OFFICER_COUNTS_SQL, [window.from, window.to, ids, 'all' in selection, window.timeZone]);
  const officers = rows.map((r) => {
    const decisions = toNumber(r.decisions);
    const rejections = toNumber(r.rejections);
    const cancellations = toNumber(r.cancellations);
    const acted = decisions + toNumber(r.cancellations);
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
      offShiftShare: share(toNumber(r.off_shift), acted),
      fastDecisions: toNumber(r.fast),
      fastDecisionShare: share(toNumber(r.fast), decisions),
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
