import type { PseudonymKind, PseudonymRepository } from '@qadaga/db';
import type { Principal } from '../auth/principal.js';

/** Roles whose work needs real identities; everyone else sees pseudonyms. */
const SEES_IDENTITIES = new Set(['prosecutor', 'auditor', 'admin']);

export function needsPseudonyms(principal: Principal): boolean {
  return !principal.roles.some((r) => SEES_IDENTITIES.has(r));
}

/** The personal parts of a subject id of a kind: an officer id, a plate, or both for a pair. */
function personalParts(subjectKind: string, subjectId: string): { kind: PseudonymKind; value: string }[] {
  if (subjectKind === 'officer') return [{ kind: 'officer', value: subjectId }];
  if (subjectKind === 'vehicle') return [{ kind: 'plate', value: subjectId }];
  if (subjectKind === 'officer_vehicle') {
    const [officer, plate] = subjectId.split('|');
    return [
      ...(officer === undefined ? [] : [{ kind: 'officer' as const, value: officer }]),
      ...(plate === undefined ? [] : [{ kind: 'plate' as const, value: plate }]),
    ];
  }
  return [];
}

/**
 * Replaces every officer id and plate in subject ids and in the texts that name them with
 * stable pseudonyms. Texts are rewritten by exact replacement of the identities the
 * subject ids carry, longest first, so "OFF-12" is not half-replaced inside "OFF-123".
 */
export class Pseudonymiser {
  private readonly names = new Map<string, string>();

  private constructor() {}

  static async for(repo: PseudonymRepository, subjectKind: string, subjectIds: readonly string[]): Promise<Pseudonymiser> {
    const p = new Pseudonymiser();
    const parts = subjectIds.flatMap((id) => personalParts(subjectKind, id));
    for (const kind of ['officer', 'plate'] as const) {
      const values = parts.filter((x) => x.kind === kind).map((x) => x.value);
      for (const [value, pseudonym] of await repo.pseudonymsFor(kind, values)) p.names.set(value, pseudonym);
    }
    return p;
  }

  subject(subjectKind: string, subjectId: string): string {
    if (subjectKind === 'officer_vehicle') return subjectId.split('|').map((x) => this.names.get(x) ?? x).join('|');
    return this.names.get(subjectId) ?? subjectId;
  }

  text(text: string): string {
    let out = text;
    for (const value of [...this.names.keys()].sort((a, b) => b.length - a.length)) out = out.split(value).join(this.names.get(value) as string);
    return out;
  }
}
