import type { RuleDefinition } from '../rule-definition.js';

/** A small valid rule the specs copy and break one piece at a time. */
export function sampleRule(): RuleDefinition {
  return {
    id: 'sample-outlier',
    name: 'Sample outlier rule',
    description: 'An officer whose adverse share is far above peers.',
    detects: 'officer_outlier_rate',
    subject: 'officer',
    windowDays: 30,
    parameters: {
      minDecisions: { default: 30, min: 1, max: 1000, description: 'Fewest decisions.' },
      minRobustZ: { default: 3.5, min: 1, max: 20, description: 'Robust z threshold.' },
      alpha: { default: 0.01, min: 0.0001, max: 0.2, description: 'False discovery rate.' },
    },
    severity: 'medium',
    conditions: {
      all: [
        { fact: 'decisions', operator: 'greaterThanInclusive', value: { fact: 'params', path: '$.minDecisions' } },
        { fact: 'adverseRobustZ', operator: 'greaterThan', value: { fact: 'params', path: '$.minRobustZ' } },
      ],
    },
    score: { fact: 'adversePValue', transform: 'neglog10' },
    display: [{ fact: 'adverseRobustZ', threshold: { parameter: 'minRobustZ' }, direction: 'above', unit: 'zScore', peers: { scope: 'unitRole' } }],
    multipleTesting: { pValueFact: 'adversePValue', alphaParameter: 'alpha' },
    explanation: {
      en: 'Officer {subjectId}: {adverseActions|int} of {decisions|int} ({adverseShare|percent}), z = {adverseRobustZ|fixed1} over {param.minRobustZ}, {adversePValue|p}.',
      ru: 'Сотрудник {subjectId}: {adverseActions|int} из {decisions|int} ({adverseShare|percent}), z = {adverseRobustZ|fixed1} при пороге {param.minRobustZ}, {adversePValue|p}.',
      kk: '{subjectId} қызметкері: {decisions|int} шешімнің {adverseActions|int} ({adverseShare|percent}), z = {adverseRobustZ|fixed1}, шегі {param.minRobustZ}, {adversePValue|p}.',
    },
    evidence: { eventIdFacts: ['evidenceEventIds'] },
  };
}
