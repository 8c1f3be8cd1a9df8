import { againstPeers, COUNT_MAD_FLOOR } from './peer-baseline.js';
import type { SourceProfile } from '@qadaga/domain';
import { profilesOr } from './source-profiles.js';
import { UNIT_ROLLUP_FACTS, unitRollupFacts, unitRollups } from './rollup-facts.js';
import { EVERY_FACT, EVIDENCE_LIMIT, onlyNeededGroups, toNumber, type FactNeed, type FactWindow, type Queryable, type SubjectFacts, type SubjectSelection } from './queryable.js';

/**
 * Daily cancellations per unit (by its officers, on local calendar days), leaving out
 * lawful voids: a faulty camera's detections cancelled together citing one act. The
 * busiest remaining day is compared with the unit's own days (robust z, and an EWMA
 * control limit built from the days before it), and described by how many cameras and
 * acts it covers: a clean-up before an audit spreads over many of both.
 */
/** Cancellations of one camera citing one act on one day from which they read as a lawful void. */
const LAWFUL_VOID_MIN = 5;

const UNIT_DAYS_SQL = `
WITH c AS (
  SELECT o.unit, (e.occurred_at AT TIME ZONE $5)::date AS day, (e.source || '|' || e.event_id) AS event_id, e.occurred_at, v.camera_id,
    coalesce(e.payload->>'reference', e.payload->>'legalBasis', e.payload->>'reasonCode') AS act
  FROM ledger_event e JOIN officer o ON o.id = e.actor_id LEFT JOIN violation v ON v.ref = e.violation_ref
  WHERE e.type = 'cancelled' AND e.occurred_at >= $1 AND e.occurred_at < $2 AND ($4::boolean OR o.unit = ANY($3::text[]))
),
-- A lawful void: many detections of one camera cancelled on one day citing one act.
voids AS (
  SELECT unit, day, camera_id, act FROM c WHERE camera_id IS NOT NULL
  GROUP BY unit, day, camera_id, act HAVING count(*) >= ${LAWFUL_VOID_MIN}
),
unexplained AS (
  SELECT c.* FROM c LEFT JOIN voids w ON w.unit = c.unit AND w.day = c.day AND w.camera_id = c.camera_id AND w.act = c.act
  WHERE w.unit IS NULL
),
per_day AS (
  SELECT unit, day, count(*) AS n, count(DISTINCT camera_id) AS cameras, count(DISTINCT act) AS acts,
    (SELECT max(k) FROM (SELECT count(*) AS k FROM unexplained u2 WHERE u2.unit = u.unit AND u2.day = u.day GROUP BY u2.act) t) AS top_act,
    (array_agg(event_id ORDER BY occurred_at))[1:${EVIDENCE_LIMIT}] AS events
  FROM unexplained u GROUP BY unit, day
)
SELECT unit, day::text AS day, n, cameras, acts, top_act, events,
  (SELECT count(*) FROM voids w WHERE w.unit = per_day.unit) AS lawful_voids
FROM per_day ORDER BY unit, day
`;

interface DayRow {
  unit: string;
  day: string;
  n: string;
  cameras: string;
  acts: string;
  top_act: string;
  events: string[];
}

const EWMA_LAMBDA = 0.2;
const EWMA_L = 3;

/** The facts of a unit's peak cancellation day (mass cancellation), computed apart from its roll-ups. */
const UNIT_PEAK_FACTS = ['peakDay', 'peakDayCancellations', 'dailyCancellationMedian', 'dailyCancellationMad', 'peakRobustZ', 'ewmaUpperLimit', 'peakDayDistinctCameras', 'peakDayDistinctActs', 'peakDaySingleActShare', 'evidenceEventIds'];

export async function unitFacts(db: Queryable, window: FactWindow, selection: SubjectSelection, needs: FactNeed = EVERY_FACT, profiles?: readonly SourceProfile[]): Promise<SubjectFacts[]> {
  const ids = 'ids' in selection ? [...selection.ids] : [];
  const groups = [UNIT_PEAK_FACTS, UNIT_ROLLUP_FACTS] as const;
  // One connection: the queries run one after the other, each only when its facts are read.
  const { rows } = UNIT_PEAK_FACTS.some(needs) ? await db.query<DayRow>(UNIT_DAYS_SQL, [window.from, window.to, ids, 'all' in selection, window.timeZone]) : { rows: [] as DayRow[] };
  const rollups = UNIT_ROLLUP_FACTS.some(needs) ? await unitRollups(db, window, selection, await profilesOr(db, window, profiles)) : new Map<string, never>();
  const byUnit = new Map<string, DayRow[]>();
  for (const row of rows) byUnit.set(row.unit, [...(byUnit.get(row.unit) ?? []), row]);
  const totalDays = Math.max(1, Math.round((window.to.getTime() - window.from.getTime()) / 86_400_000));
  const out: SubjectFacts[] = [];
  for (const [unit, days] of byUnit) {
    // Days without a cancellation count as zero: a quiet unit's baseline is low.
    const counts = [...days.map((d) => toNumber(d.n)), ...Array<number>(Math.max(0, totalDays - days.length)).fill(0)];
    const peak = days.reduce((best, d) => (toNumber(d.n) > toNumber(best.n) ? d : best));
    const before = days.filter((d) => d.day < peak.day).map((d) => toNumber(d.n));
    const quietDaysBefore = Math.max(0, Math.round((Date.parse(peak.day) - window.from.getTime()) / 86_400_000) - before.length);
    const history = [...Array<number>(quietDaysBefore).fill(0), ...before];
    const baseline = againstPeers(toNumber(peak.n), counts, COUNT_MAD_FLOOR);
    out.push({
      id: unit,
      facts: onlyNeededGroups({
        unit,
        peakDay: peak.day,
        peakDayCancellations: toNumber(peak.n),
        dailyCancellationMedian: baseline.median,
        dailyCancellationMad: baseline.mad,
        peakRobustZ: baseline.z,
        ewmaUpperLimit: ewmaUpperLimit(history),
        peakDayDistinctCameras: toNumber(peak.cameras),
        peakDayDistinctActs: toNumber(peak.acts),
        peakDaySingleActShare: toNumber(peak.n) > 0 ? toNumber(peak.top_act) / toNumber(peak.n) : 0,
        evidenceEventIds: peak.events,
        ...unitRollupFacts(rollups.get(unit), window),
      }, groups, needs),
    });
  }
  // Units with omissions to answer for but no cancellation in the window.
  for (const [unit, entry] of rollups) {
    if (byUnit.has(unit)) continue;
    out.push({
      id: unit,
      facts: onlyNeededGroups({
        unit,
        peakDay: null,
        peakDayCancellations: 0,
        dailyCancellationMedian: 0,
        dailyCancellationMad: 0,
        peakRobustZ: 0,
        ewmaUpperLimit: 0,
        peakDayDistinctCameras: 0,
        peakDayDistinctActs: 0,
        peakDaySingleActShare: 0,
        evidenceEventIds: [],
        ...unitRollupFacts(entry, window),
      }, groups, needs),
    });
  }
  return out;
}

/** The EWMA chart's upper control limit after the given history (steady-state form). */
function ewmaUpperLimit(history: number[]): number {
  if (history.length === 0) return 0;
  const mean = history.reduce((a, b) => a + b, 0) / history.length;
  const variance = history.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, history.length - 1);
  let ewma = mean;
  for (const x of history) ewma = EWMA_LAMBDA * x + (1 - EWMA_LAMBDA) * ewma;
  return ewma + EWMA_L * Math.sqrt(variance * (EWMA_LAMBDA / (2 - EWMA_LAMBDA)));
}
