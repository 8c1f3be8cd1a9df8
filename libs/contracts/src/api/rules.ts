import { z } from 'zod';
import { SEVERITIES, SUBJECT_KINDS } from '@qadaga/domain';
import { isoInstant } from './common.js';
import { endpoint } from './endpoint.js';
import { DISPLAY_DIRECTIONS, DISPLAY_UNITS } from './flags.js';

export const RULE_STATUSES = ['draft', 'submitted', 'approved', 'published', 'retired'] as const;
export type RuleStatus = (typeof RULE_STATUSES)[number];

/** A tunable parameter of a rule: its default and the bounds an author may move it within. */
export const RuleParameter = z.looseObject({ default: z.number(), min: z.number().optional(), max: z.number().optional(), description: z.string() }).meta({ id: 'RuleParameter' });
export type RuleParameter = z.infer<typeof RuleParameter>;

/** A rule's name and description in one language other than English, and its parameters' descriptions by parameter name. */
export const RuleTextTranslation = z
  .object({ name: z.string(), description: z.string(), parameters: z.record(z.string(), z.string()).optional() })
  .meta({ id: 'RuleTextTranslation' });
export type RuleTextTranslation = z.infer<typeof RuleTextTranslation>;

/**
 * A rule as its author wrote it and the store keeps it (validated by the rules library
 * before it is stored). The fields the workbench reads are named; every other field
 * (conditions, score, explanation templates, evidence) is answered as written.
 */
export const RuleDefinition = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    /** The name, description and parameter descriptions in Russian and Kazakh; `name`, `description` and each parameter's `description` are the English. */
    translations: z.object({ ru: RuleTextTranslation, kk: RuleTextTranslation }).optional(),
    /** The scheme the rule detects (one of the domain's), by which the workbench names it in every language. */
    detects: z.string(),
    subject: z.enum(SUBJECT_KINDS),
    windowDays: z.number().int(),
    severity: z.enum(SEVERITIES),
    parameters: z.record(z.string(), RuleParameter),
  })
  .meta({ id: 'RuleDefinition' });
export type RuleDefinition = z.infer<typeof RuleDefinition>;

/** One version of a rule and where it stands in the review flow. */
export const RuleVersion = z
  .object({
    ruleId: z.string(),
    version: z.number().int(),
    status: z.enum(RULE_STATUSES),
    definition: RuleDefinition,
    definitionHash: z.string(),
    authorId: z.string(),
    approvedBy: z.string().nullable(),
    publishedBy: z.string().nullable(),
    createdAt: isoInstant,
    publishedAt: isoInstant.nullable(),
  })
  .meta({ id: 'RuleVersion' });
export type RuleVersion = z.infer<typeof RuleVersion>;

/** A version as the rule's history lists it: the people behind the actor ids ('user:<uuid>') by their display names, the id itself where no user has it. */
export const NamedRuleVersion = RuleVersion.extend({
  authorName: z.string(),
  approvedByName: z.string().nullable(),
  publishedByName: z.string().nullable(),
}).meta({ id: 'NamedRuleVersion' });
export type NamedRuleVersion = z.infer<typeof NamedRuleVersion>;

/** A rule with its published version, its latest version, and how its flags fared in cases. */
export const RuleSummary = z
  .object({
    ruleId: z.string(),
    publishedVersion: z.number().int().nullable(),
    latest: RuleVersion.nullable(),
    hits: z.number().int(),
    decided: z.number().int(),
    substantiated: z.number().int(),
    /** Substantiated of all decided; null until a case decides one. */
    precision: z.number().nullable(),
  })
  .meta({ id: 'RuleSummary' });
export type RuleSummary = z.infer<typeof RuleSummary>;

/** How the subjects a version adds or removes fared in closed cases (flag.label), counted per subject. */
export const BacktestOutcomeCounts = z
  .object({ substantiated: z.number().int(), unfounded: z.number().int(), unjudged: z.number().int() })
  .meta({ id: 'BacktestOutcomeCounts' });
export type BacktestOutcomeCounts = z.infer<typeof BacktestOutcomeCounts>;

/** Most values a distribution carries: past it they are sampled evenly from the sorted values. */
export const DISTRIBUTION_MAX_VALUES = 500;

/**
 * The values of one display fact over every subject the draft judged, beside the parameter it
 * is compared with: where the subjects lie, so an author sees why a moved threshold changes
 * nothing. Values only, never whose they are.
 */
