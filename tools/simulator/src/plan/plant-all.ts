import { LOOKALIKES, SCHEME_IDS, type GroundTruth, type LookalikeId, type SchemeId } from '@qadaga/domain';
import { plantEmergencyDispatches } from '../city/dispatches.js';
import { describeAppealsDesk } from '../lookalikes/appeals-desk.js';
import { plantFaultyCamera } from '../lookalikes/faulty-camera.js';
import { plantFleetWithManyFines } from '../lookalikes/fleet-with-many-fines.js';
import { plantStaffShortage } from '../lookalikes/staff-shortage.js';
import { plantBackdatedCancellations } from '../schemes/backdated-cancellation.js';
import { plantCancelNearDeadline } from '../schemes/cancel-near-deadline.js';
import { plantCancellationWithoutGround } from '../schemes/cancellation-without-ground.js';
import { plantEmergencyAbuse } from '../schemes/emergency-exemption-abuse.js';
import { plantMassCancellations } from '../schemes/mass-cancellation.js';
import { plantOffShiftActions } from '../schemes/off-shift-action.js';
import { plantOfficerFavours } from '../schemes/officer-favours-vehicle.js';
import { plantOfficerOutliers } from '../schemes/officer-outlier-rate.js';
import { plantPaidWithoutTreasury } from '../schemes/paid-without-treasury.js';
import { plantPlateEdits } from '../schemes/plate-edited-after-review.js';
import { plantProtectedPlates } from '../schemes/protected-plate.js';
import { plantRubberStamping } from '../schemes/rubber-stamping.js';
import { plantSittingUntilExpiry } from '../schemes/sitting-until-expiry.js';
import { plantSpeedDowngrades } from '../schemes/speed-downgrade.js';
import { plantSourcesDisagree } from '../schemes/sources-disagree.js';
import { plantUnreviewedDetections } from '../schemes/unreviewed-detection.js';
import { plantConfirmedWithoutNotice } from '../schemes/confirmed-without-notice.js';
import { plantNoticeNotDelivered } from '../schemes/notice-not-delivered.js';
import { plantSourceIdGaps } from '../schemes/source-id-gap.js';
import type { PlantedLookalike, PlantedScheme, Planner } from './planner.js';

const SCHEME_PLANTERS: Record<SchemeId, (p: Planner) => PlantedScheme> = {
  protected_plate: plantProtectedPlates,
  officer_favours_vehicle: plantOfficerFavours,
  officer_outlier_rate: plantOfficerOutliers,
  cancellation_without_ground: plantCancellationWithoutGround,
  plate_edited_after_review: plantPlateEdits,
  speed_downgrade: plantSpeedDowngrades,
  sitting_until_expiry: plantSittingUntilExpiry,
  cancel_near_deadline: plantCancelNearDeadline,
  mass_cancellation: plantMassCancellations,
  backdated_cancellation: plantBackdatedCancellations,
  off_shift_action: plantOffShiftActions,
  rubber_stamping: plantRubberStamping,
  emergency_exemption_abuse: plantEmergencyAbuse,
  paid_without_treasury: plantPaidWithoutTreasury,
  sources_disagree: plantSourcesDisagree,
  unreviewed_detection: plantUnreviewedDetections,
  confirmed_without_notice: plantConfirmedWithoutNotice,
  notice_not_delivered: plantNoticeNotDelivered,
  source_id_gap: plantSourceIdGaps,
};

/**
 * Plans the whole city in a fixed order (the order is part of the seed's meaning):
 * vehicles that schemes script are taken out of random traffic first; then the
 * look-alikes that claim whole cameras and units; then honest emergencies; then the
 * schemes, each from its own module.
 */
export function plantAll(p: Planner): GroundTruth {
  const n = p.vehicleSubjects();
  p.castVehicles('protected_plate', 'private', n);
  p.castVehicles('officer_favours_vehicle', 'private', n);
  p.castVehicles('fleet_with_many_fines', 'fleet', p.model.violations >= 50_000 ? 3 : 2);
  p.model.register.seal();

  const lookalikes: Partial<Record<LookalikeId, PlantedLookalike>> = {};
  lookalikes.staff_shortage_week = plantStaffShortage(p);
  lookalikes.faulty_camera_voided = plantFaultyCamera(p);
  plantEmergencyDispatches(p);
  lookalikes.fleet_with_many_fines = plantFleetWithManyFines(p);
  lookalikes.appeals_desk_officer = describeAppealsDesk(p);

  const schemes = SCHEME_IDS.map((id) => SCHEME_PLANTERS[id](p));
  p.refreshQueues();
  return {
    seed: p.model.seed,
    schemes,
    lookalikes: (Object.keys(LOOKALIKES) as LookalikeId[]).map((id) => lookalikes[id] as PlantedLookalike),
  };
}
