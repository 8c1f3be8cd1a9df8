import type pg from 'pg';
import { plateKey, plateKeyVariants } from '@qadaga/domain';
import type { SearchCamera, SearchCase, SearchFindings, SearchOfficer, SearchVehicle, SearchViolation } from '@qadaga/contracts/api';

/**
 * A prefix as an index range: `column >= p AND column < p || U+10FFFF`, which the existing
 * B-trees answer by seeking (a LIKE prefix seeks only under the "C" collation or with a
 * pattern-ops index, and PostgreSQL 15 does not count C.UTF-8 as "C"). The range holds
 * every match under a code-point collation (C, C.UTF-8, as the product's databases are
 * made); under a linguistic one it may miss some, never add any: starts_with keeps the
 * answer exact. A text_pattern_ops index would make it collation-proof.
 */
const PREFIX = (column: string, param: string) => `(${column} >= ${param} AND ${column} < ${param} || chr(1114111) AND starts_with(${column}, ${param}))`;

/** A word inside ILIKE, its wildcards taken literally. */
const likeWord = (word: string) => `%${word.replace(/[\\%_]/gu, (c) => `\\${c}`)}%`;

/** The spellings of an id a person may type in another case: as typed, upper and lower case. */
const caseVariants = (text: string) => [...new Set([text, text.toUpperCase(), text.toLowerCase()])];

/** Actor ids taken from the ledger's actor index per spelling before they are judged officers or not. */
const ACTORS_WALKED = 40;

/**
 * The one search box: every lookup seeks an index (vehicle and violation plate keys,
 * the officer roster's and the ledger's actor index, violation and case-number keys).
 * Distinct plate keys and actor ids are walked one index probe at a time (a loose index
 * scan), so a prefix that matches a million events reads a few dozen index entries, not
 * the events. Only case titles are matched by ILIKE over the case table itself.
 */
export class SearchRepository {
  constructor(private readonly pool: pg.Pool) {}

  async find(q: string, limit: number): Promise<SearchFindings> {
    const [vehicles, officers, cameras, violations, cases] = await Promise.all([
      this.vehicles(q, limit), this.officers(q, limit), this.cameras(q, limit), this.violations(q, limit), this.cases(q, limit),
    ]);
    return { vehicles, officers, cameras, violations, cases };
  }

  /** Registered vehicles and plates known only from detections, under every look-alike reading of what was typed; exact keys first. */
  async vehicles(q: string, limit: number): Promise<SearchVehicle[]> {
    if (plateKey(q).length < 2) return [];
    const keys = plateKeyVariants(q);
    const { rows } = await this.pool.query<{ plate_key: string; plate: string | null; kind: string | null; violations: number }>(
      `WITH keys AS (SELECT k, ord FROM unnest($1::text[]) WITH ORDINALITY AS u(k, ord)),
       found AS (
         SELECT r.plate_key, min(keys.ord) AS ord, bool_or(r.plate_key = keys.k) AS exact
         FROM keys CROSS JOIN LATERAL (
           (SELECT plate_key FROM vehicle WHERE ${PREFIX('plate_key', 'keys.k')} ORDER BY plate_key LIMIT $2)
           UNION
           (WITH RECURSIVE walk AS (
              (SELECT plate_key, 1 AS n FROM violation WHERE ${PREFIX('plate_key', 'keys.k')} ORDER BY plate_key LIMIT 1)
              UNION ALL
              SELECT (SELECT v.plate_key FROM violation v WHERE v.plate_key > w.plate_key AND ${PREFIX('v.plate_key', 'keys.k')} ORDER BY v.plate_key LIMIT 1), w.n + 1
              FROM walk w WHERE w.plate_key IS NOT NULL AND w.n < $2)
            SELECT plate_key FROM walk WHERE plate_key IS NOT NULL)
         ) r
         GROUP BY r.plate_key
         ORDER BY exact DESC, ord, r.plate_key
         LIMIT $2)
       SELECT f.plate_key, coalesce(ve.plate, (SELECT v.plate FROM violation v WHERE v.plate_key = f.plate_key AND v.plate IS NOT NULL LIMIT 1)) AS plate,
              ve.kind, (SELECT count(*)::int FROM violation v WHERE v.plate_key = f.plate_key) AS violations
       FROM found f LEFT JOIN vehicle ve ON ve.plate_key = f.plate_key
       ORDER BY f.exact DESC, f.ord, f.plate_key`,
      [keys, limit],
    );
    return rows.map((r) => ({ plate: r.plate ?? r.plate_key, plateKey: r.plate_key, kind: r.kind, violations: r.violations }));
  }

