import { describe, expect, it } from 'vitest';
import { evaluate, missing, testCondition, value, type Evaluation, type ValueScope } from './evaluate-expression.js';
import type { Expr } from './expression.js';

/** A scope over a plain record of cells, as a CSV row would offer. */
function scopeOf(cells: Record<string, string>, timeZone?: string): ValueScope {
  const cell = (name: string): Evaluation => (cells[name] === undefined || cells[name] === '' ? missing(`column "${name}" is empty`) : value(cells[name] ?? ''));
  return {
    timeZone,
    leaf: (expr: Expr) => cell(expr.column ?? ''),
    placeholder: (name: string) => cell(name.replace(/^column:/u, '')),
  };
}

describe('evaluate', () => {
  const scope = scopeOf({ code: 'P', amount: '262.0', expense: '15.16', when: '18.03.2026 12:30', empty: '' }, 'Asia/Almaty');

  it('maps values, and falls back to the default for an unmapped or missing value', () => {
    expect(evaluate({ column: 'code', map: { P: 'post', S: 'sms' } }, scope)).toEqual(value('post'));
    expect(evaluate({ column: 'code', map: { S: 'sms' }, default: 'other' }, scope)).toEqual(value('other'));
    expect(evaluate({ column: 'empty', map: { S: 'sms' }, default: 'other' }, scope)).toEqual(value('other'));
    expect(evaluate({ column: 'code', map: { S: 'sms' } }, scope)).toEqual({ kind: 'error', message: 'column "code": "P" is not in the value map (S)' });
  });

  it('adds money without binary floating-point noise', () => {
    expect(evaluate({ sum: [{ column: 'amount', as: 'number' }, { column: 'expense', as: 'number' }] }, scope)).toEqual(value(277.16));
  });

  it('takes the first alternative that is present, and reports every one that was not', () => {
    expect(evaluate({ first: [{ column: 'empty' }, { column: 'code' }] }, scope)).toEqual(value('P'));
    expect(evaluate({ first: [{ column: 'empty' }, { column: 'none' }] }, scope)).toEqual(missing('column "empty" is empty; column "none" is empty'));
  });

  it('renders templates and converts text to instants in the configured zone', () => {
    expect(evaluate({ template: 'N-{column:code}-{code}' }, scope)).toEqual(value('N-P-P'));
    expect(evaluate({ column: 'when', as: 'instant', format: 'dd.MM.yyyy HH:mm' }, scope)).toEqual(value('2026-03-18T07:30:00.000Z'));
  });
});

describe('testCondition', () => {
  const scope = scopeOf({ dismissal: 'NIL', other: '#' });

  it('fails every test on a missing value except present: false', () => {
    expect(testCondition({ value: { column: 'nothing' }, notIn: ['NIL'] }, scope)).toEqual({ kind: 'test', passed: false });
    expect(testCondition({ value: { column: 'nothing' }, present: false }, scope)).toEqual({ kind: 'test', passed: true });
  });

  it('compares values as they are', () => {
    expect(testCondition({ value: { column: 'dismissal' }, notIn: ['NIL'] }, scope)).toEqual({ kind: 'test', passed: false });
    expect(testCondition({ value: { column: 'other' }, notIn: ['NIL'] }, scope)).toEqual({ kind: 'test', passed: true });
    expect(testCondition({ value: { column: 'other' }, equals: '#' }, scope)).toEqual({ kind: 'test', passed: true });
  });
});
