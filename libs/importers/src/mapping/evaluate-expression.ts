import { createHmac } from 'node:crypto';
import { toUtcInstant } from '@qadaga/domain';
import { isEpochFormat, parseFormattedDateTime, parseIsoDateTime } from '../shared/date-time.js';
import type { EventTemplate } from './event-template.js';
import type { Condition, Conversion, Expr, JsonScalar, ValueCondition } from './expression.js';
import { SOURCE_KEYS, templateParts } from './expression.js';
import { boundHashKey } from './hash-keys.js';

export type Scalar = JsonScalar;

/**
 * The result of evaluating an expression. "missing" is not an error by itself: the field
 * decides (an optional field is left out, a required one rejects the record, with the
 * reason kept so the message says which attribute or column was empty).
 */
export type Evaluation =
  | { kind: 'value'; value: Scalar }
  | { kind: 'missing'; reason: string }
  | { kind: 'error'; message: string };

/** Where leaves and placeholders get their values: one XES event in its trace, or one CSV row. */
export interface ValueScope {
  leaf(expr: Expr): Evaluation;
  placeholder(name: string): Evaluation;
  /** Zone for date text without an offset; undefined means such text is refused. */
  timeZone: string | undefined;
}

export const value = (v: Scalar): Evaluation => ({ kind: 'value', value: v });
export const missing = (reason: string): Evaluation => ({ kind: 'missing', reason });
export const failure = (message: string): Evaluation => ({ kind: 'error', message });

function keyOf(v: Scalar): string {
  return v === null ? 'null' : String(v);
}

/** The exact form toUtcInstant produces. */
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/u;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/u;
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);

function convert(v: Scalar, to: Conversion, format: string | undefined, timeZone: string | undefined): Evaluation {
  if (v === null) return value(null);
  switch (to) {
    case 'string':
      return value(String(v));
    case 'number': {
      if (typeof v === 'number') return value(v);
      const text = String(v).trim();
      return DECIMAL.test(text) ? value(Number(text)) : failure(`"${text}" is not a number`);
    }
    case 'boolean': {
      if (typeof v === 'boolean') return value(v);
      const word = String(v).trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return value(true);
      if (FALSE_WORDS.has(word)) return value(false);
      return failure(`"${String(v)}" is not a yes/no value`);
    }
    case 'instant': {
      const effectiveFormat = format ?? 'iso';
      // Unix time is often a number already (an XES int attribute, a JSON constant).
      if (typeof v === 'number' && isEpochFormat(effectiveFormat)) return convert(String(v), to, format, timeZone);
      if (typeof v !== 'string') return failure(`${String(v)} is not a date-time`);
      // XES dates arrive already normalised; re-parsing 700,000 of them is wasted work.
      if (effectiveFormat === 'iso' && UTC_INSTANT.test(v)) return value(v);
      // ISO text may carry its own offset and Unix time has none to need; any other format is wall-clock time in the mapping's zone.
      const parsed =
        effectiveFormat === 'iso'
          ? parseIsoDateTime(v, timeZone)
          : isEpochFormat(effectiveFormat)
            ? parseFormattedDateTime(v, effectiveFormat, 'Z')
            : timeZone === undefined
            ? { ok: false as const, reason: `cannot read "${v}" as "${effectiveFormat}" without a timeZone in the mapping` }
            : parseFormattedDateTime(v, effectiveFormat, timeZone);
      return parsed.ok ? value(toUtcInstant(parsed.instant)) : failure(parsed.reason);
    }
  }
}

function renderTemplate(template: string, scope: ValueScope): Evaluation {
  const { literals, placeholders } = templateParts(template);
  let out = literals[0] ?? '';
  for (const [i, name] of placeholders.entries()) {
    const part = scope.placeholder(name);
    if (part.kind !== 'value') return part;
    out += keyOf(part.value) + (literals[i + 1] ?? '');
  }
  return value(out);
}

type Arithmetic = 'sum' | 'sub' | 'mul';

