import { EVENT_TYPES, type SourceProfile } from '@qadaga/domain';
import { profilesOr } from './source-profiles.js';
import { SOURCE_ROLLUP_FACTS, sourceRollupFacts, sourceRollups } from './rollup-facts.js';
import { EVERY_FACT, EVIDENCE_LIMIT, onlyNeededGroups, toNumber, type FactNeed, type FactWindow, type Queryable, type SubjectFacts, type SubjectSelection } from './queryable.js';

/** Numbers of one gap checked against the whole ledger; beyond, they are counted missing unchecked. */
const CHECKED_PER_GAP = 1_000;
const FIRST_MISSING = 20;

/**
 * Per source system: holes in the numbering of its event ids. An id that ends in a number
 * is split into a stem (everything before the number) and the number; each stem is one
 * numbering ("REG-V000123-" numbers one violation's register events, "CAM-" a whole
 * camera feed). A numbering shared by several sources (one upstream counter) is read as
 * one. Within the window, consecutive numbers of a stem must follow each other; a number
 * between two present ones that no event of the neighbouring sources carries (on any
 * date, so a late or backdated event is not a hole) is missing, and the hole is the
 * source's that numbered the event before it. One pass over the window's events with a
 * window function; only the numbers of a hole are looked up, in the ledger's key table.
 */
const SOURCE_SQL = `
WITH numbered AS (
  SELECT e.source, e.event_id, substring(e.event_id FROM '^(.*?)[0-9]+$') AS stem, substring(e.event_id FROM '([0-9]+)$') AS digits
  FROM ledger_event e
  -- Every lifecycle type ($5) named, so the window is one range of the type-and-time index
  -- per type, read from the index alone, rather than the whole index or table scanned.
  WHERE e.type = ANY($5::text[]) AND e.occurred_at >= $1 AND e.occurred_at < $2 AND e.event_id ~ '[0-9]$'
),
ordered AS (
  SELECT source, stem, event_id, digits, digits::numeric AS n,
    lead(digits::numeric) OVER w AS next_n, lead(event_id) OVER w AS next_id, lead(source) OVER w AS next_source
  FROM numbered WINDOW w AS (PARTITION BY stem ORDER BY digits::numeric, source)
),
per_source AS (
  SELECT source, count(*) AS numbered, count(DISTINCT stem) AS sequences FROM ordered GROUP BY source
),
gap AS (
  SELECT source, next_source, stem, event_id, next_id, digits, n, next_n, next_n - n - 1 AS width FROM ordered WHERE next_n - n > 1
),
candidate AS (
  -- Zero-padded numbering keeps its width: "CAM-0099" is followed by "CAM-0100".
  SELECT g.source, g.next_source, g.event_id, k,
    g.stem || CASE WHEN left(g.digits, 1) = '0' THEN lpad(k::text, length(g.digits), '0') ELSE k::text END AS missing_id
  FROM gap g, LATERAL generate_series(g.n + 1, least(g.next_n - 1, g.n + ${CHECKED_PER_GAP})) AS k
),
found AS (
  SELECT c.source, c.event_id, c.missing_id, c.k FROM candidate c
  EXCEPT ALL
  SELECT c.source, c.event_id, c.missing_id, c.k FROM candidate c
  JOIN ledger_event_key x ON x.source IN (c.source, c.next_source) AND x.event_id = c.missing_id
),
per_gap AS (
  SELECT g.source, g.event_id, g.next_source, g.next_id, g.width - (least(g.width, ${CHECKED_PER_GAP}) - count(f.k)) AS missing
  FROM gap g LEFT JOIN found f ON f.source = g.source AND f.event_id = g.event_id
  GROUP BY g.source, g.event_id, g.next_source, g.next_id, g.width
  HAVING g.width - (least(g.width, ${CHECKED_PER_GAP}) - count(f.k)) > 0
),
gaps AS (
  SELECT source, sum(missing) AS missing, count(*) AS gaps, max(missing) AS largest,
    (array_agg(source || '|' || event_id ORDER BY event_id) || array_agg(next_source || '|' || next_id ORDER BY event_id))[1:${EVIDENCE_LIMIT}] AS evidence
  FROM per_gap GROUP BY source
),
first_missing AS (
  SELECT source, (array_agg(missing_id ORDER BY event_id, k))[1:${FIRST_MISSING}] AS ids FROM found GROUP BY source
)
SELECT p.source, s.kind AS source_kind, p.numbered, p.sequences, coalesce(g.missing, 0) AS missing, coalesce(g.gaps, 0) AS gaps,
  coalesce(g.largest, 0) AS largest, coalesce(m.ids, '{}') AS first_missing, coalesce(g.evidence, '{}') AS evidence
FROM per_source p LEFT JOIN gaps g ON g.source = p.source LEFT JOIN first_missing m ON m.source = p.source
LEFT JOIN source_system s ON s.code = p.source
WHERE $4::boolean OR p.source = ANY($3::text[])
ORDER BY p.source
`;

