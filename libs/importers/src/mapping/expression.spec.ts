import { describe, expect, it } from 'vitest';
import type { ExpressionDialect } from './expression.js';
import { conditionExpressions, conditionSchema, expressionLeaves, expressionSchema } from './expression.js';

const DIALECT: ExpressionDialect = { name: 'CSV', sources: ['const', 'column', 'template', 'sum', 'sub', 'mul', 'first'], placeholderScopes: ['column'], placeholderNames: ['row'] };
const expr = expressionSchema(DIALECT);

/** The messages a mapping author would read for one expression. */
function problems(input: unknown): string[] {
  const result = expr.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('expressionSchema: date formats', () => {
  it('accepts the formats of public exports', () => {
    for (const format of ['M/d/yyyy', 'yyyy/MM/dd', 'yyyyMMdd', 'dd-MMM-yyyy', 'MM/dd/yyyy hh:mma', 'M/d/yyyy h:mm a', 'X', 'x']) {
      expect(problems({ column: 'issued', as: 'instant', format })).toEqual([]);
    }
  });

  it('says what a format lacks before any record is read', () => {
    expect(problems({ column: 'issued', as: 'instant', format: 'MM/dd/yyyy hh:mm' })).toEqual([
      'format: date format "MM/dd/yyyy hh:mm": a 12-hour clock (hh or h) needs the AM/PM marker "a"',
    ]);
    expect(problems({ column: 'issued', as: 'instant', format: 'MM/yyyy' })).toHaveLength(1);
  });
});

describe('expressionSchema: arithmetic', () => {
  it('takes sub and mul beside sum, and needs two parts to subtract', () => {
    expect(problems({ sub: [{ column: 'fine', as: 'number' }, { column: 'reduction', as: 'number' }] })).toEqual([]);
    expect(problems({ mul: [{ column: 'fine', as: 'number' }, { const: 0.5 }] })).toEqual([]);
    expect(problems({ sub: [{ column: 'fine' }] })).toEqual(['sub: subtract needs at least two parts: the first minus the rest']);
  });

  it('finds the columns inside sub and mul', () => {
    const leaves = [...expressionLeaves({ sub: [{ column: 'fine' }, { mul: [{ column: 'fine' }, { column: 'rate' }] }] })];
    expect(leaves.map((leaf) => leaf.column)).toEqual(['fine', 'fine', 'rate']);
  });
});

describe('conditionSchema', () => {
  const condition = conditionSchema(expr);
  const conditionProblems = (input: unknown): string[] => {
    const result = condition.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('accepts value tests, numeric comparisons and nested all / any', () => {
    expect(conditionProblems({ value: { column: 'amount', as: 'number' }, gte: 1000 })).toEqual([]);
    expect(conditionProblems({ all: [{ value: { column: 'notice_no' }, present: true }, { any: [{ value: { column: 'amount' }, lt: 5 }, { value: { column: 'status' }, in: ['PAID'] }] }] })).toEqual([]);
  });

  it('says what is wrong with a condition', () => {
    expect(conditionProblems({ value: { column: 'amount' }, gt: 1, lt: 5 })).toEqual([
      ': a condition needs exactly one of equals, notEquals, in, notIn, present, gt, gte, lt, lte (found gt, lt)',
    ]);
    expect(conditionProblems({ value: { column: 'amount' }, gt: '5' })).toHaveLength(1);
    expect(conditionProblems({ all: [{ value: { column: 'a' }, present: true }], value: { column: 'b' } })).toEqual([
      ': "all" stands alone: nest "value" tests and other combinations inside it',
    ]);
    expect(conditionProblems({ any: [] })).toHaveLength(1);
    expect(conditionProblems({ all: [{ value: { column: 'a' } }] })).toEqual([
      'all.0: a condition needs exactly one of equals, notEquals, in, notIn, present, gt, gte, lt, lte (found none)',
    ]);
  });

  it('lists every value a nested condition tests, with its path', () => {
    const paths = [...conditionExpressions({ all: [{ value: { column: 'a' }, present: true }, { any: [{ value: { column: 'b' }, gt: 1 }] }] }, ['when'])];
    expect(paths).toEqual([
      { expr: { column: 'a' }, path: ['when', 'all', 0, 'value'] },
      { expr: { column: 'b' }, path: ['when', 'all', 1, 'any', 0, 'value'] },
    ]);
  });
});

describe('expressionSchema: text modifiers', () => {
  it('accepts trim, case, a keyed hash and truncate together', () => {
    expect(problems({ column: 'plate', trim: true, upper: true, hash: 'hmac-sha256', hashKeyEnv: 'QADAGA_PSEUDONYM_KEY', truncate: 20 })).toEqual([]);
  });

  it('says which modifiers do not go together', () => {
    expect(problems({ column: 'plate', hash: 'hmac-sha256' })).toEqual(['hashKeyEnv: a keyed hash needs "hashKeyEnv": the environment variable that holds its key']);
    expect(problems({ column: 'plate', hashKeyEnv: 'KEY' })).toEqual(['hashKeyEnv: "hashKeyEnv" only applies with "hash"']);
    expect(problems({ column: 'plate', hash: 'sha256', hashKeyEnv: 'KEY' })).toHaveLength(1);
    expect(problems({ column: 'plate', upper: true, lower: true })).toEqual(['lower: choose "upper" or "lower", not both']);
    expect(problems({ column: 'amount', as: 'number', truncate: 3 })).toEqual(['truncate: "truncate" shortens text; it does not apply with "as": "number"']);
    expect(problems({ column: 'plate', truncate: 0 })).toHaveLength(1);
  });
});
