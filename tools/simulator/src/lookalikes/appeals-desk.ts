import { officerSubject, type PlantedLookalike, type Planner } from '../plan/planner.js';

/**
 * The appeals desk: in the two units that have one, its officer cancels every fine a
 * court overturns, each citing the appeal reference and a legal basis. That is many
 * cancellations and nearly nothing else, which an officer-rate rule must compare with
 * the desk's own role, not with reviewers.
 */
export function describeAppealsDesk(p: Planner): PlantedLookalike {
  const desk = p.model.roster.units.flatMap((u) => u.appealsDesk);
  return {
    lookalike: 'appeals_desk_officer',
    subjects: desk.map(officerSubject),
    note:
      `Appeals-desk officers ${desk.map((o) => `${o.id} (${o.unit})`).join(', ')} cancel every fine overturned on appeal in their unit ` +
      '(reasonCode appeal_granted, reference = the appealRef of the appealed/appeal_decided events, legal basis stated), 2 h-3 days after the decision, in working hours. ' +
      'Overall ~10% of delivered notices are appealed and ~40% of appeals are overturned. Elsewhere supervisors do this.',
  };
}
