import { Controller, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FLAG_EXPORT_MAX_ROWS, flagEndpoints as api, type Locale, type ParsedQueryOf } from '@qadaga/contracts/api';
import { AccessLogRepository, FlagRepository, UserRepository, type FlagFilter } from '@qadaga/db';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { recusedSubjects } from '../auth/recusal.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { flagCsv } from './flag-csv.js';
import { flagFilterOf } from './flag-filter.js';

/** How many flags one read of the repository brings: its largest page. */
const PAGE = 500;

/**
 * The queue as a spreadsheet. Every match of the list's filters, recusal applied as the
 * list applies it, read page by page in the list's own repository; the access log gets
 * the export with its filters and row count before a byte leaves.
 */
@Controller()
export class FlagsExportController {
  constructor(
    @Inject(FlagRepository) private readonly flags: FlagRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(UserRepository) private readonly users: UserRepository,
  ) {}

  @Endpoint(api.exportCsv)
  async exportCsv(@Input('query') q: ParsedQueryOf<typeof api.exportCsv>, @CurrentPrincipal() principal: Principal, @Res() reply: FastifyReply) {
    const locale = await this.localeOf(principal);
    // The queue's own order (priority unless asked otherwise): the file lists what the queue shows, in that order.
    const filter: FlagFilter = { ...flagFilterOf(q), excludeSubjects: recusedSubjects(principal) };
    const { csv, rows, truncated } = await flagCsv(async (offset, limit) => (await this.flags.list({ ...filter, limit, offset })).flags, { locale, max: FLAG_EXPORT_MAX_ROWS, pageSize: PAGE });
    await this.accessLog.record({
      principal: principal.id,
      roles: principal.roles,
      action: 'export_flags_csv',
      subjectKind: 'export',
      subjectId: q.subject ?? '*',
      details: { filters: q, rows, truncated },
    });
    const body = Buffer.from(csv, 'utf8');
    const day = new Date().toISOString().slice(0, 10);
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-length', String(body.length))
      .header('content-disposition', `attachment; filename="flags-${day}.csv"`)
      .header('x-export-rows', String(rows))
      .header('x-export-truncated', String(truncated))
      .header('cache-control', 'no-store')
      .send(body);
  }

  /** The language the person chose; API keys read Russian, the product's default. */
  private async localeOf(principal: Principal): Promise<Locale> {
    if (principal.userId === undefined) return 'ru';
    return (await this.users.byId(principal.userId))?.locale ?? 'ru';
  }
}
