import { z } from 'zod';
import { SCHEME_IDS, SUBJECT_KINDS, type SchemeId } from '@qadaga/domain';
import { topLevelShapeIssues } from './conditions/shape.js';
import type { TopLevelCondition } from './conditions/types.js';

/**
 * The format of a rule as authors write it and the store keeps it. json-rules-engine only
 * knows conditions; everything a flag needs around them (what it detects, over which
 * subjects and window, tunable parameters with bounds, how to score and correct for
 * testing many subjects, the sentence a prosecutor reads, where the evidence is) lives
 * here. The schema checks the shape; validateRule checks the meaning.
 */

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SCORE_TRANSFORMS = ['neglog10', 'identity'] as const;
export type ScoreTransform = (typeof SCORE_TRANSFORMS)[number];

export const LANGUAGES = ['en', 'ru', 'kk'] as const;
export type Language = (typeof LANGUAGES)[number];

export const RULE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const PARAMETER_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

const slug = z.string().regex(RULE_ID_PATTERN, 'must be a slug: lower-case letters and digits, words joined by single hyphens');

const conditionTree = z.custom<TopLevelCondition>().superRefine((value, context) => {
  for (const issue of topLevelShapeIssues(value)) {
    context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  }
});

export const parameterDefinitionSchema = z.strictObject({
  default: z.number(),
  min: z.number().optional(),
  max: z.number().optional(),
  description: z.string().min(1),
});
export type ParameterDefinition = z.output<typeof parameterDefinitionSchema>;

const nonEmptyText = z.string().trim().min(1);

export const ruleDefinitionSchema = z.strictObject({
  id: slug,
  /** Assigned by the rule store on publication; absent in a draft. */
  version: z.number().int().min(1).optional(),
  name: nonEmptyText,
  description: nonEmptyText,
  detects: z.enum(SCHEME_IDS as [SchemeId, ...SchemeId[]]),
  subject: z.enum(SUBJECT_KINDS),
  // Up to twenty years, so a whole imported register can be judged as one period.
  windowDays: z.number().int().min(1).max(7320),
  parameters: z.record(
    z.string().regex(PARAMETER_NAME_PATTERN, 'a parameter name starts with a letter and has only letters, digits and _'),
    parameterDefinitionSchema,
  ),
  severity: z.enum(SEVERITIES),
  conditions: conditionTree,
  /** Conditions shared by reference ({ "condition": "name" }), registered on the engine with setCondition. */
  namedConditions: z.record(slug, conditionTree).optional(),
  score: z.strictObject({
    fact: z.string().min(1),
    transform: z.enum(SCORE_TRANSFORMS).optional(),
  }),
  /**
   * Benjamini-Hochberg over every subject evaluated together: a subject fires only when its
   * conditions pass and its q-value is at most the alpha parameter.
   */
  multipleTesting: z
    .strictObject({
      pValueFact: z.string().min(1),
      alphaParameter: z.string().min(1),
    })
    .optional(),
  /** Templates with {fact}, {param.name}, {subjectId}, {windowDays} and formats such as {fact|percent}. */
  explanation: z.strictObject({ en: nonEmptyText, ru: nonEmptyText, kk: nonEmptyText }),
  /** Facts of type string[] holding the ids of the events behind the flag. */
  evidence: z.strictObject({ eventIdFacts: z.array(z.string().min(1)).min(1) }),
});

export type RuleDefinition = z.output<typeof ruleDefinitionSchema>;
