import { describe, expect, it } from 'vitest';
import { plateKey } from '@qadaga/domain';
import { BAND_EDGES } from './city/fines.js';
import { simulateCity } from './city.js';
import { CityView, DAY, HOUR, absent, groupBy, localDate, localHour, median, ms, onShift } from './testing/city-view.js';

/**
 * Each planted scheme is really in the events, measured the way its rule would measure
 * it, and (where the measure is sharp) nobody outside the ground truth shows it.
 */
const city = simulateCity({ seed: 7, violations: 5_000 });
const view = new CityView(city);

const cancellations = view.ofType('cancelled');
const appealed = (ref: string) => view.has(ref, 'appealed');

/** P(X >= k) for X ~ Binomial(n, p): how unlikely k or more hits are by chance. */
function binomialTail(n: number, k: number, p: number): number {
  if (k <= 0 || p >= 1) return 1;
  if (p <= 0) return 0;
  // In log space: C(n, x) overflows for the officer volumes of a large city.
  let logChoose = 0;
  let sum = 0;
  for (let x = 0; x <= n; x += 1) {
    if (x > 0) logChoose += Math.log(n - x + 1) - Math.log(x);
    if (x >= k) sum += Math.exp(logChoose + x * Math.log(p) + (n - x) * Math.log(1 - p));
  }
  return Math.min(1, sum);
}

describe('protected_plate', () => {
  const plates = view.schemeIds('protected_plate');
  const detectionsOf = (key: string) => view.ofType('detected').filter((d) => plateKey(d.payload.plate ?? '') === key);
  const vanished = (ref: string) => view.has(ref, 'rejected') || view.has(ref, 'cancelled');

  it('has at least 8 detections within 180 days per plate, mostly rejected or cancelled, by various officers', () => {
    const cityRate = [...view.byViolation.keys()].filter(vanished).length / view.byViolation.size;
    expect(cityRate).toBeLessThan(0.2);
    expect(plates.length).toBeGreaterThanOrEqual(3);
    for (const key of plates) {
      const times = detectionsOf(key).map((d) => ms(d.occurredAt)).sort((a, b) => a - b);
      const densest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 180 * DAY).length));
      expect(densest).toBeGreaterThanOrEqual(8);
      const refs = detectionsOf(key).map((d) => d.violationRef);
      expect(refs.filter(vanished).length / refs.length).toBeGreaterThan(Math.max(0.6, 3 * cityRate));
      const byOfficer = groupBy(cancellations.filter((c) => refs.includes(c.violationRef)), (c) => c.actor.id);
      for (const list of byOfficer.values()) expect(list.length).toBeLessThan(3);
    }
  });
});

describe('officer_favours_vehicle', () => {
  const pairs = view.schemeIds('officer_favours_vehicle');
  const counts = groupBy(
    cancellations.filter((c) => !appealed(c.violationRef)),
    (c) => `${c.actor.id}|${view.plateKeyOf(c.violationRef)}`,
  );

  it('has the officer cancel the same plate at least 3 times within a year, before any notice', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(3);
    for (const pair of pairs) {
      const list = counts.get(pair) ?? [];
      expect(list.length, pair).toBeGreaterThanOrEqual(3);
      const times = list.map((c) => ms(c.occurredAt));
      expect(Math.max(...times) - Math.min(...times)).toBeLessThan(365 * DAY);
      expect(view.officer(pair.split('|')[0] as string).role).toBe('reviewer');
      for (const c of list) expect(view.has(c.violationRef, 'notice_issued')).toBe(false);
    }
  });

  it('is unlikely under the officer\'s share of the unit\'s cancellations; any other 3+ pair is not', () => {
    const byUnit = groupBy(cancellations.filter((c) => c.actor.unit !== undefined && !appealed(c.violationRef)), (c) => c.actor.unit);
    const queues = groupBy(view.ofType('review_assigned'), (a) => a.payload.unit);
    for (const [pair, list] of counts) {
      if (list.length < 3) continue;
      const [officer, plate] = pair.split('|') as [string, string];
      const { unit, role } = view.officer(officer);
      // A reviewer gets a plate only through the random queue: the null is their share of the
      // unit's assignments. Supervisors are not queued: the null is their share of its cancellations.
      const pool = role === 'reviewer' ? (queues.get(unit) ?? []).map((a) => ({ id: a.payload.officerId, ref: a.violationRef })) : (byUnit.get(unit) ?? []).map((c) => ({ id: c.actor.id, ref: c.violationRef }));
      const share = pool.filter((x) => x.id === officer).length / pool.length;
      const n = pool.filter((x) => view.plateKeyOf(x.ref) === plate).length;
      const p = binomialTail(n, list.length, share);
      if (pairs.includes(pair)) expect(p, pair).toBeLessThan(1e-2);
      else {
        expect(view.officer(officer).role, pair).not.toBe('reviewer');
        expect(p, pair).toBeGreaterThan(1e-2);
      }
    }
  });
});

