import { describe, expect, it } from 'vitest';
import { canonicalEventForm } from '@qadaga/domain/hashing';
import { eventOfLine } from '../bundle/event-format.js';
import { canonicalEventOfLine } from './canonical-event.js';

const base = {
  chainId: 'cam/0',
  chainSeq: 3,
  source: 'cam',
  eventId: 'e-1',
  violationRef: 'V1',
  type: 'detected',
  occurredAt: '2026-01-05T08:00:00.000Z',
  actor: { kind: 'camera', id: 'C1' },
  payload: { article: '592' },
  contentHash: 'x',
  chainHash: 'y',
};

/** Lines as they come out of JSON.parse, covering what could make JSON.stringify and JCS differ. */
const cases: [string, Record<string, unknown>][] = [
  ['a plain event', base],
  ['recorded-at and a full actor', { ...base, recordedAt: '2026-01-05T09:00:00.000Z', actor: { workstation: 'W-7', unit: 'U1', kind: 'officer', id: 'O7' } }],
  ['nested payload, arrays and numbers', { ...base, payload: { z: [3, { b: 1e21, a: -0 }, null], fine: { mrp: 3.5, amount: 1e-7 }, speed: 0.1 + 0.2, ok: true } }],
  ['Cyrillic, Kazakh, emoji and escapes', { ...base, payload: { address: 'Алматы, Әл-Фараби д. 7 «Б»', note: 'quote " backslash \\ tab \t nl \n', e: '🚗', ctl: '\u0001' } }],
  ['keys that sort by code unit, not by locale', { ...base, payload: { b: 1, B: 2, a: 3, _: 4, é: 5, e: 6, '\u20ac': 7, '\ud83d\ude00': 8 } }],
  ['integer-like keys (handed to the reference)', { ...base, payload: { 10: 'a', 9: 'b', x: 'c' } }],
  ['a backslash-u in text (handed to the reference)', { ...base, payload: { path: 'C:\\ud\\x' } }],
  ['a missing field', { ...base, violationRef: undefined }],
  ['a field of the wrong type', { ...base, eventId: 42, actor: 'camera' }],
];

describe('the canonical form of an events.ndjson line', () => {
  it.each(cases)('matches the domain reference: %s', (_name, line) => {
    const parsed = JSON.parse(JSON.stringify(line)) as Record<string, unknown>;
    expect(canonicalEventOfLine(parsed)).toBe(canonicalEventForm(eventOfLine(parsed)));
  });

  it('refuses a lone surrogate exactly as the reference does', () => {
    const parsed = JSON.parse(JSON.stringify({ ...base, payload: { bad: '\ud800' } })) as Record<string, unknown>;
    expect(() => canonicalEventForm(eventOfLine(parsed))).toThrow();
    expect(() => canonicalEventOfLine(parsed)).toThrow();
  });
});
