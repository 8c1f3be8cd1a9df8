import { describe, expect, it } from 'vitest';
import type { DisplayReading } from './display.js';
import { evaluateRule, type Subject, type Verdict } from './evaluate.js';
import { formatValue } from './explanation/formats.js';
import { parseTemplate } from './explanation/template.js';
import { loadRulePack } from './pack.js';
import type { RuleDefinition } from './rule-definition.js';
import { SCENARIOS, type Scenario } from './testing/pack-scenarios.js';

/**
 * What a flag page draws and how flags are ordered, for every rule of the pack on its
 * scenario (testing/pack-scenarios.ts): the display holds the entries that fired with the
 * very numbers the explanation gives, every flag scores above 0, and more evidence beyond
 * the threshold scores higher.
 */

const pack = loadRulePack();
const NOW = new Date('2026-03-12T00:00:00Z');

/** Rules with a single yes/no way to fire: the evidence is there or not, so every flag scores the same. */
const YES_NO_ONLY = new Set(['plate-edited-after-review']);

async function firedOf(rule: RuleDefinition, subjects: readonly Subject[]): Promise<Verdict[]> {
  return (await evaluateRule(rule, subjects, { now: NOW })).filter((verdict) => verdict.fired);
}

function formatOf(rule: RuleDefinition, name: string, kind: 'fact' | 'parameter') {
  const part = parseTemplate(rule.explanation.en).parts.find((p) => typeof p !== 'string' && p.source.kind === kind && p.source.name === name);
  if (part === undefined || typeof part === 'string') throw new Error(`${rule.id}: the explanation does not show ${name}`);
  return part.format;
}

/** The same subject with more of the entry's fact beyond its threshold, or undefined when there is no more to have. */
function strengthened(rule: RuleDefinition, facts: Readonly<Record<string, unknown>>, reading: DisplayReading): Record<string, unknown> | undefined {
  const value = reading.value;
  const threshold = reading.threshold.value;
  if (reading.unit === 'flag' || typeof value !== 'number' || typeof threshold !== 'number') return undefined;
  let next: number | undefined;
  if (reading.direction === 'above') next = reading.unit === 'share' ? (value < 1 ? (value + 1) / 2 : undefined) : value + Math.max(value - threshold, 1);
  else next = value > 0 ? value / 2 : undefined;
  if (next === undefined) return undefined;
  const changed: Record<string, unknown> = { ...facts, [reading.fact]: next };
  // A rule scored by its p-value: the same subject with more evidence also has a smaller p-value.
  if ('fact' in rule.score && typeof facts[rule.score.fact] === 'number') changed[rule.score.fact] = (facts[rule.score.fact] as number) / 1000;
  return changed;
}

async function rescored(rule: RuleDefinition, scenario: Scenario, subjectId: string, facts: Record<string, unknown>): Promise<Verdict | undefined> {
  const subjects = scenario.subjects.map((subject) => (subject.id === subjectId ? { id: subjectId, facts } : subject));
  return (await evaluateRule(rule, subjects, { now: NOW })).find((verdict) => verdict.subjectId === subjectId);
}

