import type { PseudonymRepository } from '@qadaga/db';
import type { BacktestResult } from '@qadaga/detection';
import type { Principal } from '../auth/principal.js';
import { recusalOf, type RecusalCheck } from '../auth/recusal.js';
import { Pseudonymiser, needsPseudonyms } from '../privacy/pseudonymise.js';

export type BacktestView = BacktestResult | (BacktestResult & { pseudonymised: true });

/**
 * A backtest as its reader may see it. Rule authors judge patterns, not people: officers
 * and plates reach them as pseudonyms. Applied when a result is read, never when it is
 * computed or stored, so one stored job result serves readers of every role.
 */
export async function backtestForReader(
  stored: BacktestResult,
  subjectKind: string,
  principal: Principal,
  pseudonyms: PseudonymRepository,
  recusal: RecusalCheck,
): Promise<BacktestView> {
  const result = await withoutRecusedSubjects(stored, subjectKind, principal, recusal);
  if (!needsPseudonyms(principal)) return result;
  const ids = [...result.flags.map((f) => f.subjectId), ...result.diff.added, ...result.diff.removed];
  const names = await Pseudonymiser.for(pseudonyms, subjectKind, ids);
  return {
    ...result,
    pseudonymised: true,
    flags: result.flags.map((f) => ({
      ...f,
      subjectId: names.subject(subjectKind, f.subjectId),
      explanation: Object.fromEntries(Object.entries(f.explanation).map(([k, v]) => [k, names.text(v)])),
    })),
    diff: {
      ...result.diff,
      added: result.diff.added.map((s) => names.subject(subjectKind, s)),
      removed: result.diff.removed.map((s) => names.subject(subjectKind, s)),
    },
  };
}

/**
 * The subjects a reader is recused from leave the lists: a pseudonym would still let them
 * follow how a draft treats their own officer record or unit.
 */
async function withoutRecusedSubjects(result: BacktestResult, subjectKind: string, principal: Principal, check: RecusalCheck): Promise<BacktestResult> {
  if (!recusalOf(principal).applies) return result;
  const ids = [...new Set([...result.flags.map((f) => f.subjectId), ...result.diff.added, ...result.diff.removed])];
  const covered = await check.coversSubjects(principal, ids.map((id) => ({ kind: subjectKind, id })));
  const withheld = new Set(ids.filter((_, i) => covered[i] === true));
  const keep = (id: string) => !withheld.has(id);
  return {
    ...result,
    flags: result.flags.filter((f) => keep(f.subjectId)),
    diff: { ...result.diff, added: result.diff.added.filter(keep), removed: result.diff.removed.filter(keep) },
  };
}
