import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { canonicalEventForm, sha256Hex } from '@qadaga/domain/hashing';
import { eventFromCopyRowTail, ledgerCopyRowTail } from './copy-row.js';

describe('a ledger row tail', () => {
  it('gives back the event it was built from, with the same canonical form, escapes and absent fields included', () => {
    const events = [
      {
        source: 'cam',
        eventId: 'tab\there',
        violationRef: 'V\\1',
        type: 'detected',
        occurredAt: '2026-01-01T08:00:00.000Z',
        actor: { kind: 'camera', id: 'C\n1' },
        payload: { article: '592', plate: 'line\r\nbreak \\N', speed: 80.5, place: { lat: 43.2, lon: 76.9 } },
      },
      {
        source: 'reg',
        eventId: '\\N',
        violationRef: 'V-2',
        type: 'confirmed',
        occurredAt: '2026-01-01T08:00:00.000Z',
        recordedAt: '2026-01-01T08:00:01.500Z',
        actor: { kind: 'officer', id: 'OF-1', unit: 'U\t2', workstation: 'WS' },
        payload: {},
      },
    ] as LifecycleEvent[];
    for (const event of events) {
      const hash = sha256Hex(canonicalEventForm(event));
      const back = eventFromCopyRowTail(ledgerCopyRowTail(event, hash));
      expect(back).toEqual(event);
      expect(sha256Hex(canonicalEventForm(back))).toBe(hash);
    }
  });
});
