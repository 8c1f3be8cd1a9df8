import { describe, expect, it } from 'vitest';
import type { ExpressionDialect } from './expression.js';
import { expressionSchema } from './expression.js';

const DIALECT: ExpressionDialect = { name: 'CSV', sources: ['const', 'column', 'template', 'sum', 'first'], placeholderScopes: ['column'], placeholderNames: ['row'] };
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
