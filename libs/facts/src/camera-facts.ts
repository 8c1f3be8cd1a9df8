import { EVIDENCE_LIMIT, toNumber, type FactWindow, type Queryable, type SubjectFacts, type SubjectSelection } from './queryable.js';

/** Per camera: detections, how many were cancelled, and on how many distinct legal grounds. */
const CAMERA_SQL = `
WITH v AS (
  SELECT ref, camera_id, status FROM violation
  WHERE detected_at >= $1 AND detected_at < $2 AND camera_id IS NOT NULL AND ($4::boolean OR camera_id = ANY($3::text[]))
),
c AS (
  SELECT v.camera_id, (e.source || '|' || e.event_id) AS event_id, e.occurred_at, coalesce(e.payload->>'reference', e.payload->>'legalBasis') AS act
  FROM v JOIN ledger_event e ON e.violation_ref = v.ref AND e.type = 'cancelled'
),
det AS (SELECT camera_id, count(*) AS detections FROM v GROUP BY camera_id),
canc AS (
  SELECT camera_id, count(*) AS cancellations, count(DISTINCT act) AS acts,
    (array_agg(event_id ORDER BY occurred_at))[1:${EVIDENCE_LIMIT}] AS evidence
  FROM c GROUP BY camera_id
),
units AS (
  -- The unit whose officers review the camera's detections.
  SELECT DISTINCT ON (v.camera_id) v.camera_id, o.unit
  FROM v JOIN ledger_event e ON e.violation_ref = v.ref AND e.type = 'confirmed' JOIN officer o ON o.id = e.actor_id
  ORDER BY v.camera_id
)
SELECT det.camera_id, det.detections, coalesce(canc.cancellations, 0) AS cancellations, coalesce(canc.acts, 0) AS acts,
  coalesce(canc.evidence, '{}') AS evidence, units.unit
FROM det LEFT JOIN canc ON canc.camera_id = det.camera_id LEFT JOIN units ON units.camera_id = det.camera_id
`;

interface CameraRow {
  camera_id: string;
  detections: string;
  cancellations: string;
  acts: string;
  evidence: string[];
  unit: string | null;
}

export async function cameraFacts(db: Queryable, window: FactWindow, selection: SubjectSelection): Promise<SubjectFacts[]> {
  const ids = 'ids' in selection ? [...selection.ids] : [];
  const { rows } = await db.query<CameraRow>(CAMERA_SQL, [window.from, window.to, ids, 'all' in selection]);
  return rows.map((r) => ({
    id: r.camera_id,
    facts: {
      cameraId: r.camera_id,
      unit: r.unit ?? 'unknown',
      detections: toNumber(r.detections),
      cancellations: toNumber(r.cancellations),
      cancellationShare: toNumber(r.detections) > 0 ? toNumber(r.cancellations) / toNumber(r.detections) : 0,
      distinctLegalBases: toNumber(r.acts),
      evidenceEventIds: r.evidence,
    },
  }));
}
