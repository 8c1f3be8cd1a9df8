import { EVENT_TYPES, type EventType } from '@qadaga/domain';
import { z } from 'zod';
import type { EventTemplate } from '../mapping/event-template.js';
import { eventTemplateSchema, templateExpressions } from '../mapping/event-template.js';
import type { Condition, ExpressionDialect, Expr } from '../mapping/expression.js';
import { conditionExpressions, conditionSchema, expressionLeaves, expressionSchema, templateParts } from '../mapping/expression.js';
import { isValidZone } from '../shared/date-time.js';

/**
 * The JSON format a user writes to import a CSV export. Two modes:
 * - "event-per-row": each row is one step; a value map turns the row's code into an event type.
 * - "current-state": each row is a ticket's current state only; the state implies the
 *   events that must have happened to reach it (paid implies detected, confirmed, paid).
 */

export const CSV_MAPPING_FORMAT = 'qadaga/csv-mapping@1';

export const CSV_DIALECT: ExpressionDialect = {
  name: 'CSV',
  sources: ['const', 'column', 'template', 'sum', 'sub', 'mul', 'first'],
  placeholderScopes: ['column'],
  placeholderNames: ['row', 'line', 'source'],
};

const csvExpr = expressionSchema(CSV_DIALECT);
const csvCondition = conditionSchema(csvExpr);

/**
 * One event a state implies; with `when`, only if the row supports it (a notice number is
 * filled in); with `occurrence`, the value that tells this occurrence of a step from another
 * of the same type (a payment's reference). Steps that can repeat default to their own time.
 */
export type ImpliedEvent = EventType | { type: EventType; when?: Condition; occurrence?: Expr };

/**
 * Whether one export lists every ticket the source holds ("complete", the default) or only
 * some ("partial", such as the tickets changed since yesterday). A ticket already in the
 * ledger that a complete export no longer lists is reported as gone from the source.
 */
export const SNAPSHOT_KINDS = ['complete', 'partial'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

export interface CsvDialectOptions {
  delimiter: string;
  quote: string;
  encoding: 'utf8' | 'utf16le' | 'latin1';
  /** Trim spaces around cells; a cell that is then empty counts as missing. */
  trim: boolean;
  /** Lines starting with this are comments. */
  comment?: string;
}

interface CsvMappingBase {
  $comment?: string;
  format: typeof CSV_MAPPING_FORMAT;
  description?: string;
  source: string;
  csv: CsvDialectOptions;
  /** Zone of every date-time in the file that has no offset of its own: required, never the machine's. */
  timeZone: string;
  violationRef: Expr;
  eventId: Expr;
  /** The row's status or event code, kept verbatim as payload.sourceActivity. */
  status: Expr;
  events: Partial<Record<EventType, EventTemplate>>;
}

export type CsvMapping =
  | (CsvMappingBase & { mode: 'current-state'; snapshot: SnapshotKind; states: Record<string, ImpliedEvent[]> })
  | (CsvMappingBase & { mode: 'event-per-row'; eventTypes: Record<string, EventType> });

const eventTypeSchema = z.enum(EVENT_TYPES);

const impliedEvent = z.union([eventTypeSchema, z.strictObject({ type: eventTypeSchema, when: csvCondition.optional(), occurrence: csvExpr.optional() })]);

const eventTemplates = z.strictObject(
  Object.fromEntries(EVENT_TYPES.map((type) => [type, eventTemplateSchema(type, csvExpr, { occurredAtRequired: true }).optional()])),
) as unknown as z.ZodType<Partial<Record<EventType, EventTemplate>>>;

const csvOptions = z
  .strictObject({
    delimiter: z.string().min(1).default(','),
    quote: z.string().length(1).default('"'),
    encoding: z.enum(['utf8', 'utf16le', 'latin1']).default('utf8'),
    trim: z.boolean().default(true),
    comment: z.string().min(1).optional(),
  })
  .prefault({});

const base = {
  $comment: z.string().optional(),
  format: z.literal(CSV_MAPPING_FORMAT),
  description: z.string().optional(),
  source: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/u, 'a source code is lower-case letters, digits, "_", "." or "-"'),
  csv: csvOptions,
  timeZone: z.string().refine(isValidZone, 'not a UTC offset ("+05:00") or a time zone name ("Asia/Almaty")'),
  violationRef: csvExpr,
  eventId: csvExpr,
  status: csvExpr,
  events: eventTemplates,
};

