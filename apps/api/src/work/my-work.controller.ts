import { Controller, Inject } from '@nestjs/common';
import { workEndpoints as api, type MyWork } from '@qadaga/contracts/api';
import { AccessLogRepository, CaseRepository, FlagRepository, ReadRouting } from '@qadaga/db';
import { OPEN_CASE_STATUSES, inWorkOrder } from '@qadaga/domain';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { recusedSubjects } from '../auth/recusal.js';
import { Endpoint } from '../http/endpoint.decorator.js';

/**
 * A person's own list: the open flags and cases given to them, overdue first. Recusal
 * holds here as everywhere: a flag or case about the officer or unit the person is
 * linked to is never listed, even when it was given to them; the answer says how many
 * were withheld, so the person knows to hand them back.
 */
@Controller()
export class MyWorkController {
  constructor(
    @Inject(FlagRepository) private readonly flags: FlagRepository,
    @Inject(CaseRepository) private readonly cases: CaseRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(ReadRouting) private readonly reads: ReadRouting,
  ) {}

  /** From the replica, unless it has not yet replayed the person's own last write (then from the primary). */
  private async toRead(principal: Principal): Promise<{ flags: FlagRepository; cases: CaseRepository }> {
    if (!this.reads.hasReplica) return { flags: this.flags, cases: this.cases };
    const pool = await this.reads.poolFor(principal.id);
    return { flags: new FlagRepository(pool), cases: new CaseRepository(pool) };
  }

  @Endpoint(api.mine)
  async mine(@CurrentPrincipal() principal: Principal): Promise<MyWork> {
    // An API key is nobody's work list: only a signed-in person has work given to them.
    if (principal.userId === undefined) return { flags: [], cases: [], withheld: { flags: 0, cases: 0 } };
    const userId = principal.userId;
    const recused = recusedSubjects(principal);
    const status = [...OPEN_CASE_STATUSES];
    const read = await this.toRead(principal);
    const [, flags, cases, allCases] = await Promise.all([
      this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'list_my_work', subjectKind: 'flag', subjectId: '*', details: {} }),
      read.flags.assignedTo(userId, recused),
      read.cases.list({ assigneeId: userId, status, excludeSubjects: recused, limit: 500 }),
      recused.length === 0 ? null : read.cases.list({ assigneeId: userId, status, limit: 500 }),
    ]);
    const now = new Date();
    return {
      flags: inWorkOrder(flags.flags, now),
      cases: inWorkOrder(cases.items, now),
      withheld: { flags: flags.withheld, cases: allCases === null ? 0 : allCases.total - cases.total },
    };
  }
}
