import type { EventType } from '@qadaga/domain';
import { z } from 'zod';
import { isValidZone } from '../shared/date-time.js';
import type { EventTemplate } from '../mapping/event-template.js';
import { eventTemplateShape, templateExpressions } from '../mapping/event-template.js';
import type { Condition, ExpressionDialect, Expr } from '../mapping/expression.js';
import { conditionExpressions, conditionSchema, expressionLeaves, expressionSchema } from '../mapping/expression.js';

/**
 * The JSON format that says how the activities of an XES log become lifecycle events.
 * Every activity of the log must be listed (an unlisted one rejects its records, it is
 * never dropped), and each lists the events it emits, in order.
 */

export const XES_MAPPING_FORMAT = 'qadaga/xes-mapping@1';

export const XES_DIALECT: ExpressionDialect = {
  name: 'XES',
  sources: ['const', 'attr', 'traceAttr', 'lookup', 'var', 'template', 'sum', 'sub', 'mul', 'first'],
  placeholderScopes: ['trace', 'event'],
  placeholderNames: ['eventIndex', 'eventPosition', 'tracePosition', 'source'],
};

const xesExpr = expressionSchema(XES_DIALECT);
const xesCondition = conditionSchema(xesExpr);

export type XesEmission = EventTemplate & {
  type: EventType;
  /** Emit only when the condition holds (for example a dismissal code that is not NIL). */
  when?: Condition;
  /** Appended to the event id of every emission but the first; defaults to the event type. */
  idSuffix?: string;
};

export interface XesActivityRule {
  $comment?: string;
  emit: XesEmission[];
  /** Per-trace variables updated after this event's lifecycle events are built. */
  set?: Record<string, Expr>;
}

export interface XesMapping {
  $comment?: string;
  format: typeof XES_MAPPING_FORMAT;
  description?: string;
  /** Source system code written on every event; an import may override it. */
  source: string;
  activityAttribute: string;
  timestampAttribute: string;
  /** Zone for XES dates written without an offset; without it such dates are refused. */
  timeZone?: string;
  violationRef: Expr;
  eventId: Expr;
  activities: Record<string, XesActivityRule>;
}

function emissionSchema<T extends EventType>(type: T) {
  return z.strictObject({
    type: z.literal(type),
    when: xesCondition.optional(),
    idSuffix: z.string().regex(/^[A-Za-z0-9_.-]+$/u, 'letters, digits, "_", "." or "-" only').optional(),
    ...eventTemplateShape(type, xesExpr, { occurredAtRequired: false }),
  });
}

// Spelled out per type so zod's discriminated union reports "expected one of ..." for a bad type.
const xesEmission = z.discriminatedUnion('type', [
  emissionSchema('detected'),
  emissionSchema('review_assigned'),
  emissionSchema('confirmed'),
  emissionSchema('rejected'),
  emissionSchema('amended'),
  emissionSchema('notice_issued'),
  emissionSchema('notice_delivered'),
  emissionSchema('paid'),
  emissionSchema('cancelled'),
  emissionSchema('appealed'),
  emissionSchema('appeal_decided'),
  emissionSchema('expired'),
  emissionSchema('sent_to_enforcement'),
]);

const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/u;

const activityRule = z
  .strictObject({
    $comment: z.string().optional(),
    emit: z.array(xesEmission).min(1, 'an activity must emit at least one lifecycle event'),
    set: z.record(z.string().regex(VARIABLE_NAME, 'a variable name is a letter then letters, digits or "_"'), xesExpr).optional(),
  })
  .superRefine((rule, ctx) => {
    // The first emission carries the bare event id and guarantees every log event yields an event.
    if (rule.emit[0]?.when !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['emit', 0, 'when'], message: 'the first emission must be unconditional so every log event yields at least one lifecycle event' });
    }
    const suffixes = new Map<string, number>();
    rule.emit.forEach((emission, i) => {
      if (i === 0) return;
      const suffix = emission.idSuffix ?? emission.type;
      const earlier = suffixes.get(suffix);
      if (earlier !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['emit', i, 'idSuffix'], message: `event id suffix "${suffix}" is already used by emit[${earlier}]; give one of them an idSuffix` });
      }
      suffixes.set(suffix, i);
    });
  });

type Path = (string | number)[];

/** Every expression of a mapping with its path, for checks that span activities. */
function* mappingExpressions(mapping: Pick<XesMapping, 'violationRef' | 'eventId' | 'activities'>): Generator<{ expr: Expr; path: Path }> {
  yield { expr: mapping.violationRef, path: ['violationRef'] };
  yield { expr: mapping.eventId, path: ['eventId'] };
  for (const [activity, rule] of Object.entries(mapping.activities)) {
    for (const [name, expr] of Object.entries(rule.set ?? {})) yield { expr, path: ['activities', activity, 'set', name] };
    for (const [i, emission] of rule.emit.entries()) {
      const base: Path = ['activities', activity, 'emit', i];
      if (emission.when !== undefined) yield* conditionExpressions(emission.when, [...base, 'when']);
      yield* templateExpressions(emission.type, emission, base);
    }
  }
}

export const xesMappingSchema: z.ZodType<XesMapping> = z
  .strictObject({
    $comment: z.string().optional(),
    format: z.literal(XES_MAPPING_FORMAT),
    description: z.string().optional(),
    source: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/u, 'a source code is lower-case letters, digits, "_", "." or "-"'),
    activityAttribute: z.string().min(1).default('concept:name'),
    timestampAttribute: z.string().min(1).default('time:timestamp'),
    timeZone: z.string().refine(isValidZone, 'not a UTC offset ("+05:00") or a time zone name ("Asia/Almaty")').optional(),
    violationRef: xesExpr,
    eventId: xesExpr,
    activities: z.record(z.string().min(1), activityRule).refine((a) => Object.keys(a).length > 0, 'map at least one activity'),
  })
  .superRefine((mapping, ctx) => {
    // A variable read before any activity sets it would reject every record that reads it.
    const setNames = new Set(Object.values(mapping.activities).flatMap((rule) => Object.keys(rule.set ?? {})));
    for (const { expr, path } of mappingExpressions(mapping)) {
      for (const leaf of expressionLeaves(expr)) {
        if (leaf.var !== undefined && !setNames.has(leaf.var)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'var'], message: `variable "${leaf.var}" is never set by any activity` });
        }
      }
    }
  });

