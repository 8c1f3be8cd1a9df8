import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '@qadaga/domain';
import { explainLifecycleEvent, validateCommonCase, validateLifecycleEvent } from './lifecycle-event.schema.js';

const officer = { kind: 'officer', id: 'OF-1', unit: 'AP-1', workstation: 'WS-1' };
const payloads: Record<(typeof EVENT_TYPES)[number], Record<string, unknown>> = {
  detected: {
    plate: '123 АВС 02', cameraId: 'CAM-7', article: '592.1', speed: 87, speedLimit: 60, vehicleClass: 'car',
    place: { lat: 43.24, lon: 76.9, district: 'Almaly', address: 'Abay 1' }, fine: { amount: 7384, mrp: 3692 }, mediaSha256: 'a'.repeat(64),
  },
  review_assigned: { officerId: 'OF-1', unit: 'AP-1', sourceActivity: 'Assign' },
  confirmed: { fine: { amount: 7384 } },
  rejected: { reasonCode: 'plate_misread', reasonText: 'blurred' },
  amended: { field: 'plate', before: '123ABC02', after: null, reason: 'typo' },
  notice_issued: { noticeNumber: 'N-1', fine: { amount: 7384 }, ownerRef: 'O-1', channel: 'egov' },
  notice_delivered: { noticeNumber: 'N-1', channel: 'post' },
  paid: { amount: 3692, discountApplied: true, paymentRef: 'P-1' },
  cancelled: { reasonCode: 'other', reasonText: 'court', legalBasis: 'art. 1', reference: 'R-1', effectiveAt: '2026-03-02T00:00:00+05:00' },
  appealed: { appealRef: 'A-1', body: 'court', reasonText: 'not me' },
  appeal_decided: { appealRef: 'A-1', outcome: 'upheld', amount: 0 },
  expired: {},
  sent_to_enforcement: { amountDue: 7384 },
};

const validEvents = EVENT_TYPES.map((type, i) => ({
  source: 'sergek-almaty',
  eventId: `e-${i}`,
  violationRef: 'V-1',
  type,
  occurredAt: i % 2 === 0 ? '2026-03-01T10:15:00+05:00' : '2026-03-01T05:15:00.123Z',
  ...(i % 3 === 0 ? { recordedAt: '2026-03-01T10:16:00.5+05:00' } : {}),
  actor: i % 2 === 0 ? officer : { kind: 'camera', id: 'CAM-7' },
  payload: payloads[type],
}));

const badValues: unknown[] = [undefined, null, '', 'x'.repeat(301), 'a\u0000b', 12, true, {}, [], '2026-02-30T10:00:00+05:00', '2026-03-01T10:00:00', '2999-01-01T00:00:00Z', 'vanished', 'Upper Case'];

/** Every field of an event (envelope, actor, payload), replaced by every bad value, removed, and joined by an unknown field. */
function* mutations(event: Record<string, unknown>): Generator<unknown> {
  const at = (path: string[], value: unknown, remove = false): unknown => {
    const copy = structuredClone(event);
    let target = copy as Record<string, unknown>;
    for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
    const last = path.at(-1) as string;
    if (remove) delete target[last];
    else target[last] = value;
    return copy;
  };
  const paths: string[][] = [];
  const walk = (value: Record<string, unknown>, prefix: string[]) => {
    for (const [key, v] of Object.entries(value)) {
      paths.push([...prefix, key]);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) walk(v as Record<string, unknown>, [...prefix, key]);
    }
  };
  walk(event, []);
  for (const path of paths) {
    for (const value of badValues) yield at(path, value);
    yield at(path, undefined, true);
    yield at([...path.slice(0, -1), 'unexpected'], 1);
  }
  yield null;
  yield [event];
  yield 'event';
}

describe('the common-case path of validation', () => {
  it('takes every valid event of every type, answering exactly what the full schema answers', () => {
    for (const event of validEvents) {
      const fast = validateCommonCase(event);
      expect(fast, event.type).toBeDefined();
      expect({ ok: true, event: fast }).toEqual(explainLifecycleEvent(event));
    }
  });

  it('never accepts what the full schema refuses, and answers every input as the full schema does', () => {
    let refused = 0;
    for (const event of validEvents) {
      for (const input of mutations(event)) {
        const full = explainLifecycleEvent(input);
        const fast = validateCommonCase(input);
        if (!full.ok) refused += 1;
        if (fast !== undefined) expect(full).toEqual({ ok: true, event: fast });
        expect(validateLifecycleEvent(input)).toEqual(full);
      }
    }
    expect(refused).toBeGreaterThan(1_000);
  });
});