const VERB: Record<Arithmetic, string> = { sum: 'add', sub: 'subtract', mul: 'multiply' };

/** sum adds every part, sub takes the first minus the rest, mul multiplies them. */
function arithmetic(op: Arithmetic, parts: readonly Expr[], scope: ValueScope): Evaluation {
  let total = op === 'mul' ? 1 : 0;
  for (const [i, part] of parts.entries()) {
    const result = evaluate(part, scope);
    if (result.kind !== 'value') return result;
    if (typeof result.value !== 'number') return failure(`${sourceLabel(part)}cannot ${VERB[op]} "${keyOf(result.value)}": not a number`);
    if (op === 'mul') total *= result.value;
    else if (op === 'sub' && i > 0) total -= result.value;
    else total += result.value;
  }
  // Money in binary floating point: 262 + 15.16 must read 277.16, not 277.16000000000003.
  return value(Math.round(total * 1e6) / 1e6);
}

/** Which source an expression reads and which modifiers it applies, worked out once per expression. */
interface Plan {
  source: 'const' | 'template' | 'sum' | 'sub' | 'mul' | 'first' | 'leaf';
  text: boolean;
  /** Anything to do with a value once it is found: text modifiers, map, as, hash or truncate. */
  modifies: boolean;
  hasDefault: boolean;
}

/**
 * Expressions are objects of many shapes, so each "is this key set" is a slow,
 * megamorphic property lookup, and a few hundred thousand records each evaluate a dozen
 * expressions. The mapping loader plans every expression of a mapping once
 * (prepareExpressions); an expression made on the fly (a copy with "as" added) is
 * planned each time it is evaluated, which costs what the lookups always cost. It is
 * not remembered: a cache entry per record would cost more than it saves.
 */
const plans = new WeakMap<Expr, Plan>();

/** Reads the keys an expression has rather than asking for each it might have: an expression holds two or three. */
function planFor(expr: Expr): Plan {
  let source: Plan['source'] = 'leaf';
  let text = false;
  let modifies = false;
  let hasDefault = false;
  for (const key in expr) {
    switch (key) {
      case 'const':
      case 'template':
      case 'sum':
      case 'sub':
      case 'mul':
      case 'first':
        source = key;
        break;
      case 'trim':
      case 'upper':
      case 'lower':
        if (expr[key] === true) text = modifies = true;
        break;
      case 'map':
      case 'as':
      case 'hash':
      case 'truncate':
        if (expr[key] !== undefined) modifies = true;
        break;
      case 'default':
        hasDefault = expr.default !== undefined;
        break;
    }
  }
  return { source, text, modifies, hasDefault };
}

/** Plans every expression in a validated mapping (any object with a source key), so evaluating it needs one lookup. */
export function prepareExpressions(mapping: unknown): void {
  if (Array.isArray(mapping)) {
    for (const item of mapping) prepareExpressions(item);
    return;
  }
  if (typeof mapping !== 'object' || mapping === null) return;
  const node = mapping as Record<string, unknown>;
  if (SOURCE_KEYS.some((key) => Object.hasOwn(node, key))) plans.set(node as Expr, planFor(node as Expr));
  for (const child of Object.values(node)) prepareExpressions(child);
}

function evaluateSource(expr: Expr, plan: Plan, scope: ValueScope): Evaluation {
  switch (plan.source) {
    case 'const':
      return value(expr.const ?? null);
    case 'template':
      return renderTemplate(expr.template ?? '', scope);
    case 'sum':
    case 'sub':
    case 'mul':
      return arithmetic(plan.source, expr[plan.source] ?? [], scope);
    case 'first': {
      const reasons: string[] = [];
      for (const part of expr.first ?? []) {
        const result = evaluate(part, scope);
        if (result.kind !== 'missing') return result;
        reasons.push(result.reason);
      }
      return missing(reasons.join('; '));
    }
    case 'leaf':
      return scope.leaf(expr);
  }
}

