import { reasonOfIssue, type FieldErrorAnswer, type RuleReasonCode } from '@qadaga/contracts/api';
import { SCHEMES, type SchemeDefinition } from '@qadaga/domain';
import { factsFor, findFact, PARAMETERS_FACT, type FactType } from '@qadaga/facts/catalogue';
import { parameterNameOfPath } from './conditions/direct-evaluator.js';
import { DECORATOR_NAMES, OPERATOR_NAMES, parseOperator, type ParsedOperator } from './conditions/operators.js';
import { isFactReference, type ConditionValue, type FactCondition } from './conditions/types.js';
import { formatPath, walkConditions, type ConditionPath } from './conditions/walk.js';
import { parseTemplate, type Placeholder, type ValueFormat } from './explanation/template.js';
import { anyNodes, comparesWithThreshold, directionOfOperator, locateComparisons, PEER_GROUP_FACTS, type LocatedComparison } from './display.js';
import { LANGUAGES, ruleDefinitionSchema, type DisplayDefinition, type RuleDefinition } from './rule-definition.js';

/**
 * Checks a rule when it is saved, so that a mistake shows up in the editor with a path
 * and a reason, not later as a rule that silently never fires: facts the subject does
 * not have, operators the engine does not know, parameters used but not declared or with
 * a default outside their bounds, explanation placeholders that name nothing, and a
 * scheme judged on a different kind of subject than the rule's.
 */

export interface RuleValidationError {
  /** Where in the rule, for example "conditions.all[1].fact" or "explanation.kk". */
  path: string;
  /** In English; clients that know the code say it in their reader's language. */
  message: string;
  /** Why, as a stable code: a meaning check's (RuleReasonCode) or, for a wrong shape, zod's generic one. */
  code: FieldErrorAnswer['code'];
  /** The names and numbers the reason refers to: { fact, subject }, { name, declared }, { minimum, origin }... */
  params: NonNullable<FieldErrorAnswer['params']>;
}

type ReasonParams = Readonly<Record<string, string | number | undefined>>;

export type RuleValidationResult = { ok: true; rule: RuleDefinition } | { ok: false; errors: RuleValidationError[] };

const NUMERIC_OPERATORS = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);
const NUMERIC_FORMATS = new Set<ValueFormat>(['int', 'fixed1', 'fixed2', 'percent', 'p']);

function describeThreshold(threshold: DisplayDefinition['threshold']): string {
  if ('parameter' in threshold) return `parameter "${threshold.parameter}"`;
  if ('fact' in threshold) return `fact "${threshold.fact}"`;
  return JSON.stringify(threshold.value);
}

function describeValue(value: ConditionValue): string {
  if (!isFactReference(value)) return JSON.stringify(value);
  if (value.fact === PARAMETERS_FACT && value.path !== undefined) return `parameter "${parameterNameOfPath(value.path) ?? value.path}"`;
  return `fact "${value.fact}"`;
}

/** The type of one side of a condition, or undefined when it is unknown (an error was already reported). */
type OperandType = FactType | 'null' | 'array' | undefined;

class RuleChecker {
  readonly errors: RuleValidationError[] = [];
  private readonly usedParameters = new Set<string>();

  constructor(private readonly rule: RuleDefinition) {}

  check(): void {
    this.checkScheme();
    this.checkParameterBounds();
    this.checkConditions();
    this.checkScore();
    this.checkDisplay();
    this.checkMultipleTesting();
    this.checkExplanation();
    this.checkEvidence();
    this.checkUnusedParameters();
    this.checkParameterTranslations();
  }

  private fail(code: RuleReasonCode, params: ReasonParams, path: ConditionPath, message: string): void {
    const defined = Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
    this.errors.push({ path: formatPath(path), message, code, params: Object.fromEntries(defined) });
  }

  private validFactNames(): string {
    return factsFor(this.rule.subject)
      .map((fact) => fact.name)
      .join(', ');
  }

  private declaredParameters(): string {
    return Object.keys(this.rule.parameters).join(', ') || 'none';
  }

