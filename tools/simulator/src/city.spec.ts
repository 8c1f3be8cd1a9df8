import { describe, expect, it } from 'vitest';
import { validateLifecycleEvent } from '@qadaga/contracts';
import { LOOKALIKES, SCHEME_IDS, SCHEMES, plateKey } from '@qadaga/domain';
import { DEFAULT_END, simulateCity } from './city.js';
import { COMPLETION_LIMITS } from './lifecycle/story.js';
import { CityView, DAY, HOUR, absent, ms, onShift } from './testing/city-view.js';

const SEED = 20_26;
const city = simulateCity({ seed: SEED, violations: 5_000 });
const view = new CityView(city);

describe('simulateCity: the stream', () => {
  it('is a generator that yields lazily, one violation at a time', () => {
    const stream = city.events();
    expect(typeof stream.next).toBe('function');
    expect(stream[Symbol.iterator]()).toBe(stream);
    const first = stream.next();
    expect(first.done).toBe(false);
    stream.return(undefined);
  });

  it('is deterministic: the same seed gives identical events, reference and truth; another seed differs', () => {
    const again = simulateCity({ seed: SEED, violations: 5_000 });
    expect(again.truth).toEqual(city.truth);
    expect(again.reference).toEqual(city.reference);
    expect([...again.events()]).toEqual(view.events);
    // Iterating the same city twice gives the same stream too.
    expect([...city.events()]).toEqual(view.events);
    const other = simulateCity({ seed: SEED + 1, violations: 5_000 });
    expect(other.truth).not.toEqual(city.truth);
    expect([...other.events()].slice(0, 200)).not.toEqual(view.events.slice(0, 200));
  });

  it('emits only events the ingest contract accepts', () => {
    const failures = view.events.map((e) => validateLifecycleEvent(e)).filter((r) => !r.ok);
    expect(failures).toEqual([]);
  });

  it('gives every event an id unique within its source, and one detection per violation', () => {
    for (const source of new Set(view.events.map((e) => e.source))) {
      const ids = view.events.filter((e) => e.source === source).map((e) => e.eventId);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(view.ofType('detected').length).toBe(5_000);
    expect(view.byViolation.size).toBe(5_000);
    expect(city.stats()).toEqual({ violations: 5_000, events: view.events.length });
  });

  it('writes each step from the source that owns it', () => {
    const sourceOf = { camera: 'sergek-almaty', review: 'review-desk', register: 'register', treasury: 'treasury' };
    const kinds = new Map(city.reference.sources.map((s) => [s.code, s.kind]));
    for (const e of view.events) {
      const kind = kinds.get(e.source);
      if (e.type === 'detected') expect(e.source).toBe(sourceOf.camera);
      else if (['review_assigned', 'confirmed', 'rejected', 'amended'].includes(e.type)) expect(e.source).toBe(sourceOf.review);
      else if (e.type === 'paid') expect([sourceOf.register, sourceOf.treasury]).toContain(e.source);
      else if (e.type === 'cancelled') expect([sourceOf.review, sourceOf.register]).toContain(e.source);
      else expect(kind).toBe('register');
    }
    expect(kinds.get('dispatch')).toBe('dispatch');
  });

  it('records events seconds to minutes after they occur, never before, never after the end', () => {
    const end = ms('2026-10-31T19:00:00Z');
    const backdated = new Set(view.schemeIds('backdated_cancellation'));
    for (const e of view.events) {
      const lag = ms(e.recordedAt) - ms(e.occurredAt);
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(ms(e.recordedAt)).toBeLessThanOrEqual(end);
      if (!(e.type === 'cancelled' && backdated.has(e.violationRef))) expect(lag).toBeLessThan(HOUR);
    }
  });
});

describe('simulateCity: the reference data', () => {
  const { reference } = city;

  it('has six units of 15-25 reviewers and 2 supervisors each, and an appeals desk in two units', () => {
    const units = [...new Set(reference.officers.map((o) => o.unit))].sort();
    expect(units).toEqual(['AP-1', 'AP-2', 'AP-3', 'AP-4', 'AP-5', 'AP-6']);
    for (const unit of units) {
      const reviewers = view.reviewers(unit).length;
      expect(reviewers).toBeGreaterThanOrEqual(15);
      expect(reviewers).toBeLessThanOrEqual(25);
      expect(reference.officers.filter((o) => o.unit === unit && o.role === 'supervisor')).toHaveLength(2);
    }
    expect(new Set(reference.officers.filter((o) => o.role === 'appeals_desk').map((o) => o.unit)).size).toBe(2);
    expect(reference.officers.filter((o) => o.absences.some((a) => a.kind === 'dismissed'))).toHaveLength(1);
    expect(reference.officers.filter((o) => o.absences.some((a) => a.kind === 'leave')).length).toBeGreaterThan(3);
  });

  it('has about 300 cameras over the eight Almaty districts, and the five sources', () => {
    expect(reference.cameras.length).toBeGreaterThanOrEqual(250);
    expect(reference.cameras.length).toBeLessThanOrEqual(350);
    expect(new Set(reference.cameras.map((c) => c.district))).toEqual(
      new Set(['Almaly', 'Auezov', 'Bostandyk', 'Zhetysu', 'Medeu', 'Nauryzbay', 'Turksib', 'Alatau']),
    );
    for (const c of reference.cameras) {
      expect(c.lat).toBeGreaterThan(43.0);
      expect(c.lat).toBeLessThan(43.5);
      expect(c.lon).toBeGreaterThan(76.6);
      expect(c.lon).toBeLessThan(77.2);
    }
    expect(reference.sources.map((s) => s.kind).sort()).toEqual(['camera', 'dispatch', 'register', 'review', 'treasury']);
  });

  it('has a vehicle register of all four kinds with unique Kazakh plates', () => {
    const kinds = new Set(reference.vehicles.map((v) => v.kind));
    expect(kinds).toEqual(new Set(['private', 'fleet', 'leasing', 'special']));
    const keys = reference.vehicles.map((v) => plateKey(v.plate));
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^\d{3}[A-Z]{3}\d{2}$/u);
  });

  it('serves each camera from one unit, and queues only on-shift reviewers of that unit', () => {
    const unitOfCamera = new Map<string, Set<string>>();
    for (const a of view.ofType('review_assigned')) {
      const camera = view.detection(a.violationRef).payload.cameraId as string;
      const officer = view.officer(a.payload.officerId);
      expect(officer.role).toBe('reviewer');
      expect(a.payload.unit).toBe(officer.unit);
      expect(onShift(officer.shift, ms(a.occurredAt))).toBe(true);
      unitOfCamera.set(camera, new Set([...(unitOfCamera.get(camera) ?? []), officer.unit]));
    }
    for (const units of unitOfCamera.values()) expect(units.size).toBe(1);
  });

  it('has long-tailed detections per vehicle: most once or twice, a few repeat offenders', () => {
    const perPlate = new Map<string, number>();
    for (const d of view.ofType('detected')) {
      const key = plateKey(d.payload.plate ?? '');
      perPlate.set(key, (perPlate.get(key) ?? 0) + 1);
    }
    const counts = [...perPlate.values()].sort((a, b) => b - a);
    const once = counts.filter((c) => c === 1).length;
    expect(once / counts.length).toBeGreaterThan(0.4);
    expect(counts[0]).toBeGreaterThanOrEqual(15);
    // Outside schemes that need them (and misreads), detections use registered plates.
    const unregistered = view.ofType('detected').filter((d) => !view.registered.has(plateKey(d.payload.plate ?? '')));
    expect(unregistered.length / 5_000).toBeLessThan(0.06);
  });
});

