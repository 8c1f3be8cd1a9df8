import { z } from 'zod';
import { CASE_STATUSES, CASE_TASK_STATUSES } from '@qadaga/domain';
import { uuid } from '../ids.js';
import { answerId, csvOf, isoInstant, pathId } from './common.js';
import { endpoint, type EndpointContract } from './endpoint.js';
import { CASE_OUTCOMES, Flag } from './flags.js';
import type { Role } from './roles.js';

/** Who reads cases, and who works them (opens, notes, assigns, closes). */
export const CASE_READERS = ['prosecutor', 'auditor', 'admin'] as const satisfies readonly Role[];
export const CASE_WRITERS = ['prosecutor', 'admin'] as const satisfies readonly Role[];

export { CASE_STATUSES, type CaseStatus } from '@qadaga/domain';

const caseStatus = z.enum(CASE_STATUSES);
const caseOutcome = z.enum(CASE_OUTCOMES);

/** A close asked for and waiting for a second person to approve it. */
export const CaseCloseRequest = z
  .object({ requestedBy: z.string(), requestedByName: z.string().nullable(), outcome: caseOutcome, reason: z.string(), at: isoInstant })
  .meta({ id: 'CaseCloseRequest' });
export type CaseCloseRequest = z.infer<typeof CaseCloseRequest>;

