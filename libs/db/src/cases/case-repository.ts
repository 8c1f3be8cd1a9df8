import { createHash } from 'node:crypto';
import type pg from 'pg';
import {
  closeBlockers,
  isCaseEditable,
  mayChangeTaskStatus,
  mayOwnCaseTasks,
  unresolvedCloseBlockers,
  type CaseTaskStatus,
  mayApproveClose,
  mayBeAssignedCases,
  mayChangeCaseStatus,
  type CaseOutcome,
  type CaseStatus,
  type CaseStatusChange,
} from '@qadaga/domain';
import type { CaseAttachment, CaseFlag as CaseFlagSummary, CaseNote, CaseRecord, CaseSummary, CaseTask, CaseTimelineEntry } from '@qadaga/contracts/api';
import { CaseError } from './case-errors.js';
import { inTransaction } from '../transaction.js';

// The workflow's rules are the domain's; the API and its clients read them from here too.
export { CASE_OUTCOMES, CASE_STATUSES, type CaseOutcome, type CaseStatus } from '@qadaga/domain';

/** A case as the API answers it: the contract's types are the repository's. */
export type { CaseSummary, CaseFlag as CaseFlagSummary } from '@qadaga/contracts/api';
export type CaseNoteRow = CaseNote;
export type CaseAttachmentRow = CaseAttachment;
export type CaseTimelineRow = CaseTimelineEntry;
/** A case with its parts; the flags are ids (the API adds a summary of each). */
export type CaseDetail = CaseRecord;

export interface CaseListFilter {
  status?: CaseStatus[];
  assigneeId?: string;
  overdue?: boolean;
  /** A case number from its start, or words of the title (each word found, in any case). */
  q?: string;
  /** Recusal: cases holding a flag about any of these officers or units are left out. */
  excludeSubjects?: string[];
  limit?: number;
  offset?: number;
}

/** Text taken literally inside a LIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/gu, (c) => `\\${c}`);

/** A display name for a principal id ("user:<uuid>"), when it is a user. */
const NAME_OF = (column: string) => `(SELECT u.display_name FROM app_user u WHERE 'user:' || u.id::text = ${column})`;

const SUMMARY_SELECT = `
  SELECT c.id, c.number, c.title, c.status, c.outcome, c.assignee_id, a.display_name AS assignee_name, c.due_at,
         (c.due_at IS NOT NULL AND c.due_at < now() AND c.status <> 'closed') AS overdue,
         (SELECT count(*) FROM case_flag cf WHERE cf.case_id = c.id)::int AS flag_count,
         c.created_by, c.created_at, c.updated_at, c.close_requested_by, ${NAME_OF('c.close_requested_by')} AS close_requested_by_name,
         c.close_requested_at, c.close_outcome, c.close_reason, c.closed_by, c.closed_at
  FROM case_file c LEFT JOIN app_user a ON a.id = c.assignee_id`;

