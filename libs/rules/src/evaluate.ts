import type { SubjectKind } from '@qadaga/domain';
import { evaluateConditionsDirect } from './conditions/direct-evaluator.js';
import { createConditionEngine } from './conditions/engine-runner.js';
import { explain, type Explanation } from './explain.js';
import { findFact, PARAMETERS_FACT, valueFitsFactType } from './facts/catalogue.js';
import { resolveParameters } from './parameters.js';
import type { RuleDefinition } from './rule-definition.js';
import { scoreOf } from './score.js';
import { benjaminiHochberg } from './statistics/benjamini-hochberg.js';
import { RuleValidationFailure, validateRule } from './validate-rule.js';

/**
 * Evaluates one rule over many subjects whose facts were computed beforehand (set-based,
 * in the database), and says for each whether it fires, with its score, q-value and
 * explanation. The conditions run on one json-rules-engine Engine per call: the rule is
 * added once and the engine is run once per subject with that subject's facts.
 */

export interface Subject {
  id: string;
  facts: Readonly<Record<string, unknown>>;
}

export type ConditionEvaluator = 'json-rules-engine' | 'direct';

export interface EvaluateOptions {
  /** Overrides of the rule's parameter defaults, within their declared bounds. */
  parameters?: Readonly<Record<string, number>>;
  /** The evaluation instant recorded on each verdict; defaults to the current time. */
  now?: Date;
  /**
   * Which evaluator runs the conditions. "direct" (plain TypeScript, same semantics) exists
   * so a benchmark can measure the engine's share of the time; flags use the engine.
   */
  conditionEvaluator?: ConditionEvaluator;
}

export interface MultipleTestingSummary {
  method: 'benjamini-hochberg';
  alpha: number;
  /** Subjects with a p-value, tested together. */
  tested: number;
}

export interface Verdict {
  ruleId: string;
  ruleVersion?: number;
  subjectKind: SubjectKind;
  subjectId: string;
  /** The conditions pass and, under a multiple-testing correction, the q-value is at most alpha. */
  fired: boolean;
  conditionsPassed: boolean;
  score: number;
  /** Benjamini-Hochberg q-value; only for rules with multipleTesting and subjects with a p-value. */
  qValue?: number;
  multipleTesting?: MultipleTestingSummary;
  explanation: Explanation;
  /** The facts the verdict was reached on, copied so that later changes cannot alter the record. */
  facts: Record<string, unknown>;
  parameters: Record<string, number>;
  evidenceEventIds: string[];
  evaluatedAt: string;
}

function checkSubjects(kind: SubjectKind, subjects: readonly Subject[]): void {
  const seen = new Set<string>();
  for (const subject of subjects) {
    if (seen.has(subject.id)) throw new Error(`subject ${subject.id} appears twice; each subject is tested once`);
    seen.add(subject.id);
    if (Object.hasOwn(subject.facts, PARAMETERS_FACT)) {
      throw new Error(`subject ${subject.id} has a fact named "${PARAMETERS_FACT}", which is reserved for the rule's parameters`);
    }
    for (const [name, value] of Object.entries(subject.facts)) {
      const definition = findFact(kind, name);
      if (definition !== undefined && value !== undefined && !valueFitsFactType(value, definition.type)) {
        throw new TypeError(`subject ${subject.id}: fact ${name} should be ${definition.type} (or null), got ${JSON.stringify(value)}`);
      }
    }
  }
}

function evidenceOf(rule: RuleDefinition, facts: Readonly<Record<string, unknown>>): string[] {
  const ids = new Set<string>();
  for (const name of rule.evidence.eventIdFacts) {
    const value = facts[name];
    if (Array.isArray(value)) for (const id of value) if (typeof id === 'string') ids.add(id);
  }
  return [...ids];
}

/** q-values for the subjects that have a usable p-value; the others are not part of the family. */
function qValuesOf(pValueFact: string, subjects: readonly Subject[]): Map<string, number> {
  const tested = subjects.filter((subject) => {
    const p = subject.facts[pValueFact];
    return typeof p === 'number' && p >= 0 && p <= 1;
  });
  const qValues = benjaminiHochberg(tested.map((subject) => subject.facts[pValueFact] as number));
  return new Map(tested.map((subject, index) => [subject.id, qValues[index] as number]));
}

const QUIET: Explanation = Object.freeze({ en: '', ru: '', kk: '' });

export async function evaluateRule(rule: RuleDefinition, subjects: readonly Subject[], options: EvaluateOptions = {}): Promise<Verdict[]> {
  const checked = validateRule(rule);
  if (!checked.ok) throw new RuleValidationFailure(rule.id, checked.errors);
  checkSubjects(rule.subject, subjects);
  const parameters = resolveParameters(rule, options.parameters);
  const evaluatedAt = (options.now ?? new Date()).toISOString();
  const namedConditions = rule.namedConditions ?? {};

  const passed: boolean[] = [];
  if (options.conditionEvaluator === 'direct') {
    for (const subject of subjects) passed.push(evaluateConditionsDirect(rule.conditions, subject.facts, parameters, namedConditions));
  } else {
    const engine = createConditionEngine(rule.conditions, namedConditions);
    for (const subject of subjects) passed.push(await engine.passes(subject.facts, parameters));
  }

  const testing = rule.multipleTesting;
  const qValues = testing === undefined ? undefined : qValuesOf(testing.pValueFact, subjects);
  const alpha = testing === undefined ? undefined : (parameters[testing.alphaParameter] as number);

  return subjects.map((subject, index) => {
    const conditionsPassed = passed[index] === true;
    const qValue = qValues?.get(subject.id);
    const fired = conditionsPassed && (alpha === undefined || (qValue !== undefined && qValue <= alpha));
    const context = { subjectId: subject.id, windowDays: rule.windowDays, facts: subject.facts, parameters };
    const note = alpha !== undefined && qValue !== undefined && qValues !== undefined ? { tested: qValues.size, qValue, alpha } : undefined;
    return {
      ruleId: rule.id,
      ...(rule.version === undefined ? {} : { ruleVersion: rule.version }),
      subjectKind: rule.subject,
      subjectId: subject.id,
      fired,
      conditionsPassed,
      score: scoreOf(rule.score, subject.facts),
      ...(qValue === undefined ? {} : { qValue }),
      ...(alpha === undefined || qValues === undefined
        ? {}
        : { multipleTesting: { method: 'benjamini-hochberg' as const, alpha, tested: qValues.size } }),
      // Only a fired verdict becomes a flag: rendering three languages for every quiet
      // subject would cost more than evaluating it.
      explanation: fired ? explain(rule, context, note) : QUIET,
      facts: structuredClone({ ...subject.facts }),
      parameters: { ...parameters },
      evidenceEventIds: evidenceOf(rule, subject.facts),
      evaluatedAt,
    };
  });
}