/** Names the cell or attribute a value came from, so a conversion error says where to look. */
export function sourceLabel(expr: Expr): string {
  if (expr.column !== undefined) return `column "${expr.column}": `;
  if (expr.attr !== undefined) return `attribute "${expr.attr}": `;
  if (expr.traceAttr !== undefined) return `trace attribute "${expr.traceAttr}": `;
  if (expr.lookup !== undefined) return `attribute "${expr.lookup.attr}" of "${expr.lookup.activity}": `;
  if (expr.var !== undefined) return `variable "${expr.var}": `;
  return '';
}

/** trim, then upper or lower: applied before map so "p " and "P" find the same entry. */
function normaliseText(text: string, expr: Expr): string {
  let out = expr.trim === true ? text.trim() : text;
  if (expr.upper === true) out = out.toUpperCase();
  else if (expr.lower === true) out = out.toLowerCase();
  return out;
}

/** Keyed SHA-256 in hex; without its key an expression is an error, never a hash without a key. */
function keyedHash(v: Scalar, expr: Expr): Evaluation {
  if (v === null) return value(null);
  const key = boundHashKey(expr);
  if (key === undefined) return failure(`no hash key is loaded from environment variable "${expr.hashKeyEnv ?? ''}"; load the mapping with the environment that holds it`);
  return value(createHmac('sha256', key).update(String(v), 'utf8').digest('hex'));
}

/** At most `max` UTF-16 units, as the domain counts lengths, without splitting a surrogate pair. */
function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** How much of a refused value a message quotes: enough to find the record, not a whole text. */
const QUOTED_CHARS = 40;

/** A value as a message quotes it: text in quotes, cut to 40 characters with its full length. */
export function quoteValue(v: unknown): string {
  if (typeof v !== 'string') return String(v);
  return v.length > QUOTED_CHARS ? `"${v.slice(0, QUOTED_CHARS)}...(${v.length} chars)"` : `"${v}"`;
}

const TOO_LONG = /^must be at most (\d+) characters$/u;

