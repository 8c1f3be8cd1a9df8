import { Controller, Inject } from '@nestjs/common';
import type pg from 'pg';
import type { AppConfig } from '@qadaga/config';
import { RuleRepository } from '@qadaga/db';
import { coverageReport, RuleRunner, sweepInstant } from '@qadaga/detection';
import { coverageEndpoints as api, type CoverageReport, type ParsedQueryOf } from '@qadaga/contracts/api';
import { APP_CONFIG, PG_POOL } from '../core/tokens.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';

/** How long a report is answered again unchanged: it computes a sweep's facts, and sources change over weeks. */
const REPORT_TTL_MS = 5 * 60_000;

/**
 * Which rules can judge which sources' data, and how many subjects each could not judge
 * for lack of a fact, as a sweep would judge them (as of the end of the ledger's history
 * unless asOf is given). Counts of sources and rules only: no subject is named.
 */
@Controller()
export class CoverageController {
  private readonly runner: RuleRunner;
  private readonly reports = new Map<string, { at: number; report: Promise<CoverageReport> }>();

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(RuleRepository) rules: RuleRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.runner = new RuleRunner(pool, rules, config.timeZone, { factConnections: 1 });
  }

  @Endpoint(api.get)
  async get(@Input('query') q: ParsedQueryOf<typeof api.get>): Promise<CoverageReport> {
    const { asOf, basis } = await sweepInstant(this.pool, q.asOf);
    const key = `${asOf.toISOString()}|${basis}`;
    const now = Date.now();
    for (const [k, v] of this.reports) if (now - v.at > REPORT_TTL_MS) this.reports.delete(k);
    let entry = this.reports.get(key);
    if (entry === undefined) {
      const report = coverageReport(this.pool, this.runner, this.config.timeZone, asOf).then((r) => ({ ...r, asOfBasis: basis }));
      report.catch(() => this.reports.delete(key));
      entry = { at: now, report };
      this.reports.set(key, entry);
    }
    return entry.report;
  }
}
