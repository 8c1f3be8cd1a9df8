import type pg from 'pg';
import { joinEventByKey } from '../ledger/event-by-key.js';
import { inTransaction } from '../transaction.js';
import { EXACT_FLAG_COUNT_UP_TO, type FlagComment, type FlagDisplay, type FlagHistoryEntry, type FlagPage, type FlagStatus, type MyFlag, type WorkedFlag } from '@qadaga/contracts/api';
import { GRAVEST_FIRST, OPEN_FLAG_STATUSES, QUEUE_SEVERITY_SHARE, Recusal, mayBeAssignedFlags, type QueueOrder } from '@qadaga/domain';
import { flagAtCamera, flagInDistrict } from './flag-places.js';
import { flagRecusedFrom } from './flag-recusal.js';

export { FLAG_STATUSES, type FlagStatus } from '@qadaga/contracts/api';

/** What a rule concluded about one subject, ready to be stored as a flag. */
export interface FlagInput {
  subjectKind: string;
  subjectId: string;
  severity: string;
  score: number;
  qValue: number | null;
  explanation: Record<string, string>;
  facts: Record<string, unknown>;
  baseline: Record<string, unknown>;
  evidenceEventIds: string[];
  /** The ways the rule fired, as the flag page draws them (the entries that fired, with peers); [] when absent. */
  display?: FlagDisplay[];
  unit: string | null;
  district: string | null;
}

export interface RuleIdentity {
  ruleId: string;
  version: number;
  scheme: string;
}

export interface FlagFilter {
  ruleId?: string;
  scheme?: string;
  severity?: string[];
  status?: FlagStatus[];
  subjectKind?: string;
  subjectId?: string;
  unit?: string;
  /** A district (a boundary id or a source's name): flags whose own district or any evidence violation is in it (flag-places.ts). */
  district?: string;
  /** A camera: flags about it, or with a violation of their evidence detected by it (flag-places.ts). */
  camera?: string;
  raisedFrom?: Date;
  raisedTo?: Date;
  limit?: number;
  offset?: number;
  /** Priority (each severity its share of a page, QUEUE_SEVERITY_SHARE) by default, or severity first. */
  order?: QueueOrder;
  /** Subjects (officer ids, units) the reader must not see: recusal. */
  excludeSubjects?: string[];
}

/** A flag as the API answers it, with who works it and by when: the contract is the row's type. */
export type FlagRow = WorkedFlag;
export type FlagCommentRow = FlagComment;

/** What giving a flag to someone came to: the flag as it now is, or why the person named may not have it. */
export type FlagAssignment = { flag: FlagRow } | { refused: { field: 'assigneeId'; message: string } };

/**
 * Up to this many matches the list's total is an exact count; above it, the answer says
 * only that at least one more than this many match (totalExact false). The planner's estimate was
 * tried and dropped: with statistics a bulk load had outrun it told a prosecutor three
 * times the flags there were, and a number on a queue must be true. A thousand is twenty pages of the
 * queue: past that a reader narrows the filter rather than pages. Counting stops at the
 * bound because counting costs as much as the index entries it reads: at 10,000 the
 * count was most of the list's database time (10,000 index entries against 50 rows).
 */
export { EXACT_FLAG_COUNT_UP_TO };

export type { FlagPage };

export type FlagHistoryRow = FlagHistoryEntry;

/** A timestamp as JavaScript's toISOString() writes it (columns are stored to the millisecond). */
const isoUtc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const FLAG_COLUMNS = `id, rule_id AS "ruleId", rule_version AS "ruleVersion", scheme, subject_kind AS "subjectKind", subject_id AS "subjectId",
  status, status_reason AS "statusReason", severity, score, q_value AS "qValue", explanation, facts, baseline, evidence, display, unit, district, label,
  window_from AS "windowFrom", window_to AS "windowTo", first_raised_at AS "firstRaisedAt", last_raised_at AS "lastRaisedAt",
  assignee_id AS "assigneeId", (SELECT u.display_name FROM app_user u WHERE u.id = flag.assignee_id) AS "assigneeName", due_at AS "dueAt"`;

