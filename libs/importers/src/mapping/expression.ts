import { z } from 'zod';
import { dateFormatProblem } from '../shared/date-time.js';

/**
 * The small value language of mapping files. An expression names where a value comes
 * from (exactly one "source" key) and may then translate it (map), fill a gap (default),
 * convert it (as) or allow it to be absent (optional). It is data, not code, so a
 * mapping can be reviewed, versioned and validated before a single record is read.
 */

export type JsonScalar = string | number | boolean | null;

export const CONVERSIONS = ['string', 'number', 'boolean', 'instant'] as const;
export type Conversion = (typeof CONVERSIONS)[number];

export interface Expr {
  /** A constant. */
  const?: JsonScalar;
  /** XES: an attribute of the current event. */
  attr?: string;
  /** XES: an attribute of the current trace. */
  traceAttr?: string;
  /** XES: an attribute of the first event of that activity in the same trace, wherever it sits. */
  lookup?: { activity: string; attr: string };
  /** XES: a per-trace variable that an earlier event set (see an activity's "set"). */
  var?: string;
  /** CSV: a cell of the current row, by header name. */
  column?: string;
  /** Text with placeholders such as {trace:concept:name} or {column:ticket_no}. */
  template?: string;
  /** The sum of numeric parts. */
  sum?: Expr[];
  /** The first number minus all the others (a fine minus its reduction). */
  sub?: Expr[];
  /** The product of numeric parts (an amount times a rate). */
  mul?: Expr[];
  /** The first part that is not missing. */
  first?: Expr[];
  /** Value map: the value (as text) is replaced by the entry with that key. */
  map?: Record<string, JsonScalar>;
  /** Used when the value is missing, or not a key of `map`. */
  default?: JsonScalar;
  as?: Conversion;
  /** Date format of text converted with as: "instant" ("iso", tokens like "dd.MM.yyyy HH:mm" or "M/d/yyyy h:mma", or "X" / "x" for Unix time). */
  format?: string;
  /** A missing value leaves the field out instead of rejecting the record. */
  optional?: boolean;
  /** Text modifiers, applied in the order trim, upper / lower, (map, as), hash, truncate. */
  trim?: boolean;
  upper?: boolean;
  lower?: boolean;
  /** A keyed hash (HMAC) in hex, for identifiers that must stay pseudonymous. */
  hash?: HashAlgorithm;
  /** The environment variable that holds the hash key; the key itself never sits in a mapping. */
  hashKeyEnv?: string;
  /** Keeps at most this many characters. */
  truncate?: number;
}

export const HASH_ALGORITHMS = ['hmac-sha256'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

export const SOURCE_KEYS = ['const', 'attr', 'traceAttr', 'lookup', 'var', 'column', 'template', 'sum', 'sub', 'mul', 'first'] as const;
export type SourceKey = (typeof SOURCE_KEYS)[number];

/** What a mapping format offers: its leaf sources and its template placeholders. */
export interface ExpressionDialect {
  name: string;
  sources: readonly SourceKey[];
  /** Placeholder scopes such as "trace" in {trace:concept:name}. */
  placeholderScopes: readonly string[];
  /** Placeholder names without a scope, such as {eventIndex}. */
  placeholderNames: readonly string[];
}

const PLACEHOLDER = /\{([^{}]*)\}/gu;

const parsedTemplates = new Map<string, { literals: string[]; placeholders: string[] }>();

/** Splits a template into literal text and placeholders; the parts alternate, text first. */
export function templateParts(template: string): { literals: string[]; placeholders: string[] } {
  // A mapping has a handful of templates evaluated for every record: parse each once.
  const cached = parsedTemplates.get(template);
  if (cached !== undefined) return cached;
  const literals: string[] = [];
  const placeholders: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, match.index));
    placeholders.push(match[1] ?? '');
    last = match.index + match[0].length;
  }
  literals.push(template.slice(last));
  const parts = { literals, placeholders };
  parsedTemplates.set(template, parts);
  return parts;
}

