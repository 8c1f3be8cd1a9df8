import { describe, expect, it } from 'vitest';
import { parseTemplate } from './template.js';

describe('parseTemplate', () => {
  it('splits text and placeholders, telling facts, parameters and built-ins apart', () => {
    const { parts, errors } = parseTemplate('A {adverse|int} of {param.minShare|percent} in {windowDays} days by {subjectId}.');
    expect(errors).toEqual([]);
    expect(parts).toEqual([
      'A ',
      { source: { kind: 'fact', name: 'adverse' }, format: 'int', text: '{adverse|int}' },
      ' of ',
      { source: { kind: 'parameter', name: 'minShare' }, format: 'percent', text: '{param.minShare|percent}' },
      ' in ',
      { source: { kind: 'builtIn', name: 'windowDays' }, text: '{windowDays}' },
      ' days by ',
      { source: { kind: 'builtIn', name: 'subjectId' }, text: '{subjectId}' },
      '.',
    ]);
  });

  it('reports malformed placeholders, unknown formats and stray braces', () => {
    expect(parseTemplate('{}').errors[0]).toMatch(/is not a fact/);
    expect(parseTemplate('{a|int|p}').errors[0]).toMatch(/more than one format/);
    expect(parseTemplate('{a|bold}').errors[0]).toMatch(/unknown format "bold"/);
    expect(parseTemplate('{param.}').errors[0]).toMatch(/is not a fact/);
    expect(parseTemplate('a } b').errors[0]).toMatch(/unbalanced brace/);
    expect(parseTemplate('{a {b}').errors[0]).toMatch(/unbalanced brace/);
  });
});