describe('the pack’s display and score', () => {
  it.each(pack.map((rule) => [rule.id, rule] as const))('%s: a flag shows the numbers its explanation gives, and scores above 0', async (id, rule) => {
    const fired = await firedOf(rule, (SCENARIOS[id] as Scenario).subjects);
    expect(fired.length).toBeGreaterThan(0);
    for (const verdict of fired) {
      expect(verdict.score).toBeGreaterThan(0);
      expect(verdict.display.length).toBeGreaterThan(0);
      for (const reading of verdict.display) {
        const entry = rule.display.find((candidate) => candidate.fact === reading.fact && candidate.direction === reading.direction);
        expect(entry, `${id}: ${reading.fact} is one of the rule's display entries`).toBeDefined();
        expect(reading.unit).toBe(entry?.unit);
        expect(reading.value).toBe(verdict.facts[reading.fact]);
        if (reading.threshold.parameter !== null) expect(reading.threshold.value).toBe(verdict.parameters[reading.threshold.parameter]);
        else if (reading.threshold.fact !== null) expect(reading.threshold.value).toBe(verdict.facts[reading.threshold.fact]);
        else expect(entry?.threshold).toEqual({ value: reading.threshold.value });
        expect(reading.strength).toBeGreaterThan(0);
        // The page's number is the sentence's number, as the sentence prints it.
        expect(verdict.explanation.en).toContain(formatValue(reading.value, formatOf(rule, reading.fact, 'fact'), 'en'));
        if (reading.threshold.parameter !== null) {
          expect(verdict.explanation.en).toContain(formatValue(reading.threshold.value, formatOf(rule, reading.threshold.parameter, 'parameter'), 'en'));
        }
      }
    }
  });

  it.each(pack.map((rule) => [rule.id, rule] as const))('%s: more evidence beyond the threshold scores higher', async (id, rule) => {
    const scenario = SCENARIOS[id] as Scenario;
    const fired = await firedOf(rule, scenario.subjects);
    let grown = 0;
    for (const verdict of fired) {
      // More of a number beyond its threshold.
      for (const reading of verdict.display) {
        const facts = strengthened(rule, verdict.facts, reading);
        if (facts === undefined) continue;
        const stronger = await rescored(rule, scenario, verdict.subjectId, facts);
        expect(stronger?.fired).toBe(true);
        expect(stronger?.score, `${id} ${verdict.subjectId}: more ${reading.fact}`).toBeGreaterThan(verdict.score);
        grown += 1;
      }
      // One more way to fire on top of the ones that did (an officer who also signed while absent).
      for (const entry of rule.display) {
        if (entry.unit !== 'flag' || !('value' in entry.threshold) || verdict.facts[entry.fact] === entry.threshold.value) continue;
        const stronger = await rescored(rule, scenario, verdict.subjectId, { ...verdict.facts, [entry.fact]: entry.threshold.value });
        if (stronger?.fired !== true) continue;
        expect(stronger.score, `${id} ${verdict.subjectId}: also ${entry.fact}`).toBeGreaterThan(verdict.score);
        grown += 1;
      }
    }
    if (YES_NO_ONLY.has(id)) {
      expect(grown).toBe(0);
      for (const verdict of fired) expect(verdict.score).toBe(1);
    } else {
      expect(grown, `${id}: some evidence could grow`).toBeGreaterThan(0);
    }
  });
});

describe('rubber-stamping', () => {
  const rule = pack.find((candidate) => candidate.id === 'rubber-stamping') as RuleDefinition;
  const officer = (id: string, facts: Record<string, unknown>): Subject => ({
    id,
    facts: { unit: 'U1', role: 'reviewer', decisions: 300, decisionsWhileAbsent: 0, workstationConflicts: 0, fastDecisions: 0, fastDecisionShare: 0, evidenceEventIds: [], ...facts, timedDecisions: facts['decisions'] ?? 300, untimedDecisions: 0 },
  });

  it('shows the branch that fired, not a fact the rule did not use, and scores it', async () => {
    const [verdict] = await firedOf(rule, [officer('FAST', { decisions: 92, fastDecisions: 12, fastDecisionShare: 12 / 92 })]);
    expect(verdict?.display.map((reading) => reading.fact)).toEqual(['fastDecisionShare']);
    expect(verdict?.display[0]).toMatchObject({ value: 12 / 92, threshold: { value: 0.05, parameter: 'minFastShare', fact: null }, direction: 'above', inclusive: true, unit: 'share' });
    expect(verdict?.score).toBeCloseTo(1 + (12 / 92 - 0.05) / 0.05, 12);
  });

  it('leaves out an entry whose branch did not pass, and adds up the ways that fired', async () => {
    const fired = await firedOf(rule, [
      // Fast, but too few decisions to judge the share: only the absent signatures fired.
      officer('ABSENT', { decisions: 20, fastDecisions: 10, fastDecisionShare: 0.5, decisionsWhileAbsent: 1 }),
      officer('BOTH', { decisionsWhileAbsent: 1, workstationConflicts: 2 }),
    ]);
    expect(fired.map((verdict) => [verdict.subjectId, verdict.display.map((reading) => reading.fact), verdict.score])).toEqual([
      ['ABSENT', ['decisionsWhileAbsent'], 2],
      ['BOTH', ['decisionsWhileAbsent', 'workstationConflicts'], 2 + 3],
    ]);
  });
});
