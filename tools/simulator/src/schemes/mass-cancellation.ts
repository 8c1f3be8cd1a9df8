import { LEGAL_BASIS } from '../city/sources.js';
import { unitSubject, type PlantedScheme, type Planner } from '../plan/planner.js';
import { DAY, HOUR, localMidnight, localWeekday, iso } from '../time.js';
import { noticeDelivered } from './common.js';

const BURST_REASONS = [
  ['vehicle_sold', 'vehicle sold before the offence', LEGAL_BASIS.wrongSubject],
  ['documents_presented', 'exemption documents presented', LEGAL_BASIS.noOffence],
  ['duplicate_notice', 'duplicate of an earlier notice', LEGAL_BASIS.noOffence],
  ['vehicle_stolen', 'vehicle reported stolen', LEGAL_BASIS.wrongSubject],
  ['owner_deceased', 'registered owner deceased', LEGAL_BASIS.wrongSubject],
  ['signage_missing', 'speed limit sign not visible', LEGAL_BASIS.noOffence],
] as const;

/**
 * A clean-up before an audit: on one weekday a unit's supervisors 
 * cancel a burst of outstanding fines: at least 45, or eight times the unit's normal
 * daily cancellations when the city is large. The fines were detected 12-26 days
 * earlier on many of the unit's cameras, noticed and unpaid; the cancellations cite
 * assorted reasons with legal bases, and no common act (unlike a faulty camera's void).
 */
export function plantMassCancellations(p: Planner): PlantedScheme {
  const units = [p.castUnit(), p.castUnit()];
  const spanDays = (p.model.end - p.model.start) / DAY;
  const dailyCancellationsPerUnit = (p.model.violations / spanDays / p.model.roster.units.length) * 0.07;
  const burst = Math.max(45, Math.ceil(8 * dailyCancellationsPerUnit));
  const days: string[] = [];
  for (const unit of units) {
    let day = localMidnight(p.rng.between(p.model.start + 40 * DAY, p.model.end - 30 * DAY));
    while (localWeekday(day + 12 * HOUR) > 4) day += DAY;
    const cancellers = unit.supervisors;
    const detections = p.claimMany(burst, day - 26 * DAY, day - 12 * DAY);
    for (const d of detections) {
      const officer = p.rng.pick(cancellers);
      const [reasonCode, reasonText, legalBasis] = p.rng.pick(BURST_REASONS);
      const target = day + 9 * HOUR + p.rng.between(0, 9 * HOUR);
      p.direct(d.index, {
        tag: 'mass_cancellation',
        camera: p.cameraIn(unit, d),
        review: { kind: 'confirm', fast: true },
        after: (s) => {
          noticeDelivered(s);
          s.cancel({ by: officer, at: s.act(officer, target), reasonCode, reasonText, legalBasis });
        },
      });
    }
    days.push(`${unit.code} on ${iso(day + 5 * HOUR).slice(0, 10)} (${detections.length} cancellations)`);
  }
  return {
    scheme: 'mass_cancellation',
    subjects: units.map(unitSubject),
    note:
      `Bursts (local dates): ${days.join('; ')}; an audit of the unit was due two days later. ` +
      `Each burst: at least 45 (here ${burst}) noticed, unpaid fines detected 12-26 days earlier on many cameras of the unit, cancelled 09:00-18:00 local ` +
      'by its two supervisors with assorted reason codes and legal bases, no shared act reference, none near a deadline. ' +
      `Normal: ~${dailyCancellationsPerUnit.toFixed(1)} cancellations per unit per day. Rule: daily cancellations per unit above an EWMA/CUSUM limit, ` +
      'excluding voids that cite one act and cover a whole camera.',
  };
}