export const FactDistribution = z
  .object({
    fact: z.string(),
    parameter: z.string(),
    direction: z.enum(DISPLAY_DIRECTIONS),
    unit: z.enum(DISPLAY_UNITS),
    /** Whether a value equal to the threshold is beyond it (greaterThanInclusive, lessThanInclusive). */
    inclusive: z.boolean(),
    /** The draft's value of the parameter, and the published version's (null with none, or when it lacks the parameter). */
    threshold: z.number(),
    publishedThreshold: z.number().nullable(),
    /** Subjects with a number for the fact, and those without one (no activity in the window). */
    count: z.number().int(),
    withoutValue: z.number().int(),
    /** Subjects beyond the draft's threshold by this fact alone (the rest of the rule may still hold them back). */
    beyond: z.number().int(),
    /** Subjects on one side of the published threshold and the other of the draft's: the ones the move can change. */
    betweenThresholds: z.number().int().nullable(),
    /** Sorted ascending; every value when count is at most DISTRIBUTION_MAX_VALUES, else that many spread evenly. */
    values: z.array(z.number()).max(DISTRIBUTION_MAX_VALUES),
    sampled: z.boolean(),
  })
  .meta({ id: 'FactDistribution' });
export type FactDistribution = z.infer<typeof FactDistribution>;

/** What a draft would flag over a past range, against the published version. */
export const BacktestResult = z
  .object({
    range: z.object({ from: z.string(), to: z.string() }),
    subjects: z.number().int(),
    flags: z.array(z.object({ subjectId: z.string(), score: z.number(), qValue: z.number().nullable(), explanation: z.record(z.string(), z.string()) })),
    /** Subjects the draft flags and the published version does not, and the reverse. */
    diff: z.object({ added: z.array(z.string()), removed: z.array(z.string()), publishedVersion: z.number().int().nullable() }),
    /** Evidence events of the flagged subjects per ISO week (Monday), to show when the behaviour happened. */
    perWeek: z.array(z.object({ week: z.string(), flagged: z.number().int(), events: z.number().int() })),
    /** Per display entry whose threshold is a parameter: the values of its fact over the judged subjects. */
    distributions: z.array(FactDistribution),
    /** The subjects added and removed against the published version, by the labels of their closed cases. */
    outcomes: z.object({ added: BacktestOutcomeCounts, removed: BacktestOutcomeCounts }),
    /**
     * Share of the judged subjects the draft flags, and the share past which that is a broken
     * rule rather than a finding (OVER_FLAGGING_SHARE in @qadaga/rules); exceeded says it is past.
     */
    flaggedShare: z.object({ flagged: z.number().int(), subjects: z.number().int(), share: z.number(), limit: z.number(), exceeded: z.boolean() }),
    /**
     * evaluateMs is the draft and the published version together; phases splits it and adds the
     * per-week counts. cachedPublished: the published version's flags came from the cache.
     */
    /**
     * Subjects left out because the reader is recused from them. When any is, the totals are
     * counted without them and what cannot be split per subject (the weeks, the distributions)
     * is left out whole, so no figure can be set beside the list to find the withheld one.
     */
    withheldForRecusal: z.number().int().min(0).optional(),
    timings: z.object({
      factsMs: z.number(),
      evaluateMs: z.number(),
      cachedFacts: z.boolean(),
      cachedPublished: z.boolean(),
      phases: z.object({ draftMs: z.number(), publishedMs: z.number(), perWeekMs: z.number() }),
    }),
  })
  .meta({ id: 'BacktestResult' });
export type BacktestResult = z.infer<typeof BacktestResult>;

/** A backtest as its reader sees it: for rule authors, officers and plates are pseudonyms (pseudonymised: true). */
export const BacktestView = BacktestResult.extend({ pseudonymised: z.literal(true).optional() }).meta({ id: 'BacktestView' });
export type BacktestView = z.infer<typeof BacktestView>;

/** A backtest queued as a worker job (202). */
export const BacktestQueued = z.object({ id: z.string(), state: z.string(), progress: z.number() }).meta({ id: 'BacktestQueued' });
export type BacktestQueued = z.infer<typeof BacktestQueued>;

/** A backtest job: its state, progress (percent), the result once done, or why it failed. */
export const BacktestJob = z
  .object({
    id: z.string(),
    state: z.string(),
    progress: z.number(),
    result: BacktestView.nullable(),
    failedReason: z.string().nullable(),
    attempts: z.number().int(),
    requestedAt: isoInstant,
    finishedAt: isoInstant.nullable(),
  })
  .meta({ id: 'BacktestJob' });
