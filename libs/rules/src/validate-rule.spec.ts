import { describe, expect, it } from 'vitest';
import type { RuleDefinition } from './rule-definition.js';
import { sampleRule } from './testing/sample-rule.js';
import { validateRule, type RuleValidationError } from './validate-rule.js';

function errorsOf(change: (rule: RuleDefinition) => void): RuleValidationError[] {
  const rule = sampleRule();
  change(rule);
  const result = validateRule(rule);
  if (result.ok) throw new Error('expected the rule to be refused');
  return result.errors;
}

function errorsFromInput(input: unknown): RuleValidationError[] {
  const result = validateRule(input);
  if (result.ok) throw new Error('expected the rule to be refused');
  return result.errors;
}

describe('validateRule', () => {
  it('accepts a valid rule and returns it', () => {
    const result = validateRule(sampleRule());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.rule.id).toBe('sample-outlier');
  });

  it('names the path of shape errors, down to one node of the condition tree', () => {
    const input = { ...sampleRule(), conditions: { all: [{ fact: 'decisions', operator: 'greaterThan' }] } };
    expect(errorsFromInput(input)).toContainEqual(expect.objectContaining({ path: 'conditions.all[0].value' }));
    const twoKinds = { ...sampleRule(), conditions: { all: [], any: [] } };
    expect(errorsFromInput(twoKinds)[0]?.message).toMatch(/only one of all, any/);
  });

  it('refuses a slug that is not one, unknown keys and a missing translation', () => {
    const errors = errorsFromInput({ ...sampleRule(), id: 'Not A Slug', colour: 'red', explanation: { en: 'x', ru: 'y' } });
    const paths = errors.map((error) => error.path);
    expect(paths).toContain('id');
    expect(paths).toContain('explanation.kk');
    expect(errors.some((error) => error.path === '(rule)' && /colour/.test(error.message))).toBe(true);
  });

  it('refuses an unknown fact for the subject kind and lists the valid ones', () => {
    const errors = errorsOf((rule) => {
      rule.conditions = { all: [{ fact: 'detections', operator: 'greaterThan', value: 3 }] };
    });
    const error = errors.find((candidate) => candidate.path === 'conditions.all[0].fact');
    expect(error?.message).toMatch(/unknown fact "detections" for officer subjects/);
    expect(error?.message).toMatch(/adverseShare/);
  });

  it('refuses an unknown fact on the right-hand side too', () => {
    const errors = errorsOf((rule) => {
      rule.conditions = { all: [{ fact: 'adverseShare', operator: 'greaterThan', value: { fact: 'cityAdverseRate' } }] };
    });
    expect(errors.map((error) => error.path)).toContain('conditions.all[0].value.fact');
  });

  it('refuses an unknown operator and names the valid ones, accepting decorated and custom operators', () => {
    const errors = errorsOf((rule) => {
      rule.conditions = { all: [{ fact: 'decisions', operator: 'approximately', value: 3 }] };
    });
    const error = errors.find((candidate) => candidate.path === 'conditions.all[0].operator');
    expect(error?.message).toMatch(/unknown operator "approximately"/);
    expect(error?.message).toMatch(/greaterThanInclusive/);
    expect(error?.message).toMatch(/between/);
    const decorated = sampleRule();
    decorated.conditions = {
      all: [
        { fact: 'evidenceEventIds', operator: 'someFact:not:equal', value: 'x' },
        { fact: 'decisions', operator: 'between', value: [1, 5] },
        ...(decorated.conditions as { all: RuleDefinition['conditions'][] }).all,
      ],
    };
    expect(validateRule(decorated).ok).toBe(true);
  });

  it('refuses a parameter referenced but not declared', () => {
    const errors = errorsOf((rule) => {
      rule.conditions = { all: [{ fact: 'decisions', operator: 'greaterThan', value: { fact: 'params', path: '$.minVolume' } }] };
    });
    expect(errors).toContainEqual(
      expect.objectContaining({ path: 'conditions.all[0].value.path', message: expect.stringMatching(/"minVolume", which is not declared/) }),
    );
  });

  it('refuses a params reference without a simple path', () => {
    const errors = errorsOf((rule) => {
      rule.conditions = { all: [{ fact: 'decisions', operator: 'greaterThan', value: { fact: 'params', path: '$..minDecisions' } }] };
    });
    expect(errors.map((error) => error.path)).toContain('conditions.all[0].value.path');
  });

  it('refuses a default outside min and max, and min above max', () => {
    const errors = errorsOf((rule) => {
      rule.parameters['minRobustZ'] = { default: 25, min: 1, max: 20, description: 'z' };
      rule.parameters['minDecisions'] = { default: 30, min: 50, max: 10, description: 'n' };
    });
    expect(errors).toContainEqual({ path: 'parameters.minRobustZ.default', message: 'default 25 is above max 20', code: 'defaultAboveMax', params: { value: 25, max: 20 } });
    expect(errors).toContainEqual({ path: 'parameters.minDecisions', message: 'min 50 is above max 10', code: 'minAboveMax', params: { min: 50, max: 10 } });
  });

  it('gives every reason a stable code and the names it refers to, for a client to say it in its reader\u2019s language', () => {
    const [unknownFact] = errorsOf((rule) => {
      rule.conditions = { all: [{ fact: 'detections', operator: 'greaterThan', value: 1 }] } as RuleDefinition['conditions'];
    });
    expect(unknownFact).toMatchObject({ code: 'unknownFact', params: { fact: 'detections', subject: 'officer' } });
    const shape = errorsFromInput({ ...sampleRule(), windowDays: 0, colour: 'red' });
    expect(shape).toContainEqual(expect.objectContaining({ path: 'windowDays', code: 'too_small', params: { minimum: 1, origin: 'number' } }));
    expect(shape).toContainEqual(expect.objectContaining({ code: 'unrecognized_keys', params: { keys: ['colour'] } }));
  });

  it('refuses a declared parameter that nothing uses', () => {
    const errors = errorsOf((rule) => {
      rule.parameters['forgotten'] = { default: 1, description: 'never used' };
    });
    expect(errors.map((error) => error.path)).toEqual(['parameters.forgotten']);
  });

  it('refuses an explanation placeholder that is neither a fact nor a parameter', () => {
    const errors = errorsOf((rule) => {
      rule.explanation.en += ' {minRobustZ} {peerCount|bold}';
    });
    expect(errors.some((error) => error.path === 'explanation.en' && /\{minRobustZ\} is neither a fact/.test(error.message))).toBe(true);
    expect(errors.some((error) => error.path === 'explanation.en' && /unknown format "bold"/.test(error.message))).toBe(true);
  });

  it('refuses a format that does not fit the value and unbalanced braces', () => {
    const errors = errorsOf((rule) => {
      rule.explanation.en += ' {unit|percent} {decisions';
    });
    expect(errors.some((error) => /format "percent" does not fit a string/.test(error.message))).toBe(true);
    expect(errors.some((error) => /unbalanced brace/.test(error.message))).toBe(true);
  });

  it('refuses a translation that leaves out a value the English text shows', () => {
    const errors = errorsOf((rule) => {
      rule.explanation.kk = '{subjectId} қызметкері.';
    });
    expect(errors.some((error) => error.path === 'explanation.kk' && /leaves out/.test(error.message))).toBe(true);
  });

  it('refuses unknown score and multiple-testing facts, and an unbounded alpha', () => {
    const errors = errorsOf((rule) => {
      rule.score = { fact: 'suspicion', transform: 'neglog10' };
      rule.multipleTesting = { pValueFact: 'pValue', alphaParameter: 'minDecisions' };
    });
    const paths = errors.map((error) => error.path);
    expect(paths).toContain('score.fact');
    expect(paths).toContain('multipleTesting.pValueFact');
    expect(errors).toContainEqual(expect.objectContaining({ path: 'parameters.minDecisions', message: expect.stringMatching(/max <= 1/) }));
  });

  it('refuses a scheme judged on another kind of subject', () => {
    const errors = errorsOf((rule) => {
      rule.detects = 'protected_plate';
    });
    expect(errors).toContainEqual(expect.objectContaining({ path: 'subject', message: expect.stringMatching(/judged on vehicle subjects/) }));
  });

  it('refuses comparisons whose types cannot match', () => {
    const errors = errorsOf((rule) => {
      rule.conditions = {
        all: [
          { fact: 'unit', operator: 'greaterThan', value: 3 },
          { fact: 'role', operator: 'equal', value: 3 },
          { fact: 'role', operator: 'in', value: 'reviewer' },
          { fact: 'decisions', operator: 'between', value: [5, 1] },
          ...(rule.conditions as { all: RuleDefinition['conditions'][] }).all,
        ],
      };
    });
    const paths = errors.map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['conditions.all[0].fact', 'conditions.all[1].value', 'conditions.all[2].value', 'conditions.all[3].value']));
  });

  it('checks references to named conditions: existing, used, and not circular', () => {
    const errors = errorsOf((rule) => {
      rule.namedConditions = {
        'loop-a': { all: [{ condition: 'loop-b' }] },
        'loop-b': { any: [{ condition: 'loop-a' }] },
        unused: { all: [{ fact: 'decisions', operator: 'greaterThan', value: 1 }] },
      };
      rule.conditions = { all: [{ condition: 'loop-a' }, { condition: 'missing' }] };
    });
    const messages = errors.map((error) => `${error.path}: ${error.message}`);
    expect(messages).toContain('conditions.all[1].condition: no named condition "missing"; defined: loop-a, loop-b, unused');
    expect(messages).toContain('namedConditions.unused: defined but never referenced');
    expect(messages.some((message) => message.startsWith('namedConditions.loop-a: refers to itself through loop-a -> loop-b -> loop-a'))).toBe(true);
  });

  it('refuses evidence facts that do not hold event ids', () => {
    const errors = errorsOf((rule) => {
      rule.evidence = { eventIdFacts: ['decisions'] };
    });
    expect(errors).toContainEqual(expect.objectContaining({ path: 'evidence.eventIdFacts[0]' }));
  });
});

