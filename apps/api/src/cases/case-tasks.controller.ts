import { Controller, Inject, Param } from '@nestjs/common';
import { caseEndpoints as api, type CaseDetail, type ParsedBodyOf } from '@qadaga/contracts/api';
import { AccessLogRepository, CaseRepository, FlagRepository } from '@qadaga/db';
import type { CaseTaskStatus } from '@qadaga/domain';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { UuidPipe } from '../http/uuid.pipe.js';
import { caseOperation } from './case-errors.filter.js';
import { caseWithFlags, logCaseStep, readableCase } from './case-reads.js';

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
    await readableCase(this.cases, id, principal);
    const updated = await caseOperation(() =>
      this.cases.addTask(id, { title: b.title, ownerId: b.ownerId ?? null, dueAt: b.dueAt === undefined || b.dueAt === null ? null : new Date(b.dueAt) }, principal.id),
    );
    await logCaseStep(this.accessLog, principal, 'case_task_added', id, { ownerId: b.ownerId ?? null, dueAt: b.dueAt ?? null });
    return caseWithFlags(this.flags, updated);
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
    await readableCase(this.cases, id, principal);
    const updated = await caseOperation(() => this.cases.setTaskStatus(id, taskId, status, principal.id));
    await logCaseStep(this.accessLog, principal, status === 'done' ? 'case_task_done' : 'case_task_reopened', id, { taskId });
    return caseWithFlags(this.flags, updated);
  }
}
