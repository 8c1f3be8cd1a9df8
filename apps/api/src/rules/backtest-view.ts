import type { FlagRepository, PseudonymRepository } from '@qadaga/db';
import type { BacktestOutcomeCounts } from '@qadaga/contracts/api';
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
  rule: { id: string; subject: string },
  principal: Principal,
  readers: { pseudonyms: PseudonymRepository; recusal: RecusalCheck; flags: FlagRepository },
): Promise<BacktestView> {
  const subjectKind = rule.subject;
  const { pseudonyms } = readers;
  const result = await withoutRecusedSubjects(stored, rule, principal, readers);
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
 * The subjects a reader is recused from leave the lists, and their closed cases leave the
 * outcome counts: a pseudonym would still let them follow how a draft treats their own
 * officer record or unit, and a count that still held a case about it would tell them,
 * set beside another reader's, how that case ended. The totals are counted again without
 * them, and the weekly counts and distributions, which hold them inseparably, are left out.
 */
async function withoutRecusedSubjects(
  result: BacktestResult,
  rule: { id: string; subject: string },
  principal: Principal,
  readers: { recusal: RecusalCheck; flags: FlagRepository },
): Promise<BacktestResult> {
  if (!recusalOf(principal).applies) return result;
  const ids = [...new Set([...result.flags.map((f) => f.subjectId), ...result.diff.added, ...result.diff.removed])];
  const covered = await readers.recusal.coversSubjects(principal, ids.map((id) => ({ kind: rule.subject, id })));
  const withheld = new Set(ids.filter((_, i) => covered[i] === true));
  if (withheld.size === 0) return result;
  const keep = (id: string) => !withheld.has(id);
  const added = result.diff.added.filter(keep);
  const removed = result.diff.removed.filter(keep);
  const labels = await readers.flags.latestLabels(rule.id, rule.subject, [...added, ...removed]);
  const flags = result.flags.filter((f) => keep(f.subjectId));
  // Every withheld subject was judged (it is flagged, or in the diff), so it leaves the judged count too.
  const subjects = Math.max(0, result.subjects - withheld.size);
  const share = subjects === 0 ? 0 : flags.length / subjects;
  return {
    ...result,
    subjects,
    flags,
    diff: { ...result.diff, added, removed },
    outcomes: { added: outcomeCounts(added, labels), removed: outcomeCounts(removed, labels) },
    flaggedShare: { ...result.flaggedShare, flagged: flags.length, subjects, share, exceeded: share > result.flaggedShare.limit },
    // Counted over every flagged subject's events and every judged subject's fact: they cannot be taken apart here.
    perWeek: [],
    distributions: [],
    withheldForRecusal: withheld.size,
  };
}

/**
 * The outcomes of the subjects left, counted again as the backtest counts them rather than
 * by taking the withheld ones off: a stored job result predates labels set since, and a
 * count taken off under today's label could leave one the list no longer explains.
 */
function outcomeCounts(subjects: readonly string[], labels: ReadonlyMap<string, string>): BacktestOutcomeCounts {
  const counts = { substantiated: 0, unfounded: 0, unjudged: 0 };
  for (const id of subjects) {
    const label = labels.get(id);
    counts[label === 'substantiated' || label === 'unfounded' ? label : 'unjudged'] += 1;
  }
  return counts;
}
