import type { PseudonymRepository } from '@qadaga/db';
import type { BacktestResult } from '@qadaga/detection';
import type { Principal } from '../auth/principal.js';
import { Pseudonymiser, needsPseudonyms } from '../privacy/pseudonymise.js';

export type BacktestView = BacktestResult | (BacktestResult & { pseudonymised: true });

/**
 * A backtest as its reader may see it. Rule authors judge patterns, not people: officers
 * and plates reach them as pseudonyms. Applied when a result is read, never when it is
 * computed or stored, so one stored job result serves readers of every role.
 */
export async function backtestForReader(result: BacktestResult, subjectKind: string, principal: Principal, pseudonyms: PseudonymRepository): Promise<BacktestView> {
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
