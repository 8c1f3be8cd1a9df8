import { Controller, Inject } from '@nestjs/common';
import { referenceEndpoints as api, type ParsedQueryOf, type Roster as RosterAnswer } from '@qadaga/contracts/api';
import { AccessLogRepository, ReadRouting, Roster } from '@qadaga/db';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { recusedSubjects } from '../auth/recusal.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';

/** The most officers one answer lists: pickers narrow by typing. */
const ROSTER_LIMIT = 2_000;

/** The roster for pickers (an export's subjects): officer ids name people, so every read is logged. */
@Controller()
export class RosterController {
  constructor(
    @Inject(Roster) private readonly roster: Roster,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(ReadRouting) private readonly reads: ReadRouting,
  ) {}

  @Endpoint(api.roster)
  async read(@Input('query') q: ParsedQueryOf<typeof api.roster>, @CurrentPrincipal() principal: Principal): Promise<RosterAnswer> {
    // From the replica, unless it has not yet replayed the reader's own last write (an admin's load of the roster).
    const roster = this.reads.hasReplica ? new Roster(await this.reads.poolFor(principal.id)) : this.roster;
    const [, answer] = await Promise.all([
      this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'list_officers', subjectKind: 'officer', subjectId: q.q === undefined || q.q === '' ? '*' : `${q.q}*` }),
      roster.read({ ...(q.q === undefined ? {} : { prefix: q.q }), excludeSubjects: recusedSubjects(principal), limit: ROSTER_LIMIT }),
    ]);
    return answer;
  }
}
