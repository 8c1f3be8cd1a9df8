import { HttpStatus } from '@nestjs/common';
import { apiError } from '../http/api-error.js';
import type { Principal } from './principal.js';

/** The officer and unit a user must not judge: flags and cases about them are withheld. */
export function recusedSubjects(principal: Principal): string[] {
  return [principal.officerId, principal.unit].filter((s): s is string => typeof s === 'string' && s !== '');
}

/** Whether something about this subject (an officer, "officer|plate" pair) or unit is withheld from the principal. */
export function isRecused(principal: Principal, subjectId: string, unit: string | null): boolean {
  const recused = recusedSubjects(principal);
  if (recused.length === 0) return false;
  return recused.includes(subjectId.split('|')[0] ?? subjectId) || (unit !== null && recused.includes(unit));
}

export function refuseRecused(what: string) {
  return apiError(HttpStatus.FORBIDDEN, `you are recused from ${what}: it concerns your own officer record or unit`, []);
}
