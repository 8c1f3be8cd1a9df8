import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppConfig } from '@qadaga/config';
import { uuid } from '@qadaga/contracts';
import { AccessLogRepository, CASE_OUTCOMES, CASE_STATUSES, CaseRepository, FlagRepository, type CaseDetail } from '@qadaga/db';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { isRecused, recusedSubjects, refuseRecused } from '../auth/recusal.js';
import { Roles } from '../auth/roles.decorator.js';
import { APP_CONFIG } from '../core/tokens.js';
import { apiError } from '../http/api-error.js';
import { parseOr422 } from '../http/parse.js';
import { UuidPipe } from '../http/uuid.pipe.js';
import { caseOperation } from './case-errors.filter.js';

const reason = z.string().trim().min(3, 'state why (at least 3 characters)').max(5_000);
const futureDate = z.iso.datetime({ offset: true }).refine((v) => Date.parse(v) > Date.now(), 'must be in the future');

const OpenBody = z.strictObject({
  title: z.string().trim().min(3, 'at least 3 characters').max(300),
  flagIds: z.array(uuid).min(1, 'open a case from at least one flag').max(500),
  assigneeId: uuid.optional(),
  dueAt: futureDate.optional(),
});
const FlagsBody = z.strictObject({ flagIds: z.array(uuid).min(1, 'add at least one flag').max(500) });
const NoteBody = z.strictObject({ text: z.string().trim().min(1, 'a note cannot be empty').max(20_000) });
const AssignBody = z.strictObject({ assigneeId: uuid });
const DueBody = z.strictObject({ dueAt: futureDate.nullable() });
const StatusBody = z.strictObject({ status: z.enum(['investigating', 'referred']), reason: reason.optional() });
const CloseBody = z.strictObject({ outcome: z.enum(CASE_OUTCOMES), reason });
const RejectBody = z.strictObject({ reason });
const AttachmentBody = z.strictObject({
  name: z.string().trim().min(1).max(255).refine((n) => !/[\\/]/u.test(n), 'a file name, not a path'),
  mediaType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/u, 'a media type such as application/pdf').max(100),
  contentBase64: z.string().min(1, 'the file is empty').regex(/^[A-Za-z0-9+/]*={0,2}$/u, 'must be base64'),
});
const ListQuery = z.strictObject({
  status: z.string().transform((s) => s.split(',').filter((x) => x !== '')).pipe(z.array(z.enum(CASE_STATUSES))).optional(),
  assignee: uuid.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

const CASE_ID = new UuidPipe('case');
const CASE_READERS = ['prosecutor', 'auditor', 'admin'] as const;
const CASE_WRITERS = ['prosecutor', 'admin'] as const;

/**
 * Cases prosecutors open from flags. Every action is written to the chained access log;
 * a user recused from an officer or unit neither sees nor touches cases about them.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class CasesController {
  constructor(
    @Inject(CaseRepository) private readonly cases: CaseRepository,
    @Inject(FlagRepository) private readonly flags: FlagRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Roles(...CASE_WRITERS)
  @ApiOperation({ summary: 'Open a case from one or more flags, optionally assigned and with a due date (prosecutor, admin)' })
  async open(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseOr422(OpenBody, body);
    await this.refuseRecusedFlags(principal, b.flagIds);
    const opened = await caseOperation(() =>
      this.cases.open({ title: b.title, flagIds: b.flagIds, assigneeId: b.assigneeId ?? null, dueAt: b.dueAt === undefined ? null : new Date(b.dueAt), actor: principal.id }),
    );
    await this.log(principal, 'case_opened', opened.id, { flagIds: b.flagIds });
    return this.withFlags(opened);
  }

  @Get()
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'List cases by status, assignee, or overdue; open ones first, soonest due first (prosecutor, auditor, admin)' })
  async list(@Query() query: Record<string, string>, @CurrentPrincipal() principal: Principal) {
    const q = parseOr422(ListQuery, query, 'query');
    // The record and the list side by side; the answer waits for both.
    const [, cases] = await Promise.all([
      this.log(principal, 'list_cases', '*', q),
      this.cases.list({
        excludeSubjects: recusedSubjects(principal),
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.assignee === undefined ? {} : { assigneeId: q.assignee }),
        ...(q.overdue === undefined ? {} : { overdue: q.overdue === 'true' }),
        ...(q.limit === undefined ? {} : { limit: q.limit }),
        ...(q.offset === undefined ? {} : { offset: q.offset }),
      }),
    ]);
    return cases;
  }

  @Get('overdue')
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'Cases past their due date and not closed (prosecutor, auditor, admin)' })
  async overdue(@CurrentPrincipal() principal: Principal) {
    await this.log(principal, 'list_overdue_cases', '*', {});
    return this.cases.list({ overdue: true, excludeSubjects: recusedSubjects(principal), limit: 500 });
  }

  @Get(':id')
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'A case with its flags, notes, attachments, timeline and any close waiting for approval (prosecutor, auditor, admin)' })
  async get(@Param('id', CASE_ID) id: string, @CurrentPrincipal() principal: Principal) {
    const found = await this.cases.getWithFlags(id);
    if (found === null) throw apiError(HttpStatus.NOT_FOUND, `no case ${id}`, [{ path: 'id', message: 'unknown case' }]);
    // The flags in hand name the case's officers and units: recusal needs no second query.
    if (found.flags.some((f) => isRecused(principal, f.subjectId, f.unit))) throw refuseRecused('this case');
    await this.log(principal, 'view_case', id, {});
    return found;
  }

  @Post(':id/flags')
  @HttpCode(HttpStatus.OK)
  @Roles(...CASE_WRITERS)
  @ApiOperation({ summary: 'Add flags to an open case (prosecutor, admin)' })
  async addFlags(@Param('id', CASE_ID) id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    await this.readable(id, principal);
    const b = parseOr422(FlagsBody, body);
    await this.refuseRecusedFlags(principal, b.flagIds);
    const updated = await caseOperation(() => this.cases.addFlags(id, b.flagIds, principal.id));
    await this.log(principal, 'case_flags_added', id, { flagIds: b.flagIds });
    return this.withFlags(updated);
  }

  @Post(':id/notes')
  @Roles(...CASE_WRITERS)
  @ApiOperation({ summary: 'Append a note; notes are never edited or deleted (prosecutor, admin)' })
  async addNote(@Param('id', CASE_ID) id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    await this.readable(id, principal);
    const b = parseOr422(NoteBody, body);
    const note = await caseOperation(() => this.cases.addNote(id, b.text, principal.id));
    await this.log(principal, 'case_note_added', id, { noteId: note.id });
    return note;
  }

  @Post(':id/attachments')
  @Roles(...CASE_WRITERS)
  @ApiOperation({ summary: 'Attach a file (base64, size limited by CASE_ATTACHMENT_MAX_BYTES); it is identified by its SHA-256 (prosecutor, admin)' })
  async attach(@Param('id', CASE_ID) id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    await this.readable(id, principal);
    const b = parseOr422(AttachmentBody, body);
    const content = Buffer.from(b.contentBase64, 'base64');
    const limit = this.config.cases.attachmentMaxBytes;
    if (content.length > limit) {
      throw apiError(HttpStatus.PAYLOAD_TOO_LARGE, 'attachment too large', [{ path: 'contentBase64', message: `the file is ${content.length} bytes; the limit is ${limit}` }]);
    }
    const attachment = await caseOperation(() => this.cases.addAttachment(id, { name: b.name, mediaType: b.mediaType, content }, principal.id));
    await this.log(principal, 'case_attachment_added', id, { attachmentId: attachment.id, sha256: attachment.sha256 });
    return attachment;
  }

  @Get(':id/attachments/:attachmentId')
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'Download an attachment as it was added (prosecutor, auditor, admin)' })
  async attachment(@Param('id', CASE_ID) id: string, @Param('attachmentId', new UuidPipe('attachment')) attachmentId: string, @CurrentPrincipal() principal: Principal, @Res() reply: FastifyReply) {
    await this.readable(id, principal);
    const file = await this.cases.attachment(id, attachmentId);
    if (file === null) throw apiError(HttpStatus.NOT_FOUND, 'no such attachment', [{ path: 'attachmentId', message: 'unknown attachment' }]);
    await this.log(principal, 'case_attachment_read', id, { attachmentId });
    await reply
      .header('content-type', file.mediaType)
      .header('content-disposition', `attachment; filename="${encodeURIComponent(file.name)}"`)
      .header('x-content-sha256', file.sha256)
      .send(file.content);
  }

  @Post(':id/assign')
  @HttpCode(HttpStatus.OK)
  @Roles(...CASE_WRITERS)
  @ApiOperation({ summary: 'Assign the case to a prosecutor (prosecutor, admin)' })
  async assign(@Param('id', CASE_ID) id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    await this.readable(id, principal);
    const b = parseOr422(AssignBody, body);
    const updated = await caseOperation(() => this.cases.assign(id, b.assigneeId, principal.id));
    await this.log(principal, 'case_assigned', id, { assigneeId: b.assigneeId });
    return this.withFlags(updated);
  }

  @Post(':id/due')
  @HttpCode(HttpStatus.OK)
  @Roles(...CASE_WRITERS)
  @ApiOperation({ summary: 'Set or clear the due date (prosecutor, admin)' })
  async due(@Param('id', CASE_ID) id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    await this.readable(id, principal);
    const b = parseOr422(DueBody, body);
    const updated = await caseOperation(() => this.cases.setDueDate(id, b.dueAt === null ? null : new Date(b.dueAt), principal.id));
    await this.log(principal, 'case_due_set', id, { dueAt: b.dueAt });
    return this.withFlags(updated);
  }

  @Post(':id/status')
  @HttpCode(HttpStatus.OK)
  @Roles(...CASE_WRITERS)
  @ApiOperation({ summary: 'Move the case on: open -> investigating -> referred (prosecutor, admin)' })
  async status(@Param('id', CASE_ID) id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    await this.readable(id, principal);
    const b = parseOr422(StatusBody, body);
    const updated = await caseOperation(() => this.cases.setStatus(id, b.status, b.reason ?? null, principal.id));
    await this.log(principal, 'case_status', id, { status: b.status });
    return this.withFlags(updated);
  }

  @Post(':id/close-request')
  @HttpCode(HttpStatus.OK)
  @Roles(...CASE_WRITERS)
  @ApiOperation({ summary: 'Ask to close the case as substantiated or unfounded; another user must approve (prosecutor, admin)' })
  async requestClose(@Param('id', CASE_ID) id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    await this.readable(id, principal);
    const b = parseOr422(CloseBody, body);
    const updated = await caseOperation(() => this.cases.requestClose(id, b.outcome, b.reason, principal.id));
    await this.log(principal, 'case_close_requested', id, { outcome: b.outcome }, b.reason);
    return this.withFlags(updated);
  }

  @Post(':id/close-approve')
  @HttpCode(HttpStatus.OK)
  @Roles(...CASE_WRITERS)
  @ApiOperation({ summary: 'Approve a requested close: refused for the user who asked (four eyes); labels the flags (prosecutor, admin)' })
  async approveClose(@Param('id', CASE_ID) id: string, @CurrentPrincipal() principal: Principal) {
    await this.readable(id, principal);
    const updated = await caseOperation(() => this.cases.approveClose(id, principal.id));
    await this.log(principal, 'case_closed', id, { outcome: updated.outcome });
    return this.withFlags(updated);
  }

  @Post(':id/close-reject')
  @HttpCode(HttpStatus.OK)
  @Roles(...CASE_WRITERS)
  @ApiOperation({ summary: 'Send a requested close back, with a reason (prosecutor, admin)' })
  async rejectClose(@Param('id', CASE_ID) id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    await this.readable(id, principal);
    const b = parseOr422(RejectBody, body);
    const updated = await caseOperation(() => this.cases.rejectClose(id, b.reason, principal.id));
    await this.log(principal, 'case_close_rejected', id, {}, b.reason);
    return this.withFlags(updated);
  }

  /** The case, if it exists and the principal is not recused from it. */
  private async readable(id: string, principal: Principal): Promise<CaseDetail> {
    const found = await this.cases.get(id);
    if (found === null) throw apiError(HttpStatus.NOT_FOUND, `no case ${id}`, [{ path: 'id', message: 'unknown case' }]);
    const recused = recusedSubjects(principal);
    if (recused.length > 0 && (await this.cases.subjectsOf(id)).some((s) => recused.includes(s))) throw refuseRecused('this case');
    return found;
  }

  private async refuseRecusedFlags(principal: Principal, flagIds: string[]): Promise<void> {
    if (recusedSubjects(principal).length === 0) return;
    const flags = new Map((await this.flags.getMany(flagIds)).map((f) => [f.id, f]));
    for (const [i, flagId] of flagIds.entries()) {
      const flag = flags.get(flagId);
      if (flag !== undefined && isRecused(principal, flag.subjectId, flag.unit)) {
        throw apiError(HttpStatus.FORBIDDEN, 'you are recused from a flag you chose', [{ path: `flagIds.${i}`, message: 'concerns your own officer record or unit' }]);
      }
    }
  }

  /** The case with a summary of each of its flags, as the case page shows them. */
  private async withFlags(detail: CaseDetail) {
    const flags = await this.flags.getMany(detail.flagIds);
    return {
      ...detail,
      flags: flags.map((f) => ({ id: f.id, ruleId: f.ruleId, severity: f.severity, status: f.status, label: f.label, subjectKind: f.subjectKind, subjectId: f.subjectId, explanation: f.explanation, unit: f.unit, district: f.district })),
    };
  }

  private async log(principal: Principal, action: string, caseId: string, details: Record<string, unknown>, reasonText?: string): Promise<void> {
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action, subjectKind: 'case', subjectId: caseId, details, ...(reasonText === undefined ? {} : { reason: reasonText }) });
  }
}