export type BacktestJob = z.infer<typeof BacktestJob>;

const DAY_MS = 86_400_000;
/** Longer than any ledger this product keeps online; a job over it would only tie a worker up. */
const BACKTEST_MAX_DAYS = 3_660;

const ruleId = z.object({ id: z.string().meta({ description: 'the rule id (a slug)' }) });
const ruleVersion = z.object({
  id: z.string().meta({ description: 'the rule id (a slug)' }),
  version: z.number().int().min(1).meta({ description: 'the version number' }),
});

export const ruleEndpoints = {
  list: endpoint({
    method: 'GET',
    path: '/v1/rules',
    tag: 'rules',
    access: ['rule_author', 'prosecutor', 'auditor', 'admin'],
    summary: 'Rules with their published version, latest version status and hit count',
    response: z.array(RuleSummary),
  }),
  versions: endpoint({
    method: 'GET',
    path: '/v1/rules/{id}',
    tag: 'rules',
    access: ['rule_author', 'prosecutor', 'auditor', 'admin'],
    summary: 'Every version of a rule, newest first, with the names of who wrote, approved and published it',
    params: ruleId,
    response: z.array(NamedRuleVersion),
  }),
  schema: endpoint({
    method: 'GET',
    path: '/v1/rule-schema',
    tag: 'rules',
    access: ['rule_author', 'admin'],
    summary:
      'The rule format as JSON Schema, generated from the rules library\'s own definition with the fact catalogue\'s names, ' +
      'for the editor to validate and complete as the author types (the server still validates the meaning on save)',
    response: z.record(z.string(), z.unknown()),
  }),
  saveDraft: endpoint({
    method: 'PUT',
    path: '/v1/rules/{id}/draft',
    tag: 'rules',
    access: ['rule_author', 'admin'],
    summary: 'Save a draft (validated: unknown facts, operators or parameters are refused with their path)',
    params: ruleId,
    body: z.strictObject({ definition: z.record(z.string(), z.unknown()) }),
    response: RuleVersion,
  }),
  submit: endpoint({
    method: 'POST',
    path: '/v1/rules/{id}/versions/{version}/submit',
    tag: 'rules',
    access: ['rule_author', 'admin'],
    summary: 'Submit a draft for approval',
    params: ruleVersion,
    response: RuleVersion,
  }),
  approve: endpoint({
    method: 'POST',
    path: '/v1/rules/{id}/versions/{version}/approve',
    tag: 'rules',
    access: ['rule_author', 'admin'],
    summary: 'Approve a submitted version; the author cannot approve their own',
    params: ruleVersion,
    response: RuleVersion,
  }),
  publish: endpoint({
    method: 'POST',
    path: '/v1/rules/{id}/versions/{version}/publish',
    tag: 'rules',
    access: ['rule_author', 'admin'],
    summary: 'Publish an approved version; the previous one is retired and the workers use this one from now on',
    params: ruleVersion,
    response: RuleVersion,
  }),
  backtest: endpoint({
    method: 'POST',
    path: '/v1/rules/backtest',
    tag: 'rules',
    access: ['rule_author', 'admin'],
    summary:
      'What a draft would flag over a past range, the subjects added and removed against the published version, and counts per week. ' +
      'Ranges up to BACKTEST_SYNC_MAX_DAYS are answered at once (200); longer ones run as a worker job (202 with its id, see GET /v1/rules/backtests/{id}).',
    body: z
      .strictObject({
        definition: z.record(z.string(), z.unknown()),
        from: z.iso.datetime({ offset: true }),
        to: z.iso.datetime({ offset: true }),
      })
      .refine((b) => Date.parse(b.from) < Date.parse(b.to), { message: 'from must be before to', path: ['from'] })
      .refine((b) => Date.parse(b.to) - Date.parse(b.from) <= BACKTEST_MAX_DAYS * DAY_MS, { message: 'at most 10 years at once', path: ['to'] }),
    response: z.union([BacktestView, BacktestQueued]),
  }),
  backtestJob: endpoint({
    method: 'GET',
    path: '/v1/rules/backtests/{id}',
    tag: 'rules',
    access: ['rule_author', 'admin'],
    summary: 'A backtest job: state, progress (percent), the result once done (officers and plates as pseudonyms for rule authors), or why it failed',
    params: z.object({ id: z.string().meta({ description: 'the backtest job id' }) }),
    response: BacktestJob,
  }),
};

