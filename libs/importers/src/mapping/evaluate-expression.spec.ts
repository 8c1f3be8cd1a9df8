import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluate, missing, prepareExpressions, testCondition, value, type Evaluation, type ValueScope } from './evaluate-expression.js';
import type { Condition, Expr, ValueCondition } from './expression.js';
import { bindHashKeys } from './hash-keys.js';

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

  it('subtracts the rest from the first part and multiplies, with the same rounding as sum', () => {
    const fines = scopeOf({ fine: '262.0', reduction: '78.6', rate: '0.7', note: 'n/a' });
    const n = (column: string): Expr => ({ column, as: 'number' });
    expect(evaluate({ sub: [n('fine'), n('reduction')] }, fines)).toEqual(value(183.4));
    expect(evaluate({ sub: [n('fine'), n('reduction'), { const: 3.4 }] }, fines)).toEqual(value(180));
    expect(evaluate({ mul: [n('fine'), n('rate')] }, fines)).toEqual(value(183.4));
    expect(evaluate({ sub: [n('fine'), { column: 'note' }] }, fines)).toEqual({ kind: 'error', message: 'column "note": cannot subtract "n/a": not a number' });
    expect(evaluate({ mul: [n('fine'), n('absent')] }, fines)).toEqual(missing('column "absent" is empty'));
  });

  it('takes the first alternative that is present, and reports every one that was not', () => {
    expect(evaluate({ first: [{ column: 'empty' }, { column: 'code' }] }, scope)).toEqual(value('P'));
    expect(evaluate({ first: [{ column: 'empty' }, { column: 'none' }] }, scope)).toEqual(missing('column "empty" is empty; column "none" is empty'));
  });

  it('renders templates and converts text to instants in the configured zone', () => {
    expect(evaluate({ template: 'N-{column:code}-{code}' }, scope)).toEqual(value('N-P-P'));
    expect(evaluate({ column: 'when', as: 'instant', format: 'dd.MM.yyyy HH:mm' }, scope)).toEqual(value('2026-03-18T07:30:00.000Z'));
  });

  it('reads Unix time given as text or as a number, without needing the zone', () => {
    const noZone = scopeOf({ seconds: '1773468000' });
    expect(evaluate({ column: 'seconds', as: 'instant', format: 'X' }, noZone)).toEqual(value('2026-03-14T06:00:00.000Z'));
    expect(evaluate({ const: 1773468000123, as: 'instant', format: 'x' }, noZone)).toEqual(value('2026-03-14T06:00:00.123Z'));
    expect(evaluate({ const: 1773468000, as: 'instant' }, noZone)).toEqual({ kind: 'error', message: '1773468000 is not a date-time' });
  });

  it('reads a 12-hour clock and names the column of a time it cannot read', () => {
    const nyc = scopeOf({ issued: '03/14/2026', time: '12:05A', bad: '03/14/2026 13:05P' }, 'America/New_York');
    expect(evaluate({ template: '{column:issued} {column:time}', as: 'instant', format: 'MM/dd/yyyy hh:mma' }, nyc)).toEqual(value('2026-03-14T04:05:00.000Z'));
    expect(evaluate({ column: 'bad', as: 'instant', format: 'MM/dd/yyyy hh:mma' }, nyc)).toEqual({
      kind: 'error',
      message: 'column "bad": "03/14/2026 13:05P" has hour 13, which a 12-hour clock does not show',
    });
  });
});

describe('testCondition', () => {
  const scope = scopeOf({ dismissal: 'NIL', other: '#' });

  it('fails every test on a missing value except present: false', () => {
    expect(testCondition({ value: { column: 'nothing' }, notIn: ['NIL'] }, scope)).toEqual({ kind: 'test', passed: false });
    expect(testCondition({ value: { column: 'nothing' }, present: false }, scope)).toEqual({ kind: 'test', passed: true });
  });

  it('compares numbers, and text that reads as a number, with gt, gte, lt and lte', () => {
    const amounts = scopeOf({ amount: '21625', paid: '21625.0', word: 'many' });
    const test = (condition: Omit<ValueCondition, 'value'>, column = 'amount'): unknown => testCondition({ value: { column }, ...condition }, amounts);
    expect([test({ gt: 21625 }), test({ gte: 21625 }), test({ lt: 21626 }), test({ lte: 21624.99 })]).toEqual([
      { kind: 'test', passed: false },
      { kind: 'test', passed: true },
      { kind: 'test', passed: true },
      { kind: 'test', passed: false },
    ]);
    expect(testCondition({ value: { column: 'paid', as: 'number' }, gte: 21625 }, amounts)).toEqual({ kind: 'test', passed: true });
    expect(test({ gt: 0 }, 'word')).toEqual({ kind: 'error', message: 'column "word": "many" is not a number to compare' });
    expect(test({ gt: 0 }, 'none')).toEqual({ kind: 'test', passed: false });
  });

  it('combines conditions with all and any, nested', () => {
    const row = scopeOf({ status: 'PAID', amount: '500', notice: 'N-1' });
    const paid: Condition = { value: { column: 'status' }, equals: 'PAID' };
    const large: Condition = { value: { column: 'amount' }, gt: 1000 };
    const noticed: Condition = { value: { column: 'notice' }, present: true };
    expect(testCondition({ all: [paid, large] }, row)).toEqual({ kind: 'test', passed: false });
    expect(testCondition({ any: [large, paid] }, row)).toEqual({ kind: 'test', passed: true });
    expect(testCondition({ all: [noticed, { any: [large, paid] }] }, row)).toEqual({ kind: 'test', passed: true });
    expect(testCondition({ any: [large, { all: [paid, { value: { column: 'notice' }, present: false }] }] }, row)).toEqual({ kind: 'test', passed: false });
    // An error is reported, not read as a failed test.
    expect(testCondition({ all: [paid, { value: { column: 'status' }, lt: 3 }] }, row)).toEqual({ kind: 'error', message: 'column "status": "PAID" is not a number to compare' });
  });

  it('compares values as they are', () => {
    expect(testCondition({ value: { column: 'dismissal' }, notIn: ['NIL'] }, scope)).toEqual({ kind: 'test', passed: false });
    expect(testCondition({ value: { column: 'other' }, notIn: ['NIL'] }, scope)).toEqual({ kind: 'test', passed: true });
    expect(testCondition({ value: { column: 'other' }, equals: '#' }, scope)).toEqual({ kind: 'test', passed: true });
  });
});

