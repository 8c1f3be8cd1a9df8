import type { LifecycleEvent } from '@qadaga/domain';
import { Rng } from './random.js';

/**
 * A deterministic stream of realistic lifecycles for load tests: detection, queueing,
 * review, notice, and then payment, cancellation or appeal in city-like proportions.
 * (The full city with injected schemes is the simulator's job; this only has to look
 * like real traffic to the ingest path.)
 */

const LETTERS = 'ABCEHKMOPTXY';
const DISTRICTS = ['Almaly', 'Auezov', 'Bostandyk', 'Zhetysu', 'Medeu', 'Nauryzbay', 'Turksib', 'Alatau'];

export function* lifecycleEvents(options: { source: string; violations: number; seed?: number; prefix?: string }): Generator<LifecycleEvent> {
  const rng = new Rng(options.seed ?? 1);
  const rnd = () => rng.next();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const base = Date.UTC(2025, 0, 1);
  const prefix = options.prefix ?? 'B';
  for (let v = 0; v < options.violations; v += 1) {
    const ref = `${prefix}-${v}`;
    const at = base + Math.floor(rnd() * 300 * 86_400_000);
    const plate = `${String(Math.floor(rnd() * 1000)).padStart(3, '0')}${pick([...LETTERS])}${pick([...LETTERS])}${pick([...LETTERS])}02`;
    const officer = { kind: 'officer' as const, id: `OF-${Math.floor(rnd() * 150)}`, unit: `AP-${Math.floor(rnd() * 8)}` };
    const speedLimit = pick([40, 60, 80]);
    const iso = (offsetMinutes: number) => new Date(at + offsetMinutes * 60_000).toISOString();
    let n = 0;
    const id = () => `${ref}-${(n += 1)}`;
    const common = { source: options.source, violationRef: ref };
    yield {
      ...common,
      eventId: id(),
      type: 'detected',
      occurredAt: iso(0),
      actor: { kind: 'camera', id: `CAM-${Math.floor(rnd() * 400)}` },
      payload: {
        plate,
        article: '592.1',
        speed: speedLimit + 10 + Math.floor(rnd() * 40),
        speedLimit,
        place: { lat: 43.2 + rnd() / 10, lon: 76.85 + rnd() / 10, district: pick(DISTRICTS) },
        fine: { amount: 7384, mrp: 3692 },
        mediaSha256: 'a'.repeat(64),
      },
    };
    yield { ...common, eventId: id(), type: 'review_assigned', occurredAt: iso(5), actor: { kind: 'system', id: 'queue' }, payload: { officerId: officer.id, unit: officer.unit } };
    if (rnd() < 0.08) {
      yield { ...common, eventId: id(), type: 'rejected', occurredAt: iso(60), actor: officer, payload: { reasonCode: pick(['camera_error', 'plate_misread', 'duplicate'] as const) } };
      continue;
    }
    yield { ...common, eventId: id(), type: 'confirmed', occurredAt: iso(60), actor: { ...officer, workstation: `WS-${officer.id}` }, payload: {} };
    yield { ...common, eventId: id(), type: 'notice_issued', occurredAt: iso(120), actor: { kind: 'system', id: 'register' }, payload: { noticeNumber: `N-${ref}`, fine: { amount: 7384, mrp: 3692 }, channel: 'egov' } };
    const r = rnd();
    if (r < 0.7) yield { ...common, eventId: id(), type: 'paid', occurredAt: iso(4 * 1440), actor: { kind: 'treasury', id: 'KZT' }, payload: { amount: 3692, discountApplied: true } };
    else if (r < 0.8) yield { ...common, eventId: id(), type: 'cancelled', occurredAt: iso(3 * 1440), actor: officer, payload: { reasonCode: 'appeal_granted', legalBasis: 'art. 826' } };
    else if (r < 0.9) yield { ...common, eventId: id(), type: 'sent_to_enforcement', occurredAt: iso(40 * 1440), actor: { kind: 'system', id: 'register' }, payload: { amountDue: 7384 } };
  }
}
