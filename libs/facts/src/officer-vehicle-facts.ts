import { hypergeometricUpperTail } from '@qadaga/statistics';
import { EVIDENCE_LIMIT, toNumber, type FactWindow, type Queryable, type SubjectFacts, type SubjectSelection } from './queryable.js';

/**
 * Officer and plate pairs: how often one officer rejected or cancelled one plate. Under
 * random queue assignment, the officer's adverse actions are a draw from the unit's
 * work; the hypergeometric tail says how unlikely it is that so many of them fell on
 * this plate. Subject ids are "officerId|plateKey". Only pairs with two or more such
 * actions are considered: one cancellation of a plate is never favouritism.
 */
const PAIR_SQL = `
WITH adverse AS (
  SELECT e.actor_id AS officer, v.plate_key, (e.source || '|' || e.event_id) AS event_id, e.occurred_at
  FROM ledger_event e JOIN violation v ON v.ref = e.violation_ref
  WHERE e.type IN ('rejected', 'cancelled') AND e.actor_kind IN ('officer', 'supervisor')
    AND e.occurred_at >= $1 AND e.occurred_at < $2 AND v.plate_key IS NOT NULL
),
pairs AS (
  SELECT officer, plate_key, count(*) AS n, array_agg(event_id ORDER BY occurred_at) AS events
  FROM adverse
  WHERE $4::boolean OR (officer || '|' || plate_key) = ANY($3::text[])
  GROUP BY officer, plate_key HAVING count(*) >= 2
),
officer_totals AS (
  SELECT officer, count(*) AS adverse FROM adverse WHERE officer IN (SELECT officer FROM pairs) GROUP BY officer
),
-- Every actor's decisions of the window, read once: an officer's own reviews and, summed over
-- its officers, the unit's decided detections (the population its actions were drawn from).
actor_decisions AS (
  SELECT actor_id, count(*) AS decided, count(*) FILTER (WHERE type IN ('confirmed', 'rejected')) AS reviewed
  FROM ledger_event
  WHERE type IN ('confirmed', 'rejected', 'cancelled') AND occurred_at >= $1 AND occurred_at < $2
  GROUP BY actor_id
),
unit_decisions AS (
  SELECT p.unit, sum(a.decided) AS n FROM actor_decisions a JOIN officer p ON p.id = a.actor_id
  WHERE p.unit IN (SELECT o.unit FROM officer o WHERE o.id IN (SELECT officer FROM pairs))
  GROUP BY p.unit
),
officer_decisions AS (
  SELECT actor_id AS officer, reviewed AS n FROM actor_decisions WHERE actor_id IN (SELECT officer FROM pairs) AND reviewed > 0
),
plate_in_unit AS (
  SELECT v.plate_key, q.unit, count(*) AS n FROM violation v
  JOIN ledger_event a ON a.violation_ref = v.ref AND a.type IN ('confirmed', 'rejected', 'cancelled')
  JOIN officer q ON q.id = a.actor_id
  WHERE v.plate_key IN (SELECT plate_key FROM pairs) AND a.occurred_at >= $1 AND a.occurred_at < $2
  GROUP BY v.plate_key, q.unit
)
SELECT p.officer, p.plate_key, p.n, t.adverse AS officer_adverse, o.role, ud.n AS unit_decisions, od.n AS officer_decisions,
  pu.n AS plate_in_unit, p.events[1:${EVIDENCE_LIMIT}] AS evidence
FROM pairs p
JOIN officer_totals t ON t.officer = p.officer
LEFT JOIN officer o ON o.id = p.officer
LEFT JOIN unit_decisions ud ON ud.unit = o.unit
LEFT JOIN officer_decisions od ON od.officer = p.officer
LEFT JOIN plate_in_unit pu ON pu.plate_key = p.plate_key AND pu.unit = o.unit
`;

interface PairRow {
  officer: string;
  plate_key: string;
  n: string;
  officer_adverse: string;
  role: string | null;
  unit_decisions: string | null;
  officer_decisions: string | null;
  plate_in_unit: string | null;
  evidence: string[];
}

export async function officerVehicleFacts(db: Queryable, window: FactWindow, selection: SubjectSelection): Promise<SubjectFacts[]> {
  const ids = 'ids' in selection ? [...selection.ids] : [];
  const { rows } = await db.query<PairRow>(PAIR_SQL, [window.from, window.to, ids, 'all' in selection]);
  return rows.map((r) => {
    const k = toNumber(r.n);
    const draws = toNumber(r.officer_adverse);
    const population = Math.max(toNumber(r.unit_decisions), draws);
    const successes = Math.min(Math.max(toNumber(r.plate_in_unit), k), population);
    return {
      id: `${r.officer}|${r.plate_key}`,
      facts: {
        officerId: r.officer,
        plateKey: r.plate_key,
        officerRole: r.role ?? 'unknown',
        cancellationsOfPlate: k,
        plateDetections: toNumber(r.plate_in_unit),
        officerCancellations: draws,
        officerDecisions: toNumber(r.officer_decisions),
        plateShareInOfficerQueue: draws > 0 ? k / draws : 0,
        favouritismPValue: hypergeometricUpperTail(k, population, successes, draws),
        evidenceEventIds: r.evidence,
      },
    };
  });
}