  private checkScheme(): void {
    const scheme: SchemeDefinition = SCHEMES[this.rule.detects];
    const allowed = [scheme.subject, ...(scheme.rolledUpOn ?? [])];
    if (!allowed.includes(this.rule.subject)) {
      this.fail('schemeSubject', { scheme: this.rule.detects, allowed: allowed.join(' / '), subject: this.rule.subject }, ['subject'], `scheme "${this.rule.detects}" is judged on ${allowed.join(' or ')} subjects, but the rule's subject is ${this.rule.subject}`);
    }
  }

  private checkParameterBounds(): void {
    for (const [name, parameter] of Object.entries(this.rule.parameters)) {
      if (parameter.min !== undefined && parameter.max !== undefined && parameter.min > parameter.max) {
        this.fail('minAboveMax', { min: parameter.min, max: parameter.max }, ['parameters', name], `min ${parameter.min} is above max ${parameter.max}`);
      }
      if (parameter.min !== undefined && parameter.default < parameter.min) {
        this.fail('defaultBelowMin', { value: parameter.default, min: parameter.min }, ['parameters', name, 'default'], `default ${parameter.default} is below min ${parameter.min}`);
      }
      if (parameter.max !== undefined && parameter.default > parameter.max) {
        this.fail('defaultAboveMax', { value: parameter.default, max: parameter.max }, ['parameters', name, 'default'], `default ${parameter.default} is above max ${parameter.max}`);
      }
    }
  }

  /** Marks a parameter as used, or reports it as undeclared. */
  private useParameter(name: string, path: ConditionPath, as: string): boolean {
    if (!Object.hasOwn(this.rule.parameters, name)) {
      this.fail('undeclaredParameter', { name, declared: this.declaredParameters() }, path, `${as} refers to parameter "${name}", which is not declared; declared: ${this.declaredParameters()}`);
      return false;
    }
    this.usedParameters.add(name);
    return true;
  }

  /** One side of a condition that reads a fact: a subject fact, or a parameter through params. */
  private operandType(fact: string, path: string | undefined, location: ConditionPath, factKey: string): OperandType {
    if (fact === PARAMETERS_FACT) {
      if (path === undefined) {
        this.fail('paramsNeedsPath', {}, [...location, factKey], `the ${PARAMETERS_FACT} fact needs a path naming the parameter, such as "$.minShare"`);
        return undefined;
      }
      const name = parameterNameOfPath(path);
      if (name === undefined) {
        this.fail('paramsPathForm', { path }, [...location, 'path'], `path "${path}" must have the form "$.parameterName"`);
        return undefined;
      }
      return this.useParameter(name, [...location, 'path'], `path "${path}"`) ? 'number' : undefined;
    }
    const definition = findFact(this.rule.subject, fact);
    if (definition === undefined) {
      this.fail('unknownFact', { fact, subject: this.rule.subject, facts: this.validFactNames() }, [...location, factKey], `unknown fact "${fact}" for ${this.rule.subject} subjects; valid facts: ${this.validFactNames()}`);
      return undefined;
    }
    if (path !== undefined) this.fail('pathOnlyOnParams', {}, [...location, 'path'], `a path is only allowed on the ${PARAMETERS_FACT} fact`);
    return definition.type;
  }

  private valueType(value: ConditionValue, location: ConditionPath): OperandType {
    if (isFactReference(value)) return this.operandType(value.fact, value.path, [...location, 'value'], 'fact');
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'array';
    return typeof value as 'number' | 'string' | 'boolean';
  }

