import { z } from 'zod';
import { EARLIEST_INSTANT, FUTURE_TOLERANCE_MS, instant, isStorableText, parseInstant } from '../primitives.js';

/**
 * The fields of a wire schema as rows a person can read, taken from the zod schema itself
 * (through its JSON Schema, which carries lengths, ranges, patterns and enums), so that a
 * limit changed in the contract changes the reference with it.
 */

export interface FieldRow {
  /** Dotted path inside the object described, e.g. "fine.amount". */
  name: string;
  /** "yes", "no", or "yes, when fine is given" for a required field of an optional object. */
  required: string;
  type: string;
  limits: string;
}

/** The JSON Schema subset zod writes for the wire's objects, with the marks added below. */
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: readonly (string | number)[];
  anyOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  format?: string;
  [MARK_TEXT]?: true;
  [MARK_RULE]?: string;
}

// Marks the override writes into the generated JSON Schema: what the schema alone cannot say.
const MARK_TEXT = 'x-storable-text';
const MARK_RULE = 'x-rule';
/** The `format` the reference gives the wire's instants (a string to zod, a date-time to a reader). */
export const INSTANT_FORMAT = 'instant';

/** The first message the schema gives for a value that breaks its pattern: the rule in words. */
function patternRule(schema: z.core.$ZodType): string | undefined {
  const parsed = z.safeParse(schema, '');
  return parsed.success ? undefined : parsed.error.issues.find((issue) => issue.code === 'invalid_format')?.message;
}

function hasStorableTextCheck(schema: z.core.$ZodType): boolean {
  const checks = (schema._zod.def as { checks?: readonly z.core.$ZodCheck[] }).checks ?? [];
  return checks.some((check) => (check._zod.def as { fn?: unknown }).fn === isStorableText);
}

/** The JSON Schema of what a source sends (input side), marked with instants, text rules and pattern rules. */
export function describeSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    reused: 'inline',
    override: (ctx) => {
      const json = ctx.jsonSchema as JsonSchema;
      if (ctx.zodSchema === instant) json.format = INSTANT_FORMAT;
      if (hasStorableTextCheck(ctx.zodSchema)) json[MARK_TEXT] = true;
      if (json.pattern !== undefined) {
        const rule = patternRule(ctx.zodSchema);
        if (rule !== undefined) json[MARK_RULE] = rule;
      }
    },
  }) as JsonSchema;
}

/** A limit as written in the reference: plain digits, no exponent, no separators (as a mapping writes it). */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/u, '');
}

const code = (value: string | number): string => `\`${String(value).replaceAll('|', '\\|')}\``;

export function listOf(values: readonly (string | number)[]): string {
  return values.map(code).join(', ');
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function instantLimits(): string {
  const refused = parseInstant('');
  const rule = refused.ok ? 'an ISO-8601 date-time with an offset' : refused.message.replace(/^must be /u, '');
  const aheadHours = FUTURE_TOLERANCE_MS / 3_600_000;
  return `${rule}; from ${day(EARLIEST_INSTANT)} to ${aheadHours} hours after the moment it is received`;
}

function rangeLimits(s: JsonSchema): string[] {
  const parts: string[] = [];
  if (s.minimum !== undefined) parts.push(`at least ${formatNumber(s.minimum)}`);
  if (s.exclusiveMinimum !== undefined) parts.push(`more than ${formatNumber(s.exclusiveMinimum)}`);
  if (s.maximum !== undefined) parts.push(`at most ${formatNumber(s.maximum)}`);
  if (s.exclusiveMaximum !== undefined) parts.push(`less than ${formatNumber(s.exclusiveMaximum)}`);
  return parts;
}

function lengthLimits(s: JsonSchema): string[] {
  if (s.minLength !== undefined && s.maxLength !== undefined) return [`${s.minLength} to ${s.maxLength} characters`];
  if (s.maxLength !== undefined) return [`at most ${s.maxLength} characters`];
  if (s.minLength !== undefined) return [`at least ${s.minLength} characters`];
  return [];
}

/** Type and limits of one value that is not an object. */
function describeValue(s: JsonSchema): { type: string; limits: string } {
  if (s.anyOf !== undefined) {
    const alternatives = s.anyOf.map(describeValue);
    return {
      type: alternatives.map((a) => a.type).join(' or '),
      limits: alternatives
        .filter((a) => a.limits !== '')
        .map((a) => `${a.type}: ${a.limits}`)
        .join('; '),
    };
  }
  if (s.enum !== undefined) return { type: 'one of a list', limits: `one of ${listOf(s.enum)}` };
  if (s.format === INSTANT_FORMAT) return { type: 'date-time', limits: instantLimits() };
  if (s.type === 'string') {
    const parts = lengthLimits(s);
    if (s.pattern !== undefined) parts.push(`${s[MARK_RULE] ?? 'must match'} (pattern ${code(s.pattern)})`);
    return { type: 'text', limits: parts.join('; ') };
  }
  if (s.type === 'number' || s.type === 'integer') return { type: s.type === 'integer' ? 'whole number' : 'number', limits: rangeLimits(s).join(', ') };
  if (s.type === 'boolean') return { type: 'true or false', limits: '' };
  if (s.type === 'null') return { type: 'null', limits: '' };
  if (s.type === 'object') return { type: 'object', limits: 'any fields' };
  return { type: 'any value', limits: '' };
}

/**
 * One row per field, nested objects flattened to dotted names after the row of the object
 * itself, so a mapping's `"fine": {"amount": ...}` reads as `fine` and `fine.amount`.
 */
export function fieldRows(schema: JsonSchema, prefix = '', parentOptional?: string): FieldRow[] {
  const rows: FieldRow[] = [];
  const required = new Set(schema.required ?? []);
  for (const [key, field] of Object.entries(schema.properties ?? {})) {
    const name = `${prefix}${key}`;
    const isRequired = required.has(key);
    const requiredText = !isRequired ? 'no' : parentOptional === undefined ? 'yes' : `yes, when ${code(parentOptional)} is given`;
    if (field.type === 'object' && field.properties !== undefined) {
      const keys = Object.keys(field.properties);
      rows.push({ name, required: requiredText, type: 'object', limits: `holds ${listOf(keys.map((k) => `${name}.${k}`))}; no other fields` });
      rows.push(...fieldRows(field, `${name}.`, isRequired && parentOptional === undefined ? undefined : name));
      continue;
    }
    rows.push({ name, required: requiredText, ...describeValue(field) });
  }
  return rows;
}

/** Whether any field of the schema is text held to the storable-text rule. */
export function hasStorableText(schema: JsonSchema): boolean {
  if (schema[MARK_TEXT] === true) return true;
  return [...Object.values(schema.properties ?? {}), ...(schema.anyOf ?? [])].some(hasStorableText);
}

/** The required fields of an object schema, in their order. */
export function requiredFields(schema: JsonSchema): string[] {
  return Object.keys(schema.properties ?? {}).filter((key) => (schema.required ?? []).includes(key));
}

export type { JsonSchema };