describe('officer_outlier_rate', () => {
  const subjects = view.schemeIds('officer_outlier_rate');
  const counts = (officer: string) => ({
    decided: view.decisions().filter((d) => d.actor.id === officer).length,
    negative: view.ofType('rejected').filter((d) => d.actor.id === officer).length + cancellations.filter((c) => c.actor.id === officer).length,
  });
  const share = (officer: string) => counts(officer).negative / Math.max(1, counts(officer).decided);

  it('puts each subject far above the peers of their unit (robust z > 3.5)', () => {
    for (const id of subjects) {
      const unit = view.officer(id).unit;
      const peers = view.reviewers(unit).map((o) => share(o.id));
      const m = median(peers);
      const mad = Math.max(median(peers.map((x) => Math.abs(x - m))), 0.01);
      expect(share(id)).toBeGreaterThan(3 * m);
      expect((0.6745 * (share(id) - m)) / mad).toBeGreaterThan(3.5);
    }
  });

  it('makes subjects, and no one else, implausible under their unit\'s pooled rate (funnel-style binomial test)', () => {
    for (const reviewer of view.reviewers()) {
      const peers = view.reviewers(reviewer.unit).filter((o) => o.id !== reviewer.id && !subjects.includes(o.id)).map((o) => counts(o.id));
      const rate = peers.reduce((n, c) => n + c.negative, 0) / peers.reduce((n, c) => n + c.decided, 0);
      const { decided, negative } = counts(reviewer.id);
      const p = binomialTail(decided, negative, rate);
      if (subjects.includes(reviewer.id)) expect(p, reviewer.id).toBeLessThan(1e-6);
      else expect(p, reviewer.id).toBeGreaterThan(1e-4);
    }
  });
});

describe('cancellation_without_ground', () => {
  const refs = view.schemeIds('cancellation_without_ground');
  const groundless = (c: (typeof cancellations)[number]) => {
    const blank = c.payload.reasonCode === 'other' && c.payload.reasonText === undefined && c.payload.legalBasis === undefined;
    const notice = view.of(c.violationRef, 'notice_issued')[0];
    const byReviewerAfterNotice =
      c.source === 'review-desk' && view.officer(c.actor.id).role === 'reviewer' && notice !== undefined && ms(c.occurredAt) > ms(notice.occurredAt);
    return blank || byReviewerAfterNotice;
  };

  it('marks exactly the planted cancellations as blank or by a reviewer after the notice', () => {
    const flagged = cancellations.filter(groundless).map((c) => c.violationRef);
    expect(flagged.sort()).toEqual([...refs].sort());
    const kinds = new Set(cancellations.filter(groundless).map((c) => c.payload.reasonCode === 'other'));
    expect(kinds).toEqual(new Set([true, false]));
  });
});

describe('plate_edited_after_review', () => {
  const refs = view.schemeIds('plate_edited_after_review');
  const editedAway = view
    .ofType('amended')
    .filter((a) => a.payload.field === 'plate' && !view.registered.has(plateKey(String(a.payload.after))))
    .map((a) => a.violationRef);

  it('edits the plate after confirmation to an unregistered plate; the notice has no owner and is never delivered', () => {
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      const edit = view.of(ref, 'amended').find((a) => a.payload.field === 'plate');
      const confirmed = view.of(ref, 'confirmed')[0];
      expect(ms(edit?.occurredAt)).toBeGreaterThan(ms(confirmed?.occurredAt));
      expect(view.registered.has(plateKey(String(edit?.payload.before)))).toBe(true);
      expect(view.registered.has(plateKey(String(edit?.payload.after)))).toBe(false);
      expect(view.of(ref, 'notice_issued')[0]?.payload.ownerRef).toBeUndefined();
      expect(view.has(ref, 'notice_delivered')).toBe(false);
    }
  });

  it('is the only way a plate is edited to an unregistered one', () => {
    expect(editedAway.sort()).toEqual([...refs].sort());
  });
});