  private checkConditions(): void {
    const named = this.rule.namedConditions ?? {};
    const roots: { path: ConditionPath; name?: string }[] = [
      { path: ['conditions'] },
      ...Object.keys(named).map((name) => ({ path: ['namedConditions', name], name })),
    ];
    const referencesOf = new Map<string, string[]>();
    const referenced = new Set<string>();
    for (const root of roots) {
      const tree = root.name === undefined ? this.rule.conditions : (named[root.name] as RuleDefinition['conditions']);
      const visit = walkConditions(tree, root.path);
      for (const { condition, path } of visit.factConditions) this.checkFactCondition(condition, path);
      for (const reference of visit.references) {
        referenced.add(reference.name);
        if (!Object.hasOwn(named, reference.name)) {
          this.fail('unknownNamedCondition', { name: reference.name }, [...reference.path, 'condition'], `no named condition "${reference.name}"; defined: ${Object.keys(named).join(', ') || 'none'}`);
        }
      }
      if (root.name !== undefined) referencesOf.set(root.name, visit.references.map((reference) => reference.name));
    }
    for (const name of Object.keys(named)) {
      if (!referenced.has(name)) this.fail('namedConditionUnused', { name }, ['namedConditions', name], 'defined but never referenced');
      const cycle = findCycle(name, referencesOf);
      if (cycle !== undefined) this.fail('namedConditionCycle', { cycle: cycle?.join(' -> ') ?? '' }, ['namedConditions', name], `refers to itself through ${cycle.join(' -> ')}`);
    }
  }

  private checkFactCondition(condition: FactCondition, path: ConditionPath): void {
    const left = this.operandType(condition.fact, condition.path, path, 'fact');
    const right = this.valueType(condition.value, path);
    const operator = parseOperator(condition.operator);
    if (operator === undefined) {
      this.fail( 'unknownOperator', { operator: condition.operator },
        [...path, 'operator'],
        `unknown operator "${condition.operator}"; operators: ${OPERATOR_NAMES.join(', ')}; decorators (as "decorator:operator"): ${DECORATOR_NAMES.join(', ')}`,
      );
      return;
    }
    this.checkOperandTypes(condition, operator, left, right, path);
  }

  private checkOperandTypes(condition: FactCondition, operator: ParsedOperator, left: OperandType, right: OperandType, path: ConditionPath): void {
    const at = (key: string): ConditionPath => [...path, key];
    const { decorators, base } = operator;
    const literal = condition.value;
    if (decorators.length > 0) {
      // Decorated operators apply the base operator to array elements; only the array-ness is checked here.
      for (const decorator of decorators) {
        if ((decorator === 'someFact' || decorator === 'everyFact') && left !== undefined && left !== 'string[]') {
          this.fail('decoratorNeedsStringArrayFact', { operator: decorator, fact: condition.fact, type: left }, at('operator'), `${decorator} needs a string[] fact, but "${condition.fact}" is ${left}`);
        }
        if ((decorator === 'someValue' || decorator === 'everyValue') && right !== undefined && right !== 'array' && right !== 'string[]') {
          this.fail('decoratorNeedsArrayValue', { operator: decorator }, at('value'), `${decorator} needs an array value`);
        }
      }
      return;
    }
    if (left === undefined) return;
    if (NUMERIC_OPERATORS.has(base)) {
      if (left !== 'number') this.fail('operatorNeedsNumberFact', { operator: base, fact: condition.fact, type: left }, at('fact'), `${base} compares numbers, but "${condition.fact}" is ${left}`);
      if (right !== undefined && right !== 'number') {
        this.fail('operatorNeedsNumberValue', { operator: base }, at('value'), `${base} needs a number, or a reference to a number fact or a parameter`);
      }
      return;
    }
    switch (base) {
      case 'equal':
      case 'notEqual':
        if (left === 'string[]') this.fail('operatorComparesArrays', { operator: base, fact: condition.fact }, at('operator'), `${base} compares arrays by identity; use contains or doesNotContain on "${condition.fact}"`);
        else if (right === 'array') this.fail('operatorNeedsSingleValue', { operator: base }, at('value'), `${base} needs a single value, not an array; use in or notIn`);
        else if (right !== undefined && right !== 'null' && right !== left) {
          this.fail('valueTypeMismatch', { operator: base, fact: condition.fact, type: left, given: right }, at('value'), `"${condition.fact}" is ${left}, so ${base} needs a ${left} (or null), not a ${right}`);
        }
        return;
      case 'in':
      case 'notIn':
        if (Array.isArray(literal)) {
          const wrong = literal.find((item) => item !== null && typeof item !== left);
          if (wrong !== undefined) this.fail('listTypeMismatch', { fact: condition.fact, type: left, given: JSON.stringify(wrong) }, at('value'), `the list holds ${typeof wrong} ${JSON.stringify(wrong)}, but "${condition.fact}" is ${left}`);
        } else if (!(right === 'string[]' && left === 'string')) {
          this.fail('operatorNeedsList', { operator: base }, at('value'), `${base} needs an array of values (or, for a string fact, a string[] fact)`);
        }
        return;
      case 'contains':
      case 'doesNotContain':
        if (left !== 'string[]') this.fail('operatorNeedsStringArrayFact', { operator: base, fact: condition.fact, type: left }, at('fact'), `${base} needs a string[] fact, but "${condition.fact}" is ${left}`);
        if (right !== undefined && right !== 'string') this.fail('operatorNeedsString', { operator: base }, at('value'), `${base} looks for a string`);
        return;
      case 'between': {
        if (left !== 'number') this.fail('operatorNeedsNumberFact', { operator: 'between', fact: condition.fact, type: left }, at('fact'), `between compares numbers, but "${condition.fact}" is ${left}`);
        const bounds = Array.isArray(literal) ? literal : [];
        const [low, high] = bounds;
        if (bounds.length !== 2 || typeof low !== 'number' || typeof high !== 'number' || low > high) {
          this.fail('betweenBounds', {}, at('value'), 'between needs a literal [low, high] of two numbers with low <= high');
        }
        return;
      }
    }
  }

