import { describe, expect, it } from 'vitest';
import { plateKey } from '@qadaga/domain';
import { simulateCity } from './city.js';
import { CityView, DAY, groupBy, localHour, localWeekday, ms, onShift } from './testing/city-view.js';

/** The innocent look-alikes are there, and look like what they are. */
const city = simulateCity({ seed: 11, violations: 5_000 });
const view = new CityView(city);

describe('faulty_camera_voided', () => {
  const [cameraId, unit, supervisorId] = view.lookalikeIds('faulty_camera_voided') as [string, string, string];
  const voids = view.ofType('cancelled').filter((c) => c.payload.reasonCode === 'camera_fault');

  it('voids 40+ detections of one camera by one supervisor, in working hours, citing one act and one legal basis', () => {
    expect(voids.length).toBeGreaterThanOrEqual(40);
    expect(new Set(voids.map((c) => view.detection(c.violationRef).payload.cameraId))).toEqual(new Set([cameraId]));
    expect(new Set(voids.map((c) => c.payload.reference)).size).toBe(1);
    expect(new Set(voids.map((c) => c.payload.legalBasis)).size).toBe(1);
    expect(new Set(voids.map((c) => c.actor.id))).toEqual(new Set([supervisorId]));
    const supervisor = view.officer(supervisorId);
    expect(supervisor.role).toBe('supervisor');
    expect(supervisor.unit).toBe(unit);
    for (const c of voids) {
      const t = ms(c.occurredAt);
      expect(onShift(supervisor.shift, t)).toBe(true);
      expect(localWeekday(t)).toBeLessThanOrEqual(5);
      expect(localHour(t)).toBeGreaterThanOrEqual(9);
      expect(localHour(t)).toBeLessThan(18);
      expect(view.has(c.violationRef, 'notice_issued')).toBe(false);
    }
  });

  it('covers every detection of the camera in the voided period', () => {
    const times = voids.map((c) => ms(view.detection(c.violationRef).occurredAt));
    const [from, to] = [Math.min(...times), Math.max(...times)];
    expect(to - from).toBeLessThan(7 * DAY);
    const inPeriod = view.ofType('detected').filter((d) => d.payload.cameraId === cameraId && ms(d.occurredAt) >= from && ms(d.occurredAt) <= to);
    expect(inPeriod.map((d) => d.violationRef).sort()).toEqual(voids.map((c) => c.violationRef).sort());
  });
});

describe('appeals_desk_officer', () => {
  const desk = view.lookalikeIds('appeals_desk_officer');

  it('cancels many fines, every one on an overturned appeal it cites', () => {
    expect(desk.length).toBe(2);
    for (const id of desk) {
      expect(view.officer(id).role).toBe('appeals_desk');
      const mine = view.ofType('cancelled').filter((c) => c.actor.id === id);
      expect(mine.length).toBeGreaterThanOrEqual(5);
      for (const c of mine) {
        const decided = view.of(c.violationRef, 'appeal_decided')[0];
        expect(decided?.payload.outcome).toBe('overturned');
        expect(c.payload.reference).toBe(decided?.payload.appealRef);
        expect(c.payload.legalBasis).toBeTruthy();
        expect(ms(c.occurredAt)).toBeGreaterThan(ms(decided?.occurredAt));
      }
    }
  });
});

describe('fleet_with_many_fines', () => {
  const plates = view.lookalikeIds('fleet_with_many_fines');
  const kinds = new Map(city.reference.vehicles.map((v) => [plateKey(v.plate), v.kind]));

  it('has fleet vehicles with 30+ fines, every one confirmed, delivered and paid in both register and treasury', () => {
    expect(plates.length).toBeGreaterThanOrEqual(2);
    for (const key of plates) {
      expect(kinds.get(key)).toBe('fleet');
      const refs = view.ofType('detected').filter((d) => plateKey(d.payload.plate ?? '') === key).map((d) => d.violationRef);
      expect(refs.length).toBeGreaterThanOrEqual(30);
      for (const ref of refs) {
        expect(view.has(ref, 'confirmed')).toBe(true);
        expect(view.has(ref, 'notice_delivered')).toBe(true);
        expect(new Set(view.of(ref, 'paid').map((p) => p.source))).toEqual(new Set(['register', 'treasury']));
        expect(view.has(ref, 'rejected') || view.has(ref, 'cancelled') || view.has(ref, 'appealed')).toBe(false);
      }
    }
  });
});

describe('staff_shortage_week', () => {
  const ids = view.lookalikeIds('staff_shortage_week');
  const unit = ids[0] as string;
  const officers = ids.slice(1);

  it('lists the unit and all its reviewers, none of whom is cast in a scheme', () => {
    expect(new Set(officers)).toEqual(new Set(view.reviewers(unit).map((o) => o.id)));
    const schemeOfficers = new Set(city.truth.schemes.flatMap((s) => s.subjects.map((x) => x.id.split('|')[0])));
    for (const id of officers) expect(schemeOfficers.has(id)).toBe(false);
  });

  it('lets many detections of one week expire across the unit\'s reviewers, none of them standing out', () => {
    const expiredInUnit = view
      .ofType('expired')
      .map((e) => view.of(e.violationRef, 'review_assigned')[0])
      .filter((a) => a?.payload.unit === unit);
    const detectedAt = (a: (typeof expiredInUnit)[number]) => ms(view.detection(a?.violationRef ?? '').occurredAt);
    // The densest seven days of expiring detections.
    const worst = expiredInUnit
      .map((a) => expiredInUnit.filter((b) => detectedAt(b) >= detectedAt(a) && detectedAt(b) < detectedAt(a) + 7 * DAY))
      .sort((a, b) => b.length - a.length)[0] ?? [];
    expect(worst.length).toBeGreaterThanOrEqual(4);
    const perOfficer = groupBy(worst, (a) => a?.payload.officerId);
    expect(perOfficer.size).toBeGreaterThanOrEqual(3);
    expect(Math.max(...[...perOfficer.values()].map((l) => l.length)) / worst.length).toBeLessThanOrEqual(0.5);
  });
});