describe('text modifiers', () => {
  const KEY = 'k'.repeat(40);
  const ENV = { QADAGA_PSEUDONYM_KEY: KEY };
  const scope = scopeOf({ plate: ' 318bcd02 ', code: ' p ', blank: ' ', reason: 'Plate unreadable on both frames' });
  /** An expression with its hash key bound, as the mapping loader leaves it. */
  const keyed = (expr: Expr): Expr => {
    expect(bindHashKeys(expr, ENV)).toEqual([]);
    return expr;
  };

  it('trims and changes case before the value map, so "p " finds the entry of "P"', () => {
    expect(evaluate({ column: 'plate', trim: true, upper: true }, scope)).toEqual(value('318BCD02'));
    expect(evaluate({ column: 'code', trim: true, upper: true, map: { P: 'post' } }, scope)).toEqual(value('post'));
    expect(evaluate({ column: 'reason', lower: true }, scope)).toEqual(value('plate unreadable on both frames'));
  });

  it('counts text that is empty after trim as missing', () => {
    expect(evaluate({ column: 'blank', trim: true }, scope)).toEqual(missing('column "blank": is empty'));
    expect(evaluate({ column: 'blank', trim: true, default: 'none' }, scope)).toEqual(value('none'));
  });

  it('truncates last, without splitting a character made of two UTF-16 units', () => {
    expect(evaluate({ column: 'reason', truncate: 5 }, scope)).toEqual(value('Plate'));
    expect(evaluate({ const: 'ab\u{1F697}c', truncate: 3 }, scope)).toEqual(value('ab'));
    expect(evaluate({ const: 'ab\u{1F697}c', truncate: 4 }, scope)).toEqual(value('ab\u{1F697}'));
  });

  it('hashes with the bound key after normalising, and truncates the hex', () => {
    const expected = createHmac('sha256', KEY).update('318BCD02').digest('hex');
    const plate = { column: 'plate', trim: true, upper: true, hash: 'hmac-sha256', hashKeyEnv: 'QADAGA_PSEUDONYM_KEY' } as const;
    expect(evaluate(keyed({ ...plate }), scope)).toEqual(value(expected));
    expect(evaluate(keyed({ ...plate, truncate: 16 }), scope)).toEqual(value(expected.slice(0, 16)));
    // The same plate written differently in another source gets the same pseudonym.
    expect(evaluate(keyed({ const: '318bcd02', upper: true, hash: 'hmac-sha256', hashKeyEnv: 'QADAGA_PSEUDONYM_KEY' }), scope)).toEqual(value(expected));
    // A copy of the expression (as a template's occurredAt is copied) keeps its key.
    expect(evaluate({ ...keyed({ ...plate }) }, scope)).toEqual(value(expected));
  });

  it('refuses to hash an expression whose key was never loaded instead of hashing without a key', () => {
    expect(evaluate({ column: 'plate', hash: 'hmac-sha256', hashKeyEnv: 'QADAGA_PSEUDONYM_KEY' }, scope)).toEqual({
      kind: 'error',
      message: 'column "plate": no hash key is loaded from environment variable "QADAGA_PSEUDONYM_KEY"; load the mapping with the environment that holds it',
    });
  });
});

describe('prepareExpressions', () => {
  it('gives every expression of a mapping the same result as an expression evaluated without preparation', () => {
    const scope = scopeOf({ code: ' p ', amount: '262', expense: '15.16', empty: '' });
    const expressions: Expr[] = [
      { const: null },
      { const: 'x', map: { x: 'y' } },
      { template: 'N-{column:amount}' },
      { sum: [{ column: 'amount', as: 'number' }, { column: 'expense', as: 'number' }] },
      { sub: [{ column: 'amount', as: 'number' }, { column: 'expense', as: 'number' }] },
      { first: [{ column: 'empty' }, { column: 'code', trim: true, upper: true, map: { P: 'post' } }] },
      { column: 'empty', default: 'none' },
      { column: 'code', trim: true, truncate: 1 },
      { column: 'amount', as: 'number' },
    ];
    const fresh = expressions.map((expr) => evaluate(structuredClone(expr), scope));
    const mapping = { events: { detected: { payload: expressions } } };
    prepareExpressions(mapping);
    expect(expressions.map((expr) => evaluate(expr, scope))).toEqual(fresh);
    expect(fresh.map((result) => (result.kind === 'value' ? result.value : result.kind))).toEqual([null, 'y', 'N-262', 277.16, 246.84, 'post', 'none', 'p', 262]);
  });
});
