import { describe, expect, it } from 'vitest';
import { SCHEME_IDS } from '@qadaga/domain';
import { evaluateRule } from './evaluate.js';
import { loadRulePack } from './pack.js';
import { SCENARIOS, type Scenario } from './testing/pack-scenarios.js';

/**
 * Each built-in rule against a small world built from DOMAIN.md (testing/pack-scenarios.ts):
 * the pattern it is meant to catch must fire, and the innocent look-alikes next to it (a
 * fleet with many fines, an appeals desk, a unit-wide staff shortage, a faulty camera voided
 * lawfully, ...) must not.
 */

const pack = loadRulePack();

describe('the rule pack on scenarios from the domain brief', () => {
  it('has a scenario for every rule, and so for every scheme', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(pack.map((rule) => rule.id).sort());
    expect(new Set(pack.map((rule) => rule.detects))).toEqual(new Set(SCHEME_IDS));
  });

  it.each(pack.map((rule) => [rule.id, rule] as const))('%s flags the pattern and spares its look-alikes', async (id, rule) => {
    const scenario = SCENARIOS[id] as Scenario;
    const verdicts = await evaluateRule(rule, scenario.subjects, { now: new Date('2026-03-12T00:00:00Z') });
    expect(verdicts.filter((verdict) => verdict.fired).map((verdict) => verdict.subjectId)).toEqual(scenario.fires);
    for (const verdict of verdicts.filter((candidate) => candidate.fired)) {
      for (const text of Object.values(verdict.explanation)) {
        // The reader must see whom the flag is about: every part of the subject id (officer|plate).
        for (const part of verdict.subjectId.split('|')) expect(text).toContain(part);
        expect(text).not.toMatch(/undefined|NaN|[{}]/);
      }
    }
  });

  it('explains what is missing with the numbers behind it, in each language', async () => {
    const explain = async (ruleId: string, subjectId: string) => {
      const rule = pack.find((candidate) => candidate.id === ruleId);
      if (rule === undefined) throw new Error(`${ruleId} is missing`);
      const verdict = (await evaluateRule(rule, (SCENARIOS[ruleId] as Scenario).subjects)).find((candidate) => candidate.subjectId === subjectId);
      if (verdict === undefined) throw new Error(`no verdict for ${subjectId}`);
      return verdict.explanation;
    };
    const unreviewed = await explain('unreviewed-detection', 'AP-1');
    expect(unreviewed.en).toMatch(/Unit AP-1: 312 of its 2,400 detections since 12 March 2025 \(13%\) were not confirmed, rejected or cancelled within 30 days of detection, the oldest detected on 3 November 2025/u);
    expect(unreviewed.ru).toMatch(/312 из 2\s400 его фиксаций .* в течение 30 дн\./u);
    expect((await explain('confirmed-without-notice', 'AP-4')).en).toMatch(/Unit AP-4: 8 of the 1,500 violations its officers confirmed since 12 March 2025 \(0.5%\) got no notice within 10 days/u);
    const undelivered = await explain('notice-not-delivered', 'register');
    expect(undelivered.en).toMatch(/Source register: 312 of the 2,230 notices it issued since 12 March 2025 \(14%\) were not delivered within 30 days of issue/u);
    expect(undelivered.kk).toMatch(/2\s230 қаулының 312/u);
    expect((await explain('paid-without-treasury', 'register')).en).toMatch(/Source register: 8 of the 4,210 payments .*more than 7 days later/u);
    const gap = await explain('source-id-gap', 'register');
    expect(gap.en).toMatch(/numbered 41,200 events in 9,800 sequences over 30 days, and 3 numbers .* in 2 gaps \(largest 2; first missing: REG-V0001234-2, REG-V0001234-3, REG-V0004321-5\)/u);
    expect(gap.kk).toMatch(/3 нөмір/u);
  });

  it('explains a protected plate with the numbers behind it, in each language', async () => {
    const rule = pack.find((candidate) => candidate.id === 'protected-plate');
    if (rule === undefined) throw new Error('protected-plate is missing');
    const scenario = SCENARIOS['protected-plate'] as Scenario;
    const verdict = (await evaluateRule(rule, scenario.subjects)).find((candidate) => candidate.subjectId === 'PROTECTED');
    expect(verdict?.explanation.en).toMatch(/38 of its 40 detections in 180 days.*\(95%\).*city rate is 4%.*p < 1e-\d\d/u);
    expect(verdict?.explanation.ru).toMatch(/из 40 фиксаций за 180 дн\. отклонены или отменены 38 \(95\s%\)/u);
    expect(verdict?.explanation.kk).toMatch(/40 тіркеудің 38 тіркеуі/u);
    expect(verdict?.explanation.en).toMatch(/Benjamini.Hochberg/u);
  });
});
