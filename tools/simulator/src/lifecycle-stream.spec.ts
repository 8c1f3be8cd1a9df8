import { describe, expect, it } from 'vitest';
import { validateLifecycleEvent } from '@qadaga/contracts';
import { lifecycleEvents } from './lifecycle-stream.js';

describe('lifecycleEvents', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = [...lifecycleEvents({ source: 's', violations: 50, seed: 3 })];
    const b = [...lifecycleEvents({ source: 's', violations: 50, seed: 3 })];
    const c = [...lifecycleEvents({ source: 's', violations: 50, seed: 4 })];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('produces only events the ingest contract accepts, with unique ids', () => {
    const events = [...lifecycleEvents({ source: 's', violations: 300, seed: 1 })];
    for (const e of events) expect(validateLifecycleEvent(e)).toMatchObject({ ok: true });
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });

  it('mixes lifecycles like a city: most paid, some rejected and cancelled', () => {
    const events = [...lifecycleEvents({ source: 's', violations: 2_000, seed: 9 })];
    const count = (t: string) => events.filter((e) => e.type === t).length;
    expect(count('detected')).toBe(2_000);
    expect(count('paid') / 2_000).toBeGreaterThan(0.5);
    expect(count('rejected')).toBeGreaterThan(0);
    expect(count('cancelled')).toBeGreaterThan(0);
  });
});
