import { Controller, Inject } from '@nestjs/common';
import { evidenceEndpoints as api, type BundleList, type ParsedQueryOf } from '@qadaga/contracts/api';
import { AccessLogRepository, BundleRepository, CaseRepository } from '@qadaga/db';
import { SUBJECT_KINDS, type SubjectKind } from '@qadaga/domain';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { recusalOf } from '../auth/recusal.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { bundleConcernsRecused } from './bundle-recusal.js';
import { bundleView } from './evidence.controller.js';

/**
 * What a query bundle was asked for, as the list shows it. The subjects a recused
 * requester's query left out (excludeSubjects) name that person's own officer record or
 * unit, so they are not shown to others.
 */
function querySummary(query: Record<string, unknown> | null): BundleList['items'][number]['query'] {
  if (query === null) return null;
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  const subjects = (Array.isArray(query['subjects']) ? query['subjects'] : []) as { kind?: unknown; id?: unknown }[];
  return {
    subjects: subjects.flatMap((s) => (typeof s.kind === 'string' && typeof s.id === 'string' && (SUBJECT_KINDS as readonly string[]).includes(s.kind) ? [{ kind: s.kind as SubjectKind, id: s.id }] : [])),
    ruleIds: strings(query['ruleIds']),
    from: typeof query['from'] === 'string' ? query['from'] : '',
    to: typeof query['to'] === 'string' ? query['to'] : '',
  };
}

/**
 * The bundles people built, so an auditor finds one again after leaving the page. A
 * bundle about an officer or unit the reader is recused from is judged as GET
 * /v1/bundles/{id} judges it, left out, and counted. Each listing is written to the access log.
 */
@Controller()
export class BundleListController {
  constructor(
    @Inject(BundleRepository) private readonly bundles: BundleRepository,
    @Inject(CaseRepository) private readonly cases: CaseRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
  ) {}

  @Endpoint(api.list)
  async list(@Input('query') q: ParsedQueryOf<typeof api.list>, @CurrentPrincipal() principal: Principal): Promise<BundleList> {
    const recusal = recusalOf(principal);
    const found = await this.bundles.list({ ...(q.case === undefined ? {} : { caseId: q.case }), limit: q.limit, offset: q.offset });
    const items: BundleList['items'] = [];
    let withheld = 0;
    for (const b of found) {
      if (await bundleConcernsRecused(b, recusal, this.cases)) {
        withheld += 1;
        continue;
      }
      items.push({ ...bundleView(b), caseNumber: b.caseNumber, requestedByName: b.requestedByName, query: querySummary(b.query) });
    }
    // Reasons are free text and may name officers or plates: the listing is a read like any other.
    await this.accessLog.record({
      principal: principal.id,
      roles: principal.roles,
      action: 'list_bundles',
      subjectKind: q.case === undefined ? 'export' : 'case',
      subjectId: q.case ?? '*',
      details: { limit: q.limit, offset: q.offset, shown: items.map((b) => b.id), withheld },
    });
    return { items, withheld };
  }
}
