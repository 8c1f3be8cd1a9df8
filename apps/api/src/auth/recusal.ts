import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { OfficerUnits } from '@qadaga/db';
import { Recusal, officerOfSubject } from '@qadaga/domain';
import { apiError } from '../http/api-error.js';
import type { Principal } from './principal.js';

/** The officer and unit the principal must not judge (none for keys and unlinked people). */
export function recusalOf(principal: Principal): Recusal {
  return new Recusal({ officerId: principal.officerId ?? null, unit: principal.unit ?? null });
}

/** The officer and unit a user must not judge: flags and cases about them are withheld. */
export function recusedSubjects(principal: Principal): string[] {
  return recusalOf(principal).subjects;
}

/** Whether something about this subject (an officer, "officer|plate" pair, unit) judged in this unit is withheld from the principal. */
export function isRecused(principal: Principal, subjectId: string, unit: string | null): boolean {
  return recusalOf(principal).coversSubject(subjectId, unit);
}

export function refuseRecused(what: string) {
  return apiError(HttpStatus.FORBIDDEN, `you are recused from ${what}: it concerns your own officer record or unit`, []);
}

/**
 * Recusal where an answer names officers without their units (a violation's handlers, a
 * camera's reviewers): the roster supplies the units, so a whole unit's work is withheld.
 */
@Injectable()
export class RecusalCheck {
  constructor(@Inject(OfficerUnits) private readonly units: OfficerUnits) {}

  /** The officers among these the principal is recused from, by id or by the roster's unit. */
  async recusedOfficers(principal: Principal, officers: Iterable<{ id: string; unit?: string | null }>): Promise<Set<string>> {
    const recusal = recusalOf(principal);
    const list = [...officers];
    if (!recusal.applies || list.length === 0) return new Set();
    const roster = await this.units.of(list.map((o) => o.id));
    return new Set(list.filter((o) => recusal.coversOfficer(o.id, o.unit) || recusal.coversUnit(roster.get(o.id))).map((o) => o.id));
  }

  /**
   * For each subject a person names (to suppress, to export, in a backtest's list), whether
   * they are recused from it: by the subject itself, or by the roster's unit of the officer
   * it names.
   */
  async coversSubjects(principal: Principal, subjects: readonly { kind: string; id: string }[]): Promise<boolean[]> {
    const recusal = recusalOf(principal);
    if (!recusal.applies) return subjects.map(() => false);
    const officers = subjects.map((s) => officerOfSubject(s.kind, s.id));
    const recused = await this.recusedOfficers(principal, officers.flatMap((id) => (id === null ? [] : [{ id }])));
    return subjects.map((s, i) => recusal.coversSubject(s.id, null) || recused.has(officers[i] ?? ''));
  }
}
