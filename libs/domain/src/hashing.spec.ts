import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from './events.js';
import { GENESIS_HASH, canonicalEventForm, chainLink, contentHash } from './hashing.js';

const event: LifecycleEvent = {
  source: 'cam',
  eventId: 'e1',
  violationRef: 'V1',
  type: 'paid',
  occurredAt: '2026-01-01T00:00:00.000Z',
  actor: { kind: 'treasury', id: 'T' },
  payload: { amount: 3692, paymentRef: 'P-1' },
};

describe('canonical hashing', () => {
  it('does not depend on key order', () => {
    const reordered = { payload: { paymentRef: 'P-1', amount: 3692 }, actor: { id: 'T', kind: 'treasury' }, type: 'paid', occurredAt: event.occurredAt, violationRef: 'V1', eventId: 'e1', source: 'cam' } as LifecycleEvent;
    expect(contentHash(reordered)).toBe(contentHash(event));
  });

  it('changes when any reported value changes', () => {
    expect(contentHash({ ...event, payload: { amount: 3691, paymentRef: 'P-1' } })).not.toBe(contentHash(event));
    expect(contentHash({ ...event, occurredAt: '2026-01-01T00:00:00.001Z' })).not.toBe(contentHash(event));
  });

  it('produces RFC 8785 canonical JSON', () => {
    expect(canonicalEventForm(event)).toBe(
      '{"actor":{"id":"T","kind":"treasury"},"eventId":"e1","occurredAt":"2026-01-01T00:00:00.000Z","payload":{"amount":3692,"paymentRef":"P-1"},"source":"cam","type":"paid","violationRef":"V1"}',
    );
  });

  it('binds each link to its position and predecessor', () => {
    const h = contentHash(event);
    const first = chainLink(1n, GENESIS_HASH, h);
    expect(first).toMatch(/^[0-9a-f]{64}$/u);
    expect(chainLink(2n, GENESIS_HASH, h)).not.toBe(first);
    expect(chainLink(1n, first, h)).not.toBe(first);
  });
});