describe('simulateCity: the ground truth', () => {
  it('lists every scheme of SCHEMES and every look-alike of LOOKALIKES with subjects and a note', () => {
    expect(city.truth.seed).toBe(SEED);
    expect(city.truth.schemes.map((s) => s.scheme)).toEqual(SCHEME_IDS);
    expect(city.truth.lookalikes.map((l) => l.lookalike).sort()).toEqual(Object.keys(LOOKALIKES).sort());
    for (const s of city.truth.schemes) {
      expect(s.subjects.length, s.scheme).toBeGreaterThanOrEqual(2);
      expect(s.note.length).toBeGreaterThan(40);
      for (const subject of s.subjects) expect(subject.kind).toBe(SCHEMES[s.scheme].subject);
    }
    for (const l of city.truth.lookalikes) {
      expect(l.subjects.length, l.lookalike).toBeGreaterThanOrEqual(1);
      expect(l.note.length).toBeGreaterThan(40);
    }
  });

  it('names subjects that exist: officers in the roster, vehicles in the register, violations in the stream', () => {
    const plates = new Set(city.reference.vehicles.map((v) => plateKey(v.plate)));
    const all = [...city.truth.schemes.flatMap((s) => s.subjects), ...city.truth.lookalikes.flatMap((l) => l.subjects)];
    for (const subject of all) {
      if (subject.kind === 'officer') expect(view.officers.has(subject.id)).toBe(true);
      if (subject.kind === 'vehicle') expect(plates.has(subject.id)).toBe(true);
      if (subject.kind === 'violation') expect(view.byViolation.has(subject.id)).toBe(true);
      if (subject.kind === 'unit') expect(['AP-1', 'AP-2', 'AP-3', 'AP-4', 'AP-5', 'AP-6']).toContain(subject.id);
      if (subject.kind === 'camera') expect(city.reference.cameras.some((c) => c.id === subject.id)).toBe(true);
      if (subject.kind === 'source') expect(city.reference.sources.some((s) => s.code === subject.id)).toBe(true);
      if (subject.kind === 'officer_vehicle') {
        const [officer, plate] = subject.id.split('|');
        expect(view.officers.has(officer as string)).toBe(true);
        expect(plates.has(plate as string)).toBe(true);
      }
    }
  });

  it('keeps officer schemes apart: no officer is the subject of two schemes', () => {
    const officerSchemes = city.truth.schemes.filter((s) => s.subjects.some((x) => x.kind === 'officer' || x.kind === 'officer_vehicle'));
    const seen = new Map<string, string>();
    for (const s of officerSchemes) {
      for (const subject of s.subjects) {
        const officer = subject.id.split('|')[0] as string;
        expect(seen.get(officer), `${officer} in ${s.scheme} and ${seen.get(officer)}`).toBeUndefined();
        seen.set(officer, s.scheme);
      }
    }
  });

  it('names every omission the stream holds, planted or in the ordinary course, and nothing else, for the completeness schemes', () => {
    // Read off the events alone: a detection with no decision within its review limit, a
    // notice with no delivery, payment or cancellation within its delivery limit, whole
    // days counted, by the end. The truth must list exactly those (rules are judged on it).
    const end = Date.parse(DEFAULT_END);
    const first = (events: readonly { type: string; occurredAt: string }[], types: string[]) =>
      Math.min(...events.filter((e) => types.includes(e.type)).map((e) => ms(e.occurredAt)), Infinity);
    const unreviewed = new Set<string>();
    const undelivered = new Set<string>();
    for (const [ref, events] of view.byViolation) {
      const reviewBy = first(events, ['detected']) + COMPLETION_LIMITS.review + DAY;
      if (reviewBy <= end && first(events, ['confirmed', 'rejected', 'cancelled']) >= reviewBy) unreviewed.add(ref);
      const deliveryBy = first(events, ['notice_issued']) + COMPLETION_LIMITS.delivery + DAY;
      if (deliveryBy <= end && first(events, ['notice_delivered', 'paid', 'cancelled']) >= deliveryBy) undelivered.add(ref);
    }
    const listed = (scheme: string) => new Set(city.truth.schemes.find((s) => s.scheme === scheme)?.subjects.map((x) => x.id));
    expect(listed('unreviewed_detection')).toEqual(unreviewed);
    expect(listed('notice_not_delivered')).toEqual(undelivered);
    // The ordinary course leaves more than the planted handful, or this would test nothing new.
    expect(unreviewed.size).toBeGreaterThan(20);
    expect(undelivered.size).toBeGreaterThan(20);
  });
});

