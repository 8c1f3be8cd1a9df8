import { Controller, HttpStatus, Inject, Param } from '@nestjs/common';
import { caseEndpoints as api, type CaseDetail, type CaseRecord, type ParsedBodyOf } from '@qadaga/contracts/api';
import { AccessLogRepository, CaseRepository, FlagRepository } from '@qadaga/db';
import type { CaseTaskStatus } from '@qadaga/domain';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { recusedSubjects, refuseRecused } from '../auth/recusal.js';
import { apiError } from '../http/api-error.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { UuidPipe } from '../http/uuid.pipe.js';
import { caseOperation } from './case-errors.filter.js';

const CASE_ID = new UuidPipe('case');
const TASK_ID = new UuidPipe('task');

/**
 * Tasks on a case: added, marked done, reopened. Each is a step on the case's timeline and
 * a row of the access log; a user recused from an officer or unit is refused here as on
 * every other path to the case.
 */
@Controller()
export class CaseTasksController {
  constructor(
    @Inject(CaseRepository) private readonly cases: CaseRepository,
    @Inject(FlagRepository) private readonly flags: FlagRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
  ) {}

  @Endpoint(api.addTask)
  async add(@Param('id', CASE_ID) id: string, @Input('body') b: ParsedBodyOf<typeof api.addTask>, @CurrentPrincipal() principal: Principal) {
    await this.readable(id, principal);
    const updated = await caseOperation(() =>
      this.cases.addTask(id, { title: b.title, ownerId: b.ownerId ?? null, dueAt: b.dueAt === undefined || b.dueAt === null ? null : new Date(b.dueAt) }, principal.id),
    );
    await this.log(principal, 'case_task_added', id, { ownerId: b.ownerId ?? null, dueAt: b.dueAt ?? null });
    return this.withFlags(updated);
  }

  @Endpoint(api.taskDone)
  async done(@Param('id', CASE_ID) id: string, @Param('taskId', TASK_ID) taskId: string, @CurrentPrincipal() principal: Principal) {
    return this.setStatus(id, taskId, 'done', principal);
  }

  @Endpoint(api.taskReopen)
  async reopen(@Param('id', CASE_ID) id: string, @Param('taskId', TASK_ID) taskId: string, @CurrentPrincipal() principal: Principal) {
    return this.setStatus(id, taskId, 'open', principal);
  }

  private async setStatus(id: string, taskId: string, status: CaseTaskStatus, principal: Principal): Promise<CaseDetail> {
    await this.readable(id, principal);
    const updated = await caseOperation(() => this.cases.setTaskStatus(id, taskId, status, principal.id));
    await this.log(principal, status === 'done' ? 'case_task_done' : 'case_task_reopened', id, { taskId });
    return this.withFlags(updated);
  }

  /** The case, if it exists and the principal is not recused from any officer or unit it is about. */
  private async readable(id: string, principal: Principal): Promise<CaseRecord> {
    const found = await this.cases.get(id);
    if (found === null) throw apiError(HttpStatus.NOT_FOUND, `no case ${id}`, [{ path: 'id', message: 'unknown case' }]);
    const recused = recusedSubjects(principal);
    if (recused.length > 0 && (await this.cases.subjectsOf(id)).some((s) => recused.includes(s))) throw refuseRecused('this case');
    return found;
  }

  /** The case with a summary of each of its flags, as the case page shows them. */
  private async withFlags(detail: CaseRecord): Promise<CaseDetail> {
    const flags = await this.flags.getMany(detail.flagIds);
    return {
      ...detail,
      flags: flags.map((f) => ({ id: f.id, ruleId: f.ruleId, scheme: f.scheme, severity: f.severity, status: f.status, label: f.label, subjectKind: f.subjectKind, subjectId: f.subjectId, explanation: f.explanation, unit: f.unit, district: f.district })),
    };
  }

  private async log(principal: Principal, action: string, caseId: string, details: Record<string, unknown>): Promise<void> {
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action, subjectKind: 'case', subjectId: caseId, details });
  }
}
