import { describe, expect, it } from 'vitest';
import { SUBJECT_KINDS } from '@qadaga/domain';
import { factsFor } from '../facts/catalogue.js';
import { RANDOM_PARAMETER_NAMES, randomFacts, randomTree } from '../testing/random-inputs.js';
import { seededRandom } from '../testing/seeded-random.js';
import { evaluateConditionsDirect } from './direct-evaluator.js';
import { createConditionEngine } from './engine-runner.js';
import type { TopLevelCondition } from './types.js';

describe('the direct evaluator agrees with json-rules-engine', () => {
  it.each(SUBJECT_KINDS)('on random condition trees and random %s subjects', async (kind) => {
    const random = seededRandom(SUBJECT_KINDS.indexOf(kind) + 101);
    const facts = factsFor(kind);
    let passed = 0;
    let failed = 0;
    for (let tree = 0; tree < 40; tree++) {
      // Named conditions may refer to earlier ones only, so references never loop.
      const named: Record<string, TopLevelCondition> = {};
      for (const name of ['shared-a', 'shared-b']) named[name] = randomTree(random, facts, 2, Object.keys(named));
      const conditions = randomTree(random, facts, 3, Object.keys(named));
      const engine = createConditionEngine(conditions, named);
      for (let subject = 0; subject < 15; subject++) {
        const subjectFacts = randomFacts(random, kind);
        const parameters = Object.fromEntries(RANDOM_PARAMETER_NAMES.map((name) => [name, random.pick([0, 0.5, 3.5, 10, 48])]));
        const expected = await engine.passes(subjectFacts, parameters);
        const actual = evaluateConditionsDirect(conditions, subjectFacts, parameters, named);
        if (actual !== expected) {
          throw new Error(`disagree on ${JSON.stringify({ conditions, named, subjectFacts, parameters, expected })}`);
        }
        if (expected) passed++;
        else failed++;
      }
    }
    // Both outcomes must occur, or the comparison would prove nothing.
    expect(passed).toBeGreaterThan(20);
    expect(failed).toBeGreaterThan(20);
  });
});
