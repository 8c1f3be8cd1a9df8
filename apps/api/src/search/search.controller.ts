import { Controller, Inject } from '@nestjs/common';
import { SEARCH_LIMIT_PER_KIND, searchEndpoints as api, type ParsedQueryOf, type SearchResults } from '@qadaga/contracts/api';
import { AccessLogRepository, ReadRouting, SearchRepository } from '@qadaga/db';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { RecusalCheck, recusalOf } from '../auth/recusal.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';

/**
 * The one search box. It names plates and officers, so every search is recorded with
 * what it answered before the answer leaves; whatever concerns the reader's own officer
 * record or unit (the officer, the unit's officers, violations they handled, cases about
 * them) is left out and only counted. Vehicles and cameras are not about an officer: they
 * are shown, and their profiles withhold what the reader's officer record or unit did.
 */
@Controller()
export class SearchController {
  constructor(
    @Inject(SearchRepository) private readonly search: SearchRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(RecusalCheck) private readonly recusal: RecusalCheck,
    @Inject(ReadRouting) private readonly reads: ReadRouting,
  ) {}

  @Endpoint(api.search)
  async find(@Input('query') query: ParsedQueryOf<typeof api.search>, @CurrentPrincipal() principal: Principal): Promise<SearchResults> {
    // From the replica, unless it has not yet replayed the reader's own last write. Recusal
    // is judged on the primary (RecusalCheck): a roster change must hold at once.
    const search = this.reads.hasReplica ? new SearchRepository(await this.reads.poolFor(principal.id)) : this.search;
    const found = await search.find(query.q, SEARCH_LIMIT_PER_KIND);
    const recusal = recusalOf(principal);
    // A case is about the subjects of its flags: recused by the subject, its unit, or the roster's unit of the officer it names.
    const caseSubjects = found.cases.flatMap((c, i) => c.subjects.map((s) => ({ ...s, case: i })));
    const [recusedOfficers, recusedHandlers, coveredSubjects] = await Promise.all([
      this.recusal.recusedOfficers(principal, found.officers),
      this.recusal.recusedOfficers(principal, found.violations.flatMap((v) => v.officerIds.map((id) => ({ id })))),
      this.recusal.coversSubjects(principal, caseSubjects),
    ]);
    const recusedCases = new Set(caseSubjects.filter((s, i) => coveredSubjects[i] === true || recusal.coversSubject(s.id, s.unit)).map((s) => s.case));
    const officers = found.officers.filter((o) => !recusedOfficers.has(o.id));
    const violations = found.violations.filter((v) => !v.officerIds.some((id) => recusedHandlers.has(id)));
    const cases = found.cases.filter((_, i) => !recusedCases.has(i)).map(({ subjects: _subjects, ...c }) => c);
    const withheld = found.officers.length - officers.length + (found.violations.length - violations.length) + (found.cases.length - cases.length);
    await this.accessLog.record({
      principal: principal.id,
      roles: principal.roles,
      action: 'search',
      subjectKind: 'search',
      subjectId: query.q,
      details: {
        q: query.q,
        vehicles: found.vehicles.map((v) => v.plateKey),
        officers: officers.map((o) => o.id),
        cameras: found.cameras.map((c) => c.id),
        violations: violations.map((v) => v.ref),
        cases: cases.map((c) => c.id),
        withheldForRecusal: withheld,
      },
    });
    return { vehicles: found.vehicles, officers, cameras: found.cameras, violations, cases, withheldForRecusal: withheld };
  }
}