describe('speed_downgrade', () => {
  const subjects = view.schemeIds('speed_downgrade');
  const speedEdits = view.ofType('amended').filter((a) => a.payload.field === 'speed');
  const underEdge = (a: (typeof speedEdits)[number]) => {
    const limit = view.detection(a.violationRef).payload.speedLimit ?? 0;
    const excess = Number(a.payload.after) - limit;
    return BAND_EDGES.some((edge) => excess === edge - 1 || excess === edge - 2);
  };

  it('bunches each subject\'s edited speeds 1-2 km/h under a band edge, downward', () => {
    for (const id of subjects) {
      const mine = speedEdits.filter((a) => a.actor.id === id);
      expect(mine.length).toBeGreaterThanOrEqual(3);
      for (const a of mine) expect(Number(a.payload.after)).toBeLessThan(Number(a.payload.before));
      expect(mine.filter(underEdge).length / mine.length).toBeGreaterThan(0.8);
    }
  });

  it('makes subjects edit far more often than peers', () => {
    const rate = (id: string) => speedEdits.filter((a) => a.actor.id === id).length / Math.max(1, view.ofType('confirmed').filter((c) => c.actor.id === id).length);
    const lowest = Math.min(...subjects.map(rate));
    const peers = view.reviewers().filter((o) => !subjects.includes(o.id)).map((o) => rate(o.id));
    expect(lowest).toBeGreaterThan(5 * Math.max(0.01, median(peers)));
    expect(Math.max(...peers)).toBeLessThan(lowest);
  });
});

describe('sitting_until_expiry', () => {
  const subjects = view.schemeIds('sitting_until_expiry');
  // Only detections old enough to have expired by the end count.
  const old = (ref: string) => ms(view.detection(ref).occurredAt) < ms('2026-10-31T19:00:00Z') - 65 * DAY;
  const expiredShare = (id: string) => {
    const assigned = view.ofType('review_assigned').filter((a) => a.payload.officerId === id && old(a.violationRef)).map((a) => a.violationRef);
    return assigned.filter((ref) => view.has(ref, 'expired')).length / Math.max(1, assigned.length);
  };

  it('lets a large share of each subject\'s assignments expire undecided, unlike any peer', () => {
    const lowest = Math.min(...subjects.map(expiredShare));
    expect(lowest).toBeGreaterThan(0.15);
    for (const ref of view.ofType('expired').map((e) => e.violationRef)) {
      expect(view.has(ref, 'confirmed') || view.has(ref, 'rejected')).toBe(false);
    }
    const others = view.reviewers().filter((o) => !subjects.includes(o.id)).map((o) => expiredShare(o.id));
    expect(Math.max(...others)).toBeLessThan(lowest);
    expect(median(others)).toBeLessThan(0.05);
  });
});

describe('cancel_near_deadline', () => {
  const refs = view.schemeIds('cancel_near_deadline');
  const nearDeadline = (c: (typeof cancellations)[number]) => {
    if (appealed(c.violationRef)) return false;
    const t = ms(c.occurredAt);
    const enforced = view.of(c.violationRef, 'sent_to_enforcement')[0];
    if (enforced !== undefined && t > ms(enforced.occurredAt)) return true;
    const detected = ms(view.detection(c.violationRef).occurredAt);
    const limitation = new Date(detected + 5 * HOUR);
    limitation.setUTCMonth(limitation.getUTCMonth() + 2);
    const deadlines = [limitation.getTime() - 5 * HOUR];
    const notice = view.of(c.violationRef, 'notice_issued')[0];
    if (notice !== undefined) deadlines.push(ms(notice.occurredAt) + 7 * DAY, ms(notice.occurredAt) + 30 * DAY);
    return deadlines.some((d) => t <= d && t >= d - 48 * HOUR);
  };

  it('cancels exactly the planted violations within 48 h before a deadline or after enforcement, none appealed', () => {
    const flagged = cancellations.filter(nearDeadline).map((c) => c.violationRef);
    expect(flagged.sort()).toEqual([...refs].sort());
  });
});