/** A timestamp as JavaScript's toISOString() writes it (columns are stored to the millisecond). */
const isoUtc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The summary row with its parts as JSON arrays, each in the order the page lists them; completed by `WHERE c.id = $1) s`. */
const detailSelect = (withFlags: boolean) => `
  SELECT s.*,
    (SELECT coalesce(json_agg(cf.flag_id ORDER BY cf.added_at, cf.flag_id), '[]') FROM case_flag cf WHERE cf.case_id = s.id) AS flag_ids,
    (SELECT coalesce(json_agg(json_build_object('id', n.id::text, 'authorId', n.author_id, 'authorName', ${NAME_OF('n.author_id')}, 'at', ${isoUtc('n.at')}, 'text', n.text) ORDER BY n.id), '[]')
       FROM case_note n WHERE n.case_id = s.id) AS notes,
    (SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'sha256', a.sha256, 'size', a.size, 'mediaType', a.media_type, 'addedBy', a.added_by, 'at', ${isoUtc('a.at')}) ORDER BY a.at, a.id), '[]')
       FROM case_attachment a WHERE a.case_id = s.id) AS attachments,
    (SELECT coalesce(json_agg(json_build_object('at', ${isoUtc('e.at')}, 'actor', e.actor, 'actorName', ${NAME_OF('e.actor')}, 'action', e.action, 'details', e.details) ORDER BY e.id), '[]')
       FROM case_event e WHERE e.case_id = s.id) AS timeline,
    (SELECT coalesce(json_agg(json_build_object('id', k.id, 'title', k.title,
         'owner', CASE WHEN k.owner_id IS NULL THEN NULL ELSE json_build_object('id', k.owner_id, 'displayName', coalesce(o.display_name, k.owner_id::text)) END,
         'dueAt', ${isoUtc('k.due_at')}, 'status', k.status, 'createdBy', k.created_by, 'createdByName', ${NAME_OF('k.created_by')}, 'createdAt', ${isoUtc('k.created_at')},
         'doneBy', k.done_by, 'doneByName', ${NAME_OF('k.done_by')}, 'doneAt', ${isoUtc('k.done_at')}) ORDER BY k.created_at, k.id), '[]')
       FROM case_task k LEFT JOIN app_user o ON o.id = k.owner_id WHERE k.case_id = s.id) AS tasks${
    withFlags
      ? `,
    (SELECT coalesce(json_agg(json_build_object('id', f.id, 'ruleId', f.rule_id, 'scheme', f.scheme, 'severity', f.severity, 'status', f.status, 'label', f.label, 'subjectKind', f.subject_kind,
         'subjectId', f.subject_id, 'explanation', f.explanation, 'unit', f.unit, 'district', f.district) ORDER BY cf.added_at, cf.flag_id), '[]')
       FROM case_flag cf JOIN flag f ON f.id = cf.flag_id WHERE cf.case_id = s.id) AS flags`
      : ''
  }
  FROM (${SUMMARY_SELECT}`;

interface SummaryRow {
  id: string; number: string; title: string; status: CaseStatus; outcome: CaseOutcome | null; assignee_id: string | null;
  assignee_name: string | null; due_at: Date | null; overdue: boolean; flag_count: number; created_by: string; created_at: Date;
  updated_at: Date; close_requested_by: string | null; close_requested_by_name: string | null; close_requested_at: Date | null;
  close_outcome: CaseOutcome | null; close_reason: string | null; closed_by: string | null; closed_at: Date | null;
}

interface DetailRow extends SummaryRow {
  flag_ids: string[];
  notes: CaseNoteRow[];
  attachments: CaseAttachmentRow[];
  timeline: CaseTimelineRow[];
  tasks: CaseTask[];
  flags?: CaseFlagSummary[];
}

const toSummary = (r: SummaryRow): CaseSummary => ({
  id: r.id,
  number: r.number,
  title: r.title,
  status: r.status,
  outcome: r.outcome,
  assigneeId: r.assignee_id,
  assignee: r.assignee_id === null ? null : { id: r.assignee_id, displayName: r.assignee_name ?? r.assignee_id },
  dueAt: r.due_at?.toISOString() ?? null,
  overdue: r.overdue,
  flagCount: r.flag_count,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  closeRequest:
    r.close_requested_by === null || r.close_outcome === null || r.close_requested_at === null
      ? null
      : { requestedBy: r.close_requested_by, requestedByName: r.close_requested_by_name, outcome: r.close_outcome, reason: r.close_reason ?? '', at: r.close_requested_at.toISOString() },
  closedBy: r.closed_by,
  closedAt: r.closed_at?.toISOString() ?? null,
});

/**
 * Cases prosecutors open from flags. Every change is one transaction that also appends
 * to the case's timeline, so the record and the state never disagree. Notes, attachments
 * and the timeline are append-only in the database itself.
 */
export class CaseRepository {
  constructor(private readonly pool: pg.Pool) {}

