import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from './events.js';
import { GENESIS_HASH, canonicalEventForm, chainLink, contentHash, referenceCanonicalEventForm } from './hashing.js';

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

describe('the fast canonical form', () => {
  const variants: Record<string, unknown>[] = [
    { amount: 0.1, paymentRef: 'P-1' },
    { amount: 1e21, small: 1e-7, negativeZero: -0, big: 123456789012345680000, exp: 5e-324 },
    { 'Zebra': 1, 'apple': 2, 'Äpfel': 3, 'é': 4, '\u{1F600}': 5, '\uFF5E': 6, 'a b': 7, '': 8 },
    { text: 'quote " backslash \\ tab \t newline \n nul-free \u001f emoji \u{1F697} cyrillic Қ', 'ключ': 'значение' },
    { nested: { z: [3, { b: 1, a: [true, false, null] }], a: {} }, list: [] },
    { before: null, after: 'x', discountApplied: true },
  ];

  it.each(variants)('equals the generic RFC 8785 canonicaliser byte for byte (%#)', (payload) => {
    const e = { ...event, recordedAt: '2026-01-02T00:00:00.000Z', actor: { workstation: 'W', unit: 'U', kind: 'officer', id: 'O' }, payload } as unknown as LifecycleEvent;
    expect(canonicalEventForm(e)).toBe(referenceCanonicalEventForm(e));
  });

  it('hands integer-like keys, non-plain values and undefined members to the reference', () => {
    const odd = [
      { '10': 'a', '9': 'b', '1x': 'c' },
      { when: new Date(Date.UTC(2026, 0, 1)) },
      { skipped: undefined, kept: 1 },
      { literal: 'C:\\udir' },
    ];
    for (const payload of odd) {
      const e = { ...event, payload } as unknown as LifecycleEvent;
      expect(canonicalEventForm(e)).toBe(referenceCanonicalEventForm(e));
    }
  });

  it('refuses what RFC 8785 refuses: lone surrogates and non-finite numbers', () => {
    const withPayload = (payload: Record<string, unknown>) => ({ ...event, payload }) as unknown as LifecycleEvent;
    expect(() => canonicalEventForm(withPayload({ text: 'x\uD800y' }))).toThrow();
    expect(() => canonicalEventForm(withPayload({ amount: Number.NaN }))).toThrow();
    expect(() => canonicalEventForm(withPayload({ amount: Number.POSITIVE_INFINITY }))).toThrow();
  });
});
