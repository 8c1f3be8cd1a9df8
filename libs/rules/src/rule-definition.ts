import { z } from 'zod';
import { DISPLAY_DIRECTIONS, DISPLAY_UNITS, PEER_SCOPES } from '@qadaga/contracts/api';
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

/** neglog10: a p-value scored as its number of zeros. The other rules score from their display. */
export const SCORE_TRANSFORMS = ['neglog10'] as const;
export type ScoreTransform = (typeof SCORE_TRANSFORMS)[number];

export { DISPLAY_DIRECTIONS, DISPLAY_UNITS, PEER_SCOPES, type DisplayDirection, type DisplayUnit, type PeerScope } from '@qadaga/contracts/api';

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

/**
 * A rule's name and description in one language other than English, and the descriptions
 * of its parameters by parameter name (validateRule checks that they name exactly the
 * declared parameters; optional, so versions written before parameters were translated stay valid).
 */
export const ruleTextTranslationSchema = z.strictObject({
  name: nonEmptyText,
  description: nonEmptyText,
  parameters: z.record(z.string(), nonEmptyText).optional(),
});
export type RuleTextTranslation = z.output<typeof ruleTextTranslationSchema>;

/**
 * One way the rule can fire, as the flag page draws it: a fact the conditions compare, the
 * threshold it is compared with there (a parameter, a literal, or another fact of the
 * subject), the suspicious side, the unit, and optionally the peer group whose values are
 * drawn beside the subject's. validateRule checks it against the conditions.
 */
export const displayDefinitionSchema = z.strictObject({
  fact: z.string().min(1),
  threshold: z.union([
    z.strictObject({ parameter: z.string().min(1) }),
    z.strictObject({ value: z.union([z.number(), z.boolean()]) }),
    z.strictObject({ fact: z.string().min(1) }),
  ]),
  direction: z.enum(DISPLAY_DIRECTIONS),
  unit: z.enum(DISPLAY_UNITS),
  peers: z.strictObject({ scope: z.enum(PEER_SCOPES) }).optional(),
});
export type DisplayDefinition = z.output<typeof displayDefinitionSchema>;

/**
 * How flags of a rule are ordered: a p-value fact as -log10 p (rules corrected for
 * multiple testing), or from the display entries that fired (see score.ts).
 */
export const scoreDefinitionSchema = z.union([
  z.strictObject({ fact: z.string().min(1), transform: z.enum(SCORE_TRANSFORMS) }),
  z.strictObject({ from: z.literal('display') }),
]);
export type ScoreDefinition = z.output<typeof scoreDefinitionSchema>;

export const ruleDefinitionSchema = z.strictObject({
  id: slug,
  /** Assigned by the rule store on publication; absent in a draft. */
  version: z.number().int().min(1).optional(),
  name: nonEmptyText,
  description: nonEmptyText,
  /** The name, description and parameter descriptions in Russian and Kazakh; `name`, `description` and each parameter's `description` are the English. */
  translations: z.strictObject({ ru: ruleTextTranslationSchema, kk: ruleTextTranslationSchema }).optional(),
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
  score: scoreDefinitionSchema,
  /** One entry per way the rule can fire: what the flag page draws. */
  display: z.array(displayDefinitionSchema).min(1),
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
