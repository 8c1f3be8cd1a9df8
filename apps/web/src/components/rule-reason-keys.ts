/**
 * The reasons the rules library gives for refusing a rule draft that the workbench says in
 * its reader's language, by their code (RuleReasonCode). A code not here is shown in the
 * server's English words, which name what is wrong as exactly.
 */
export const RULE_REASON_KEYS: Readonly<Record<string, string>> = {
  schemeSubject: 'ruleReasons.schemeSubject',
  unknownFact: 'ruleReasons.unknownFact',
  undeclaredParameter: 'ruleReasons.undeclaredParameter',
  parameterUnused: 'ruleReasons.parameterUnused',
  defaultBelowMin: 'ruleReasons.defaultBelowMin',
  defaultAboveMax: 'ruleReasons.defaultAboveMax',
  minAboveMax: 'ruleReasons.minAboveMax',
  unknownOperator: 'ruleReasons.unknownOperator',
  unknownNamedCondition: 'ruleReasons.unknownNamedCondition',
  namedConditionUnused: 'ruleReasons.namedConditionUnused',
  unknownPlaceholder: 'ruleReasons.unknownPlaceholder',
  translationLeavesOut: 'ruleReasons.translationLeavesOut',
  translationAdds: 'ruleReasons.translationAdds',
  parameterTranslationUndeclared: 'ruleReasons.parameterTranslationUndeclared',
  parameterTranslationMissing: 'ruleReasons.parameterTranslationMissing',
  operatorNeedsNumberFact: 'ruleReasons.operatorNeedsNumberFact',
  operatorNeedsNumberValue: 'ruleReasons.operatorNeedsNumberValue',
  valueTypeMismatch: 'ruleReasons.valueTypeMismatch',
  displayFactNotCompared: 'ruleReasons.displayFactNotCompared',
  displayNotExplained: 'ruleReasons.displayNotExplained',
};