describe('validateRule: the display', () => {
  const at = (errors: RuleValidationError[], path: string) => errors.filter((error) => error.path === path).map((error) => error.message);

  it('requires a display, one entry at least', () => {
    const { display: _display, ...withoutDisplay } = sampleRule();
    expect(errorsFromInput(withoutDisplay)).toContainEqual(expect.objectContaining({ path: 'display' }));
    expect(errorsFromInput({ ...sampleRule(), display: [] })).toContainEqual(expect.objectContaining({ path: 'display' }));
  });

  it('refuses a display fact the conditions do not compare, naming what they do compare', () => {
    const errors = errorsOf((rule) => {
      rule.display = [{ fact: 'adverseShare', threshold: { parameter: 'minRobustZ' }, direction: 'above', unit: 'share' }];
    });
    expect(at(errors, 'display[0].fact')).toEqual([expect.stringMatching(/"adverseShare" is not compared in the conditions.*compared: decisions, adverseRobustZ/u)]);
  });

  it('refuses a threshold parameter other than the one the fact is compared with there', () => {
    const errors = errorsOf((rule) => {
      rule.display = [{ fact: 'adverseRobustZ', threshold: { parameter: 'minDecisions' }, direction: 'above', unit: 'zScore' }];
    });
    expect(at(errors, 'display[0].threshold.parameter')).toEqual([
      expect.stringMatching(/"adverseRobustZ" is not compared with parameter "minDecisions".*compared with parameter "minRobustZ" at conditions\.all\[1\]/u),
    ]);
    const literal = errorsOf((rule) => {
      rule.display = [{ fact: 'adverseRobustZ', threshold: { value: 3 }, direction: 'above', unit: 'zScore' }];
    });
    expect(at(literal, 'display[0].threshold.value')).toHaveLength(1);
    const undeclared = errorsOf((rule) => {
      rule.display = [{ fact: 'adverseRobustZ', threshold: { parameter: 'maxZ' }, direction: 'above', unit: 'zScore' }];
    });
    expect(at(undeclared, 'display[0].threshold.parameter').join(' ')).toMatch(/not declared/u);
  });

  it('refuses a direction the operator does not flag, and a unit that does not fit the fact', () => {
    const errors = errorsOf((rule) => {
      rule.display = [{ fact: 'adverseRobustZ', threshold: { parameter: 'minRobustZ' }, direction: 'below', unit: 'flag' }];
    });
    expect(at(errors, 'display[0].direction').join(' ')).toMatch(/greaterThan at conditions\.all\[1\], which does not flag values below it/u);
    expect(at(errors, 'display[0].unit').join(' ')).toMatch(/unit flag is for a yes\/no fact/u);
  });

  it('refuses a fact compared only under a "not": passing it stops the rule firing', () => {
    const errors = errorsOf((rule) => {
      rule.conditions = { all: [...(rule.conditions as { all: [] }).all, { not: { fact: 'peerCount', operator: 'lessThan', value: 3 } }] };
      rule.display.push({ fact: 'peerCount', threshold: { value: 3 }, direction: 'below', unit: 'count' });
    });
    expect(at(errors, 'display[1].fact').join(' ')).toMatch(/"peerCount" is not compared in the conditions \(outside a "not"\)/u);
  });

  it('wants one entry for each way to fire, the branches of an "any"', () => {
    const errors = errorsOf((rule) => {
      rule.conditions = {
        any: [
          { fact: 'adverseRobustZ', operator: 'greaterThan', value: { fact: 'params', path: '$.minRobustZ' } },
          { all: [{ fact: 'decisions', operator: 'greaterThanInclusive', value: { fact: 'params', path: '$.minDecisions' } }] },
        ],
      };
    });
    expect(at(errors, 'display')).toEqual([expect.stringMatching(/no entry shows the way to fire at conditions\.any\[1\]/u)]);
  });

  it('wants the explanation to show the value and the threshold the page draws', () => {
    const errors = errorsOf((rule) => {
      rule.display = [{ fact: 'decisions', threshold: { parameter: 'minDecisions' }, direction: 'above', unit: 'count' }];
    });
    expect(at(errors, 'display[0].threshold.parameter').join(' ')).toMatch(/does not show \{param\.minDecisions\}/u);
  });

  it('refuses a peer group the subject kind has no facts for', () => {
    const errors = errorsOf((rule) => {
      (rule.display[0] as { peers?: { scope: 'officer' } }).peers = { scope: 'officer' };
    });
    expect(at(errors, 'display[0].peers.scope').join(' ')).toMatch(/share the fact "officerId"/u);
  });

  it('scores from the display or from a p-value, nothing else', () => {
    expect(validateRule({ ...sampleRule(), score: { from: 'display' } }).ok).toBe(true);
    expect(errorsFromInput({ ...sampleRule(), score: { fact: 'adverseRobustZ', transform: 'identity' } })).toContainEqual(expect.objectContaining({ path: 'score' }));
  });
});
