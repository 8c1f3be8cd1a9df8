import { Controller, HttpStatus, Inject, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '@qadaga/config';
import { caseEndpoints as api, type ParsedBodyOf, type ParsedQueryOf } from '@qadaga/contracts/api';
import { AccessLogRepository, CaseRepository, FlagRepository, ReadRouting } from '@qadaga/db';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { isRecused, recusedSubjects, refuseRecused } from '../auth/recusal.js';
import { APP_CONFIG } from '../core/tokens.js';
import { apiError } from '../http/api-error.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { UuidPipe } from '../http/uuid.pipe.js';
import { caseOperation } from './case-errors.filter.js';
import { caseWithFlags, logCaseStep, readableCase } from './case-reads.js';

const CASE_ID = new UuidPipe('case');

/**
 * Cases prosecutors open from flags. Every action is written to the chained access log;
 * a user recused from an officer or unit neither sees nor touches cases about them.
 */
@Controller()
export class CasesController {
  constructor(
    @Inject(CaseRepository) private readonly cases: CaseRepository,
    @Inject(ReadRouting) private readonly reads: ReadRouting,
    @Inject(FlagRepository) private readonly flags: FlagRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Endpoint(api.open)
  async open(@Input('body') b: ParsedBodyOf<typeof api.open>, @CurrentPrincipal() principal: Principal) {
    await this.refuseRecusedFlags(principal, b.flagIds);
    const opened = await caseOperation(() =>
      this.cases.open({ title: b.title, flagIds: b.flagIds, assigneeId: b.assigneeId ?? null, dueAt: b.dueAt === undefined ? null : new Date(b.dueAt), actor: principal.id }),
    );
    await logCaseStep(this.accessLog, principal, 'case_opened', opened.id, { flagIds: b.flagIds });
    return caseWithFlags(this.flags, opened);
  }

  @Endpoint(api.list)
  async list(@Input('query') q: ParsedQueryOf<typeof api.list>, @CurrentPrincipal() principal: Principal) {
    // The record and the list side by side; the answer waits for both.
    const [, cases] = await Promise.all([
      logCaseStep(this.accessLog, principal, 'list_cases', '*', q),
      this.casesToRead(principal).then((cases) => cases.list({
        excludeSubjects: recusedSubjects(principal),
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.assignee === undefined ? {} : { assigneeId: q.assignee }),
        ...(q.q === undefined ? {} : { q: q.q }),
        ...(q.overdue === undefined ? {} : { overdue: q.overdue === 'true' }),
        ...(q.limit === undefined ? {} : { limit: q.limit }),
        ...(q.offset === undefined ? {} : { offset: q.offset }),
      })),
    ]);
    return cases;
  }

  @Endpoint(api.overdue)
  async overdue(@CurrentPrincipal() principal: Principal) {
    await logCaseStep(this.accessLog, principal, 'list_overdue_cases', '*', {});
    return (await this.casesToRead(principal)).list({ overdue: true, excludeSubjects: recusedSubjects(principal), limit: 500 });
  }

  @Endpoint(api.get)
  async get(@Param('id', CASE_ID) id: string, @CurrentPrincipal() principal: Principal) {
    const found = await (await this.casesToRead(principal)).getWithFlags(id);
    if (found === null) throw apiError(HttpStatus.NOT_FOUND, `no case ${id}`, [{ path: 'id', message: 'unknown case' }]);
    // The flags in hand name the case's officers and units: recusal needs no second query.
    if (found.flags.some((f) => isRecused(principal, f.subjectId, f.unit))) throw refuseRecused('this case');
    await logCaseStep(this.accessLog, principal, 'view_case', id, {});
    return found;
  }

  @Endpoint(api.addFlags)
  async addFlags(@Param('id', CASE_ID) id: string, @Input('body') b: ParsedBodyOf<typeof api.addFlags>, @CurrentPrincipal() principal: Principal) {
    await readableCase(this.cases, id, principal);
    await this.refuseRecusedFlags(principal, b.flagIds);
    const updated = await caseOperation(() => this.cases.addFlags(id, b.flagIds, principal.id));
    await logCaseStep(this.accessLog, principal, 'case_flags_added', id, { flagIds: b.flagIds });
    return caseWithFlags(this.flags, updated);
  }

  @Endpoint(api.addNote)
  async addNote(@Param('id', CASE_ID) id: string, @Input('body') b: ParsedBodyOf<typeof api.addNote>, @CurrentPrincipal() principal: Principal) {
    await readableCase(this.cases, id, principal);
    const note = await caseOperation(() => this.cases.addNote(id, b.text, principal.id));
    await logCaseStep(this.accessLog, principal, 'case_note_added', id, { noteId: note.id });
    return note;
  }

  @Endpoint(api.attach)
  async attach(@Param('id', CASE_ID) id: string, @Input('body') b: ParsedBodyOf<typeof api.attach>, @CurrentPrincipal() principal: Principal) {
    await readableCase(this.cases, id, principal);
    const content = Buffer.from(b.contentBase64, 'base64');
    const limit = this.config.cases.attachmentMaxBytes;
    if (content.length > limit) {
      throw apiError(HttpStatus.PAYLOAD_TOO_LARGE, 'attachment too large', [{ path: 'contentBase64', message: `the file is ${content.length} bytes; the limit is ${limit}` }]);
    }
    const attachment = await caseOperation(() => this.cases.addAttachment(id, { name: b.name, mediaType: b.mediaType, content }, principal.id));
    await logCaseStep(this.accessLog, principal, 'case_attachment_added', id, { attachmentId: attachment.id, sha256: attachment.sha256 });
    return attachment;
  }

  @Endpoint(api.attachment)
  async attachment(@Param('id', CASE_ID) id: string, @Param('attachmentId', new UuidPipe('attachment')) attachmentId: string, @CurrentPrincipal() principal: Principal, @Res() reply: FastifyReply) {
    await readableCase(this.cases, id, principal);
    const file = await this.cases.attachment(id, attachmentId);
    if (file === null) throw apiError(HttpStatus.NOT_FOUND, 'no such attachment', [{ path: 'attachmentId', message: 'unknown attachment' }]);
    await logCaseStep(this.accessLog, principal, 'case_attachment_read', id, { attachmentId });
    await reply
      .header('content-type', file.mediaType)
      .header('content-disposition', `attachment; filename="${encodeURIComponent(file.name)}"`)
      .header('x-content-sha256', file.sha256)
      .send(file.content);
  }

  @Endpoint(api.assign)
  async assign(@Param('id', CASE_ID) id: string, @Input('body') b: ParsedBodyOf<typeof api.assign>, @CurrentPrincipal() principal: Principal) {
    await readableCase(this.cases, id, principal);
    const updated = await caseOperation(() => this.cases.assign(id, b.assigneeId, principal.id));
    await logCaseStep(this.accessLog, principal, 'case_assigned', id, { assigneeId: b.assigneeId });
    return caseWithFlags(this.flags, updated);
  }

  @Endpoint(api.due)
  async due(@Param('id', CASE_ID) id: string, @Input('body') b: ParsedBodyOf<typeof api.due>, @CurrentPrincipal() principal: Principal) {
    await readableCase(this.cases, id, principal);
    const updated = await caseOperation(() => this.cases.setDueDate(id, b.dueAt === null ? null : new Date(b.dueAt), principal.id));
    await logCaseStep(this.accessLog, principal, 'case_due_set', id, { dueAt: b.dueAt });
    return caseWithFlags(this.flags, updated);
  }

  @Endpoint(api.status)
  async status(@Param('id', CASE_ID) id: string, @Input('body') b: ParsedBodyOf<typeof api.status>, @CurrentPrincipal() principal: Principal) {
    await readableCase(this.cases, id, principal);
    const updated = await caseOperation(() => this.cases.setStatus(id, b.status, b.reason ?? null, principal.id));
    await logCaseStep(this.accessLog, principal, 'case_status', id, { status: b.status });
    return caseWithFlags(this.flags, updated);
  }

  @Endpoint(api.requestClose)
  async requestClose(@Param('id', CASE_ID) id: string, @Input('body') b: ParsedBodyOf<typeof api.requestClose>, @CurrentPrincipal() principal: Principal) {
    await readableCase(this.cases, id, principal);
    const updated = await caseOperation(() => this.cases.requestClose(id, b.outcome, b.reason, principal.id, b.acknowledgeOpenTasks === true));
    await logCaseStep(this.accessLog, principal, 'case_close_requested', id, { outcome: b.outcome, ...(b.acknowledgeOpenTasks === true ? { acknowledgeOpenTasks: true } : {}) }, b.reason);
    return caseWithFlags(this.flags, updated);
  }

  @Endpoint(api.approveClose)
  async approveClose(@Param('id', CASE_ID) id: string, @CurrentPrincipal() principal: Principal) {
    await readableCase(this.cases, id, principal);
    const updated = await caseOperation(() => this.cases.approveClose(id, principal.id));
    await logCaseStep(this.accessLog, principal, 'case_closed', id, { outcome: updated.outcome });
    return caseWithFlags(this.flags, updated);
  }

  @Endpoint(api.rejectClose)
  async rejectClose(@Param('id', CASE_ID) id: string, @Input('body') b: ParsedBodyOf<typeof api.rejectClose>, @CurrentPrincipal() principal: Principal) {
    await readableCase(this.cases, id, principal);
    const updated = await caseOperation(() => this.cases.rejectClose(id, b.reason, principal.id));
    await logCaseStep(this.accessLog, principal, 'case_close_rejected', id, {}, b.reason);
    return caseWithFlags(this.flags, updated);
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

  /**
   * The cases as this person may read them: from the replica, unless it has not yet
   * replayed their own last write (then from the primary).
   */
  private async casesToRead(principal: Principal): Promise<CaseRepository> {
    return this.reads.hasReplica ? new CaseRepository(await this.reads.poolFor(principal.id)) : this.cases;
  }
}
