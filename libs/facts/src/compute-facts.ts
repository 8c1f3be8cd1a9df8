import type { SubjectKind } from '@qadaga/domain';
import { cameraFacts } from './camera-facts.js';
import { officerFacts } from './officer-facts.js';
import { officerVehicleFacts } from './officer-vehicle-facts.js';
import type { FactWindow, Queryable, SubjectFacts, SubjectSelection } from './queryable.js';
import { sourceFacts } from './source-facts.js';
import { unitFacts } from './unit-facts.js';
import { vehicleFacts } from './vehicle-facts.js';
import { violationFacts } from './violation-facts.js';

type Provider = (db: Queryable, window: FactWindow, selection: SubjectSelection) => Promise<SubjectFacts[]>;

const PROVIDERS: Record<SubjectKind, Provider> = {
  officer: officerFacts,
  vehicle: vehicleFacts,
  officer_vehicle: officerVehicleFacts,
  camera: cameraFacts,
  unit: unitFacts,
  violation: violationFacts,
  source: sourceFacts,
};

/** The facts of the rule catalogue for one kind of subject over one window, computed set-based. */
export function computeFacts(db: Queryable, kind: SubjectKind, window: FactWindow, selection: SubjectSelection): Promise<SubjectFacts[]> {
  return PROVIDERS[kind](db, window, selection);
}