  async open(input: { title: string; flagIds: string[]; assigneeId?: string | null; dueAt?: Date | null; actor: string }): Promise<CaseDetail> {
    const id = await this.transaction(async (client) => {
      await this.requireAssignee(client, input.assigneeId ?? null);
      const year = new Date().getUTCFullYear();
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO case_file (id, number, title, assignee_id, due_at, created_by)
         VALUES (gen_random_uuid(), 'C-' || $1 || '-' || lpad(nextval('case_number_seq')::text, 4, '0'), $2, $3, $4, $5) RETURNING id`,
        [year, input.title, input.assigneeId ?? null, input.dueAt ?? null, input.actor],
      );
      const caseId = (rows[0] as { id: string }).id;
      await this.event(client, caseId, input.actor, 'opened', { title: input.title, assigneeId: input.assigneeId ?? null, dueAt: input.dueAt?.toISOString() ?? null });
      await this.linkFlags(client, caseId, input.flagIds, input.actor);
      return caseId;
    });
    return this.mustGet(id);
  }

  async addFlags(caseId: string, flagIds: string[], actor: string): Promise<CaseDetail> {
    await this.transaction(async (client) => {
      await this.lockOpen(client, caseId);
      await this.linkFlags(client, caseId, flagIds, actor);
    });
    return this.mustGet(caseId);
  }

  async addNote(caseId: string, text: string, actor: string): Promise<CaseNoteRow> {
    const note = await this.transaction(async (client) => {
      await this.lockOpen(client, caseId);
      const { rows } = await client.query<{ id: string; at: Date }>('INSERT INTO case_note (case_id, author_id, text) VALUES ($1, $2, $3) RETURNING id, at', [caseId, actor, text]);
      const row = rows[0] as { id: string; at: Date };
      await this.event(client, caseId, actor, 'note_added', { noteId: row.id });
      return row;
    });
    const { rows } = await this.pool.query<{ name: string | null }>(`SELECT ${NAME_OF('$1')} AS name`, [actor]);
    return { id: note.id, authorId: actor, authorName: rows[0]?.name ?? null, at: note.at.toISOString(), text };
  }

  async addAttachment(caseId: string, file: { name: string; mediaType: string; content: Buffer }, actor: string): Promise<CaseAttachmentRow> {
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    return this.transaction(async (client) => {
      await this.lockOpen(client, caseId);
      const { rows } = await client.query<{ id: string; at: Date }>(
        'INSERT INTO case_attachment (id, case_id, name, media_type, sha256, size, content, added_by) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7) RETURNING id, at',
        [caseId, file.name, file.mediaType, sha256, file.content.length, file.content, actor],
      );
      const row = rows[0] as { id: string; at: Date };
      await this.event(client, caseId, actor, 'attachment_added', { attachmentId: row.id, name: file.name, sha256, size: file.content.length });
      return { id: row.id, name: file.name, sha256, size: file.content.length, mediaType: file.mediaType, addedBy: actor, at: row.at.toISOString() };
    });
  }

  async attachment(caseId: string, attachmentId: string): Promise<{ name: string; mediaType: string; sha256: string; content: Buffer } | null> {
    const { rows } = await this.pool.query<{ name: string; media_type: string; sha256: string; content: Buffer }>(
      'SELECT name, media_type, sha256, content FROM case_attachment WHERE case_id = $1 AND id = $2',
      [caseId, attachmentId],
    );
    const r = rows[0];
    return r === undefined ? null : { name: r.name, mediaType: r.media_type, sha256: r.sha256, content: r.content };
  }

  async assign(caseId: string, assigneeId: string, actor: string): Promise<CaseDetail> {
    await this.transaction(async (client) => {
      await this.lockOpen(client, caseId);
      await this.requireAssignee(client, assigneeId);
      await client.query('UPDATE case_file SET assignee_id = $2, updated_at = now() WHERE id = $1', [caseId, assigneeId]);
      await this.event(client, caseId, actor, 'assigned', { assigneeId });
    });
    return this.mustGet(caseId);
  }

  async setDueDate(caseId: string, dueAt: Date | null, actor: string): Promise<CaseDetail> {
    await this.transaction(async (client) => {
      await this.lockOpen(client, caseId);
      await client.query('UPDATE case_file SET due_at = $2, updated_at = now() WHERE id = $1', [caseId, dueAt]);
      await this.event(client, caseId, actor, 'due_date_set', { dueAt: dueAt?.toISOString() ?? null });
    });
    return this.mustGet(caseId);
  }

  async setStatus(caseId: string, status: CaseStatusChange, reason: string | null, actor: string): Promise<CaseDetail> {
    await this.transaction(async (client) => {
      const current = await this.lockOpen(client, caseId);
      if (!mayChangeCaseStatus(current.status, status)) {
        throw new CaseError('conflict', `a case that is ${current.status} cannot become ${status}`, 'status');
      }
      await client.query('UPDATE case_file SET status = $2, updated_at = now() WHERE id = $1', [caseId, status]);
      await this.event(client, caseId, actor, 'status_changed', { from: current.status, to: status, reason });
    });
    return this.mustGet(caseId);
  }

  /**
   * The first of the two people a close needs. Open tasks stop it unless the asker
   * confirms them (the timeline records how many were open); a missing outcome always does.
   */
  async requestClose(caseId: string, outcome: CaseOutcome | null, reason: string, actor: string, acknowledgeOpenTasks = false): Promise<CaseDetail> {
    await this.transaction(async (client) => {
      const current = await this.lockOpen(client, caseId);
      if (current.close_requested_by !== null) throw new CaseError('conflict', 'a close is already waiting for approval; approve or reject it first');
      const { rows: tasks } = await client.query<{ status: CaseTaskStatus }>('SELECT status FROM case_task WHERE case_id = $1', [caseId]);
      const blockers = closeBlockers({ taskStatuses: tasks.map((t) => t.status), outcome });
      for (const blocker of unresolvedCloseBlockers(blockers, acknowledgeOpenTasks)) {
        if (blocker.kind === 'missing_outcome') throw new CaseError('invalid', 'choose an outcome: substantiated or unfounded', 'outcome');
        throw new CaseError('conflict', `${blocker.count} task(s) of this case are still open; confirm to ask for the close anyway`, 'acknowledgeOpenTasks');
      }
      const openTasks = blockers.find((b) => b.kind === 'open_tasks')?.count ?? 0;
      await client.query(
        'UPDATE case_file SET close_requested_by = $2, close_requested_at = now(), close_outcome = $3, close_reason = $4, updated_at = now() WHERE id = $1',
        [caseId, actor, outcome, reason],
      );
      await this.event(client, caseId, actor, 'close_requested', { outcome, reason, ...(openTasks > 0 ? { openTasks } : {}) });
    });
    return this.mustGet(caseId);
  }

  /** The second person closes the case; its outcome labels every flag in it. */
  async approveClose(caseId: string, actor: string): Promise<CaseDetail> {
    await this.transaction(async (client) => {
      const current = await this.lockOpen(client, caseId);
      if (current.close_requested_by === null || current.close_outcome === null) throw new CaseError('conflict', 'nobody has asked to close this case');
      if (!mayApproveClose(current.close_requested_by, actor)) {
        throw new CaseError('four_eyes', 'the person who asked to close a case cannot approve it: another user must');
      }
      await client.query(
        `UPDATE case_file SET status = 'closed', outcome = close_outcome, closed_by = $2, closed_at = now(), updated_at = now() WHERE id = $1`,
        [caseId, actor],
      );
      const labelled = await client.query<{ id: string }>(
        `UPDATE flag f SET label = $2, updated_at = now() FROM case_flag cf WHERE cf.case_id = $1 AND cf.flag_id = f.id RETURNING f.id`,
        [caseId, current.close_outcome],
      );
      await client.query(
        `INSERT INTO flag_history (flag_id, actor, action, "from", "to", reason) SELECT unnest($1::uuid[]), $2, 'labelled', NULL, $3, $4`,
        [labelled.rows.map((r) => r.id), actor, current.close_outcome, `case ${current.number} closed`],
      );
      await this.event(client, caseId, actor, 'closed', { outcome: current.close_outcome, requestedBy: current.close_requested_by, flagsLabelled: labelled.rowCount });
    });
    return this.mustGet(caseId);
  }

  /** A task on an open case; its owner, when named, must be an active prosecutor. */
  async addTask(caseId: string, input: { title: string; ownerId: string | null; dueAt: Date | null }, actor: string): Promise<CaseDetail> {
    await this.transaction(async (client) => {
      await this.lockOpen(client, caseId);
      let ownerName: string | null = null;
      if (input.ownerId !== null) {
        const { rows } = await client.query<{ roles: string[]; display_name: string }>('SELECT roles, display_name FROM app_user WHERE id = $1::uuid AND disabled_at IS NULL', [input.ownerId]);
        const owner = rows[0];
        if (owner === undefined) throw new CaseError('invalid', 'no active user with this id', 'ownerId');
        if (!mayOwnCaseTasks(owner.roles)) throw new CaseError('invalid', 'tasks are given to prosecutors', 'ownerId');
        ownerName = owner.display_name;
      }
      const { rows } = await client.query<{ id: string }>(
        'INSERT INTO case_task (id, case_id, title, owner_id, due_at, created_by) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5) RETURNING id',
        [caseId, input.title, input.ownerId, input.dueAt, actor],
      );
      await this.event(client, caseId, actor, 'task_added', {
        taskId: (rows[0] as { id: string }).id,
        title: input.title,
        ownerId: input.ownerId,
        ownerName,
        dueAt: input.dueAt?.toISOString() ?? null,
      });
    });
    return this.mustGet(caseId);
  }

  /** Marks a task done or reopens it; the timeline names the task by its title. */
  async setTaskStatus(caseId: string, taskId: string, status: CaseTaskStatus, actor: string): Promise<CaseDetail> {
    await this.transaction(async (client) => {
      await this.lockOpen(client, caseId);
      const { rows } = await client.query<{ title: string; status: CaseTaskStatus }>('SELECT title, status FROM case_task WHERE id = $1 AND case_id = $2 FOR UPDATE', [taskId, caseId]);
      const task = rows[0];
      if (task === undefined) throw new CaseError('not_found', `no task ${taskId} in this case`, 'taskId');
      if (!mayChangeTaskStatus(task.status, status)) throw new CaseError('conflict', `the task is already ${status}`, 'taskId');
      if (status === 'done') await client.query(`UPDATE case_task SET status = 'done', done_by = $2, done_at = now() WHERE id = $1`, [taskId, actor]);
      else await client.query(`UPDATE case_task SET status = 'open', done_by = NULL, done_at = NULL WHERE id = $1`, [taskId]);
      await this.event(client, caseId, actor, status === 'done' ? 'task_done' : 'task_reopened', { taskId, title: task.title });
    });
    return this.mustGet(caseId);
  }

  async rejectClose(caseId: string, reason: string, actor: string): Promise<CaseDetail> {
    await this.transaction(async (client) => {
      const current = await this.lockOpen(client, caseId);
      if (current.close_requested_by === null) throw new CaseError('conflict', 'nobody has asked to close this case');
      await client.query(
        'UPDATE case_file SET close_requested_by = NULL, close_requested_at = NULL, close_outcome = NULL, close_reason = NULL, updated_at = now() WHERE id = $1',
        [caseId],
      );
      await this.event(client, caseId, actor, 'close_rejected', { reason, requestedBy: current.close_requested_by });
    });
    return this.mustGet(caseId);
  }

  async list(filter: CaseListFilter = {}): Promise<{ items: CaseSummary[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (filter.status !== undefined) add('c.status = ANY(?::text[])', filter.status);
    if (filter.assigneeId !== undefined) add('c.assignee_id = ?::uuid', filter.assigneeId);
    if (filter.overdue === true) where.push(`c.due_at < now() AND c.status <> 'closed'`);
    if (filter.q !== undefined) {
      // A number is matched from its start; words anywhere in the title, every word. The
      // LIKE wildcards a person types are taken as the characters they are.
      const words = filter.q.trim().split(/\s+/u).filter((w) => w !== '').slice(0, 10).map(likeLiteral);
      if (words.length > 0) {
        params.push(`${likeLiteral(filter.q.trim())}%`, words.map((w) => `%${w}%`));
        where.push(`(c.number ILIKE $${params.length - 1} OR c.title ILIKE ALL($${params.length}::text[]))`);
      }
    }
    if (filter.excludeSubjects !== undefined && filter.excludeSubjects.length > 0) {
      add(
        `NOT EXISTS (SELECT 1 FROM case_flag cf JOIN flag f ON f.id = cf.flag_id WHERE cf.case_id = c.id
           AND (split_part(f.subject_id, '|', 1) = ANY(?::text[]) OR coalesce(f.unit, '') = ANY(?::text[])))`,
        filter.excludeSubjects,
      );
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const limit = Math.min(filter.limit ?? 100, 500);
    const offset = filter.offset ?? 0;
    // The total rides along on each row (a window over every match, computed before the
    // LIMIT), so the list is one round trip; only a page past the end needs a second.
    const { rows } = await this.pool.query<SummaryRow & { total: number }>(
      `SELECT s.*, count(*) OVER ()::int AS total FROM (${SUMMARY_SELECT} ${clause}) s
       ORDER BY (s.status = 'closed'), s.due_at NULLS LAST, s.created_at DESC LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    const total = rows[0]?.total ?? (offset === 0 ? 0 : (await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_file c ${clause}`, params)).rows[0]?.n ?? 0);
    return { items: rows.map(toSummary), total };
  }

  async get(caseId: string): Promise<CaseDetail | null> {
    return this.detail(caseId, false);
  }

  /** The case with a summary of each of its flags, as the case page shows it: one round trip. */
  async getWithFlags(caseId: string): Promise<(CaseDetail & { flags: CaseFlagSummary[] }) | null> {
    return this.detail(caseId, true);
  }

  /**
   * One statement: the summary row with its flags, notes, attachments and timeline as JSON
   * arrays. Five queries side by side held five pooled connections for one page; under
   * load they queued behind each other's requests.
   */
  private async detail(caseId: string, withFlags: true): Promise<(CaseDetail & { flags: CaseFlagSummary[] }) | null>;
  private async detail(caseId: string, withFlags: false): Promise<CaseDetail | null>;
  private async detail(caseId: string, withFlags: boolean): Promise<(CaseDetail & { flags?: CaseFlagSummary[] }) | null> {
    const { rows } = await this.pool.query<DetailRow>(`${detailSelect(withFlags)} WHERE c.id = $1) s`, [caseId]);
    const row = rows[0];
    if (row === undefined) return null;
    const detail: CaseDetail = { ...toSummary(row), flagIds: row.flag_ids, notes: row.notes, attachments: row.attachments, timeline: row.timeline, tasks: row.tasks };
    return row.flags === undefined ? detail : { ...detail, flags: row.flags };
  }

  /** The officers and units a case's flags are about (for recusal checks on one case). */
  async subjectsOf(caseId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ s: string }>(
      `SELECT DISTINCT split_part(f.subject_id, '|', 1) AS s FROM case_flag cf JOIN flag f ON f.id = cf.flag_id WHERE cf.case_id = $1
       UNION SELECT DISTINCT f.unit FROM case_flag cf JOIN flag f ON f.id = cf.flag_id WHERE cf.case_id = $1 AND f.unit IS NOT NULL`,
      [caseId],
    );
    return rows.map((r) => r.s);
  }

  /**
   * Per rule: flags raised, flags whose case was decided, and of those substantiated.
   * Hits are counted on the (rule_id, status) index alone, without reading the flags'
   * rows; labels are read only for flags in cases, the one place a label is set
   * (approveClose), instead of from every flag.
   */
  async outcomesByRule(): Promise<Map<string, { hits: number; decided: number; substantiated: number }>> {
    const { rows } = await this.pool.query<{ rule_id: string; hits: number; decided: number; substantiated: number }>(
      `SELECT h.rule_id, h.hits, coalesce(d.decided, 0) AS decided, coalesce(d.substantiated, 0) AS substantiated
       FROM (SELECT rule_id, count(*)::int AS hits FROM flag GROUP BY rule_id) h
       LEFT JOIN (SELECT f.rule_id, count(*)::int AS decided, count(*) FILTER (WHERE f.label = 'substantiated')::int AS substantiated
                  FROM flag f WHERE f.id IN (SELECT flag_id FROM case_flag) AND f.label IS NOT NULL GROUP BY f.rule_id) d USING (rule_id)`,
    );
    return new Map(rows.map((r) => [r.rule_id, { hits: r.hits, decided: r.decided, substantiated: r.substantiated }]));
  }

  private async mustGet(caseId: string): Promise<CaseDetail> {
    const found = await this.get(caseId);
    if (found === null) throw new CaseError('not_found', `no case ${caseId}`);
    return found;
  }

  private async linkFlags(client: pg.PoolClient, caseId: string, flagIds: string[], actor: string): Promise<void> {
    const unique = [...new Set(flagIds)];
    const found = await client.query<{ id: string; status: string }>('SELECT id, status FROM flag WHERE id = ANY($1::uuid[]) FOR UPDATE', [unique]);
    const missing = unique.filter((id) => !found.rows.some((r) => r.id === id));
    if (missing.length > 0) throw new CaseError('invalid', `no flag ${missing.join(', ')}`, 'flagIds');
    const added = await client.query<{ flag_id: string }>(
      `INSERT INTO case_flag (case_id, flag_id, added_by) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING RETURNING flag_id`,
      [caseId, unique, actor],
    );
    const ids = added.rows.map((r) => r.flag_id);
    if (ids.length === 0) return;
    await client.query(
      `INSERT INTO flag_history (flag_id, actor, action, "from", "to", reason)
       SELECT f.id, $2, 'status', f.status, 'in_case', 'added to case ' || (SELECT number FROM case_file WHERE id = $3) FROM flag f WHERE f.id = ANY($1::uuid[])`,
      [ids, actor, caseId],
    );
    await client.query(`UPDATE flag SET status = 'in_case', updated_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
    await this.event(client, caseId, actor, 'flags_added', { flagIds: ids });
  }

  private async requireAssignee(client: pg.PoolClient, assigneeId: string | null): Promise<void> {
    if (assigneeId === null) return;
    const { rows } = await client.query<{ roles: string[] }>('SELECT roles FROM app_user WHERE id = $1::uuid AND disabled_at IS NULL', [assigneeId]);
    const roles = rows[0]?.roles;
    if (roles === undefined) throw new CaseError('invalid', `no user ${assigneeId}`, 'assigneeId');
    if (!mayBeAssignedCases(roles)) throw new CaseError('invalid', 'cases are assigned to prosecutors', 'assigneeId');
  }

  private async lockCase(client: pg.PoolClient, caseId: string): Promise<SummaryRow> {
    const { rows } = await client.query<SummaryRow>('SELECT * FROM case_file WHERE id = $1 FOR UPDATE', [caseId]);
    const row = rows[0];
    if (row === undefined) throw new CaseError('not_found', `no case ${caseId}`);
    return row;
  }

  private async lockOpen(client: pg.PoolClient, caseId: string): Promise<SummaryRow> {
    const row = await this.lockCase(client, caseId);
    if (!isCaseEditable(row.status)) throw new CaseError('conflict', `case ${row.number} is closed`);
    return row;
  }

  private async event(client: pg.PoolClient, caseId: string, actor: string, action: string, details: Record<string, unknown>): Promise<void> {
    await client.query('INSERT INTO case_event (case_id, actor, action, details) VALUES ($1, $2, $3, $4)', [caseId, actor, action, JSON.stringify(details)]);
    await client.query('UPDATE case_file SET updated_at = now() WHERE id = $1', [caseId]);
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }
}