  /** Officers of the roster, then officers the ledger alone knows, whose id starts with what was typed in any case. */
  async officers(q: string, limit: number): Promise<SearchOfficer[]> {
    const prefixes = caseVariants(q);
    const { rows } = await this.pool.query<{ id: string; unit: string | null; role: string | null; in_roster: boolean }>(
      `WITH prefixes AS (SELECT p FROM unnest($1::text[]) AS u(p)),
       roster AS (
         SELECT DISTINCT o.id, o.unit, o.role, true AS in_roster
         FROM prefixes CROSS JOIN LATERAL (SELECT id, unit, role FROM officer WHERE ${PREFIX('id', 'prefixes.p')} ORDER BY id LIMIT $2) o),
       actors AS (
         SELECT DISTINCT a.actor_id
         FROM prefixes CROSS JOIN LATERAL (
           WITH RECURSIVE walk AS (
             (SELECT actor_id, 1 AS n FROM ledger_event WHERE ${PREFIX('actor_id', 'prefixes.p')} ORDER BY actor_id LIMIT 1)
             UNION ALL
             SELECT (SELECT e.actor_id FROM ledger_event e WHERE e.actor_id > w.actor_id AND ${PREFIX('e.actor_id', 'prefixes.p')} ORDER BY e.actor_id LIMIT 1), w.n + 1
             FROM walk w WHERE w.actor_id IS NOT NULL AND w.n < $3)
           SELECT actor_id FROM walk WHERE actor_id IS NOT NULL) a
         WHERE NOT EXISTS (SELECT 1 FROM officer o WHERE o.id = a.actor_id)),
       ledger_only AS (
         SELECT a.actor_id AS id, last.actor_unit AS unit, NULL::text AS role, false AS in_roster
         FROM actors a CROSS JOIN LATERAL (
           SELECT e.actor_kind, e.actor_unit FROM ledger_event e WHERE e.actor_id = a.actor_id ORDER BY e.occurred_at DESC LIMIT 1) last
         WHERE last.actor_kind IN ('officer', 'supervisor'))
       SELECT * FROM (SELECT * FROM roster UNION ALL SELECT * FROM ledger_only) o ORDER BY o.in_roster DESC, o.id LIMIT $2`,
      [prefixes, limit, ACTORS_WALKED],
    );
    return rows.map((r) => ({ id: r.id, unit: r.unit, role: r.role, inRoster: r.in_roster }));
  }