  private checkScore(): void {
    const score = this.rule.score;
    if (!('fact' in score)) return;
    const definition = findFact(this.rule.subject, score.fact);
    if (definition === undefined) {
      this.fail('unknownFact', { fact: score.fact, subject: this.rule.subject, facts: this.validFactNames() }, ['score', 'fact'], `unknown fact "${score.fact}" for ${this.rule.subject} subjects; valid facts: ${this.validFactNames()}`);
    } else if (definition.type !== 'number') {
      this.fail('scoreNeedsNumberFact', { fact: score.fact, type: definition.type }, ['score', 'fact'], `neglog10 needs a number fact (a p-value), but "${score.fact}" is ${definition.type}`);
    }
  }

  /** A comparison a display entry could stand for: a number or yes/no fact, compared on one side. */
  private drawable(located: LocatedComparison): boolean {
    const type = findFact(this.rule.subject, located.condition.fact)?.type;
    const direction = directionOfOperator(located.condition.operator)?.direction;
    if (direction === undefined || located.condition.path !== undefined) return false;
    return direction === 'equal' ? type === 'boolean' : type === 'number';
  }

  /**
   * The display says how the page draws the evidence, so it must be the evidence: a fact the
   * conditions compare (outside a "not"), with the threshold it is compared with there, on
   * the side the operator flags, shown in the explanation, and one entry at least for each
   * way the rule can fire (each branch of an "any").
   */
  private checkDisplay(): void {
    const named = this.rule.namedConditions ?? {};
    const located = locateComparisons(this.rule.conditions, named);
    const english = new Set<string>();
    for (const part of parseTemplate(this.rule.explanation.en).parts) {
      if (typeof part !== 'string') english.add(`${part.source.kind === 'parameter' ? 'param.' : ''}${part.source.name}`);
    }
    const covered: LocatedComparison[] = [];
    const seen = new Set<string>();
    this.rule.display.forEach((entry, index) => {
      const at = (...keys: string[]): ConditionPath => ['display', index, ...keys];
      const key = JSON.stringify([entry.fact, entry.threshold, entry.direction]);
      if (seen.has(key)) this.fail('displayRepeats', {}, at(), 'repeats an earlier entry');
      seen.add(key);
      const definition = findFact(this.rule.subject, entry.fact);
      if (definition === undefined) {
        this.fail('unknownFact', { fact: entry.fact, subject: this.rule.subject, facts: this.validFactNames() }, at('fact'), `unknown fact "${entry.fact}" for ${this.rule.subject} subjects; valid facts: ${this.validFactNames()}`);
        return;
      }
      if (entry.unit === 'flag' ? definition.type !== 'boolean' : definition.type !== 'number') {
        this.fail('displayUnit', { fact: entry.fact, type: definition.type }, at('unit'), entry.unit === 'flag' ? `unit flag is for a yes/no fact, but "${entry.fact}" is ${definition.type}` : `"${entry.fact}" is ${definition.type}; a ${definition.type === 'boolean' ? 'yes/no fact is shown with unit "flag"' : 'display shows numbers'}`);
      }
      if ((entry.unit === 'flag') !== (entry.direction === 'equal')) {
        this.fail('displayDirection', { fact: entry.fact }, at('direction'), entry.unit === 'flag' ? 'a yes/no fact is shown with direction "equal"' : 'direction "equal" is only for a yes/no fact (unit flag)');
      }
      const comparisons = located.filter((l) => l.condition.fact === entry.fact && l.condition.path === undefined);
      if (comparisons.length === 0) {
        this.fail('displayFactNotCompared', { fact: entry.fact }, at('fact'), `"${entry.fact}" is not compared in the conditions (outside a "not"), so it cannot be what fired the rule; compared: ${[...new Set(located.map((l) => l.condition.fact))].join(', ') || 'nothing'}`);
        return;
      }
      const thresholdKey = Object.keys(entry.threshold)[0] as 'parameter' | 'value' | 'fact';
      if ('parameter' in entry.threshold) this.useParameter(entry.threshold.parameter, at('threshold', 'parameter'), `display threshold`);
      const withThreshold = comparisons.filter((l) => comparesWithThreshold(l.condition, entry.threshold));
      if (withThreshold.length === 0) {
        const described = comparisons.map((l) => `${describeValue(l.condition.value)} at ${formatPath(l.path)}`).join('; ');
        this.fail('displayThresholdNotCompared', { fact: entry.fact, threshold: describeThreshold(entry.threshold) }, at('threshold', thresholdKey), `"${entry.fact}" is not compared with ${describeThreshold(entry.threshold)} in the conditions; it is compared with ${described}`);
        return;
      }
      const comparison = withThreshold.find((l) => directionOfOperator(l.condition.operator)?.direction === entry.direction);
      if (comparison === undefined) {
        const operators = withThreshold.map((l) => `${l.condition.operator} at ${formatPath(l.path)}`).join('; ');
        this.fail('displayWrongDirection', { fact: entry.fact, threshold: describeThreshold(entry.threshold), direction: entry.direction }, at('direction'), `"${entry.fact}" is compared with ${describeThreshold(entry.threshold)} by ${operators}, which does not flag values ${entry.direction === 'equal' ? 'equal to' : entry.direction} it`);
        return;
      }
      covered.push(comparison);
      if (!english.has(entry.fact)) this.fail('displayNotExplained', { name: entry.fact }, at('fact'), `the explanation does not show {${entry.fact}}: the page would draw a number the sentence does not give`);
      if ('parameter' in entry.threshold && !english.has(`param.${entry.threshold.parameter}`)) {
        this.fail('displayNotExplained', { name: `param.${entry.threshold.parameter}` }, at('threshold', 'parameter'), `the explanation does not show {param.${entry.threshold.parameter}}: the page would draw a threshold the sentence does not give`);
      }
      if ('fact' in entry.threshold && !english.has(entry.threshold.fact)) {
        this.fail('displayNotExplained', { name: entry.threshold.fact }, at('threshold', 'fact'), `the explanation does not show {${entry.threshold.fact}}: the page would draw a threshold the sentence does not give`);
      }
      const scope = entry.peers?.scope;
      if (scope !== undefined) {
        for (const groupFact of PEER_GROUP_FACTS[scope]) {
          const group = findFact(this.rule.subject, groupFact);
          if (group === undefined || group.type !== 'string') {
            this.fail('peersScope', { scope, fact: groupFact, subject: this.rule.subject }, at('peers', 'scope'), `peers of scope "${scope}" share the fact "${groupFact}", which ${this.rule.subject} subjects do not have`);
          }
        }
      }
    });
    for (const { node, path } of anyNodes(this.rule.conditions, named)) {
      node.any.forEach((child, index) => {
        // A branch that compares no number or yes/no fact (a reason code in a list, say) has nothing to draw.
        const drawable = located.some((l) => l.ancestors.includes(child) && this.drawable(l));
        if (drawable && !covered.some((c) => c.ancestors.includes(child))) {
          this.fail('displayMissingBranch', { at: formatPath([...path, 'any', index]) }, ['display'], `no entry shows the way to fire at ${formatPath([...path, 'any', index])}; add one for a fact compared there`);
        }
      });
    }
  }

