import { describe, expect, it } from 'vitest';
import { seededRandom } from '@qadaga/statistics/testing';
import { explain, renderExplanation, renderMultipleTestingNote, type ExplanationContext } from './explain.js';
import { formatProbability } from './explanation/formats.js';

const context: ExplanationContext = {
  subjectId: 'OF-17',
  windowDays: 180,
  facts: {
    plateKey: '123ABC02',
    cancellationsOfPlate: 38,
    plateDetections: 1234567,
    share: 0.0423,
    pValue: 3e-25,
    registered: false,
    reviewCancelled: null,
    peakDay: '2026-03-01',
    ids: ['e1', 'e2'],
  },
  parameters: { minShare: 0.5 },
};

describe('renderExplanation', () => {
  it('fills facts, parameters and built-ins in English', () => {
    const text = renderExplanation(
      'Officer {subjectId} cancelled {cancellationsOfPlate|int} of {plateDetections|int} detections of plate {plateKey} in {windowDays} days ({share|percent}, threshold {param.minShare|percent}); {pValue|p}.',
      context,
      'en',
    );
    expect(text).toBe('Officer OF-17 cancelled 38 of 1,234,567 detections of plate 123ABC02 in 180 days (4.2%, threshold 50%); p < 1e-24.');
  });

  it('uses Russian and Kazakh number formats: space-grouped thousands and a decimal comma', () => {
    for (const language of ['ru', 'kk'] as const) {
      expect(renderExplanation('{plateDetections|int}', context, language)).toMatch(/^1\s234\s567$/u);
      expect(renderExplanation('{share|percent}', context, language)).toMatch(/^4,2\s?%$/u);
      expect(renderExplanation('{share|fixed2}', context, language)).toBe('0,04');
    }
    expect(renderExplanation('{share|fixed1}', context, 'en')).toBe('0.0');
  });

  it('renders yes/no, missing values, lists and dates per language', () => {
    expect(renderExplanation('{registered}', context, 'en')).toBe('no');
    expect(renderExplanation('{registered}', context, 'ru')).toBe('нет');
    expect(renderExplanation('{registered}', context, 'kk')).toBe('жоқ');
    expect(renderExplanation('{reviewCancelled} {absentFact|int}', context, 'en')).toBe('\u2014 \u2014');
    expect(renderExplanation('{ids|list}', context, 'en')).toBe('e1, e2');
    expect(renderExplanation('{peakDay|date}', context, 'en')).toBe('1 March 2026');
    expect(renderExplanation('{peakDay|date}', context, 'ru')).toMatch(/^1 марта 2026/u);
    expect(renderExplanation('{peakDay|date}', context, 'kk')).toMatch(/2026.*наурыз/u);
  });

  it('refuses a template that does not parse, and a parameter the rule lacks', () => {
    expect(() => renderExplanation('{share|bold}', context, 'en')).toThrow(/unknown format/);
    expect(() => renderExplanation('{param.maxShare}', context, 'en')).toThrow(/no parameter "maxShare"/);
  });
});

describe('formatProbability', () => {
  it('shows p from 0.001 up with two significant digits in the reader\u2019s decimal style', () => {
    expect(formatProbability(0.0123, 'en')).toBe('p = 0.012');
    expect(formatProbability(0.0123, 'ru')).toBe('p = 0,012');
    expect(formatProbability(0.5, 'kk', 'q')).toBe('q = 0,5');
  });

  it('shows smaller values as a power-of-ten bound that is true and at most ten times the value', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 500; trial++) {
      const p = 10 ** (-3 - random.next() * 290);
      const match = /^p < 1e(-\d+)$/.exec(formatProbability(p, 'en'));
      expect(match).not.toBeNull();
      const bound = 10 ** Number(match?.[1]);
      expect(p).toBeLessThan(bound);
      expect(bound).toBeLessThanOrEqual(p * 10 * (1 + 1e-12));
    }
  });

  it('reads 0 (an underflow) as below the smallest double', () => {
    expect(formatProbability(0, 'en')).toBe('p < 1e-323');
  });
});

describe('explain', () => {
  it('renders every language and appends the multiple-testing note when given', () => {
    const rule = { explanation: { en: 'Plate {plateKey}.', ru: 'Номер {plateKey}.', kk: '{plateKey} нөмірі.' } };
    const note = { tested: 1500, qValue: 2e-9, alpha: 0.01 };
    const rendered = explain(rule, context, note);
    expect(rendered.en).toBe(`Plate 123ABC02. ${renderMultipleTestingNote(note, 'en')}`);
    expect(rendered.en).toMatch(/1,500 subjects.*Benjamini.Hochberg.*q < 1e-8, threshold 0\.01/u);
    expect(rendered.ru).toMatch(/^Номер 123ABC02\. .*1\s500.*q < 1e-8, порог 0,01\.$/u);
    expect(rendered.kk).toMatch(/^123ABC02 нөмірі\. .*q < 1e-8, шегі 0,01\.$/u);
    expect(explain(rule, context).en).toBe('Plate 123ABC02.');
  });
});
