import type { BundleRecord, CaseRepository } from '@qadaga/db';
import type { Recusal } from '@qadaga/domain';

/**
 * Whether a bundle holds, or will hold, anything about an officer or unit the reader is
 * recused from. A finished bundle says what its flags were about; until then a case's
 * bundle is judged by the case's flags, and a query's by the subjects it names.
 */
export async function bundleConcernsRecused(bundle: BundleRecord, recusal: Recusal, cases: CaseRepository): Promise<boolean> {
  if (!recusal.applies) return false;
  if (recusal.coversAny(bundle.concerns)) return true;
  if (bundle.caseId !== null && recusal.coversAny(await cases.subjectsOf(bundle.caseId))) return true;
  const named = (bundle.query?.['subjects'] ?? []) as { id?: unknown }[];
  return named.some((s) => typeof s.id === 'string' && recusal.coversSubject(s.id, null));
}