/** A display name for a principal id ("user:<uuid>"), when it is a user. */
const NAME_OF = (column: string) => `(SELECT u.display_name FROM app_user u WHERE 'user:' || u.id::text = ${column})`;

function normalise(row: Record<string, unknown>): FlagRow {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
  const { assigneeId, assigneeName, dueAt, ...flag } = row;
  return {
    ...(flag as unknown as Omit<FlagRow, 'assignee' | 'dueAt'>),
    windowFrom: iso(row['windowFrom']),
    windowTo: iso(row['windowTo']),
    firstRaisedAt: iso(row['firstRaisedAt']),
    lastRaisedAt: iso(row['lastRaisedAt']),
    assignee: assigneeId === null || assigneeId === undefined ? null : { id: String(assigneeId), displayName: assigneeName === null || assigneeName === undefined ? String(assigneeId) : String(assigneeName) },
    dueAt: dueAt === null || dueAt === undefined ? null : iso(dueAt),
  };
}

/**
 * Flags: one open flag per rule and subject (a partial unique index), refreshed with new
 * facts and evidence whenever the rule fires again. Storing is idempotent: the same
 * verdicts stored twice leave the same rows. Suppressed subjects are not raised.
 */
export class FlagRepository {
  constructor(
    private readonly pool: pg.Pool,
    private readonly options: { exactCountUpTo?: number } = {},
  ) {}

  async upsert(rule: RuleIdentity, window: { from: Date; to: Date }, inputs: readonly FlagInput[]): Promise<{ raised: number; refreshed: number; suppressed: number }> {
    if (inputs.length === 0) return { raised: 0, refreshed: 0, suppressed: 0 };
    const suppressed = await this.pool.query<{ subject_kind: string; subject_id: string }>(
      `SELECT subject_kind, subject_id FROM suppression WHERE rule_id = $1 AND until > now() AND subject_id = ANY($2::text[])`,
      [rule.ruleId, inputs.map((i) => i.subjectId)],
    );
    const quiet = new Set(suppressed.rows.map((r) => `${r.subject_kind}|${r.subject_id}`));
    const live = inputs.filter((i) => !quiet.has(`${i.subjectKind}|${i.subjectId}`));
    if (live.length === 0) return { raised: 0, refreshed: 0, suppressed: inputs.length };
    // Evidence keys are "source|eventId", the ledger's unique key, so each row is found by its index.
    const keys = [...new Set(live.flatMap((i) => i.evidenceEventIds))];
    const split = keys.map((k) => {
      const bar = k.indexOf('|');
      return bar < 0 ? ['', k] : [k.slice(0, bar), k.slice(bar + 1)];
    });
    const hashes = await this.pool.query<{ event_id: string; source: string; content_hash: string; chain_hash: string }>(
      `SELECT e.event_id, e.source, e.content_hash, e.chain_hash
       FROM unnest($1::text[], $2::text[]) AS k(source, event_id)
       ${joinEventByKey('k.source', 'k.event_id')}`,
      [split.map((s) => s[0]), split.map((s) => s[1])],
    );
    const byId = new Map<string, { eventId: string; source: string; contentHash: string; chainHash: string }[]>();
    for (const h of hashes.rows) {
      byId.set(`${h.source}|${h.event_id}`, [{ eventId: h.event_id, source: h.source, contentHash: h.content_hash, chainHash: h.chain_hash }]);
    }
    const rows = live.map((i) => ({
      subject_kind: i.subjectKind,
      subject_id: i.subjectId,
      severity: i.severity,
      score: Number.isFinite(i.score) ? i.score : 1e308,
      q_value: i.qValue,
      explanation: i.explanation,
      facts: i.facts,
      baseline: i.baseline,
      evidence: i.evidenceEventIds.flatMap((id) => byId.get(id) ?? []),
      display: i.display ?? [],
      unit: i.unit,
      district: i.district,
    }));
    const { rows: result } = await this.pool.query<{ inserted: boolean; id: string }>(
      // The flag and its 'raised' history row are one statement: a worker killed between
      // two statements would leave a flag whose history never says it was raised.
      `WITH up AS (INSERT INTO flag (id, rule_id, rule_version, scheme, subject_kind, subject_id, severity, score, q_value, explanation, facts, baseline,
         evidence, display, unit, district, window_from, window_to)
       SELECT gen_random_uuid(), $1, $2, $3, r.subject_kind, r.subject_id, r.severity, r.score, r.q_value, r.explanation, r.facts, r.baseline, r.evidence,
         r.display, r.unit, r.district, $5, $6
       FROM jsonb_to_recordset($4::jsonb) AS r(subject_kind text, subject_id text, severity text, score float8, q_value float8,
         explanation jsonb, facts jsonb, baseline jsonb, evidence jsonb, display jsonb, unit text, district text)
       ON CONFLICT (rule_id, subject_kind, subject_id) WHERE status <> 'dismissed' DO UPDATE SET
         rule_version = EXCLUDED.rule_version, severity = EXCLUDED.severity, score = EXCLUDED.score, q_value = EXCLUDED.q_value,
         explanation = EXCLUDED.explanation, facts = EXCLUDED.facts, baseline = EXCLUDED.baseline, evidence = EXCLUDED.evidence, display = EXCLUDED.display,
         unit = EXCLUDED.unit, district = EXCLUDED.district, window_from = EXCLUDED.window_from, window_to = EXCLUDED.window_to,
         last_raised_at = now(), updated_at = now()
       RETURNING (xmax = 0) AS inserted, id),
       history AS (INSERT INTO flag_history (flag_id, actor, action, "to") SELECT id, $7, 'raised', 'new' FROM up WHERE inserted)
       SELECT inserted, id FROM up`,
      [rule.ruleId, rule.version, rule.scheme, JSON.stringify(rows), window.from, window.to, `rule:${rule.ruleId}@${rule.version}`],
    );
    const raised = result.filter((r) => r.inserted);
    return { raised: raised.length, refreshed: result.length - raised.length, suppressed: inputs.length - live.length };
  }