  private checkMultipleTesting(): void {
    const testing = this.rule.multipleTesting;
    if (testing === undefined) return;
    const definition = findFact(this.rule.subject, testing.pValueFact);
    if (definition === undefined) {
      this.fail('unknownFact', { fact: testing.pValueFact, subject: this.rule.subject, facts: this.validFactNames() }, ['multipleTesting', 'pValueFact'], `unknown fact "${testing.pValueFact}" for ${this.rule.subject} subjects; valid facts: ${this.validFactNames()}`);
    } else if (definition.type !== 'number') {
      this.fail('pValueNotNumber', { fact: testing.pValueFact, type: definition.type }, ['multipleTesting', 'pValueFact'], `a p-value is a number, but "${testing.pValueFact}" is ${definition.type}`);
    }
    const path = ['multipleTesting', 'alphaParameter'];
    if (!this.useParameter(testing.alphaParameter, path, 'multipleTesting.alphaParameter')) return;
    const alpha = this.rule.parameters[testing.alphaParameter];
    if (alpha === undefined) return;
    if (alpha.min === undefined || alpha.max === undefined || !(alpha.min > 0) || alpha.max > 1) {
      this.fail('alphaBounds', {}, ['parameters', testing.alphaParameter], 'the alpha of a multiple-testing correction needs min > 0 and max <= 1');
    }
    if (!(alpha.default > 0 && alpha.default <= 1)) {
      this.fail('alphaDefault', { value: alpha.default }, ['parameters', testing.alphaParameter, 'default'], `alpha must lie in (0, 1], got ${alpha.default}`);
    }
  }