type Path = (string | number)[];

export function impliedType(entry: ImpliedEvent): EventType {
  return typeof entry === 'string' ? entry : entry.type;
}

/** Every expression of a CSV mapping with its path, to check the columns it names against a file's header. */
export function* csvMappingExpressions(mapping: CsvMapping): Generator<{ expr: Expr; path: Path }> {
  yield { expr: mapping.violationRef, path: ['violationRef'] };
  yield { expr: mapping.eventId, path: ['eventId'] };
  yield { expr: mapping.status, path: ['status'] };
  if (mapping.mode === 'current-state') {
    for (const [state, implied] of Object.entries(mapping.states)) {
      for (const [i, entry] of implied.entries()) {
        if (typeof entry === 'string') continue;
        if (entry.when !== undefined) yield* conditionExpressions(entry.when, ['states', state, i, 'when']);
        if (entry.occurrence !== undefined) yield { expr: entry.occurrence, path: ['states', state, i, 'occurrence'] };
      }
    }
  }
  for (const type of EVENT_TYPES) {
    const template = mapping.events[type];
    if (template === undefined) continue;
    yield* templateExpressions(type, template, ['events', type]);
  }
}

/** The columns a mapping reads, each with every place that names it, so a typo is shown wherever it was made. */
export function referencedColumns(mapping: CsvMapping): Map<string, Path[]> {
  const columns = new Map<string, Path[]>();
  const note = (column: string, path: Path) => {
    const places = columns.get(column);
    if (places === undefined) columns.set(column, [path]);
    else places.push(path);
  };
  for (const { expr, path } of csvMappingExpressions(mapping)) {
    for (const leaf of expressionLeaves(expr)) {
      if (leaf.column !== undefined) note(leaf.column, [...path, 'column']);
      if (leaf.template !== undefined) {
        for (const placeholder of templateParts(leaf.template).placeholders) {
          if (placeholder.startsWith('column:')) note(placeholder.slice(7), [...path, 'template']);
        }
      }
    }
  }
  return columns;
}

export const csvMappingSchema: z.ZodType<CsvMapping> = z
  .discriminatedUnion('mode', [
    z.strictObject({
      ...base,
      mode: z.literal('current-state'),
      snapshot: z.enum(SNAPSHOT_KINDS).default('complete'),
      states: z.record(z.string(), z.array(impliedEvent).min(1, 'a state implies at least one event')),
    }),
    z.strictObject({
      ...base,
      mode: z.literal('event-per-row'),
      eventTypes: z.record(z.string(), eventTypeSchema),
    }),
  ])
  .superRefine((mapping, ctx) => {
    const needTemplate = (type: EventType, path: Path): void => {
      if (mapping.events[type] === undefined) {
        ctx.addIssue({ code: 'custom', path, message: `"${type}" has no template under events.${type}` });
      }
    };
    if (mapping.mode === 'current-state') {
      for (const [state, implied] of Object.entries(mapping.states)) {
        const seen = new Set<EventType>();
        for (const [i, entry] of implied.entries()) {
          const type = impliedType(entry);
          needTemplate(type, ['states', state, i]);
          // Event ids in this mode start "<ticket id>:<type>", so a type may appear once per state.
          if (seen.has(type)) ctx.addIssue({ code: 'custom', path: ['states', state, i], message: `"${type}" is listed twice for state "${state}"` });
          seen.add(type);
        }
      }
    } else {
      for (const [code, type] of Object.entries(mapping.eventTypes)) needTemplate(type, ['eventTypes', code]);
    }
  });
