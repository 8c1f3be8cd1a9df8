import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { canonicalEventForm } from '@qadaga/domain/hashing';
import type { CopyRow } from './copy-text.js';
import { isoTimestamp } from './copy-text.js';
import { canonicalRowForm } from './fast-canonical.js';

function rowOf(event: LifecycleEvent): CopyRow {
  return {
    id: '1',
    chainId: `${event.source}/0`,
    chainSeq: '1',
    source: event.source,
    eventId: event.eventId,
    violationRef: event.violationRef,
    type: event.type,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt ?? null,
    actorKind: event.actor.kind,
    actorId: event.actor.id,
    actorUnit: event.actor.unit ?? null,
    actorWorkstation: event.actor.workstation ?? null,
    payload: JSON.stringify(event.payload),
    contentHash: '',
    chainHash: '',
  };
}

const base = {
  source: 'cam-a',
  eventId: 'E-1',
  violationRef: 'V-1',
  type: 'detected',
  occurredAt: '2026-01-01T00:00:00.000Z',
  actor: { kind: 'camera', id: 'C1' },
} as const;

const payloads: Record<string, unknown>[] = [
  { plate: '123ABC02', speed: 80, place: { lon: 76.9, lat: 43.25, district: 'Алмалы' }, fine: { mrp: 3692, amount: 7384 } },
  { b: [3, { z: 1, a: [null, true, false] }], a: 'line\nbreak "quoted" \\ tab\t', é: 1, e: 2, E: 3, '': 0 },
  { big: 1e21, small: 1e-7, negativeZero: -0, fraction: 0.1 + 0.2, max: Number.MAX_SAFE_INTEGER },
  { emoji: '🚓 полиция', '😀key': 'astral keys sort by UTF-16 code units', 'ｚ': 'fullwidth' },
  // Integer-like keys are enumerated numerically by the engine; the form must still sort them as strings.
  { 10: 'ten', 2: 'two', 1: 'one', nested: { 3: 'x', a: 'y' } },
  JSON.parse('{"__proto__": {"polluted": true}, "plain": 1}') as Record<string, unknown>,
  {},
];

describe('canonical form of a streamed row', () => {
  it.each(payloads.map((payload, i) => [i, payload] as const))('equals the domain canonical form (payload %i)', (_, payload) => {
    const plain = { ...base, payload } as unknown as LifecycleEvent;
    expect(canonicalRowForm(rowOf(plain))).toBe(canonicalEventForm(plain));
    const full = {
      ...base,
      recordedAt: '2026-01-02T03:04:05.678Z',
      actor: { kind: 'officer', id: 'OF-1', unit: 'AP-1', workstation: 'WS-9' },
      payload,
    } as unknown as LifecycleEvent;
    expect(canonicalRowForm(rowOf(full))).toBe(canonicalEventForm(full));
  });

  it('rewrites PostgreSQL timestamps to the ISO form node-postgres dates give', () => {
    for (const [pgText, iso] of [
      ['2026-01-01 00:00:00+00', '2026-01-01T00:00:00.000Z'],
      ['2026-01-01 00:00:00.5+00', '2026-01-01T00:00:00.500Z'],
      ['2025-12-31 23:59:59.123+00', '2025-12-31T23:59:59.123Z'],
      ['2026-03-01 05:00:00+05', '2026-03-01T00:00:00.000Z'],
    ] as const) {
      expect(isoTimestamp(pgText)).toBe(iso);
    }
  });
});
