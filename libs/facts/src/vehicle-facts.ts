import { binomialUpperTail } from '@qadaga/statistics';
import { EVIDENCE_LIMIT, toNumber, type FactWindow, type Queryable, type SubjectFacts, type SubjectSelection } from './queryable.js';

/**
 * Per plate (the normalised key, so look-alike spellings are one vehicle): detections in
 * the window, how many ended rejected or cancelled, and the binomial tail of that count
 * under the city's rate. A sweep only considers plates with at least one adverse
 * outcome: a vehicle none of whose fines vanished cannot be a protected plate.
 */
const VEHICLE_SQL = `
WITH v AS (
  SELECT ref, plate_key, status FROM violation
  WHERE detected_at >= $1 AND detected_at < $2 AND plate_key IS NOT NULL
),
city AS (
  SELECT count(*) AS n, count(*) FILTER (WHERE status IN ('rejected', 'cancelled')) AS adverse FROM v
),
per AS (
  SELECT plate_key, count(*) AS detections, count(*) FILTER (WHERE status IN ('rejected', 'cancelled')) AS adverse
  FROM v WHERE $4::boolean OR plate_key = ANY($3::text[])
  GROUP BY plate_key
  HAVING NOT $4::boolean OR count(*) FILTER (WHERE status IN ('rejected', 'cancelled')) > 0
),
adv AS (
  SELECT v.plate_key, e.actor_id, (e.source || '|' || e.event_id) AS event_id, e.occurred_at, e.type
  FROM per JOIN v ON v.plate_key = per.plate_key
  JOIN ledger_event e ON e.violation_ref = v.ref AND e.type IN ('detected', 'rejected', 'cancelled')
),
agg AS (
  SELECT plate_key,
    count(DISTINCT actor_id) FILTER (WHERE type IN ('rejected', 'cancelled')) AS distinct_officers,
    (array_agg(event_id ORDER BY occurred_at))[1:${EVIDENCE_LIMIT}] AS evidence
  FROM adv GROUP BY plate_key
)
SELECT per.plate_key, per.detections, per.adverse, city.n AS city_n, city.adverse AS city_adverse,
  veh.kind AS vehicle_kind, veh.plate_key IS NOT NULL AS registered,
  coalesce(agg.distinct_officers, 0) AS distinct_officers, coalesce(agg.evidence, '{}') AS evidence
FROM per CROSS JOIN city LEFT JOIN agg ON agg.plate_key = per.plate_key LEFT JOIN vehicle veh ON veh.plate_key = per.plate_key
`;

interface VehicleRow {
  plate_key: string;
  detections: string;
  adverse: string;
  city_n: string;
  city_adverse: string;
  vehicle_kind: string | null;
  registered: boolean;
  distinct_officers: string;
  evidence: string[];
}

export async function vehicleFacts(db: Queryable, window: FactWindow, selection: SubjectSelection): Promise<SubjectFacts[]> {
  const ids = 'ids' in selection ? [...selection.ids] : [];
  const { rows } = await db.query<VehicleRow>(VEHICLE_SQL, [window.from, window.to, ids, 'all' in selection]);
  return rows.map((r) => {
    const detections = toNumber(r.detections);
    const adverse = toNumber(r.adverse);
    const cityRate = toNumber(r.city_n) > 0 ? toNumber(r.city_adverse) / toNumber(r.city_n) : 0;
    return {
      id: r.plate_key,
      facts: {
        plateKey: r.plate_key,
        vehicleKind: r.vehicle_kind ?? 'unknown',
        registered: r.registered,
        detections,
        adverse,
        adverseShare: detections > 0 ? adverse / detections : 0,
        cityAdverseRate: cityRate,
        adversePValue: detections > 0 ? binomialUpperTail(adverse, detections, Math.max(cityRate, 1e-6)) : 1,
        distinctOfficers: toNumber(r.distinct_officers),
        evidenceEventIds: r.evidence,
      },
    };
  });
}
