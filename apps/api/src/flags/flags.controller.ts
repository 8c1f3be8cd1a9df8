import { Controller, HttpStatus, Inject, Param } from '@nestjs/common';
import { flagEndpoints as api, type ParsedBodyOf, type ParsedQueryOf } from '@qadaga/contracts/api';
import { AccessLogRepository, FlagRepository, ReadRouting } from '@qadaga/db';
import { LedgerReader } from '@qadaga/ledger';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { apiError } from '../http/api-error.js';
import { RecusalCheck, isRecused, recusedSubjects, refuseRecused } from '../auth/recusal.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { UuidPipe } from '../http/uuid.pipe.js';
import { flagFilterOf } from './flag-filter.js';

const FLAG_ID = new UuidPipe('flag');

/** Flags name officers and plates: every read is written to the access log first. */
@Controller()
export class FlagsController {
  constructor(
    @Inject(FlagRepository) private readonly flags: FlagRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(RecusalCheck) private readonly recusal: RecusalCheck,
    @Inject(LedgerReader) private readonly reader: LedgerReader,
    @Inject(ReadRouting) private readonly reads: ReadRouting,
  ) {}

  /** The flags as this person may read them: from the replica unless it lags behind their own last write (a triage). */
  private async flagsToRead(principal: Principal): Promise<FlagRepository> {
    return this.reads.hasReplica ? new FlagRepository(await this.reads.poolFor(principal.id)) : this.flags;
  }

  @Endpoint(api.list)
  async list(@Input('query') q: ParsedQueryOf<typeof api.list>, @CurrentPrincipal() principal: Principal) {
    // The record and the page are read side by side; the answer waits for both, so no
    // page leaves without its record (a failed record fails the request).
    const [, page] = await Promise.all([
      this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'list_flags', subjectKind: 'officer', subjectId: q.subject ?? '*', details: q }),
      this.flagsToRead(principal).then((flags) => flags.list({
      excludeSubjects: recusedSubjects(principal),
      ...flagFilterOf(q),
      ...(q.limit === undefined ? {} : { limit: q.limit }),
      ...(q.offset === undefined ? {} : { offset: q.offset }),
      })),
    ]);
    return page;
  }

  @Endpoint(api.get)
  async get(@Param('id', FLAG_ID) id: string, @CurrentPrincipal() principal: Principal) {
    // The flag and its history in one round trip; nothing of it leaves before the recusal check and the record.
    const flag = await (await this.flagsToRead(principal)).getWithHistory(id);
    if (flag === null) throw apiError(HttpStatus.NOT_FOUND, `no flag ${id}`, [{ path: 'id', message: 'unknown flag' }]);
    if (isRecused(principal, flag.subjectId, flag.unit)) throw refuseRecused('this flag');
    // The record and the steps behind the flag are read side by side; nothing leaves before
    // both are done (a failed record fails the request). The steps are named by type, time
    // and actor; a step by an officer or unit the reader is recused from is left out (its
    // hashes stay in the evidence list).
    const [, events] = await Promise.all([
      this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'view_flag', subjectKind: flag.subjectKind === 'vehicle' ? 'plate' : 'officer', subjectId: flag.subjectId }),
      this.reader.evidenceEvents(flag.evidence),
    ]);
    return { ...flag, evidenceEvents: events.filter((e) => !isRecused(principal, e.actor.id, e.actor.unit)) };
  }

  @Endpoint(api.setStatus)
  async setStatus(@Param('id', FLAG_ID) id: string, @Input('body') b: ParsedBodyOf<typeof api.setStatus>, @CurrentPrincipal() principal: Principal) {
    const before = await this.flags.get(id);
    if (before === null) throw apiError(HttpStatus.NOT_FOUND, `no flag ${id}`, [{ path: 'id', message: 'unknown flag' }]);
    if (isRecused(principal, before.subjectId, before.unit)) throw refuseRecused('this flag');
    const flag = await this.flags.setStatus(id, b.status, b.reason, principal.id);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'flag_status', subjectKind: 'flag', subjectId: id, reason: b.reason, details: { status: b.status } });
    return flag;
  }

  @Endpoint(api.bulkStatus)
  async bulkStatus(@Input('body') b: ParsedBodyOf<typeof api.bulkStatus>, @CurrentPrincipal() principal: Principal) {
    const ids = [...new Set(b.ids)];
    const found = new Map((await this.flags.getMany(ids)).map((f) => [f.id, f]));
    const reasons = ids.flatMap((id, i) => {
      const flag = found.get(id);
      if (flag === undefined) return [{ path: `ids.${i}`, message: 'unknown flag' }];
      if (isRecused(principal, flag.subjectId, flag.unit)) return [{ path: `ids.${i}`, message: 'you are recused from this flag' }];
      if (flag.status === 'in_case') return [{ path: `ids.${i}`, message: 'the flag is in a case; change it there' }];
      return [];
    });
    if (reasons.length > 0) throw apiError(HttpStatus.UNPROCESSABLE_ENTITY, 'no flag was changed', reasons);
    const updated = await this.flags.setStatusMany(ids, b.status, b.reason, principal.id);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'flag_status_bulk', subjectKind: 'flag', subjectId: ids.join(','), reason: b.reason, details: { status: b.status, count: ids.length } });
    return { updated };
  }

  @Endpoint(api.suppress)
  async suppress(@Input('body') b: ParsedBodyOf<typeof api.suppress>, @CurrentPrincipal() principal: Principal) {
    // Suppressing is judging: nobody silences the rules about their own officer record or unit.
    const [recused] = await this.recusal.coversSubjects(principal, [{ kind: b.subjectKind, id: b.subjectId }]);
    if (recused === true) {
      throw apiError(HttpStatus.FORBIDDEN, 'you are recused from this subject', [{ path: 'subjectId', message: 'concerns your own officer record or unit' }]);
    }
    const id = await this.flags.suppress({ ...b, until: new Date(b.until), actor: principal.id });
    return { id };
  }
}