describe('simulateCity: normal lifecycles', () => {
  // Judge proportions on violations whose lifecycle had time to finish before the end.
  const settled = [...view.byViolation.keys()].filter((ref) => ms(view.detection(ref).occurredAt) < ms('2026-10-31T19:00:00Z') - 100 * DAY);
  const share = (pred: (ref: string) => boolean) => settled.filter(pred).length / settled.length;

  it('ends in city-like proportions', () => {
    expect(share((r) => view.has(r, 'rejected'))).toBeGreaterThan(0.05);
    expect(share((r) => view.has(r, 'rejected'))).toBeLessThan(0.12);
    expect(share((r) => view.of(r, 'paid').some((p) => p.source === 'treasury'))).toBeGreaterThan(0.6);
    expect(share((r) => view.of(r, 'paid').some((p) => p.source === 'treasury'))).toBeLessThan(0.8);
    expect(share((r) => view.has(r, 'appealed'))).toBeGreaterThan(0.06);
    expect(share((r) => view.has(r, 'appealed'))).toBeLessThan(0.14);
    expect(share((r) => view.has(r, 'sent_to_enforcement'))).toBeGreaterThan(0.06);
    expect(share((r) => view.has(r, 'sent_to_enforcement'))).toBeLessThan(0.16);
    expect(share((r) => view.has(r, 'expired'))).toBeGreaterThan(0.003);
    expect(share((r) => view.has(r, 'expired'))).toBeLessThan(0.04);
    const cancelledWithoutAppeal = share((r) => view.has(r, 'cancelled') && !view.has(r, 'appealed'));
    expect(cancelledWithoutAppeal).toBeGreaterThan(0.015);
    expect(cancelledWithoutAppeal).toBeLessThan(0.08);
    const undelivered = share((r) => view.has(r, 'notice_issued') && !view.has(r, 'notice_delivered'));
    expect(undelivered).toBeGreaterThan(0);
    expect(undelivered).toBeLessThan(0.05);
  });

  it('uses all the rejection reasons, emergency ones only for special vehicles with a dispatch or as the planted abuse', () => {
    const reasons = new Set(view.ofType('rejected').map((r) => r.payload.reasonCode));
    expect(reasons).toEqual(new Set(['camera_error', 'plate_misread', 'duplicate', 'other', 'emergency_vehicle']));
    for (const r of view.ofType('rejected')) if (r.payload.reasonCode === 'other') expect(r.payload.reasonText).toBeTruthy();
  });

  it('fines in whole multiples of the MRP of the offence year, with the index kept', () => {
    for (const d of view.ofType('detected')) {
      const fine = d.payload.fine;
      expect(fine?.mrp).toBe(d.occurredAt < '2025-12-31T19:00:00.000Z' ? 3_692 : 3_932);
      expect((fine?.amount ?? 0) % (fine?.mrp ?? 1)).toBe(0);
      expect((d.payload.speed ?? 0) - (d.payload.speedLimit ?? 0)).toBeGreaterThan(10);
    }
  });

  it('pays most fines within the discount week at half the amount, and every genuine payment reaches the treasury within 0-3 days', () => {
    const unpaidByTreasury = new Set(view.schemeIds('paid_without_treasury'));
    const registerPaid = view.ofType('paid').filter((p) => p.source === 'register');
    const discounted = registerPaid.filter((p) => p.payload.discountApplied === true).length;
    expect(discounted / registerPaid.length).toBeGreaterThan(0.4);
    for (const p of registerPaid) {
      if (unpaidByTreasury.has(p.violationRef)) continue;
      const treasury = view.of(p.violationRef, 'paid').find((t) => t.source === 'treasury' && t.payload.paymentRef === p.payload.paymentRef);
      expect(treasury, p.violationRef).toBeDefined();
      const lag = ms(p.occurredAt) - ms(treasury?.occurredAt);
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThanOrEqual(3 * DAY);
      expect(treasury?.payload.amount).toBe(p.payload.amount);
    }
  });

  it('decides minutes to a few days after assignment', () => {
    for (const d of view.decisions()) {
      const assigned = view.of(d.violationRef, 'review_assigned')[0];
      const wait = ms(d.occurredAt) - ms(assigned?.occurredAt);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThan(8 * DAY);
    }
  });

  it('corrects some misread plates to the registered plate, before the notice, which is then delivered', () => {
    const fixes = view.ofType('amended').filter((a) => a.payload.field === 'plate' && view.registered.has(plateKey(String(a.payload.after))));
    expect(fixes.length).toBeGreaterThan(10);
    for (const fix of fixes) {
      expect(view.registered.has(plateKey(String(fix.payload.before)))).toBe(false);
      const notice = view.of(fix.violationRef, 'notice_issued')[0];
      if (notice !== undefined) expect(ms(fix.occurredAt)).toBeLessThan(ms(notice.occurredAt));
    }
  });

  it('keeps every officer inside the roster: on shift, not absent, one workstation, ten seconds between signatures (planted schemes aside)', () => {
    const exempt = new Set([...view.schemeIds('rubber_stamping'), ...view.schemeIds('off_shift_action')]);
    const signed = view.events.filter((e) => e.actor.kind === 'officer' || e.actor.kind === 'supervisor');
    const byOfficer = new Map<string, number[]>();
    const workstations = new Map<string, Set<string>>();
    for (const e of signed) {
      const officer = view.officer(e.actor.id);
      const t = ms(e.occurredAt);
      if (!exempt.has(officer.id)) {
        expect(absent(officer, t), `${officer.id} absent at ${e.occurredAt}`).toBe(false);
        // Deadline-chasing cancellations may be signed outside hours on purpose.
        if (!view.schemeIds('cancel_near_deadline').includes(e.violationRef)) expect(onShift(officer.shift, t), `${officer.id} off shift ${e.occurredAt}`).toBe(true);
        workstations.set(officer.id, new Set([...(workstations.get(officer.id) ?? []), e.actor.workstation ?? '']));
      }
      byOfficer.set(officer.id, [...(byOfficer.get(officer.id) ?? []), t]);
    }
    for (const [officer, stations] of workstations) expect(stations.size, officer).toBe(1);
    for (const [officer, times] of byOfficer) {
      if (exempt.has(officer)) continue;
      times.sort((a, b) => a - b);
      for (let k = 1; k < times.length; k += 1) expect((times[k] as number) - (times[k - 1] as number), officer).toBeGreaterThanOrEqual(10_000);
    }
  });
});
