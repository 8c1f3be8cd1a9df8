import type { Evaluation, ValueScope } from '../mapping/evaluate-expression.js';
import { failure, missing, value } from '../mapping/evaluate-expression.js';
import type { Expr } from '../mapping/expression.js';

export interface CsvRow {
  /** 1-based data row (the header is not counted). */
  index: number;
  /** 1-based line in the file where the row ends, for messages a user can act on. */
  line: number;
  cells: ReadonlyMap<string, string>;
}

/** The values one CSV row offers: its cells by header name, all as text until an expression converts them. */
export class CsvRowScope implements ValueScope {
  constructor(
    private readonly row: CsvRow,
    readonly timeZone: string,
    private readonly source: string,
  ) {}

  private cell(name: string): Evaluation {
    const cell = this.row.cells.get(name);
    if (cell === undefined) return failure(`the row has no column "${name}"`);
    // An empty cell means "not known"; the field decides whether that is allowed.
    return cell === '' ? missing(`column "${name}" is empty`) : value(cell);
  }

  leaf(expr: Expr): Evaluation {
    if (expr.column !== undefined) return this.cell(expr.column);
    return failure(`expression ${JSON.stringify(expr)} has no CSV source`);
  }

  placeholder(name: string): Evaluation {
    if (name === 'row') return value(this.row.index);
    if (name === 'line') return value(this.row.line);
    if (name === 'source') return value(this.source);
    return this.cell(name.slice('column:'.length));
  }
}
