import type { SubjectKind } from '@qadaga/domain';
import { findFact, PARAMETERS_FACT, valueFitsFactType } from '@qadaga/facts/catalogue';
import { benjaminiHochberg } from '@qadaga/statistics';
import { compileConditionsDirect } from './conditions/direct-evaluator.js';
import { directlyEvaluable } from './conditions/direct-support.js';
import { createConditionEngine } from './conditions/engine-runner.js';
import { firedDisplay, type DisplayReading } from './display.js';
import { explain, type Explanation } from './explain.js';
import { resolveParameters } from './parameters.js';
import type { RuleDefinition } from './rule-definition.js';
import { scoreOf } from './score.js';
import { RuleValidationFailure, validateRule } from './validate-rule.js';

/**
 * Evaluates one rule over many subjects whose facts were computed beforehand (set-based,
 * in the database), and says for each whether it fires, with its score, q-value and
 * explanation. By default the conditions run on one json-rules-engine Engine per call: the
 * rule is added once and the engine is run once per subject with that subject's facts.
 * evaluateFired and firedSubjectIds judge the same way but build verdicts only for the
 * subjects that fire, for a backtest that evaluates a draft over a hundred thousand subjects.
 */

export interface Subject {
  id: string;
  facts: Readonly<Record<string, unknown>>;
}

/**
 * "direct" always runs the plain TypeScript evaluator; "direct-where-proven" runs it only on
 * rules whose conditions directlyEvaluable admits (see conditions/direct-support.ts) and
 * json-rules-engine on the others. "engine-confirms" is for flags: on those same rules the
 * direct evaluator passes over every subject and json-rules-engine judges again each one
 * that passed, so every condition verdict that can raise a flag is the engine's, while
 * the subjects that cannot (most of them) cost the engine nothing.
 */
export type ConditionEvaluator = 'json-rules-engine' | 'direct' | 'direct-where-proven' | 'engine-confirms';

export interface EvaluateOptions {
  /** Overrides of the rule's parameter defaults, within their declared bounds. */
  parameters?: Readonly<Record<string, number>>;
  /** The evaluation instant recorded on each verdict; defaults to the current time. */
  now?: Date;
  /**
   * Which evaluator runs the conditions: the engine alone by default; the rule runner uses
   * "engine-confirms", backtests "direct-where-proven"; "direct" lets a benchmark measure
   * the engine's share of the time.
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
  /**
   * The rule's display entries that fired for this subject (their value beyond their
   * threshold and the rest of their branch passing), read from the same facts and
   * parameters as the explanation; peers are null here and filled in by whoever holds the
   * other subjects' facts (the rule runner).
   */
  display: DisplayReading[];
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
export function qValuesOf(pValueFact: string, subjects: readonly Subject[]): Map<string, number> {
  const tested = subjects.filter((subject) => {
    const p = subject.facts[pValueFact];
    return typeof p === 'number' && p >= 0 && p <= 1;
  });
  const qValues = benjaminiHochberg(tested.map((subject) => subject.facts[pValueFact] as number));
  return new Map(tested.map((subject, index) => [subject.id, qValues[index] as number]));
}

const QUIET: Explanation = Object.freeze({ en: '', ru: '', kk: '' });

/**
 * Subjects checked once against their kind's fact types, with the Benjamini-Hochberg
 * q-values of each p-value fact computed on first use. Neither depends on a rule's
 * conditions or parameters, so a backtest that keeps the facts of a range keeps this too,
 * and moving a threshold redoes neither. The subjects must not change afterwards.
 */
export class CheckedSubjects {
  private readonly qValueCache = new Map<string, Map<string, number>>();

  constructor(
    readonly kind: SubjectKind,
    readonly subjects: readonly Subject[],
  ) {
    checkSubjects(kind, subjects);
  }