interface SourceRow {
  source: string;
  source_kind: string | null;
  numbered: string;
  sequences: string;
  missing: string;
  gaps: string;
  largest: string;
  first_missing: string[];
  evidence: string[];
}

/** The facts of a source's id numbering (source id gaps), computed apart from its roll-ups. */
const SOURCE_GAP_FACTS = ['sourceKind', 'numberedEvents', 'idSequences', 'missingIds', 'gaps', 'largestGap', 'missingShare', 'firstMissingIds', 'evidenceEventIds'];

export async function sourceFacts(db: Queryable, window: FactWindow, selection: SubjectSelection, needs: FactNeed = EVERY_FACT, profiles?: readonly SourceProfile[]): Promise<SubjectFacts[]> {
  const ids = 'ids' in selection ? [...selection.ids] : [];
  const groups = [SOURCE_GAP_FACTS, SOURCE_ROLLUP_FACTS] as const;
  // One connection: the queries run one after the other, each only when its facts are read.
  const { rows } = SOURCE_GAP_FACTS.some(needs) ? await db.query<SourceRow>(SOURCE_SQL, [window.from, window.to, ids, !('ids' in selection), EVENT_TYPES]) : { rows: [] as SourceRow[] };
  const rollups = SOURCE_ROLLUP_FACTS.some(needs) ? await sourceRollups(db, window, selection, await profilesOr(db, window, profiles)) : new Map<string, never>();
  const out = rows.map((r) => {
    const numbered = toNumber(r.numbered);
    const missing = toNumber(r.missing);
    return {
      id: r.source,
      facts: onlyNeededGroups({
        source: r.source,
        sourceKind: r.source_kind,
        numberedEvents: numbered,
        idSequences: toNumber(r.sequences),
        missingIds: missing,
        gaps: toNumber(r.gaps),
        largestGap: toNumber(r.largest),
        missingShare: missing === 0 ? 0 : missing / (missing + numbered),
        firstMissingIds: r.first_missing,
        evidenceEventIds: r.evidence,
        ...sourceRollupFacts(rollups.get(r.source), window),
      }, groups, needs),
    };
  });
  // A source every event of which in the window has an id that ends in no number has no
  // numbering to judge, but may still have omissions to answer for.
  const numberedSources = new Set(rows.map((r) => r.source));
  for (const [source, entry] of rollups) {
    if (numberedSources.has(source)) continue;
    out.push({
      id: source,
      facts: onlyNeededGroups({
        source,
        sourceKind: null,
        numberedEvents: 0,
        idSequences: 0,
        missingIds: 0,
        gaps: 0,
        largestGap: 0,
        missingShare: 0,
        firstMissingIds: [],
        evidenceEventIds: [],
        ...sourceRollupFacts(entry, window),
      }, groups, needs),
    });
  }
  return out;
}