  private placeholderType(placeholder: Placeholder, path: ConditionPath): OperandType {
    const { source } = placeholder;
    switch (source.kind) {
      case 'builtIn':
        return source.name === 'windowDays' ? 'number' : 'string';
      case 'parameter':
        return this.useParameter(source.name, path, `placeholder ${placeholder.text}`) ? 'number' : undefined;
      case 'fact': {
        const definition = findFact(this.rule.subject, source.name);
        if (definition === undefined) {
          this.fail( 'unknownPlaceholder', { placeholder: placeholder.text, subject: this.rule.subject },
            path,
            `placeholder ${placeholder.text} is neither a fact of ${this.rule.subject} subjects nor a parameter (write {param.name}); facts: ${this.validFactNames()}; parameters: ${this.declaredParameters()}`,
          );
          return undefined;
        }
        return definition.type;
      }
    }
  }

  private checkExplanation(): void {
    const namesByLanguage = new Map<string, Set<string>>();
    for (const language of LANGUAGES) {
      const path = ['explanation', language];
      const { parts, errors } = parseTemplate(this.rule.explanation[language]);
      for (const error of errors) this.fail('templateSyntax', {}, path, error);
      const names = new Set<string>();
      for (const part of parts) {
        if (typeof part === 'string') continue;
        names.add(`${part.source.kind === 'parameter' ? 'param.' : ''}${part.source.name}`);
        const type = this.placeholderType(part, path);
        if (type === undefined || part.format === undefined) continue;
        const fits =
          NUMERIC_FORMATS.has(part.format) ? type === 'number' : part.format === 'date' ? type === 'string' : type === 'string[]';
        if (!fits) this.fail('placeholderFormat', { placeholder: part.text, format: part.format, type }, path, `placeholder ${part.text}: format "${part.format}" does not fit a ${type}`);
      }
      namesByLanguage.set(language, names);
    }
    // A translation that drops a number says less than the original: every language must show the same values.
    const english = namesByLanguage.get('en') ?? new Set<string>();
    for (const language of LANGUAGES.filter((code) => code !== 'en')) {
      const names = namesByLanguage.get(language) ?? new Set<string>();
      const missing = [...english].filter((name) => !names.has(name));
      const extra = [...names].filter((name) => !english.has(name));
      if (missing.length > 0) this.fail('translationLeavesOut', { names: missing.map((name) => `{${name}}`).join(', ') }, ['explanation', language], `leaves out {${missing.join('}, {')}} that the English text shows`);
      if (extra.length > 0) this.fail('translationAdds', { names: extra.map((name) => `{${name}}`).join(', ') }, ['explanation', language], `shows {${extra.join('}, {')}} that the English text does not`);
    }
  }

