/**
 * Nobody judges themselves or their own unit. A person linked to an officer record or a
 * unit is recused from everything about that officer or any officer of that unit: flags,
 * cases, bundles, profiles, violations they handled. This is the one statement of that
 * rule; storage filters with `subjects`, the API asks the predicates.
 */
/** The officer id a subject id starts with: the whole id, or the officer half of "officer|plate". */
export function subjectHead(subjectId: string): string {
  return subjectId.split('|')[0] ?? subjectId;
}

/** The officer a subject of this kind names, if it names one (an officer, or an officer-vehicle pair). */
export function officerOfSubject(kind: string, subjectId: string): string | null {
  return kind === 'officer' || kind === 'officer_vehicle' ? subjectHead(subjectId) : null;
}

export interface RecusalLinks {
  officerId?: string | null;
  unit?: string | null;
}

export class Recusal {
  private readonly officerId: string | null;
  private readonly unit: string | null;

  constructor(links: RecusalLinks) {
    this.officerId = nonEmpty(links.officerId);
    this.unit = nonEmpty(links.unit);
  }

  /** False for the many people linked to no officer or unit: nothing is withheld from them. */
  get applies(): boolean {
    return this.officerId !== null || this.unit !== null;
  }

  /** The officer id and unit name, as subject ids and units are compared against them in SQL. */
  get subjects(): string[] {
    return [this.officerId, this.unit].filter((s): s is string => s !== null);
  }

  /** An officer, with the unit they served in when it is known. */
  coversOfficer(officerId: string | null | undefined, unit: string | null | undefined): boolean {
    return (this.officerId !== null && officerId === this.officerId) || this.coversUnit(unit);
  }

  coversUnit(unit: string | null | undefined): boolean {
    return this.unit !== null && unit === this.unit;
  }

  /**
   * A flag's or case's subject: an officer id, the officer half of an "officer|plate" pair,
   * or a unit name, with the unit the subject was judged in. A plate, camera or violation
   * subject is covered through its unit only.
   */
  coversSubject(subjectId: string, unit: string | null | undefined): boolean {
    if (!this.applies) return false;
    return this.subjects.includes(subjectHead(subjectId)) || this.coversUnit(unit);
  }

  /** Whether any of these officer ids or unit names is one the person is recused from. */
  coversAny(names: Iterable<string | null | undefined>): boolean {
    if (!this.applies) return false;
    for (const name of names) if (name !== null && name !== undefined && this.subjects.includes(name)) return true;
    return false;
  }
}

function nonEmpty(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
