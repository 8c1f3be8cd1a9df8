import { z } from 'zod';
import { SCHEME_IDS, SEVERITIES, SUBJECT_KINDS } from '@qadaga/domain';
import { uuid } from '../ids.js';
import { Created, answerId, csvOf, isoInstant, pathId, queryInstant, statedReason } from './common.js';
import { endpoint } from './endpoint.js';

export const FLAG_STATUSES = ['new', 'triaged', 'dismissed', 'in_case'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/** What the case a flag was in concluded, once it closed. */
export const CASE_OUTCOMES = ['substantiated', 'unfounded'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

/** A ledger event a flag rests on, with the hashes that tie it to its chain. */
export const FlagEvidence = z.object({ eventId: z.string(), source: z.string(), contentHash: z.string(), chainHash: z.string() }).meta({ id: 'FlagEvidence' });
export type FlagEvidence = z.infer<typeof FlagEvidence>;

export const Flag = z
  .object({
    id: answerId,
    ruleId: z.string(),
    ruleVersion: z.number().int(),
    scheme: z.string(),
    subjectKind: z.enum(SUBJECT_KINDS),
    subjectId: z.string(),
    status: z.enum(FLAG_STATUSES),
    statusReason: z.string().nullable(),
    severity: z.enum(SEVERITIES),
    score: z.number(),
    qValue: z.number().nullable(),
    /** The explanation in each language, keyed by locale. */
    explanation: z.record(z.string(), z.string()),
    facts: z.record(z.string(), z.unknown()),
    baseline: z.record(z.string(), z.unknown()),
    evidence: z.array(FlagEvidence),
    unit: z.string().nullable(),
    district: z.string().nullable(),
    label: z.enum(CASE_OUTCOMES).nullable().meta({ description: 'the outcome of the case the flag was in, once that case closed' }),
    windowFrom: isoInstant,
    windowTo: isoInstant,
    firstRaisedAt: isoInstant,
    lastRaisedAt: isoInstant,
  })
  .meta({ id: 'Flag' });
export type Flag = z.infer<typeof Flag>;

/** One step in a flag's history: raised, triaged, dismissed with a reason, put in a case. */
export const FlagHistoryEntry = z
  .object({ at: isoInstant, actor: z.string(), action: z.string(), from: z.string().nullable(), to: z.string().nullable(), reason: z.string().nullable() })
  .meta({ id: 'FlagHistoryEntry' });
export type FlagHistoryEntry = z.infer<typeof FlagHistoryEntry>;

export const FlagDetail = Flag.extend({ history: z.array(FlagHistoryEntry) }).meta({ id: 'FlagDetail' });
export type FlagDetail = z.infer<typeof FlagDetail>;

export const FlagPage = z
  .object({
    /** How many flags match when totalExact; otherwise at least this many. */
    total: z.number().int(),
    totalExact: z.boolean(),
    flags: z.array(Flag),
  })
  .meta({ id: 'FlagPage' });
export type FlagPage = z.infer<typeof FlagPage>;

const FlagListQuery = z.strictObject({
  rule: z.string().max(100).optional(),
  scheme: z.enum(SCHEME_IDS as [string, ...string[]]).optional(),
  severity: csvOf(SEVERITIES).optional(),
  status: csvOf(FLAG_STATUSES).optional(),
  subjectKind: z.enum(SUBJECT_KINDS).optional(),
  subject: z.string().max(200).optional(),
  unit: z.string().max(64).optional(),
  district: z.string().max(120).optional(),
  from: queryInstant.optional(),
  to: queryInstant.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

export const flagEndpoints = {
  list: endpoint({
    method: 'GET',
    path: '/v1/flags',
    tag: 'flags',
    summary:
      'List flags: filter by rule, scheme, severity, status, subject, unit, district and time; most severe first. The total is exact up to 1,000 matches; above, totalExact is false and the total (1,001) means “at least”',
    query: FlagListQuery,
    response: FlagPage,
  }),
  get: endpoint({
    method: 'GET',
    path: '/v1/flags/{id}',
    tag: 'flags',
    summary: 'One flag: explanation, facts, peer baseline, rule version, the exact events behind it with their hashes, and its history',
    params: pathId('flag'),
    response: FlagDetail,
  }),
  setStatus: endpoint({
    method: 'POST',
    path: '/v1/flags/{id}/status',
    tag: 'flags',
    summary: 'Change a flag status (new, triaged, dismissed, in_case) with a stated reason',
    params: pathId('flag'),
    body: z.strictObject({ status: z.enum(FLAG_STATUSES), reason: statedReason }),
    response: Flag,
  }),
  bulkStatus: endpoint({
    method: 'POST',
    path: '/v1/flags/bulk-status',
    tag: 'flags',
    summary: 'Triage or dismiss many flags at once with one stated reason; all or none change (prosecutor, admin)',
    body: z.strictObject({
      ids: z.array(uuid).min(1, 'select at least one flag').max(500, 'at most 500 flags at once'),
      status: z.enum(['new', 'triaged', 'dismissed']),
      reason: statedReason,
    }),
    response: z.object({ updated: z.number().int() }),
  }),
  suppress: endpoint({
    method: 'POST',
    path: '/v1/suppressions',
    tag: 'flags',
    summary: 'Suppress a subject for a rule until a date, with a reason (no new flag is raised for it meanwhile)',
    body: z.strictObject({
      ruleId: z.string().min(1).max(100),
      subjectKind: z.enum(SUBJECT_KINDS),
      subjectId: z.string().min(1).max(200),
      until: queryInstant.refine((v) => Date.parse(v) > Date.now(), 'must be in the future'),
      reason: statedReason,
    }),
    response: Created,
    status: 201,
  }),
};