  async list(filter: FlagFilter): Promise<FlagPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.ruleId !== undefined) add('rule_id = ?', filter.ruleId);
    if (filter.scheme !== undefined) add('scheme = ?', filter.scheme);
    if (filter.severity !== undefined) add('severity = ANY(?::text[])', filter.severity);
    const severityClause = filter.severity === undefined ? -1 : where.length - 1;
    if (filter.status !== undefined) add('status = ANY(?::text[])', filter.status);
    if (filter.subjectKind !== undefined) add('subject_kind = ?', filter.subjectKind);
    if (filter.subjectId !== undefined) add('subject_id = ?', filter.subjectId);
    if (filter.unit !== undefined) add('unit = ?', filter.unit);
    // A district as the map names it (a loaded boundary's id, "auezov") or as a source wrote
    // it ("Auezov"): every spelling the boundary knows matches, on the flag or on the
    // violations of its evidence, so a map's district opens the flags the map counted there.
    const places: string[] = [];
    if (filter.district !== undefined) {
      params.push(filter.district);
      places.push(flagInDistrict('flag', `$${params.length}`));
    }
    if (filter.camera !== undefined) {
      params.push(filter.camera);
      places.push(flagAtCamera('flag', `$${params.length}`));
    }
    if (filter.raisedFrom !== undefined) add('last_raised_at >= ?', filter.raisedFrom);
    if (filter.raisedTo !== undefined) add('last_raised_at < ?', filter.raisedTo);
    if (filter.excludeSubjects !== undefined && filter.excludeSubjects.length > 0) {
      // An officer subject, the officer half of an officer-vehicle pair, or the unit.
      params.push(filter.excludeSubjects);
      where.push(`NOT ${flagRecusedFrom('flag', `$${params.length}::text[]`)}`);
    }
    // A place reads each flag's evidence: done once, for the flags the other filters (but
    // severity, which the per-severity counts leave out) admit, and not again in each count
    // and page of the statement below.
    const placedCte = places.length === 0 ? '' : `placed AS MATERIALIZED (SELECT id FROM flag WHERE ${[...where.filter((_, i) => i !== severityClause), ...places].join(' AND ')}),`;
    if (places.length > 0) where.push('id IN (SELECT id FROM placed)');
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    // The same filter but for severity, one severity at a time: what each severity holds.
    const bySeverityClause = `WHERE ${[...where.filter((_, i) => i !== severityClause), 'severity = s.severity'].join(' AND ')}`;
    const limit = Math.min(filter.limit ?? 50, 500);
    const offset = filter.offset ?? 0;
    const bound = this.options.exactCountUpTo ?? EXACT_FLAG_COUNT_UP_TO;
    // One statement on one connection: the count of matches, stopped at the bound, and the
    // page. The page is chosen on the narrow sort key alone (index scans on
    // flag_queue_order) and only its rows are read whole: sorting every match with its
    // JSON would not scale. The LEFT JOIN keeps the count when the page is empty.
    const { rows } = await this.pool.query(
      `WITH ${placedCte} matched AS (SELECT count(*)::int AS matched FROM (SELECT 1 FROM flag ${clause} LIMIT ${bound + 1}) m),
            severity_counts AS (SELECT s.severity, (SELECT count(*)::int FROM (SELECT 1 FROM flag ${bySeverityClause} LIMIT ${bound + 1}) c) AS n
                                FROM unnest(ARRAY['critical', 'high', 'medium', 'low']) AS s(severity)),
            by_severity AS (SELECT json_object_agg(severity, n) AS by_severity FROM severity_counts),
            page AS (${filter.order === 'severity' ? severityFirstPage(clause, limit, offset) : priorityPage(where, filter.severity, limit, offset, bound)})
       SELECT matched.matched, by_severity.by_severity, f.* FROM matched CROSS JOIN by_severity
       LEFT JOIN (SELECT ${FLAG_COLUMNS}, page_key, page_rank, page_score FROM page JOIN flag USING (id)) f ON true
       ORDER BY f.page_key, f.page_rank, f.page_score DESC, f.id`,
      params,
    );
    const matched = Number(rows[0]?.['matched'] ?? 0);
    const bySeverity = rows[0]?.['by_severity'] as FlagPage['bySeverity'];
    const flags = rows.filter((r) => r['id'] !== null).map(({ matched: _m, by_severity: _b, page_key: _k, page_rank: _r, page_score: _s, ...row }) => normalise(row));
    if (matched <= bound) return { total: matched, totalExact: true, bySeverity, flags };
    // Counting every match of a broad filter costs as much as reading them: past the bound
    // the answer is one past the bound, read as "at least", which is true whatever it would cost to know more.
    return { total: bound + 1, totalExact: false, bySeverity, flags };
  }

  async get(id: string): Promise<FlagRow | null> {
    const { rows } = await this.pool.query(`SELECT ${FLAG_COLUMNS} FROM flag WHERE id = $1`, [id]);
    return rows[0] === undefined ? null : normalise(rows[0]);
  }

  /** A flag with its history and comments, in one round trip: what the flag page shows. */
  async getWithHistory(id: string): Promise<(FlagRow & { history: FlagHistoryRow[]; comments: FlagCommentRow[] }) | null> {
    const { rows } = await this.pool.query(
      `SELECT ${FLAG_COLUMNS},
         (SELECT coalesce(json_agg(json_build_object('at', ${isoUtc('h.at')}, 'actor', h.actor, 'actorName', ${NAME_OF('h.actor')}, 'action', h.action, 'from', h."from", 'to', h."to", 'reason', h.reason) ORDER BY h.id), '[]')
          FROM flag_history h WHERE h.flag_id = flag.id) AS history,
         (SELECT coalesce(json_agg(json_build_object('id', c.id::text, 'authorId', c.author_id, 'authorName', ${NAME_OF('c.author_id')}, 'at', ${isoUtc('c.at')}, 'text', c.text) ORDER BY c.id), '[]')
          FROM flag_comment c WHERE c.flag_id = flag.id) AS comments
       FROM flag WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (row === undefined) return null;
    const { history, comments, ...flag } = row as Record<string, unknown> & { history: FlagHistoryRow[]; comments: FlagCommentRow[] };
    return { ...normalise(flag), history, comments };
  }

  /**
   * Appends a comment and its line in the flag's history, in one transaction. Null when
   * there is no such flag. Comments, like the history, are only ever added to (a trigger
   * refuses to rewrite them).
   */
  async addComment(flagId: string, text: string, actor: string): Promise<FlagCommentRow | null> {
    const added = await inTransaction(this.pool, async (client) => {
      const found = await client.query('SELECT 1 FROM flag WHERE id = $1 FOR UPDATE', [flagId]);
      if (found.rowCount === 0) return null;
      const { rows } = await client.query<{ id: string; at: Date }>('INSERT INTO flag_comment (flag_id, author_id, text) VALUES ($1, $2, $3) RETURNING id::text, at', [flagId, actor, text]);
      await client.query(`INSERT INTO flag_history (flag_id, actor, action) VALUES ($1, $2, 'commented')`, [flagId, actor]);
      return rows[0] as { id: string; at: Date };
    });
    if (added === null) return null;
    const { rows } = await this.pool.query<{ name: string | null }>(`SELECT ${NAME_OF('$1')} AS name`, [actor]);
    return { id: added.id, authorId: actor, authorName: rows[0]?.name ?? null, at: added.at.toISOString(), text };
  }

  /**
   * Gives a flag to a person by a due date (either may be null: nobody, no date). The
   * assignee must be an active user the domain allows (a prosecutor): else the refusal
   * names assigneeId and nothing changes. A change of person is one 'assigned' line in the history naming
   * both, a change of date one 'due' line; nothing changed writes nothing.
   */
  async assign(flagId: string, assigneeId: string | null, dueAt: Date | null, actor: string): Promise<FlagAssignment | null> {
    type Refusal = Extract<FlagAssignment, { refused: unknown }>['refused'];
    const outcome = await inTransaction(this.pool, async (client): Promise<'missing' | 'done' | Refusal> => {
      const before = await client.query<{ assignee_id: string | null; due_at: Date | null; name: string | null; subject_id: string; unit: string | null }>(
        'SELECT f.assignee_id, f.due_at, u.display_name AS name, f.subject_id, f.unit FROM flag f LEFT JOIN app_user u ON u.id = f.assignee_id WHERE f.id = $1 FOR UPDATE OF f',
        [flagId],
      );
      const current = before.rows[0];
      if (current === undefined) return 'missing';
      let name: string | null = null;
      if (assigneeId !== null) {
        const { rows } = await client.query<{ roles: string[]; display_name: string; officer_id: string | null; unit: string | null }>(
          'SELECT roles, display_name, officer_id, unit FROM app_user WHERE id = $1::uuid AND disabled_at IS NULL',
          [assigneeId],
        );
        const person = rows[0];
        if (person === undefined) return { field: 'assigneeId', message: 'no active user with this id' };
        if (!mayBeAssignedFlags(person.roles)) return { field: 'assigneeId', message: 'flags are given to prosecutors' };
        // Nobody is handed a flag about their own officer record or unit: they could not even see it.
        if (new Recusal({ officerId: person.officer_id, unit: person.unit }).coversSubject(current.subject_id, current.unit)) {
          return { field: 'assigneeId', message: 'this person is recused from this flag' };
        }
        name = person.display_name;
      }
      await client.query('UPDATE flag SET assignee_id = $2, due_at = $3, updated_at = now() WHERE id = $1', [flagId, assigneeId, dueAt]);
      if (current.assignee_id !== assigneeId) {
        await client.query(`INSERT INTO flag_history (flag_id, actor, action, "from", "to") VALUES ($1, $2, 'assigned', $3, $4)`, [flagId, actor, current.name, name]);
      }
      if ((current.due_at?.getTime() ?? null) !== (dueAt?.getTime() ?? null)) {
        await client.query(`INSERT INTO flag_history (flag_id, actor, action, "from", "to") VALUES ($1, $2, 'due', $3, $4)`, [
          flagId,
          actor,
          current.due_at?.toISOString() ?? null,
          dueAt?.toISOString() ?? null,
        ]);
      }
      return 'done';
    });
    if (outcome === 'missing') return null;
    if (outcome !== 'done') return { refused: outcome };
    const flag = await this.get(flagId);
    return flag === null ? null : { flag };
  }

  /**
   * The open flags (new, triaged) given to a person, and how many of them concern the
   * subjects they are recused from: those are counted, never returned. Bounded: a
   * person's own list is read whole, up to 500.
   */
  async assignedTo(userId: string, excludeSubjects: readonly string[]): Promise<{ flags: MyFlag[]; withheld: number }> {
    const { rows } = await this.pool.query<Record<string, unknown> & { recused: boolean }>(
      `SELECT id, rule_id AS "ruleId", scheme, severity, status, subject_kind AS "subjectKind", subject_id AS "subjectId", explanation, unit, district, due_at AS "dueAt",
              (due_at IS NOT NULL AND due_at < now()) AS overdue,
              (split_part(subject_id, '|', 1) = ANY($3::text[]) OR coalesce(unit, '') = ANY($3::text[])) AS recused
       FROM flag WHERE assignee_id = $1::uuid AND status = ANY($2::text[])
       ORDER BY due_at NULLS LAST, severity_rank, score DESC, id LIMIT 500`,
      [userId, [...OPEN_FLAG_STATUSES], [...excludeSubjects]],
    );
    const visible = rows.filter((r) => !r.recused);
    return {
      flags: visible.map(({ recused: _r, dueAt, ...r }) => ({ ...(r as unknown as Omit<MyFlag, 'dueAt'>), dueAt: dueAt instanceof Date ? dueAt.toISOString() : null })),
      withheld: rows.length - visible.length,
    };
  }

  /** Several flags in one round trip, in the order asked; unknown ids are left out. */
  async getMany(ids: readonly string[]): Promise<FlagRow[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query(`SELECT ${FLAG_COLUMNS} FROM flag WHERE id = ANY($1::uuid[])`, [ids]);
    const byId = new Map(rows.map((r) => [r['id'] as string, normalise(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async history(id: string): Promise<FlagHistoryRow[]> {
    const { rows } = await this.pool.query<{ at: Date; actor: string; actorName: string | null; action: string; from: string | null; to: string | null; reason: string | null }>(
      `SELECT h.at, h.actor, ${NAME_OF('h.actor')} AS "actorName", h.action, h."from", h."to", h.reason FROM flag_history h WHERE h.flag_id = $1 ORDER BY h.id`,
      [id],
    );
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }

  async setStatus(id: string, status: FlagStatus, reason: string, actor: string): Promise<FlagRow | null> {
    const found = await inTransaction(this.pool, async (client) => {
      const before = await client.query<{ status: string }>('SELECT status FROM flag WHERE id = $1 FOR UPDATE', [id]);
      const from = before.rows[0]?.status;
      if (from === undefined) return false;
      await client.query('UPDATE flag SET status = $2, status_reason = $3, updated_at = now() WHERE id = $1', [id, status, reason]);
      await client.query('INSERT INTO flag_history (flag_id, actor, action, "from", "to", reason) VALUES ($1, $2, $3, $4, $5, $6)', [id, actor, 'status', from, status, reason]);
      return true;
    });
    if (!found) return null;
    return this.get(id);
  }

  /** Changes many flags in one transaction, each with its history row; answers how many changed. */
  async setStatusMany(ids: readonly string[], status: FlagStatus, reason: string, actor: string): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO flag_history (flag_id, actor, action, "from", "to", reason)
         SELECT id, $2, 'status', status, $3, $4 FROM flag WHERE id = ANY($1::uuid[]) AND status <> $3`,
        [ids, actor, status, reason],
      );
      const updated = await client.query(
        'UPDATE flag SET status = $2, status_reason = $3, updated_at = now() WHERE id = ANY($1::uuid[]) AND status <> $2',
        [ids, status, reason],
      );
      return updated.rowCount ?? 0;
    });
  }

  async suppress(input: { ruleId: string; subjectKind: string; subjectId: string; until: Date; reason: string; actor: string }): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      'INSERT INTO suppression (id, rule_id, subject_kind, subject_id, until, reason, created_by) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6) RETURNING id',
      [input.ruleId, input.subjectKind, input.subjectId, input.until, input.reason, input.actor],
    );
    return rows[0]?.id ?? '';
  }

  /**
   * The label closed cases gave each of these subjects under a rule: that of its latest
   * labelled flag of the rule (any version), as a backtest counts outcomes. Subjects no case
   * labelled are absent.
   */
  async latestLabels(ruleId: string, subjectKind: string, subjectIds: readonly string[]): Promise<Map<string, string>> {
    if (subjectIds.length === 0) return new Map();
    const { rows } = await this.pool.query<{ subject_id: string; label: string }>(
      `SELECT DISTINCT ON (subject_id) subject_id, label FROM flag
        WHERE rule_id = $1 AND subject_kind = $2 AND subject_id = ANY($3::text[]) AND label IS NOT NULL
        ORDER BY subject_id, updated_at DESC, id`,
      [ruleId, subjectKind, subjectIds],
    );
    return new Map(rows.map((r) => [r.subject_id, r.label]));
  }

  /** Hit counts per rule, for the rule list. */
  async countsByRule(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ rule_id: string; n: string }>('SELECT rule_id, count(*) AS n FROM flag GROUP BY rule_id');
    return Object.fromEntries(rows.map((r) => [r.rule_id, Number(r.n)]));
  }
}

