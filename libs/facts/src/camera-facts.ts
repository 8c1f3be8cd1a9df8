import { EVIDENCE_LIMIT, toNumber, type FactWindow, type Queryable, type SubjectFacts, type SubjectSelection } from './queryable.js';

/** Per camera: detections, how many were cancelled, and on how many distinct legal grounds. */
const CAMERA_SQL = `
WITH v AS (
  SELECT ref, camera_id, status FROM violation
  WHERE detected_at >= $1 AND detected_at < $2 AND camera_id IS NOT NULL AND ($4::boolean OR camera_id = ANY($3::text[]))
),
c AS (
  SELECT v.camera_id, e.event_id, e.occurred_at, coalesce(e.payload->>'reference', e.payload->>'legalBasis') AS act
  FROM v JOIN ledger_event e ON e.violation_ref = v.ref AND e.type = 'cancelled'
)
SELECT v.camera_id, count(*) AS detections,
  (SELECT count(*) FROM c WHERE c.camera_id = v.camera_id) AS cancellations,
  (SELECT count(DISTINCT act) FROM c WHERE c.camera_id = v.camera_id) AS acts,
  (SELECT coalesce(array_agg(x.event_id), '{}') FROM (SELECT event_id FROM c WHERE c.camera_id = v.camera_id ORDER BY occurred_at LIMIT ${EVIDENCE_LIMIT}) x) AS evidence,
  (SELECT unit FROM officer o JOIN ledger_event e ON e.actor_id = o.id JOIN violation w ON w.ref = e.violation_ref
     WHERE w.camera_id = v.camera_id AND e.type = 'confirmed' LIMIT 1) AS unit
FROM v GROUP BY v.camera_id
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