  /** Cameras of the register, then cameras known only from their detections, whose id starts with what was typed in any case. */
  async cameras(q: string, limit: number): Promise<SearchCamera[]> {
    const { rows } = await this.pool.query<{ id: string; district: string | null; in_register: boolean }>(
      `WITH prefixes AS (SELECT p FROM unnest($1::text[]) AS u(p)),
       register AS (
         SELECT DISTINCT c.id, c.district, true AS in_register
         FROM prefixes CROSS JOIN LATERAL (SELECT id, district FROM camera WHERE ${PREFIX('id', 'prefixes.p')} ORDER BY id LIMIT $2) c),
       reported AS (
         SELECT DISTINCT r.camera_id AS id
         FROM prefixes CROSS JOIN LATERAL (
           WITH RECURSIVE walk AS (
             (SELECT camera_id, 1 AS n FROM violation WHERE ${PREFIX('camera_id', 'prefixes.p')} ORDER BY camera_id LIMIT 1)
             UNION ALL
             SELECT (SELECT v.camera_id FROM violation v WHERE v.camera_id > w.camera_id AND ${PREFIX('v.camera_id', 'prefixes.p')} ORDER BY v.camera_id LIMIT 1), w.n + 1
             FROM walk w WHERE w.camera_id IS NOT NULL AND w.n < $2)
           SELECT camera_id FROM walk WHERE camera_id IS NOT NULL) r
         WHERE NOT EXISTS (SELECT 1 FROM camera c WHERE c.id = r.camera_id))
       SELECT * FROM (
         SELECT * FROM register
         UNION ALL
         SELECT r.id, (SELECT v.district FROM violation v WHERE v.camera_id = r.id ORDER BY v.detected_at DESC LIMIT 1), false FROM reported r) c
       ORDER BY c.in_register DESC, c.id LIMIT $2`,
      [caseVariants(q), limit],
    );
    return rows.map((r) => ({ id: r.id, district: r.district, inRegister: r.in_register }));
  }

  /** Violations whose ref is, or starts with, what was typed (as typed, or in upper case). */
  async violations(q: string, limit: number): Promise<SearchViolation[]> {
    const { rows } = await this.pool.query<{ ref: string; status: string; plate: string | null; detected_at: Date | null; officer_ids: string[] | null }>(
      `SELECT DISTINCT ON (v.ref) v.ref, v.status, v.plate, v.detected_at, v.officer_ids, (v.ref = p.p) AS exact
       FROM unnest($1::text[]) AS p(p) CROSS JOIN LATERAL (
         SELECT * FROM violation WHERE ${PREFIX('ref', 'p.p')} ORDER BY ref LIMIT $2) v
       ORDER BY v.ref, exact DESC`,
      [caseVariants(q), limit],
    );
    const found = rows.map((r) => ({ ref: r.ref, status: r.status, plate: r.plate, detectedAt: r.detected_at?.toISOString() ?? null, officerIds: r.officer_ids ?? [] }));
    const exact = found.filter((v) => v.ref.toUpperCase() === q.toUpperCase());
    return [...exact, ...found.filter((v) => !exact.includes(v))].slice(0, limit);
  }

  /** Cases by their number's start (C-2026-0007), or whose title holds every word typed; with the subjects of their flags, which recusal judges. */
  async cases(q: string, limit: number): Promise<SearchFindings['cases']> {
    const words = q.split(/\s+/u).filter((w) => w !== '').slice(0, 10).map(likeWord);
    const { rows } = await this.pool.query<SearchCase & { by_number: boolean; subjects: { kind: string; id: string; unit: string | null }[] }>(
      `WITH hits AS (
         (SELECT id, true AS by_number FROM case_file WHERE ${PREFIX('number', 'upper($1)')} ORDER BY number LIMIT $3)
         UNION ALL
         (SELECT id, false FROM case_file WHERE title ILIKE ALL($2::text[]) ORDER BY created_at DESC LIMIT $3)),
       picked AS (SELECT id, bool_or(by_number) AS by_number FROM hits GROUP BY id)
       SELECT c.id, c.number, c.title, c.status, p.by_number,
         (SELECT coalesce(json_agg(json_build_object('kind', f.subject_kind, 'id', f.subject_id, 'unit', f.unit)), '[]')
            FROM case_flag cf JOIN flag f ON f.id = cf.flag_id WHERE cf.case_id = c.id) AS subjects
       FROM picked p JOIN case_file c ON c.id = p.id
       ORDER BY p.by_number DESC, c.number DESC LIMIT $3`,
      [q, words, limit],
    );
    return rows.map((r) => ({ id: r.id, number: r.number, title: r.title, status: r.status, subjects: r.subjects }));
  }
}