/** Severity first, then score: one scan of flag_queue_order. */
function severityFirstPage(clause: string, limit: number, offset: number): string {
  return `SELECT id, 0::float8 AS page_key, severity_rank AS page_rank, score AS page_score FROM flag ${clause}
          ORDER BY severity_rank, score DESC, id LIMIT ${limit} OFFSET ${offset}`;
}

/**
 * The priority order of the domain (inPriorityOrder): the n-th strongest flag of a
 * severity at n / its share. A page up to offset + limit needs at most that many flags of
 * each severity, so each severity the filter admits is one bounded, separately planned
 * query (with its rank a constant the planner can choose an index for: the queue's order,
 * or a unit's or rule's index and a sort of its few rows), and only those rows are ranked
 * and merged; no window runs over every match. A lateral join over the severities was
 * tried first: planned once for all four, it walked the queue's order index even for a
 * unit's few flags, and a severity the filter excluded, or one with no match, was read to
 * its end (250-300 ms against 10-70 ms at 200,000 flags).
 */
function priorityPage(where: readonly string[], severities: readonly string[] | undefined, limit: number, offset: number, bound: number): string {
  const admitted = GRAVEST_FIRST.flatMap((severity, rank) => (severities === undefined || severities.includes(severity) ? [{ severity, rank }] : []));
  if (admitted.length === 0) return 'SELECT NULL::uuid AS id, 0::float8 AS page_key, 0::smallint AS page_rank, 0::float8 AS page_score WHERE false';
  // Each severity reads no more rows than it holds (severity_counts, exact up to the
  // bound): a scan that would find nothing, or fewer than a page, is not walked to the
  // end of the index looking for more.
  const wanted = offset + limit;
  // The inner LIMIT is a constant so the planner walks an index for a page; the outer one,
  // known only when the statement runs, stops that walk once the severity has given all it holds.
  const perSeverity = admitted.map(
    ({ severity, rank }) =>
      `(SELECT * FROM (SELECT id, severity_rank, score FROM flag WHERE ${[...where, `severity_rank = ${rank}`].join(' AND ')} ORDER BY score DESC, id LIMIT ${wanted}) one_severity
        LIMIT (SELECT CASE WHEN n > ${bound} THEN ${wanted} ELSE least(n, ${wanted}) END FROM severity_counts WHERE severity = '${severity}'))`,
  );
  const share = `CASE severity_rank ${admitted.map(({ severity, rank }) => `WHEN ${rank} THEN ${QUEUE_SEVERITY_SHARE[severity]}`).join(' ')} END`;
  return `SELECT id, (row_number() OVER (PARTITION BY severity_rank ORDER BY score DESC, id))::float8 / ${share} AS page_key, severity_rank AS page_rank, score AS page_score
          FROM (${perSeverity.join(' UNION ALL ')}) candidates
          ORDER BY page_key, page_rank, page_score DESC, id LIMIT ${limit} OFFSET ${offset}`;
}