describe('mass_cancellation', () => {
  const units = view.schemeIds('mass_cancellation');
  const perUnitDay = groupBy(
    cancellations.filter((c) => c.actor.unit !== undefined),
    (c) => `${c.actor.unit}|${localDate(ms(c.occurredAt))}`,
  );

  it('has each subject unit cancel 40+ fines in one day across many cameras and reasons, citing no common act', () => {
    expect(units.length).toBeGreaterThanOrEqual(2);
    for (const unit of units) {
      const bursts = [...perUnitDay.entries()].filter(([k, list]) => k.startsWith(`${unit}|`) && list.length >= 40);
      expect(bursts.length, unit).toBeGreaterThanOrEqual(1);
      for (const [, list] of bursts) {
        expect(new Set(list.map((c) => view.detection(c.violationRef).payload.cameraId)).size).toBeGreaterThanOrEqual(10);
        expect(new Set(list.map((c) => c.payload.reasonCode)).size).toBeGreaterThanOrEqual(3);
        expect(list.every((c) => c.payload.legalBasis !== undefined)).toBe(true);
        const perReference = groupBy(list.filter((c) => c.payload.reference !== undefined), (c) => c.payload.reference);
        expect(Math.max(0, ...[...perReference.values()].map((l) => l.length))).toBeLessThanOrEqual(2);
      }
    }
  });

  it('has no other unit-day with 40+ cancellations, once a void citing one act for one camera is set aside', () => {
    for (const [key, list] of perUnitDay) {
      if (units.includes(key.split('|')[0] as string)) continue;
      const byAct = groupBy(list, (c) => c.payload.reference ?? '');
      const voids = [...byAct.entries()].filter(
        ([reference, l]) => reference.startsWith('ACT-') && new Set(l.map((c) => view.detection(c.violationRef).payload.cameraId)).size === 1,
      );
      const rest = list.length - voids.reduce((n, [, l]) => n + l.length, 0);
      expect(rest, key).toBeLessThan(40);
    }
  });
});

describe('backdated_cancellation', () => {
  const refs = view.schemeIds('backdated_cancellation');

  it('records exactly the planted cancellations more than 24 h after their stated date', () => {
    const late = cancellations.filter((c) => ms(c.recordedAt) - ms(c.payload.effectiveAt ?? c.occurredAt) > 24 * HOUR);
    expect(late.map((c) => c.violationRef).sort()).toEqual([...refs].sort());
    for (const c of late) expect(c.payload.effectiveAt).toBe(c.occurredAt);
  });
});

describe('off_shift_action', () => {
  const subjects = view.schemeIds('off_shift_action');

  it('has subjects sign a large share of decisions outside their shift, at night', () => {
    for (const id of subjects) {
      const officer = view.officer(id);
      const mine = view.decisions().filter((d) => d.actor.id === id);
      const off = mine.filter((d) => !onShift(officer.shift, ms(d.occurredAt)));
      expect(off.length / mine.length).toBeGreaterThan(0.2);
      for (const d of off) expect(localHour(ms(d.occurredAt))).toBeLessThan(6);
    }
  });
});

