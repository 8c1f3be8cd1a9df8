import type { Command } from 'commander';
import { coverageReport, sweepInstant, type CoverageReport } from '@qadaga/detection';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';
import { runnerOf } from './detection.js';

/**
 * `qadaga coverage`: which rules can judge which sources' data, and how many subjects each
 * rule could not judge for lack of a fact, so a silent rule is told apart from one that
 * found nothing. Judged as a sweep would be: as of the end of the ledger's history unless
 * --as-of says otherwise.
 */
export function registerCoverage(program: Command): void {
  program
    .command('coverage')
    .description('per source and published rule: whether the rule can judge the source\'s data, and how many subjects it could not judge for lack of a fact')
    .option('--as-of <instant>', 'judge as of this instant (default: the end of the ledger\'s history, as a sweep does)')
    .option('--json', 'print the report as one JSON line')
    .action(async (options: { asOf?: string; json?: boolean }) => {
      if (options.asOf !== undefined && Number.isNaN(new Date(options.asOf).getTime())) throw new Error(`--as-of: not an instant: ${options.asOf}`);
      const ctx = openContext();
      try {
        const { asOf, basis } = await sweepInstant(ctx.pool, options.asOf);
        const report = await coverageReport(ctx.pool, runnerOf(ctx), ctx.config.timeZone, asOf);
        createOutput(options.json === true).result({ ...report, asOfBasis: basis }, coverageText(report, basis));
      } finally {
        await ctx.close();
      }
    });
}

const STEPS = ['detected', 'confirmed', 'notice_issued', 'notice_delivered', 'paid', 'cancelled'] as const;

/** The report as people read it: the sources, then each rule that needs something of them. */
export function coverageText(report: CoverageReport, basis: string): string {
  const lines = [`coverage as of ${report.asOf} (${basis})`, '', 'source              events  precision  first       last        steps never reported'];
  for (const s of report.sources) {
    const missing = STEPS.filter((type) => (s.eventTypes[type] ?? 0) === 0);
    lines.push(`${s.source.padEnd(18)}${String(s.events).padStart(8)}  ${s.precision.padEnd(9)}  ${s.firstAt.slice(0, 10)}  ${s.lastAt.slice(0, 10)}  ${missing.length === 0 ? '-' : missing.join(', ')}`);
  }
  lines.push('', 'rule                          subjects  not judged  partly  items not judged  sources it cannot (fully) judge');
  for (const r of report.rules) {
    const blind = r.sources.filter((s) => s.judges !== 'judges').map((s) => `${s.source} ${s.judges === 'cannot' ? 'not at all' : 'partly'}: ${[...new Set(s.unsupported.map((u) => u.reason))].join('; ')}`);
    const needs = r.needs.length === 0 ? 'needs nothing a source may lack' : blind.length === 0 ? 'judges every source' : blind.join(' | ');
    lines.push(`${r.ruleId.padEnd(30)}${String(r.subjects).padStart(8)}${String(r.subjectsNotJudged).padStart(12)}${String(r.subjectsPartlyJudged).padStart(8)}${String(r.itemsNotJudged).padStart(18)}  ${needs}`);
  }
  return lines.join('\n');
}