  qValues(pValueFact: string): Map<string, number> {
    let cached = this.qValueCache.get(pValueFact);
    if (cached === undefined) {
      cached = qValuesOf(pValueFact, this.subjects);
      this.qValueCache.set(pValueFact, cached);
    }
    return cached;
  }
}

interface Judgement {
  rule: RuleDefinition;
  subjects: readonly Subject[];
  parameters: Record<string, number>;
  evaluatedAt: string;
  passed: boolean[];
  qValues: Map<string, number> | undefined;
  alpha: number | undefined;
}

async function conditionsPassed(rule: RuleDefinition, subjects: readonly Subject[], parameters: Record<string, number>, evaluator: ConditionEvaluator | undefined): Promise<boolean[]> {
  const namedConditions = rule.namedConditions ?? {};
  const proven = (evaluator === 'direct-where-proven' || evaluator === 'engine-confirms') && directlyEvaluable(rule.conditions, namedConditions);
  const direct = evaluator === 'direct' || proven;
  const passed: boolean[] = [];
  if (direct && evaluator === 'engine-confirms') {
    const passes = compileConditionsDirect(rule.conditions, namedConditions);
    const engine = createConditionEngine(rule.conditions, namedConditions);
    for (const subject of subjects) passed.push(passes(subject.facts, parameters) && (await engine.passes(subject.facts, parameters)));
  } else if (direct) {
    const passes = compileConditionsDirect(rule.conditions, namedConditions);
    for (const subject of subjects) passed.push(passes(subject.facts, parameters));
  } else {
    // The engine also runs every rule the direct evaluator is not proven on.
    const engine = createConditionEngine(rule.conditions, namedConditions);
    for (const subject of subjects) passed.push(await engine.passes(subject.facts, parameters));
  }
  return passed;
}

async function judge(rule: RuleDefinition, input: readonly Subject[] | CheckedSubjects, options: EvaluateOptions): Promise<Judgement> {
  const checked = validateRule(rule);
  if (!checked.ok) throw new RuleValidationFailure(rule.id, checked.errors);
  if (input instanceof CheckedSubjects && input.kind !== rule.subject) {
    throw new Error(`rule ${rule.id} judges ${rule.subject} subjects, but these were checked as ${input.kind}`);
  }
  const subjects = input instanceof CheckedSubjects ? input.subjects : input;
  if (!(input instanceof CheckedSubjects)) checkSubjects(rule.subject, subjects);
  const parameters = resolveParameters(rule, options.parameters);
  const evaluatedAt = (options.now ?? new Date()).toISOString();
  const passed = await conditionsPassed(rule, subjects, parameters, options.conditionEvaluator);
  const testing = rule.multipleTesting;
  const qValues = testing === undefined ? undefined : input instanceof CheckedSubjects ? input.qValues(testing.pValueFact) : qValuesOf(testing.pValueFact, subjects);
  const alpha = testing === undefined ? undefined : (parameters[testing.alphaParameter] as number);
  return { rule, subjects, parameters, evaluatedAt, passed, qValues, alpha };
}

function fires(judgement: Judgement, index: number): boolean {
  const { passed, qValues, alpha, subjects } = judgement;
  if (passed[index] !== true) return false;
  if (alpha === undefined) return true;
  const qValue = qValues?.get((subjects[index] as Subject).id);
  return qValue !== undefined && qValue <= alpha;
}

function verdictOf(judgement: Judgement, index: number): Verdict {
  const { rule, parameters, qValues, alpha, evaluatedAt } = judgement;
  const subject = judgement.subjects[index] as Subject;
  const conditionsPassed = judgement.passed[index] === true;
  const qValue = qValues?.get(subject.id);
  const fired = fires(judgement, index);
  const context = { subjectId: subject.id, windowDays: rule.windowDays, facts: subject.facts, parameters };
  const display = firedDisplay(rule, subject.facts, parameters);
  const note = alpha !== undefined && qValue !== undefined && qValues !== undefined ? { tested: qValues.size, qValue, alpha } : undefined;
  return {
    ruleId: rule.id,
    ...(rule.version === undefined ? {} : { ruleVersion: rule.version }),
    subjectKind: rule.subject,
    subjectId: subject.id,
    fired,
    conditionsPassed,
    score: scoreOf(rule, subject.facts, parameters, display),
    display,
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
}

/** One verdict per subject, in the subjects' order. */
export async function evaluateRule(rule: RuleDefinition, subjects: readonly Subject[] | CheckedSubjects, options: EvaluateOptions = {}): Promise<Verdict[]> {
  const judgement = await judge(rule, subjects, options);
  return judgement.subjects.map((_, index) => verdictOf(judgement, index));
}

/**
 * The verdicts of the subjects that fire, in the subjects' order: exactly evaluateRule's
 * fired verdicts, without copying the facts of or explaining the subjects that do not.
 */
export async function evaluateFired(rule: RuleDefinition, subjects: readonly Subject[] | CheckedSubjects, options: EvaluateOptions = {}): Promise<Verdict[]> {
  const judgement = await judge(rule, subjects, options);
  const verdicts: Verdict[] = [];
  for (let index = 0; index < judgement.subjects.length; index += 1) if (fires(judgement, index)) verdicts.push(verdictOf(judgement, index));
  return verdicts;
}

/** The ids of the subjects that fire, in the subjects' order, with no verdict built at all. */
export async function firedSubjectIds(rule: RuleDefinition, subjects: readonly Subject[] | CheckedSubjects, options: EvaluateOptions = {}): Promise<string[]> {
  const judgement = await judge(rule, subjects, options);
  const ids: string[] = [];
  for (let index = 0; index < judgement.subjects.length; index += 1) if (fires(judgement, index)) ids.push((judgement.subjects[index] as Subject).id);
  return ids;
}