describe('rubber_stamping', () => {
  const subjects = view.schemeIds('rubber_stamping');
  const decisionsBy = groupBy(view.decisions(), (d) => d.actor.id);
  const fastGaps = (id: string) => {
    const times = (decisionsBy.get(id) ?? []).map((d) => ms(d.occurredAt)).sort((a, b) => a - b);
    return times.slice(1).filter((t, k) => t - (times[k] as number) < 2_000).length;
  };
  const whileAbsent = (id: string) => (decisionsBy.get(id) ?? []).filter((d) => absent(view.officer(id), ms(d.occurredAt))).length;
  const twoStations = (id: string) => {
    const list = [...(decisionsBy.get(id) ?? [])].sort((a, b) => ms(a.occurredAt) - ms(b.occurredAt));
    return list.slice(1).filter((d, k) => d.actor.workstation !== list[k]?.actor.workstation && ms(d.occurredAt) - ms(list[k]?.occurredAt) < 60_000).length;
  };

  it('shows each subject by sub-2-second bursts, approvals while absent, or two workstations within a minute', () => {
    expect(subjects.length).toBeGreaterThanOrEqual(3);
    const variants = subjects.map((id) => ({ burst: fastGaps(id) >= 5, absent: whileAbsent(id) >= 5, twoStations: twoStations(id) >= 3 }));
    for (const v of variants) expect(v.burst || v.absent || v.twoStations).toBe(true);
    expect(variants.some((v) => v.burst) && variants.some((v) => v.absent) && variants.some((v) => v.twoStations)).toBe(true);
  });

  it('shows none of these signs for anyone else', () => {
    for (const id of decisionsBy.keys()) {
      if (subjects.includes(id)) continue;
      expect(fastGaps(id), id).toBe(0);
      expect(whileAbsent(id), id).toBe(0);
      expect(twoStations(id), id).toBe(0);
    }
  });
});

describe('emergency_exemption_abuse', () => {
  const subjects = view.schemeIds('emergency_exemption_abuse');
  const covered = (ref: string) => {
    const d = view.detection(ref);
    const t = ms(d.occurredAt);
    const key = plateKey(d.payload.plate ?? '');
    return city.reference.dispatches.some((x) => plateKey(x.plate) === key && ms(x.from) <= t && ms(x.to) >= t);
  };
  const emergency = view.ofType('rejected').filter((r) => r.payload.reasonCode === 'emergency_vehicle');

  it('rejects as emergency_vehicle with no covering dispatch only by the subjects', () => {
    const uncovered = emergency.filter((r) => !covered(r.violationRef));
    expect(new Set(uncovered.map((r) => r.actor.id))).toEqual(new Set(subjects));
    for (const id of subjects) expect(uncovered.filter((r) => r.actor.id === id).length).toBeGreaterThanOrEqual(3);
    const honest = emergency.filter((r) => covered(r.violationRef));
    expect(honest.length).toBeGreaterThan(3);
    const kinds = new Map(city.reference.vehicles.map((v) => [plateKey(v.plate), v.kind]));
    for (const r of honest) expect(kinds.get(view.plateKeyOf(r.violationRef))).toBe('special');
  });
});

describe('paid_without_treasury', () => {
  const refs = view.schemeIds('paid_without_treasury');

  it('marks exactly the planted violations paid in the register with no treasury payment', () => {
    const registerPaid = new Set(view.ofType('paid').filter((p) => p.source === 'register').map((p) => p.violationRef));
    const treasuryPaid = new Set(view.ofType('paid').filter((p) => p.source === 'treasury').map((p) => p.violationRef));
    const forged = [...registerPaid].filter((ref) => !treasuryPaid.has(ref));
    expect(forged.sort()).toEqual([...refs].sort());
  });
});

describe('sources_disagree', () => {
  const refs = view.schemeIds('sources_disagree');

  it('has exactly the planted violations cancelled by the register alone, or enforced after a review-desk cancellation', () => {
    const disagreeing = [...view.byViolation.keys()].filter((ref) => {
      const registerCancelled = view.of(ref, 'cancelled').some((c) => c.source === 'register');
      const deskCancelled = view.of(ref, 'cancelled').find((c) => c.source === 'review-desk');
      const enforced = view.of(ref, 'sent_to_enforcement')[0];
      const enforcedAfterCancel = deskCancelled !== undefined && enforced !== undefined && ms(enforced.occurredAt) > ms(deskCancelled.occurredAt);
      return (registerCancelled && deskCancelled === undefined) || enforcedAfterCancel;
    });
    expect(disagreeing.sort()).toEqual([...refs].sort());
    expect(new Set(refs.map((ref) => view.of(ref, 'cancelled').some((c) => c.source === 'register')))).toEqual(new Set([true, false]));
  });
});
