import { Engine, Operator } from 'json-rules-engine';
import { PARAMETERS_FACT } from '@qadaga/facts/catalogue';
import { CUSTOM_OPERATORS } from './operators.js';
import type { NamedConditions } from './direct-evaluator.js';
import type { TopLevelCondition } from './types.js';

/**
 * One json-rules-engine Engine holding one rule, built once and run once per subject with
 * that subject's facts as runtime facts (plus the parameters as the fact "params"). Facts
 * are already aggregated per subject, so the engine never sees raw events.
 */
export interface ConditionEngine {
  passes(facts: Readonly<Record<string, unknown>>, parameters: Readonly<Record<string, number>>): Promise<boolean>;
}

const RULE_NAME = 'rule';

export function createConditionEngine(conditions: TopLevelCondition, namedConditions: NamedConditions = {}): ConditionEngine {
  // allowUndefinedFacts: a subject may lack a fact (a plate absent from one source); the
  // condition then sees undefined and, for comparisons, fails instead of aborting the run.
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, operator] of Object.entries(CUSTOM_OPERATORS)) {
    engine.addOperator(new Operator(name, operator.test, operator.acceptsFactValue));
  }
  for (const [name, condition] of Object.entries(namedConditions)) engine.setCondition(name, condition);
  engine.addRule({ name: RULE_NAME, conditions, event: { type: RULE_NAME } });
  return {
    async passes(facts, parameters) {
      // Each run gets a fresh almanac and evaluates a clone of the conditions, so runs are
      // independent; callers await one before the next because the engine's status flag
      // is shared and a run finishing early would stop another mid-way.
      const result = await engine.run({ ...facts, [PARAMETERS_FACT]: parameters });
      return result.results.length > 0;
    },
  };
}
