import type pg from 'pg';
import { SCHEME_IDS, type GroundTruth, type SchemeId } from '@qadaga/domain';

export interface SchemeQuality {
  scheme: SchemeId;
  truth: number;
  flagged: number;
  found: number;
  recall: number;
  precision: number;
  missed: string[];
  falsePositives: string[];
}

export interface QualityReport {
  schemes: SchemeQuality[];
  lookalikesFlagged: { lookalike: string; subject: string; flags: string[] }[];
}

/**
 * Schemes whose rules roll violations up per responsible subject (a unit, a source): the
 * flag's fact that lists its violations. The ground truth names violations, so such a flag
 * flags each violation it lists.
 */
export const ROLLUP_REFS_FACT: Partial<Record<SchemeId, string>> = {
  unreviewed_detection: 'unreviewedRefs',
  confirmed_without_notice: 'withoutNoticeRefs',
  notice_not_delivered: 'undeliveredRefs',
  paid_without_treasury: 'unmatchedRefs',
};

/**
 * Scores the flags in the database against a simulation's ground truth: per scheme, the
 * share of planted subjects flagged (recall) and the share of flags that hit a planted
 * subject (precision); and every innocent look-alike that any rule flagged. A roll-up flag
 * counts as a flag on each violation it lists.
 */
export async function scoreAgainstTruth(pool: pg.Pool, truth: GroundTruth): Promise<QualityReport> {
  const { rows: flags } = await pool.query<{ scheme: string; subject_kind: string; subject_id: string; rule_id: string; refs: unknown }>(
    "SELECT scheme, subject_kind, subject_id, rule_id, facts -> ($1::jsonb ->> scheme) AS refs FROM flag WHERE status <> 'dismissed'",
    [JSON.stringify(ROLLUP_REFS_FACT)],
  );
  const rows = flags.flatMap((r) => {
    const { refs, ...flag } = r;
    if (!Array.isArray(refs) || r.subject_kind === 'violation') return [flag];
    return refs.filter((ref): ref is string => typeof ref === 'string').map((ref) => ({ ...flag, subject_kind: 'violation', subject_id: ref }));
  });
  const schemes: SchemeQuality[] = SCHEME_IDS.map((scheme) => {
    const planted = new Set(truth.schemes.filter((s) => s.scheme === scheme).flatMap((s) => s.subjects.map((x) => x.id)));
    const flagged = new Set(rows.filter((r) => r.scheme === scheme).map((r) => r.subject_id));
    const found = [...planted].filter((id) => flagged.has(id));
    return {
      scheme,
      truth: planted.size,
      flagged: flagged.size,
      found: found.length,
      recall: planted.size === 0 ? 1 : found.length / planted.size,
      precision: flagged.size === 0 ? (planted.size === 0 ? 1 : 0) : found.length / flagged.size,
      missed: [...planted].filter((id) => !flagged.has(id)).sort(),
      falsePositives: [...flagged].filter((id) => !planted.has(id)).sort(),
    };
  });
  const lookalikesFlagged: QualityReport['lookalikesFlagged'] = [];
  for (const look of truth.lookalikes) {
    for (const subject of look.subjects) {
      // An officer is also flagged through an officer-vehicle pair that names them.
      const hits = rows.filter(
        (r) =>
          (r.subject_kind === subject.kind && r.subject_id === subject.id) ||
          (subject.kind === 'officer' && r.subject_kind === 'officer_vehicle' && r.subject_id.split('|')[0] === subject.id),
      );
      if (hits.length > 0) lookalikesFlagged.push({ lookalike: look.lookalike, subject: `${subject.kind}:${subject.id}`, flags: hits.map((h) => h.rule_id) });
    }
  }
  return { schemes, lookalikesFlagged };
}