function at(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/** The expression of a template that fills the field at an event path such as "payload.fine.amount". */
function templateExpr(template: EventTemplate, path: readonly string[], defaultOccurredAt: Expr | undefined): Expr | undefined {
  const [head, ...rest] = path;
  if (head === 'occurredAt') return template.occurredAt ?? defaultOccurredAt;
  if (head === 'recordedAt') return template.recordedAt;
  if (head === 'actor' || head === 'payload') {
    const found = at(head === 'actor' ? template.actor : template.payload, rest);
    return typeof found === 'object' && found !== null ? (found as Expr) : undefined;
  }
  return undefined;
}

/**
 * Restates a field error of the event contract (validateLifecycleEvent) in the terms of
 * the mapping: where the value came from, the value itself (cut to 40 characters) and the
 * limit, so `payload.plate: must be at most 20 characters` becomes
 * `column "plate": "AB12...(64 chars)" is longer than 20 characters`. The limits
 * themselves stay in the contract, listed in the generated event reference.
 */
export function explainFieldError(error: { path: string; message: string }, event: unknown, template: EventTemplate, defaultOccurredAt?: Expr): string {
  const path = error.path.split('.');
  const v = at(event, path);
  if (v === undefined || (typeof v === 'object' && v !== null)) return error.message;
  const expr = templateExpr(template, path, defaultOccurredAt);
  const label = expr === undefined ? '' : sourceLabel(expr);
  const tooLong = TOO_LONG.exec(error.message);
  if (tooLong !== null && typeof v === 'string') return `${label}${quoteValue(v)} is longer than ${tooLong[1] ?? '?'} characters`;
  // The contract's own messages read on from the value ("must not be empty"); zod's defaults do not.
  return `${label}${quoteValue(v)} ${error.message.startsWith('must ') ? '' : 'is refused: '}${error.message}`;
}

/**
 * Evaluates an expression: its source, then the modifiers in this order (the order
 * docs/import-mapping.md gives): trim, upper / lower, map and default, as, hash, truncate.
 * A value that is missing, or empty after trim, takes the default as it stands.
 */
export function evaluate(expr: Expr, scope: ValueScope): Evaluation {
  const plan = plans.get(expr) ?? planFor(expr);
  const base = evaluateSource(expr, plan, scope);
  if (base.kind === 'error') return base;
  if (base.kind === 'missing') return plan.hasDefault ? value(expr.default ?? null) : base;
  if (!plan.modifies) return base;
  let current = base.value;
  if (plan.text && typeof current === 'string') {
    current = normaliseText(current, expr);
    if (current === '') return plan.hasDefault ? value(expr.default ?? null) : missing(`${sourceLabel(expr)}is empty`);
  }
  if (expr.map !== undefined) {
    const key = keyOf(current);
    if (Object.hasOwn(expr.map, key)) current = expr.map[key] ?? null;
    else if (expr.default !== undefined) return value(expr.default);
    else return failure(`${sourceLabel(expr)}"${key}" is not in the value map (${Object.keys(expr.map).join(', ')})`);
  }
  if (expr.as !== undefined) {
    const converted = convert(current, expr.as, expr.format, scope.timeZone);
    if (converted.kind === 'error') return failure(`${sourceLabel(expr)}${converted.message}`);
    // Most fields stop here: no further object to build for them.
    if (converted.kind === 'missing' || (expr.hash === undefined && expr.truncate === undefined)) return converted;
    current = converted.value;
  }
  if (expr.hash !== undefined) {
    const hashed = keyedHash(current, expr);
    if (hashed.kind !== 'value') return hashed.kind === 'error' ? failure(`${sourceLabel(expr)}${hashed.message}`) : hashed;
    current = hashed.value;
  }
  if (expr.truncate !== undefined && typeof current === 'string') current = truncateText(current, expr.truncate);
  return value(current);
}

export type ConditionResult = { kind: 'test'; passed: boolean } | { kind: 'error'; message: string };

/** The value as a number for gt/gte/lt/lte: a number, or text that reads as one. */
function comparable(v: Scalar): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const text = v.trim();
  return DECIMAL.test(text) ? Number(text) : undefined;
}

function testValue(condition: ValueCondition, scope: ValueScope): ConditionResult {
  const result = evaluate(condition.value, scope);
  if (result.kind === 'error') return result;
  if (result.kind === 'missing') return { kind: 'test', passed: condition.present === false };
  const v = result.value;
  let passed: boolean;
  if (condition.present !== undefined) passed = condition.present;
  else if (Object.hasOwn(condition, 'equals')) passed = v === condition.equals;
  else if (Object.hasOwn(condition, 'notEquals')) passed = v !== condition.notEquals;
  else if (condition.in !== undefined) passed = condition.in.includes(v);
  else if (condition.notIn !== undefined) passed = !condition.notIn.includes(v);
  else {
    const n = comparable(v);
    if (n === undefined) return { kind: 'error', message: `${sourceLabel(condition.value)}"${keyOf(v)}" is not a number to compare` };
    if (condition.gt !== undefined) passed = n > condition.gt;
    else if (condition.gte !== undefined) passed = n >= condition.gte;
    else if (condition.lt !== undefined) passed = n < condition.lt;
    else passed = condition.lte !== undefined && n <= condition.lte;
  }
  return { kind: 'test', passed };
}

/** "all" stops at the first condition that fails, "any" at the first that holds; an error stops both. */
export function testCondition(condition: Condition, scope: ValueScope): ConditionResult {
  if ('all' in condition || 'any' in condition) {
    const every = 'all' in condition;
    for (const part of every ? condition.all : condition.any) {
      const result = testCondition(part, scope);
      if (result.kind === 'error' || result.passed !== every) return result;
    }
    return { kind: 'test', passed: every };
  }
  return testValue(condition, scope);
}