function placeholderProblem(placeholder: string, dialect: ExpressionDialect): string | undefined {
  const colon = placeholder.indexOf(':');
  if (colon < 0) {
    return dialect.placeholderNames.includes(placeholder)
      ? undefined
      : `unknown placeholder {${placeholder}}; use ${[...dialect.placeholderScopes.map((s) => `{${s}:NAME}`), ...dialect.placeholderNames.map((n) => `{${n}}`)].join(', ')}`;
  }
  const scope = placeholder.slice(0, colon);
  if (!dialect.placeholderScopes.includes(scope)) return `unknown placeholder scope "${scope}" in {${placeholder}}`;
  if (placeholder.length === colon + 1) return `placeholder {${placeholder}} names nothing`;
  return undefined;
}

const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Builds the zod schema of expressions for one dialect, with messages that say what is allowed. */
export function expressionSchema(dialect: ExpressionDialect): z.ZodType<Expr> {
  const schema: z.ZodType<Expr> = z.lazy(() =>
    z
      .strictObject({
        const: jsonScalar.optional(),
        attr: z.string().min(1).optional(),
        traceAttr: z.string().min(1).optional(),
        lookup: z.strictObject({ activity: z.string().min(1), attr: z.string().min(1) }).optional(),
        var: z.string().min(1).optional(),
        column: z.string().min(1).optional(),
        template: z.string().optional(),
        sum: z.array(schema).min(1).optional(),
        sub: z.array(schema).min(2, 'subtract needs at least two parts: the first minus the rest').optional(),
        mul: z.array(schema).min(1).optional(),
        first: z.array(schema).min(1).optional(),
        map: z.record(z.string(), jsonScalar).optional(),
        default: jsonScalar.optional(),
        as: z.enum(CONVERSIONS).optional(),
        format: z.string().min(1).optional(),
        optional: z.boolean().optional(),
        trim: z.boolean().optional(),
        upper: z.boolean().optional(),
        lower: z.boolean().optional(),
        hash: z.enum(HASH_ALGORITHMS).optional(),
        hashKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/u, 'an environment variable name is letters, digits and "_"').optional(),
        truncate: z.number().int().min(1).optional(),
      })
      .superRefine((expr, ctx) => {
        const present = SOURCE_KEYS.filter((key) => Object.hasOwn(expr, key));
        if (present.length !== 1) {
          ctx.addIssue({
            code: 'custom',
            message: `an expression needs exactly one of ${dialect.sources.join(', ')} (found ${present.length === 0 ? 'none' : present.join(', ')})`,
          });
        }
        for (const key of present) {
          if (!dialect.sources.includes(key)) {
            ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is not available in ${dialect.name} mappings; use one of ${dialect.sources.join(', ')}` });
          }
        }
        if (expr.template !== undefined) {
          for (const placeholder of templateParts(expr.template).placeholders) {
            const problem = placeholderProblem(placeholder, dialect);
            if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['template'], message: problem });
          }
        }
        if (expr.format !== undefined && expr.as !== 'instant') {
          ctx.addIssue({ code: 'custom', path: ['format'], message: 'a date format only applies with "as": "instant"' });
        }
        if (expr.upper === true && expr.lower === true) ctx.addIssue({ code: 'custom', path: ['lower'], message: 'choose "upper" or "lower", not both' });
        if (expr.truncate !== undefined && expr.hash === undefined && expr.as !== undefined && expr.as !== 'string') {
          ctx.addIssue({ code: 'custom', path: ['truncate'], message: `"truncate" shortens text; it does not apply with "as": "${expr.as}"` });
        }
        if (expr.hash !== undefined && expr.hashKeyEnv === undefined) {
          ctx.addIssue({ code: 'custom', path: ['hashKeyEnv'], message: 'a keyed hash needs "hashKeyEnv": the environment variable that holds its key' });
        }
        if (expr.hashKeyEnv !== undefined && expr.hash === undefined) ctx.addIssue({ code: 'custom', path: ['hashKeyEnv'], message: '"hashKeyEnv" only applies with "hash"' });
        const formatProblem = expr.format === undefined ? undefined : dateFormatProblem(expr.format);
        if (formatProblem !== undefined) ctx.addIssue({ code: 'custom', path: ['format'], message: `date format "${expr.format}": ${formatProblem}` });
      }),
  );
  return schema;
}

/** A test on one value; a missing value fails every test except "present": false. */
export interface ValueCondition {
  value: Expr;
  equals?: JsonScalar;
  notEquals?: JsonScalar;
  in?: JsonScalar[];
  notIn?: JsonScalar[];
  present?: boolean;
  /** Numeric comparisons; the value must be a number or text that reads as one. */
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

/** A value test, or every / any of further conditions (nested as deep as needed). */
export type Condition = ValueCondition | { all: Condition[] } | { any: Condition[] };

export const CONDITION_TESTS = ['equals', 'notEquals', 'in', 'notIn', 'present', 'gt', 'gte', 'lt', 'lte'] as const;
const COMBINATIONS = ['all', 'any'] as const;

export function conditionSchema(expr: z.ZodType<Expr>): z.ZodType<Condition> {
  const schema: z.ZodType<Condition> = z.lazy(() =>
    z
      .strictObject({
        value: expr.optional(),
        equals: jsonScalar.optional(),
        notEquals: jsonScalar.optional(),
        in: z.array(jsonScalar).min(1).optional(),
        notIn: z.array(jsonScalar).min(1).optional(),
        present: z.boolean().optional(),
        gt: z.number().optional(),
        gte: z.number().optional(),
        lt: z.number().optional(),
        lte: z.number().optional(),
        all: z.array(schema).min(1).optional(),
        any: z.array(schema).min(1).optional(),
      })
      .superRefine((condition, ctx) => {
        const combinations = COMBINATIONS.filter((key) => Object.hasOwn(condition, key));
        const tests = CONDITION_TESTS.filter((key) => Object.hasOwn(condition, key));
        if (combinations.length > 0) {
          if (combinations.length > 1 || tests.length > 0 || condition.value !== undefined) {
            ctx.addIssue({ code: 'custom', message: `"${combinations[0] ?? ''}" stands alone: nest "value" tests and other combinations inside it` });
          }
          return;
        }
        if (condition.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'a condition needs a "value" to test, or "all" / "any" of conditions' });
        if (tests.length !== 1) {
          ctx.addIssue({ code: 'custom', message: `a condition needs exactly one of ${CONDITION_TESTS.join(', ')} (found ${tests.length === 0 ? 'none' : tests.join(', ')})` });
        }
      }),
  ) as unknown as z.ZodType<Condition>;
  // The strict object above admits exactly the three shapes of Condition; zod cannot infer the union from it.
  return schema;
}

/** Every expression a condition tests, with its path, for checks such as "is this column in the header". */
export function* conditionExpressions(condition: Condition, path: (string | number)[]): Generator<{ expr: Expr; path: (string | number)[] }> {
  if ('all' in condition) for (const [i, part] of condition.all.entries()) yield* conditionExpressions(part, [...path, 'all', i]);
  else if ('any' in condition) for (const [i, part] of condition.any.entries()) yield* conditionExpressions(part, [...path, 'any', i]);
  else yield { expr: condition.value, path: [...path, 'value'] };
}

/** Every leaf of an expression tree, for cross-checks such as "is this variable ever set". */
export function* expressionLeaves(expr: Expr): Generator<Expr> {
  const parts = expr.sum ?? expr.sub ?? expr.mul ?? expr.first;
  if (parts !== undefined) for (const part of parts) yield* expressionLeaves(part);
  else yield expr;
}
