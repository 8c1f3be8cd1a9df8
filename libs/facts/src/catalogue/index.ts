// The fact catalogue alone, without the SQL that computes the facts: what @qadaga/rules
// checks a rule against. Import nothing here but the catalogue and @qadaga/domain.
export {
  FACT_CATALOGUE,
  FACT_TYPES,
  PARAMETERS_FACT,
  factsFor,
  findFact,
  valueFitsFactType,
  type FactDefinition,
  type FactType,
} from './catalogue.js';
export { FACT_JUDGEMENT, JUDGEMENT_CODES, type FactJudgement, type JudgementCode } from './judgement.js';
