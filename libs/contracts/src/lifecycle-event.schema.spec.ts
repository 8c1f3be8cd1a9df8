import { describe, expect, it } from 'vitest';
import { validateLifecycleEvent } from './lifecycle-event.schema.js';

const valid = {
  source: 'sergek-almaty',
  eventId: 'e-1',
  violationRef: 'V-1',
  type: 'detected',
  occurredAt: '2026-03-01T10:15:00+05:00',
  actor: { kind: 'camera', id: 'CAM-7' },
  payload: { plate: '123 АВС 02', article: '592.1', speed: 87, speedLimit: 60, place: { lat: 43.24, lon: 76.9, district: 'Almaly' } },
};

function errorsOf(input: unknown) {
  const result = validateLifecycleEvent(input);
  if (result.ok) throw new Error('expected a rejection');
  return result.errors;
}

describe('validateLifecycleEvent', () => {
  it('accepts a valid event and normalises its instant to UTC', () => {
    const result = validateLifecycleEvent(valid);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.event.occurredAt).toBe('2026-03-01T05:15:00.000Z');
  });

  it('names every missing field at once', () => {
    const paths = errorsOf({ type: 'detected', payload: {} }).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['source', 'eventId', 'violationRef', 'occurredAt', 'actor', 'payload.article']));
  });

  it('takes a place by its district or address alone, and coordinates only in pairs', () => {
    const withPlace = (place: unknown) => validateLifecycleEvent({ ...valid, payload: { ...valid.payload, place } });
    expect(withPlace({ district: 'Almaly' }).ok).toBe(true);
    expect(withPlace({ address: 'Abay 1' }).ok).toBe(true);
    expect(errorsOf({ ...valid, payload: { ...valid.payload, place: { lat: 43.2, district: 'Almaly' } } })).toEqual([
      { path: 'payload.place.lon', message: 'lat and lon go together: give both or neither' },
    ]);
    expect(errorsOf({ ...valid, payload: { ...valid.payload, place: {} } })).toEqual([
      { path: 'payload.place', message: 'a place needs coordinates (lat and lon), a district or an address' },
    ]);
  });

  it('refuses an unknown event type with the list of known ones', () => {
    const [error] = errorsOf({ ...valid, type: 'vanished' });
    expect(error?.path).toBe('type');
    expect(error?.message).toMatch(/must be one of: detected/u);
  });

  it('refuses wrong types with the field path', () => {
    const errors = errorsOf({ ...valid, payload: { ...valid.payload, speed: '87' } });
    expect(errors).toEqual([{ path: 'payload.speed', message: expect.stringMatching(/number/u) }]);
  });

  it('refuses impossible calendar dates, missing offsets and future instants', () => {
    expect(errorsOf({ ...valid, occurredAt: '2026-02-30T10:00:00+05:00' })[0]?.message).toMatch(/not a real calendar/u);
    expect(errorsOf({ ...valid, occurredAt: '2026-03-01T10:00:00' })[0]?.message).toMatch(/with an offset/u);
    expect(errorsOf({ ...valid, occurredAt: '2999-01-01T00:00:00Z' })[0]?.message).toMatch(/outside the possible range/u);
  });

  it('knows leap years, and gives every accepted instant in the form toISOString writes', () => {
    const at = (occurredAt: string) => validateLifecycleEvent({ ...valid, occurredAt });
    expect(errorsOf({ ...valid, occurredAt: '2025-02-29T10:00:00.000Z' })[0]?.message).toMatch(/not a real calendar/u);
    expect(errorsOf({ ...valid, occurredAt: '2100-02-29T10:00:00.000Z' })[0]?.message).toMatch(/not a real calendar/u);
    expect(errorsOf({ ...valid, occurredAt: '2025-04-31T10:00:00.000Z' })[0]?.message).toMatch(/not a real calendar/u);
    for (const [input, iso] of [
      ['2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.999Z'],
      ['2000-02-29T00:00:00.000Z', '2000-02-29T00:00:00.000Z'],
      ['2024-12-31T23:30:00.5Z', '2024-12-31T23:30:00.500Z'],
      ['2024-12-31T23:30:00.123456Z', '2024-12-31T23:30:00.123Z'],
      ['2025-01-01T04:30:00.000+05:00', '2024-12-31T23:30:00.000Z'],
      ['2025-01-01T00:00Z', '2025-01-01T00:00:00.000Z'],
    ]) {
      const result = at(input as string);
      expect(result.ok && result.event.occurredAt, input).toBe(iso);
    }
  });

  it('names unknown fields instead of dropping them', () => {
    const errors = errorsOf({ ...valid, payload: { ...valid.payload, sped: 3 } });
    expect(errors).toEqual([{ path: 'payload.sped', message: 'unknown field' }]);
  });

  it('refuses NUL characters that the database could not store', () => {
    expect(errorsOf({ ...valid, eventId: 'a\u0000b' })[0]).toMatchObject({ path: 'eventId' });
  });

  it('checks the payload against its own type', () => {
    const errors = errorsOf({ ...valid, type: 'rejected', payload: { reasonCode: 'bribe' } });
    expect(errors[0]?.path).toBe('payload.reasonCode');
  });

  it('refuses a non-object', () => {
    expect(errorsOf([1, 2])).toEqual([{ path: '(event)', message: 'must be a JSON object' }]);
  });
});
