import type { TestApp } from '../testing/test-app.js';

/**
 * A small city for the read-model tests: two units, two cameras, one vehicle whose plate
 * arrives in Latin and Cyrillic letters, and violations decided by named officers.
 */
export const REFERENCE = {
  sources: [{ code: 'sergek-almaty', name: 'Sergek, Almaty', kind: 'camera' }],
  officers: [
    { id: 'OF-1', unit: 'U-1', role: 'reviewer', shift: { days: [1, 2, 3, 4, 5, 6, 7], startHour: 0, endHour: 24 }, absences: [] },
    { id: 'OF-2', unit: 'U-1', role: 'reviewer', shift: { days: [1, 2, 3, 4, 5, 6, 7], startHour: 0, endHour: 24 }, absences: [] },
    { id: 'OF-3', unit: 'U-1', role: 'reviewer', shift: { days: [1, 2, 3, 4, 5, 6, 7], startHour: 0, endHour: 24 }, absences: [] },
    { id: 'OF-9', unit: 'U-2', role: 'reviewer', shift: { days: [1, 2, 3, 4, 5, 6, 7], startHour: 0, endHour: 24 }, absences: [] },
  ],
  vehicles: [{ plate: '123ABC02', kind: 'private' }],
  cameras: [
    { id: 'CAM-A', district: 'Almaly', lat: 43.2512, lon: 76.9456 },
    { id: 'CAM-B', district: 'Bostandyq', lat: 43.2031, lon: 76.8912 },
  ],
  dispatches: [],
};

const PLACE: Record<string, { lat: number; lon: number; district: string }> = {
  'CAM-A': { lat: 43.2512, lon: 76.9456, district: 'Almaly' },
  'CAM-B': { lat: 43.2031, lon: 76.8912, district: 'Bostandyq' },
  // Not in the register: known only from what it reports.
  'CAM-C': { lat: 43.2605, lon: 76.9301, district: 'Almaly' },
};

export interface Story {
  ref: string;
  camera: string;
  plate: string;
  detectedAt: string;
  officer: string;
  unit: string;
  decision: 'confirmed' | 'rejected';
  decidedAt: string;
  cancelledAt?: string;
  amendedAt?: string;
}

/** The lifecycle events of one violation, as the camera system and the review desk report them. */
export function storyEvents(s: Story): Record<string, unknown>[] {
  const officer = { kind: 'officer', id: s.officer, unit: s.unit };
  const events: Record<string, unknown>[] = [
    {
      source: 'sergek-almaty', eventId: `${s.ref}-d`, violationRef: s.ref, type: 'detected', occurredAt: s.detectedAt,
      actor: { kind: 'camera', id: s.camera },
      payload: { plate: s.plate, cameraId: s.camera, place: PLACE[s.camera], article: '592.1', speed: 87, speedLimit: 60 },
    },
    {
      source: 'sergek-almaty', eventId: `${s.ref}-r`, violationRef: s.ref, type: s.decision, occurredAt: s.decidedAt, actor: officer,
      payload: s.decision === 'rejected' ? { reasonCode: 'camera_error' } : {},
    },
  ];
  if (s.amendedAt !== undefined) {
    events.push({ source: 'sergek-almaty', eventId: `${s.ref}-a`, violationRef: s.ref, type: 'amended', occurredAt: s.amendedAt, actor: officer, payload: { field: 'article', before: '592.1', after: '592.2' } });
  }
  if (s.cancelledAt !== undefined) {
    events.push({ source: 'sergek-almaty', eventId: `${s.ref}-x`, violationRef: s.ref, type: 'cancelled', occurredAt: s.cancelledAt, actor: officer, payload: { reasonCode: 'appeal_granted', legalBasis: 'art. 826' } });
  }
  return events;
}

export async function ingest(t: TestApp, events: Record<string, unknown>[]): Promise<void> {
  const res = await t.app.inject({
    method: 'POST', url: '/v1/events/batch', headers: { authorization: `Bearer ${t.keys.source}`, 'content-type': 'application/json' }, payload: JSON.stringify(events),
  });
  if (res.statusCode >= 300) throw new Error(`ingest answered ${res.statusCode}: ${res.body.slice(0, 500)}`);
  const body = res.json() as { summary: { accepted: number } };
  if (body.summary.accepted !== events.length) throw new Error(`ingest accepted ${body.summary.accepted} of ${events.length}: ${res.body.slice(0, 800)}`);
}

export async function loadReference(t: TestApp): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/reference', headers: { authorization: `Bearer ${t.keys.admin}` }, payload: REFERENCE });
  if (res.statusCode >= 300) throw new Error(`reference answered ${res.statusCode}: ${res.body.slice(0, 500)}`);
}

let flagCounter = 0;
/** A flag as the rule runner stores it; only the fields the read models show matter here. */
export async function insertFlag(t: TestApp, f: { subjectKind: string; subjectId: string; status?: string; severity?: string; district?: string; unit?: string }): Promise<string> {
  flagCounter += 1;
  const { rows } = await t.pool.query<{ id: string }>(
    `INSERT INTO flag (id, rule_id, rule_version, scheme, subject_kind, subject_id, status, severity, score, explanation, facts, baseline, evidence, unit, district, window_from, window_to)
     VALUES (gen_random_uuid(), $1, 1, 'officer_outlier_rate', $2, $3, $4, $5, $6, '{"en": "test flag"}', '{}', '{}', '[]', $7, $8, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')
     RETURNING id`,
    [`rule-${flagCounter}`, f.subjectKind, f.subjectId, f.status ?? 'new', f.severity ?? 'high', flagCounter, f.unit ?? null, f.district ?? null],
  );
  return rows[0]?.id ?? '';
}
