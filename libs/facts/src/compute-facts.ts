import type { SourceProfile, SubjectKind } from '@qadaga/domain';
import { cameraFacts } from './camera-facts.js';
import { officerFacts, officerFactsOverWindows } from './officer-facts.js';
import { officerVehicleFacts } from './officer-vehicle-facts.js';
import { EVERY_FACT, type FactNeed, type FactWindow, type Queryable, type SubjectFacts, type SubjectSelection } from './queryable.js';
import { sourceFacts } from './source-facts.js';
import { unitFacts } from './unit-facts.js';
import { vehicleFacts } from './vehicle-facts.js';
import { violationFacts, violationFactsOverWindows } from './violation-facts.js';

type Provider = (db: Queryable, window: FactWindow, selection: SubjectSelection, needs: FactNeed, profiles?: readonly SourceProfile[]) => Promise<SubjectFacts[]>;

const PROVIDERS: Record<SubjectKind, Provider> = {
  officer: (db, window, selection, _needs, profiles) => officerFacts(db, window, selection, profiles),
  vehicle: vehicleFacts,
  officer_vehicle: officerVehicleFacts,
  camera: cameraFacts,
  unit: unitFacts,
  violation: violationFacts,
  source: sourceFacts,
};

/**
 * The facts of the rule catalogue for one kind of subject over one window, computed
 * set-based. `profiles`: what each source sends (sourceProfiles), which decides what can
 * be judged; computed here, as the ledger stood at the window's end, when not given.
 */
export function computeFacts(db: Queryable, kind: SubjectKind, window: FactWindow, selection: SubjectSelection, needs: FactNeed = EVERY_FACT, profiles?: readonly SourceProfile[]): Promise<SubjectFacts[]> {
  return PROVIDERS[kind](db, window, selection, needs, profiles);
}

/** Kinds whose facts over several windows ending together cost less computed at once than window by window. */
export const KINDS_SHARING_WINDOWS: ReadonlySet<SubjectKind> = new Set(['violation', 'officer']);

/** The facts of one kind over several windows ending at the same instant, in the order of the windows. */
export async function computeFactsOverWindows(
  db: Queryable,
  kind: SubjectKind,
  windows: readonly FactWindow[],
  selection: SubjectSelection,
  profiles?: readonly SourceProfile[],
): Promise<SubjectFacts[][]> {
  if (kind === 'violation') return violationFactsOverWindows(db, windows, selection);
  if (kind === 'officer') return officerFactsOverWindows(db, windows, selection, profiles);
  const out: SubjectFacts[][] = [];
  for (const w of windows) out.push(await computeFacts(db, kind, w, selection, EVERY_FACT, profiles));
  return out;
}