  private checkEvidence(): void {
    this.rule.evidence.eventIdFacts.forEach((fact, index) => {
      const definition = findFact(this.rule.subject, fact);
      const path = ['evidence', 'eventIdFacts', index];
      if (definition === undefined) this.fail('unknownFact', { fact, subject: this.rule.subject, facts: this.validFactNames() }, path, `unknown fact "${fact}" for ${this.rule.subject} subjects; valid facts: ${this.validFactNames()}`);
      else if (definition.type !== 'string[]') this.fail('evidenceNotIds', { fact, type: definition.type }, path, `evidence facts hold event ids (string[]), but "${fact}" is ${definition.type}`);
    });
  }

  private checkUnusedParameters(): void {
    for (const name of Object.keys(this.rule.parameters)) {
      if (!this.usedParameters.has(name)) {
        this.fail('parameterUnused', { name }, ['parameters', name], 'declared but used nowhere (conditions, multipleTesting or explanation)');
      }
    }
  }

  /**
   * A language that translates parameter descriptions translates every declared parameter
   * and nothing else: a reader would otherwise meet one parameter in English, or a
   * translation of one renamed or removed since.
   */
  private checkParameterTranslations(): void {
    const declared = Object.keys(this.rule.parameters);
    for (const language of ['ru', 'kk'] as const) {
      const translated = this.rule.translations?.[language].parameters;
      if (translated === undefined) continue;
      const path = ['translations', language, 'parameters'];
      for (const name of Object.keys(translated)) {
        if (!Object.hasOwn(this.rule.parameters, name)) this.fail('parameterTranslationUndeclared', { name, declared: this.declaredParameters() }, [...path, name], `translates parameter "${name}", which is not declared; declared: ${this.declaredParameters()}`);
      }
      const missing = declared.filter((name) => !Object.hasOwn(translated, name));
      if (missing.length > 0) this.fail('parameterTranslationMissing', { names: missing.join(', ') }, path, `leaves out the description of ${missing.map((name) => `"${name}"`).join(', ')}`);
    }
  }
}

/** A path from `start` back to itself through named-condition references, if there is one. */
function findCycle(start: string, referencesOf: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const stack: { name: string; trail: string[] }[] = [{ name: start, trail: [start] }];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const { name, trail } = stack.pop() as { name: string; trail: string[] };
    for (const next of referencesOf.get(name) ?? []) {
      if (next === start) return [...trail, start];
      if (!seen.has(next)) {
        seen.add(next);
        stack.push({ name: next, trail: [...trail, next] });
      }
    }
  }
  return undefined;
}

export function validateRule(input: unknown): RuleValidationResult {
  const parsed = ruleDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => {
        const { code, params } = reasonOfIssue(issue, 'rule', formatPath(issue.path));
        return { path: formatPath(issue.path), message: issue.message, code, params: params ?? {} };
      }),
    };
  }
  const checker = new RuleChecker(parsed.data);
  checker.check();
  return checker.errors.length === 0 ? { ok: true, rule: parsed.data } : { ok: false, errors: checker.errors };
}

/** Thrown where a rule must already be valid (evaluation, loading the pack). */
export class RuleValidationFailure extends Error {
  constructor(
    readonly ruleId: string,
    readonly errors: readonly RuleValidationError[],
  ) {
    super(`rule ${ruleId} is invalid: ${errors.map((error) => `${error.path}: ${error.message}`).join('; ')}`);
    this.name = 'RuleValidationFailure';
  }
}