export const CaseSummary = z
  .object({
    id: answerId,
    number: z.string(),
    title: z.string(),
    status: caseStatus,
    outcome: caseOutcome.nullable(),
    assigneeId: answerId.nullable(),
    assignee: z.object({ id: answerId, displayName: z.string() }).nullable(),
    dueAt: isoInstant.nullable(),
    overdue: z.boolean(),
    flagCount: z.number().int(),
    createdBy: z.string(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    closeRequest: CaseCloseRequest.nullable(),
    closedBy: z.string().nullable(),
    closedAt: isoInstant.nullable(),
  })
  .meta({ id: 'CaseSummary' });
export type CaseSummary = z.infer<typeof CaseSummary>;

/** A note on a case; notes are never edited or deleted. */
export const CaseNote = z.object({ id: z.string(), authorId: z.string(), authorName: z.string().nullable(), at: isoInstant, text: z.string() }).meta({ id: 'CaseNote' });
export type CaseNote = z.infer<typeof CaseNote>;

/** A file attached to a case, identified by its SHA-256. */
export const CaseAttachment = z
  .object({ id: answerId, name: z.string(), sha256: z.string(), size: z.number().int(), mediaType: z.string(), addedBy: z.string(), at: isoInstant })
  .meta({ id: 'CaseAttachment' });
export type CaseAttachment = z.infer<typeof CaseAttachment>;

/** One recorded step of a case: the action code and the details recorded with it. */
export const CaseTimelineEntry = z
  .object({ at: isoInstant, actor: z.string(), actorName: z.string().nullable(), action: z.string(), details: z.record(z.string(), z.unknown()).nullable() })
  .meta({ id: 'CaseTimelineEntry' });
export type CaseTimelineEntry = z.infer<typeof CaseTimelineEntry>;

/** What the case page shows of each flag in the case. */
export const CaseFlag = Flag.pick({ id: true, ruleId: true, scheme: true, severity: true, status: true, label: true, subjectKind: true, subjectId: true, explanation: true, unit: true, district: true }).meta({
  id: 'CaseFlag',
});
export type CaseFlag = z.infer<typeof CaseFlag>;

/** A piece of work on a case, with the prosecutor who owns it and when it is due. */
export const CaseTask = z
  .object({
    id: answerId,
    title: z.string(),
    owner: z.object({ id: answerId, displayName: z.string() }).nullable(),
    dueAt: isoInstant.nullable(),
    status: z.enum(CASE_TASK_STATUSES),
    createdBy: z.string(),
    createdByName: z.string().nullable(),
    createdAt: isoInstant,
    doneBy: z.string().nullable(),
    doneByName: z.string().nullable(),
    doneAt: isoInstant.nullable(),
  })
  .meta({ id: 'CaseTask' });
export type CaseTask = z.infer<typeof CaseTask>;

/** A case with its parts, as it is stored (the flags are ids here). */
export const CaseRecord = CaseSummary.extend({
  flagIds: z.array(answerId),
  notes: z.array(CaseNote),
  attachments: z.array(CaseAttachment),
  timeline: z.array(CaseTimelineEntry),
  tasks: z.array(CaseTask),
});
export type CaseRecord = z.infer<typeof CaseRecord>;

/** A case with a summary of each of its flags, its notes, attachments, timeline and any close waiting for approval. */
export const CaseDetail = CaseRecord.extend({ flags: z.array(CaseFlag) }).meta({ id: 'CaseDetail' });
export type CaseDetail = z.infer<typeof CaseDetail>;

export const CasePage = z.object({ items: z.array(CaseSummary), total: z.number().int() }).meta({ id: 'CasePage' });
export type CasePage = z.infer<typeof CasePage>;

const reason = z.string().trim().min(3, 'state why (at least 3 characters)').max(5_000);
const futureDate = z.iso.datetime({ offset: true }).refine((v) => Date.parse(v) > Date.now(), 'must be in the future');

const caseId = pathId('case');
const caseTaskId = z.object({ id: uuid.meta({ description: "the case's id" }), taskId: uuid.meta({ description: "the task's id" }) });

export const caseEndpoints = {
  open: endpoint({
    method: 'POST',
    path: '/v1/cases',
    tag: 'cases',
    access: CASE_WRITERS,
    summary: 'Open a case from one or more flags, optionally assigned and with a due date',
    body: z.strictObject({
      title: z.string().trim().min(3, 'at least 3 characters').max(300),
      flagIds: z.array(uuid).min(1, 'open a case from at least one flag').max(500),
      assigneeId: uuid.optional(),
      dueAt: futureDate.optional(),
    }),
    response: CaseDetail,
    status: 201,
  }),
  list: endpoint({
    method: 'GET',
    path: '/v1/cases',
    tag: 'cases',
    access: CASE_READERS,
    summary: 'List cases by status, assignee, overdue, or a search (a number from its start, or words of the title); open ones first, soonest due first',
    query: z.strictObject({
      status: csvOf(CASE_STATUSES).optional(),
      q: z.string().trim().min(1).max(100).optional().meta({ description: 'a case number from its start (C-2026-00) or words found in the title, in any case' }),
      assignee: uuid.optional(),
      overdue: z.enum(['true', 'false']).optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
      offset: z.coerce.number().int().min(0).optional(),
    }),
    response: CasePage,
  }),
  overdue: endpoint({
    method: 'GET',
    path: '/v1/cases/overdue',
    tag: 'cases',
    access: CASE_READERS,
    summary: 'Cases past their due date and not closed',
    response: CasePage,
  }),
  get: endpoint({
    method: 'GET',
    path: '/v1/cases/{id}',
    tag: 'cases',
    access: CASE_READERS,
    summary: 'A case with its flags, notes, attachments, timeline and any close waiting for approval',
    params: caseId,
    response: CaseDetail,
  }),
  addFlags: endpoint({
    method: 'POST',
    path: '/v1/cases/{id}/flags',
    tag: 'cases',
    access: CASE_WRITERS,
    summary: 'Add flags to an open case',
    params: caseId,
    body: z.strictObject({ flagIds: z.array(uuid).min(1, 'add at least one flag').max(500) }),
    response: CaseDetail,
  }),
  addNote: endpoint({
    method: 'POST',
    path: '/v1/cases/{id}/notes',
    tag: 'cases',
    access: CASE_WRITERS,
    summary: 'Append a note; notes are never edited or deleted',
    params: caseId,
    body: z.strictObject({ text: z.string().trim().min(1, 'a note cannot be empty').max(20_000) }),
    response: CaseNote,
    status: 201,
  }),
  attach: endpoint({
    method: 'POST',
    path: '/v1/cases/{id}/attachments',
    tag: 'cases',
    access: CASE_WRITERS,
    summary: 'Attach a file (base64, size limited by CASE_ATTACHMENT_MAX_BYTES); it is identified by its SHA-256',
    params: caseId,
    body: z.strictObject({
      name: z.string().trim().min(1).max(255).refine((n) => !/[\\/]/u.test(n), 'a file name, not a path'),
      mediaType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/u, 'a media type such as application/pdf').max(100),
      contentBase64: z.string().min(1, 'the file is empty').regex(/^[A-Za-z0-9+/]*={0,2}$/u, 'must be base64'),
    }),
    response: CaseAttachment,
    status: 201,
  }),
  attachment: endpoint({
    method: 'GET',
    path: '/v1/cases/{id}/attachments/{attachmentId}',
    tag: 'cases',
    access: CASE_READERS,
    summary: 'Download an attachment as it was added',
    params: z.object({ id: uuid.meta({ description: "the case's id" }), attachmentId: uuid.meta({ description: "the attachment's id" }) }),
    response: { media: 'application/octet-stream', description: 'the file as it was added, with the media type it was added with; its SHA-256 in the x-content-sha256 header' },
  }),
  assign: endpoint({
    method: 'POST',
    path: '/v1/cases/{id}/assign',
    tag: 'cases',
    access: CASE_WRITERS,
    summary: 'Assign the case to a prosecutor',
    params: caseId,
    body: z.strictObject({ assigneeId: uuid }),
    response: CaseDetail,
  }),
  due: endpoint({
    method: 'POST',
    path: '/v1/cases/{id}/due',
    tag: 'cases',
    access: CASE_WRITERS,
    summary: 'Set or clear the due date',
    params: caseId,
    body: z.strictObject({ dueAt: futureDate.nullable() }),
    response: CaseDetail,
  }),
  status: endpoint({
    method: 'POST',
    path: '/v1/cases/{id}/status',
    tag: 'cases',
    access: CASE_WRITERS,
    summary: 'Move the case on: open -> investigating -> referred',
    params: caseId,
    body: z.strictObject({ status: z.enum(['investigating', 'referred']), reason: reason.optional() }),
    response: CaseDetail,
  }),
  requestClose: endpoint({
    method: 'POST',
    path: '/v1/cases/{id}/close-request',
    tag: 'cases',
    access: CASE_WRITERS,
    summary:
      'Ask to close the case as substantiated or unfounded; another user must approve. Refused (409, naming acknowledgeOpenTasks) while tasks are open, unless the request confirms them',
    params: caseId,
    body: z.strictObject({ outcome: caseOutcome, reason, acknowledgeOpenTasks: z.boolean().optional() }),
    response: CaseDetail,
  }),
  approveClose: endpoint({
    method: 'POST',
    path: '/v1/cases/{id}/close-approve',
    tag: 'cases',
    access: CASE_WRITERS,
    summary: 'Approve a requested close: refused for the user who asked (four eyes); labels the flags',
    params: caseId,
    response: CaseDetail,
  }),
  rejectClose: endpoint({
    method: 'POST',
    path: '/v1/cases/{id}/close-reject',
    tag: 'cases',
    access: CASE_WRITERS,
    summary: 'Send a requested close back, with a reason',
    params: caseId,
    body: z.strictObject({ reason }),
    response: CaseDetail,
  }),
  addTask: endpoint({
    method: 'POST',
    path: '/v1/cases/{id}/tasks',
    tag: 'cases',
    access: CASE_WRITERS,
    summary: 'Add a task to an open case, optionally owned by a prosecutor and with a due date',
    params: caseId,
    body: z.strictObject({
      title: z.string().trim().min(3, 'at least 3 characters').max(200),
      ownerId: uuid.nullable().optional(),
      dueAt: futureDate.nullable().optional(),
    }),
    response: CaseDetail,
    status: 201,
  }),
  taskDone: endpoint({
    method: 'POST',
    path: '/v1/cases/{id}/tasks/{taskId}/done',
    tag: 'cases',
    access: CASE_WRITERS,
    summary: 'Mark a task of an open case done',
    params: caseTaskId,
    response: CaseDetail,
  }),
  taskReopen: endpoint({
    method: 'POST',
    path: '/v1/cases/{id}/tasks/{taskId}/reopen',
    tag: 'cases',
    access: CASE_WRITERS,
    summary: 'Reopen a task of an open case that was marked done',
    params: caseTaskId,
    response: CaseDetail,
  }),
} satisfies Record<string, EndpointContract>;
