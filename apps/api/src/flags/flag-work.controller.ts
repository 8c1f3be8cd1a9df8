import { Controller, HttpStatus, Inject, Param } from '@nestjs/common';
import { flagEndpoints as api, type ParsedBodyOf } from '@qadaga/contracts/api';
import { AccessLogRepository, FlagRepository, type FlagRow } from '@qadaga/db';
import { dueDateRefusal } from '@qadaga/domain';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { RecusalCheck, isRecused, refuseRecused } from '../auth/recusal.js';
import { apiError } from '../http/api-error.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { UuidPipe } from '../http/uuid.pipe.js';

const FLAG_ID = new UuidPipe('flag');

/**
 * The work on a flag before a case exists: comments, and who looks into it by when.
 * Like every flag endpoint, a person recused from the flag's officer or unit is refused
 * before anything is read back or written, and every change is in the access log.
 */
@Controller()
export class FlagWorkController {
  constructor(
    @Inject(FlagRepository) private readonly flags: FlagRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(RecusalCheck) private readonly recusal: RecusalCheck,
  ) {}

  @Endpoint(api.comment)
  async comment(@Param('id', FLAG_ID) id: string, @Input('body') b: ParsedBodyOf<typeof api.comment>, @CurrentPrincipal() principal: Principal) {
    await this.workable(id, principal);
    const comment = await this.flags.addComment(id, b.text, principal.id);
    if (comment === null) throw unknownFlag(id);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'flag_commented', subjectKind: 'flag', subjectId: id, details: { commentId: comment.id } });
    return comment;
  }

  @Endpoint(api.assign)
  async assign(@Param('id', FLAG_ID) id: string, @Input('body') b: ParsedBodyOf<typeof api.assign>, @CurrentPrincipal() principal: Principal) {
    await this.workable(id, principal);
    const dueAt = b.dueAt === null ? null : new Date(b.dueAt);
    const late = dueDateRefusal(dueAt, new Date());
    if (late !== null) throw apiError(HttpStatus.UNPROCESSABLE_ENTITY, `the due date ${late}`, [{ path: 'dueAt', message: late }]);
    const result = await this.flags.assign(id, b.assigneeId, dueAt, principal.id);
    if (result === null) throw unknownFlag(id);
    if ('refused' in result) throw apiError(HttpStatus.UNPROCESSABLE_ENTITY, result.refused.message, [{ path: result.refused.field, message: result.refused.message }]);
    await this.accessLog.record({
      principal: principal.id,
      roles: principal.roles,
      action: 'flag_assigned',
      subjectKind: 'flag',
      subjectId: id,
      details: { assigneeId: b.assigneeId, assigneeName: result.flag.assignee?.displayName ?? null, dueAt: result.flag.dueAt },
    });
    return result.flag;
  }

  /** The flag, if it exists and the principal is not recused from it (by the flag's unit or the roster's). */
  private async workable(id: string, principal: Principal): Promise<FlagRow> {
    const flag = await this.flags.get(id);
    if (flag === null) throw unknownFlag(id);
    if (isRecused(principal, flag.subjectId, flag.unit)) throw refuseRecused('this flag');
    const [byRoster] = await this.recusal.coversSubjects(principal, [{ kind: flag.subjectKind, id: flag.subjectId }]);
    if (byRoster === true) throw refuseRecused('this flag');
    return flag;
  }
}

function unknownFlag(id: string) {
  return apiError(HttpStatus.NOT_FOUND, `no flag ${id}`, [{ path: 'id', message: 'unknown flag' }]);
}
