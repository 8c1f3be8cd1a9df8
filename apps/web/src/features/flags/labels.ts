import type { FlagStatus } from '@qadaga/contracts/api';
import type { Severity } from '@qadaga/domain';

/** Literal keys, so the locale test can see every text the workbench may show. */
export const SEVERITY_KEYS: Record<Severity, string> = {
  low: 'severity.low',
  medium: 'severity.medium',
  high: 'severity.high',
  critical: 'severity.critical',
};

export const FLAG_STATUS_KEYS: Record<FlagStatus, string> = {
  new: 'flagStatus.new',
  triaged: 'flagStatus.triaged',
  dismissed: 'flagStatus.dismissed',
  in_case: 'flagStatus.in_case',
};

export const SUBJECT_KIND_KEYS: Record<string, string> = {
  officer: 'subjectKind.officer',
  vehicle: 'subjectKind.vehicle',
  officer_vehicle: 'subjectKind.officer_vehicle',
  camera: 'subjectKind.camera',
  unit: 'subjectKind.unit',
  violation: 'subjectKind.violation',
  source: 'subjectKind.source',
};

export function subjectKindKey(kind: string): string {
  return SUBJECT_KIND_KEYS[kind] ?? 'subjectKind.other';
}
