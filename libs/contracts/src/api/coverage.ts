import { z } from 'zod';
import { endpoint } from './endpoint.js';

/** Why a rule cannot judge a source's data: a step it never reports, or times too coarse. */
export const JudgementCode = z.enum(['no_review', 'no_notice', 'no_delivery', 'no_treasury', 'no_seconds', 'dates_only']);
const Unsupported = z.object({ fact: z.string(), reason: z.string(), code: JudgementCode });

/** One source system as its events describe it: which steps it reports and how finely it times them. */
export const CoverageSource = z
  .object({
    source: z.string(),
    events: z.number().int(),
    /** Events per lifecycle type; a type the source never sent is absent. */
    eventTypes: z.record(z.string(), z.number().int()),
    /** instant, minute (whole minutes), day (dates alone) or unknown (too few events to tell). */
    precision: z.enum(['instant', 'minute', 'day', 'unknown']),
    firstAt: z.string(),
    lastAt: z.string(),
  })
  .meta({ id: 'CoverageSource' });

export const RuleCoverage = z
  .object({
    ruleId: z.string(),
    version: z.number().int(),
    subject: z.string(),
    windowDays: z.number().int(),
    /** The facts the rule's conditions read that only some sources' data can support, and why. */
    needs: z.array(Unsupported),
    /** Per source: judges (all of it), partly (some ways of firing) or cannot; empty when the rule needs nothing of a source. */
    sources: z.array(
      z.object({
        source: z.string(),
        judges: z.enum(['judges', 'partly', 'cannot']),
        unsupported: z.array(Unsupported),
      }),
    ),
    subjects: z.number().int(),
    subjectsPartlyJudged: z.number().int(),
    /** Subjects with nothing the rule could judge: silent for lack of data, not clean. */
    subjectsNotJudged: z.number().int(),
    itemsNotJudged: z.number().int(),
  })
  .meta({ id: 'RuleCoverage' });

export const CoverageReport = z
  .object({
    asOf: z.string(),
    /** given (asOf in the query), history-end (the ledger's latest event) or now. */
    asOfBasis: z.enum(['given', 'history-end', 'now']),
    sources: z.array(CoverageSource),
    rules: z.array(RuleCoverage),
  })
  .meta({ id: 'CoverageReport' });
export type CoverageReport = z.infer<typeof CoverageReport>;

export const coverageEndpoints = {
  get: endpoint({
    method: 'GET',
    path: '/v1/coverage',
    tag: 'rules',
    access: ['rule_author', 'prosecutor', 'auditor', 'admin'],
    summary: 'Per source and published rule: whether the rule can judge the source\u2019s data, and how many subjects it could not judge for lack of a fact',
    query: z.strictObject({ asOf: z.iso.datetime({ offset: true }).optional().meta({ description: 'judge as of this instant (default: the end of the ledger\u2019s history)' }) }),
    response: CoverageReport,
  }),
};
