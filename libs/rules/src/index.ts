export {
  ruleDefinitionSchema,
  parameterDefinitionSchema,
  SEVERITIES,
  SCORE_TRANSFORMS,
  DISPLAY_UNITS,
  DISPLAY_DIRECTIONS,
  PEER_SCOPES,
  displayDefinitionSchema,
  scoreDefinitionSchema,
  LANGUAGES,
  RULE_ID_PATTERN,
  PARAMETER_NAME_PATTERN,
  type RuleDefinition,
  type ParameterDefinition,
  type Severity,
  type ScoreTransform,
  type ScoreDefinition,
  type DisplayDefinition,
  type DisplayUnit,
  type DisplayDirection,
  type PeerScope,
  type Language,
} from './rule-definition.js';
export type {
  TopLevelCondition,
  NestedCondition,
  FactCondition,
  AllConditions,
  AnyConditions,
  NotConditions,
  ConditionReference,
  ConditionValue,
  FactReference,
  Scalar,
} from './conditions/types.js';
export { OPERATOR_NAMES, DECORATOR_NAMES, BUILT_IN_OPERATORS, CUSTOM_OPERATORS } from './conditions/operators.js';
export { evaluateConditionsDirect, compileConditionsDirect, type CompiledConditions, type NamedConditions } from './conditions/direct-evaluator.js';
export { directlyEvaluable } from './conditions/direct-support.js';
export { validateRule, RuleValidationFailure, type RuleValidationError, type RuleValidationResult } from './validate-rule.js';
export { resolveParameters } from './parameters.js';
export {
  evaluateRule,
  evaluateFired,
  firedSubjectIds,
  CheckedSubjects,
  type Subject,
  type Verdict,
  type EvaluateOptions,
  type ConditionEvaluator,
  type MultipleTestingSummary,
} from './evaluate.js';
export {
  explain,
  renderExplanation,
  renderMultipleTestingNote,
  type Explanation,
  type ExplanationContext,
  type MultipleTestingNote,
} from './explain.js';
export { formatProbability, formatValue, LOCALES } from './explanation/formats.js';
export { parseTemplate, VALUE_FORMATS, BUILT_IN_PLACEHOLDERS, type ValueFormat } from './explanation/template.js';
export { scoreOf, pValueScore, displayScore } from './score.js';
export { readDisplay, firedDisplay, strengthOf, PEER_GROUP_FACTS, type DisplayReading } from './display.js';
export { loadRulePack, RULE_PACK_DIRECTORY } from './pack.js';
export { ruleJsonSchema, type JsonSchema } from './rule-json-schema.js';
export { factDistributions, sampleEvenly } from './distribution.js';
export { OVER_FLAGGING_SHARE, flaggedShare } from './over-flagging.js';
