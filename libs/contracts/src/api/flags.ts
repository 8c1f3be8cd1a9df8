import { z } from 'zod';
import { ACTOR_KINDS, QUEUE_ORDERS, SCHEME_IDS, SEVERITIES, SUBJECT_KINDS } from '@qadaga/domain';
import { uuid } from '../ids.js';
import { Created, answerId, csvOf, isoInstant, pathId, queryInstant, statedReason } from './common.js';
import { endpoint } from './endpoint.js';
import { StoredLifecycleEvent } from './violations.js';

export const FLAG_STATUSES = ['new', 'triaged', 'dismissed', 'in_case'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/** What the case a flag was in concluded, once it closed. */
export const CASE_OUTCOMES = ['substantiated', 'unfounded'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

/** A ledger event a flag rests on, with the hashes that tie it to its chain. */
export const FlagEvidence = z.object({ eventId: z.string(), source: z.string(), contentHash: z.string(), chainHash: z.string() }).meta({ id: 'FlagEvidence' });
export type FlagEvidence = z.infer<typeof FlagEvidence>;

/**
 * How a rule's evidence is drawn (a rule's `display`): units of the value and the threshold,
 * which side of the threshold is suspicious, and which subjects form the peer group.
 */
export const DISPLAY_UNITS = ['share', 'count', 'days', 'hours', 'ratio', 'zScore', 'pValue', 'amount', 'flag'] as const;
export type DisplayUnit = (typeof DISPLAY_UNITS)[number];
/** above and below compare numbers; equal is for a yes/no fact (unit flag). */
export const DISPLAY_DIRECTIONS = ['above', 'below', 'equal'] as const;
export type DisplayDirection = (typeof DISPLAY_DIRECTIONS)[number];
/**
 * city: every subject of the kind; unit: the same `unit` fact; unitRole: the same unit and
 * role (an officer's peers as the peer baselines define them); officer: the same officerId
 * (an officer's other plates).
 */
export const PEER_SCOPES = ['city', 'unit', 'unitRole', 'officer'] as const;
export type PeerScope = (typeof PEER_SCOPES)[number];

/** One peer's value of the displayed fact; `self` marks the flag's own subject. */
export const FlagDisplayPeer = z.object({ subjectId: z.string(), value: z.number(), self: z.boolean() }).meta({ id: 'FlagDisplayPeer' });
export type FlagDisplayPeer = z.infer<typeof FlagDisplayPeer>;

export const FlagDisplayPeers = z
  .object({
    scope: z.enum(PEER_SCOPES),
    /** The facts that define the group and the subject's values of them, e.g. { unit: 'AP-1', role: 'reviewer' }; {} for the city. */
    group: z.record(z.string(), z.string().nullable()),
    /** The peers drawn, the subject included, by value ascending. */
    values: z.array(FlagDisplayPeer),
    /** Peers of the group with a value, the subject included; values holds all of them unless omitted > 0. */
    total: z.number().int(),
    /** Peers left out of values to keep it bounded (the kept ones are spread evenly over the sorted values). */
    omitted: z.number().int(),
    /** Peers of the group whose value of the fact is null or missing: not drawn. */
    withoutValue: z.number().int(),
  })
  .meta({ id: 'FlagDisplayPeers' });
export type FlagDisplayPeers = z.infer<typeof FlagDisplayPeers>;

/**
 * One way the rule fired, as the flag page draws it: the subject's value of a fact the
 * conditions compared, the threshold it passed (the parameter resolved to the value in
 * force), on which side, and the peers' values of the same fact.
 */
export const FlagDisplay = z
  .object({
    fact: z.string(),
    unit: z.enum(DISPLAY_UNITS),
    /** The subject's value: the same fact the explanation interpolates. */
    value: z.union([z.number(), z.boolean()]).nullable(),
    threshold: z.object({
      value: z.union([z.number(), z.boolean()]).nullable(),
      /** The rule parameter the threshold came from, or null for a literal or a fact. */
      parameter: z.string().nullable(),
      /** The subject's fact the threshold came from (a city rate, a control limit), or null. */
      fact: z.string().nullable(),
    }),
    direction: z.enum(DISPLAY_DIRECTIONS),
    /** Whether a value equal to the threshold is beyond it (>= rather than >). */
    inclusive: z.boolean(),
    /** How far beyond the threshold, as the score counts it: 1 at the threshold, more beyond it. */
    strength: z.number(),
    peers: FlagDisplayPeers.nullable(),
  })
  .meta({ id: 'FlagDisplay' });
export type FlagDisplay = z.infer<typeof FlagDisplay>;

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
    /** The ways the rule fired, with the numbers to draw; [] for flags stored before rules declared them. */
    display: z.array(FlagDisplay),
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

/** The person a flag or case is given to, as pickers and lists name them. */
export const Assignee = z.object({ id: answerId, displayName: z.string() }).meta({ id: 'Assignee' });
export type Assignee = z.infer<typeof Assignee>;

/** Who looks into a flag before any case exists, and by when. */
const flagWork = {
  assignee: Assignee.nullable(),
  dueAt: isoInstant.nullable(),
};

/** A flag as the queue and the flag page answer it: the flag with who works it and by when. */
export const WorkedFlag = Flag.extend(flagWork).meta({ id: 'WorkedFlag' });
export type WorkedFlag = z.infer<typeof WorkedFlag>;

/** A comment on a flag; comments are never edited or deleted. */
export const FlagComment = z
  .object({ id: z.string(), authorId: z.string(), authorName: z.string().nullable(), at: isoInstant, text: z.string() })
  .meta({ id: 'FlagComment' });
export type FlagComment = z.infer<typeof FlagComment>;

/** One step in a flag's history: raised, triaged, dismissed with a reason, put in a case, commented, assigned; actorName when a person took it. */
export const FlagHistoryEntry = z
  .object({ at: isoInstant, actor: z.string(), actorName: z.string().nullable(), action: z.string(), from: z.string().nullable(), to: z.string().nullable(), reason: z.string().nullable() })
  .meta({ id: 'FlagHistoryEntry' });
export type FlagHistoryEntry = z.infer<typeof FlagHistoryEntry>;

/** What an event a flag rests on was, so the page can group the evidence by violation and say who did what when. */
export const EvidenceEvent = StoredLifecycleEvent.pick({ source: true, eventId: true, violationRef: true, type: true, occurredAt: true })
  .extend({ actor: z.object({ kind: z.enum(ACTOR_KINDS), id: z.string(), unit: z.string().nullable() }) })
  .meta({ id: 'EvidenceEvent' });
export type EvidenceEvent = z.infer<typeof EvidenceEvent>;

export const FlagDetail = WorkedFlag.extend({
  history: z.array(FlagHistoryEntry),
  /** What people wrote about the flag, oldest first. */
  comments: z.array(FlagComment),
  /** The evidence's events as the ledger holds them, by violation and time. */
  evidenceEvents: z.array(EvidenceEvent),
}).meta({ id: 'FlagDetail' });
export type FlagDetail = z.infer<typeof FlagDetail>;

/** Up to this many matches the queue's counts are exact; above, a count of one more means "at least" (see FlagRepository). */
export const EXACT_FLAG_COUNT_UP_TO = 1_000;

export const FlagPage = z
  .object({
    /** How many flags match when totalExact; otherwise at least this many. */
    total: z.number().int(),
    totalExact: z.boolean(),
    /**
     * How many match in each severity, the severity filter aside, so the queue shows every
     * severity present even when the first page holds only the gravest. Counted as total is:
     * 1,001 means at least that many.
     */
    bySeverity: z.object({ critical: z.number().int(), high: z.number().int(), medium: z.number().int(), low: z.number().int() }),
    flags: z.array(WorkedFlag),
  })
  .meta({ id: 'FlagPage' });
export type FlagPage = z.infer<typeof FlagPage>;

/** The queue's filters as the URL carries them; the export and saved views take the same, without paging. */
export const FlagListQuery = z.strictObject({
  rule: z.string().max(100).optional(),
  scheme: z.enum(SCHEME_IDS as [string, ...string[]]).optional(),
  severity: csvOf(SEVERITIES).optional(),
  status: csvOf(FLAG_STATUSES).optional(),
  subjectKind: z.enum(SUBJECT_KINDS).optional(),
  subject: z.string().max(200).optional(),
  unit: z.string().max(64).optional(),
  /** Flags whose own district, or the district of any violation of their evidence, is this one (a boundary id matches every spelling it knows). */
  district: z.string().max(120).optional(),
  /** Flags about this camera, or with a violation of their evidence detected by it. */
  camera: z.string().max(128).optional(),
  from: queryInstant.optional(),
  to: queryInstant.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  order: z.enum(QUEUE_ORDERS).optional(),
});

/** The queue's filters without paging: what a CSV export and a saved view hold. */
export const QueueFilters = FlagListQuery.omit({ limit: true, offset: true });

/** The most rows one CSV export holds; past it the file says it was cut. */
export const FLAG_EXPORT_MAX_ROWS = 50_000;

export const flagEndpoints = {
  list: endpoint({
    method: 'GET',
    path: '/v1/flags',
    tag: 'flags',
    access: ['prosecutor', 'auditor', 'admin'],
    summary:
      'List flags: filter by rule, scheme, severity, status, subject, unit, district, camera and time (a district or camera matches a flag placed there or with a violation of its evidence there, as GET /v1/places counts open flags). Ordered by priority (each severity its share of a page, 8 critical : 4 high : 2 medium : 1 low, strongest evidence first) or, with order=severity, most severe first. The total is exact up to 1,000 matches; above, totalExact is false and the total (1,001) means “at least”',
    query: FlagListQuery,
    response: FlagPage,
  }),
  exportCsv: endpoint({
    method: 'GET',
    path: '/v1/flags/export.csv',
    tag: 'flags',
    access: ['prosecutor', 'auditor', 'admin'],
    summary: `The queue as CSV (UTF-8 with BOM, RFC 4180), with the list's filters: every match, most severe first, strongest score first, up to ${FLAG_EXPORT_MAX_ROWS.toLocaleString('en')} rows; a cut export says so in its header x-export-truncated and in a last line. Explanations in the caller's language. Written to the access log with its filters and row count`,
    query: QueueFilters,
    response: { media: 'text/csv', description: 'the flags as CSV; x-export-rows gives the rows written, x-export-truncated whether the bound cut it' },
  }),
  get: endpoint({
    method: 'GET',
    path: '/v1/flags/{id}',
    tag: 'flags',
    access: ['prosecutor', 'auditor', 'admin'],
    summary: 'One flag: explanation, facts, peer baseline, rule version, the exact events behind it with their hashes, and its history',
    params: pathId('flag'),
    response: FlagDetail,
  }),
  setStatus: endpoint({
    method: 'POST',
    path: '/v1/flags/{id}/status',
    tag: 'flags',
    access: ['prosecutor', 'admin'],
    summary: 'Change a flag status (new, triaged, dismissed, in_case) with a stated reason',
    params: pathId('flag'),
    body: z.strictObject({ status: z.enum(FLAG_STATUSES), reason: statedReason }),
    response: Flag,
  }),
  comment: endpoint({
    method: 'POST',
    path: '/v1/flags/{id}/comments',
    tag: 'flags',
    access: ['prosecutor', 'admin'],
    summary: 'Comment on a flag, before or without a case; comments are never edited or deleted',
    params: pathId('flag'),
    body: z.strictObject({ text: z.string().trim().min(1, 'a comment cannot be empty').max(4_000) }),
    response: FlagComment,
    status: 201,
  }),
  assign: endpoint({
    method: 'POST',
    path: '/v1/flags/{id}/assign',
    tag: 'flags',
    access: ['prosecutor', 'admin'],
    summary: 'Give a flag to an active prosecutor to look into, by a due date (null clears either)',
    params: pathId('flag'),
    body: z.strictObject({
      assigneeId: uuid.nullable(),
      dueAt: z.iso.datetime({ offset: true }).nullable(),
    }),
    response: WorkedFlag,
  }),
  bulkStatus: endpoint({
    method: 'POST',
    path: '/v1/flags/bulk-status',
    tag: 'flags',
    access: ['prosecutor', 'admin'],
    summary: 'Triage or dismiss many flags at once with one stated reason; all or none change',
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
    access: ['prosecutor', 'admin'],
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
