import type { SubjectKind } from '@qadaga/domain';
import { cameraFacts } from './camera-facts.js';
import { officerFacts, officerFactsOverWindows } from './officer-facts.js';
import { officerVehicleFacts } from './officer-vehicle-facts.js';
import { EVERY_FACT, type FactNeed, type FactWindow, type Queryable, type SubjectFacts, type SubjectSelection } from './queryable.js';
import { sourceFacts } from './source-facts.js';
import { unitFacts } from './unit-facts.js';
import { vehicleFacts } from './vehicle-facts.js';
import { violationFacts, violationFactsOverWindows } from './violation-facts.js';

type Provider = (db: Queryable, window: FactWindow, selection: SubjectSelection, needs: FactNeed) => Promise<SubjectFacts[]>;

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
export function computeFacts(db: Queryable, kind: SubjectKind, window: FactWindow, selection: SubjectSelection, needs: FactNeed = EVERY_FACT): Promise<SubjectFacts[]> {
  return PROVIDERS[kind](db, window, selection, needs);
}

/** Kinds whose facts over several windows ending together cost less computed at once than window by window. */
export const KINDS_SHARING_WINDOWS: ReadonlySet<SubjectKind> = new Set(['violation', 'officer']);

/** The facts of one kind over several windows ending at the same instant, in the order of the windows. */
export async function computeFactsOverWindows(
  db: Queryable,
  kind: SubjectKind,
  windows: readonly FactWindow[],
  selection: SubjectSelection,
): Promise<SubjectFacts[][]> {
  if (kind === 'violation') return violationFactsOverWindows(db, windows, selection);
  if (kind === 'officer') return officerFactsOverWindows(db, windows, selection);
  const out: SubjectFacts[][] = [];
  for (const w of windows) out.push(await computeFacts(db, kind, w, selection));
  return out;
}
