import { ACTOR_KINDS, type ActorKind, type EventType } from '@qadaga/domain';
import { z } from 'zod';
import type { Expr } from './expression.js';
import { payloadSchemas as PAYLOAD_SCHEMAS } from '@qadaga/contracts';

/**
 * How a mapping describes one lifecycle event: an expression per envelope and payload
 * field. The allowed payload fields, which of them are required and which are nested
 * objects (fine, place) are read from the runtime schemas of the domain events, so a
 * mapping can only name fields the domain knows.
 */

export interface PayloadTemplate {
  [field: string]: Expr | PayloadTemplate;
}

export interface ActorTemplate {
  kind: ActorKind;
  id: Expr;
  unit?: Expr;
  workstation?: Expr;
}

export interface EventTemplate {
  /** A note for the reader of the mapping; ignored by the importer. */
  $comment?: string;
  /** When it happened; an XES mapping defaults to the event's timestamp attribute. */
  occurredAt?: Expr;
  recordedAt?: Expr;
  actor: ActorTemplate;
  payload: PayloadTemplate;
}

/** A payload field is either a value or an object of further fields (for example fine.amount). */
export interface FieldTree {
  [field: string]: { required: boolean; check: z.ZodType; children?: FieldTree };
}

/** Fields the importer fills itself, never taken from a mapping. */
const IMPORTER_FIELDS: ReadonlySet<string> = new Set(['sourceActivity']);

function fieldTree(object: z.ZodObject): FieldTree {
  const tree: FieldTree = {};
  for (const [name, field] of Object.entries(object.shape as Record<string, z.ZodType>)) {
    if (IMPORTER_FIELDS.has(name)) continue;
    const required = !(field instanceof z.ZodOptional);
    const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field;
    tree[name] = inner instanceof z.ZodObject ? { required, check: inner, children: fieldTree(inner) } : { required, check: inner };
  }
  return tree;
}

const treeCache = new Map<EventType, FieldTree>();

export function payloadFields(type: EventType): FieldTree {
  let tree = treeCache.get(type);
  if (tree === undefined) {
    tree = fieldTree(PAYLOAD_SCHEMAS[type]);
    treeCache.set(type, tree);
  }
  return tree;
}

/** A constant that can never satisfy its field (article: 157 instead of "157") is a mapping error, not 150,000 rejected records. */
function constantProblem(expr: Expr, check: z.ZodType): string | undefined {
  if (!Object.hasOwn(expr, 'const') || expr.map !== undefined || expr.as !== undefined) return undefined;
  const result = check.safeParse(expr.const);
  return result.success ? undefined : (result.error.issues[0]?.message ?? 'invalid constant');
}

function payloadTemplateSchema(type: EventType, tree: FieldTree, expr: z.ZodType<Expr>): z.ZodType<PayloadTemplate> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(tree)) {
    shape[name] = (field.children === undefined ? expr : payloadTemplateSchema(type, field.children, expr)).optional();
  }
  const schema = z.strictObject(shape).superRefine((template, ctx) => {
    for (const [name, field] of Object.entries(tree)) {
      const given = template[name];
      if (given === undefined) {
        if (field.required) ctx.addIssue({ code: 'custom', path: [name], message: `required for a ${type} event` });
        continue;
      }
      if (field.children === undefined) {
        const problem = constantProblem(given as Expr, field.check);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [name, 'const'], message: problem });
      }
    }
  });
  // The shape is built from the domain schema at run time, so zod cannot infer the
  // recursive template type statically; the strict object above enforces it.
  return schema as unknown as z.ZodType<PayloadTemplate>;
}

export interface EventTemplateOptions {
  /** CSV rows have no natural timestamp, so there occurredAt must be given. */
  occurredAtRequired: boolean;
}

export function eventTemplateShape(type: EventType, expr: z.ZodType<Expr>, options: EventTemplateOptions) {
  return {
    $comment: z.string().optional(),
    occurredAt: options.occurredAtRequired ? expr : expr.optional(),
    recordedAt: expr.optional(),
    actor: z.strictObject({
      kind: z.enum(ACTOR_KINDS),
      id: expr,
      unit: expr.optional(),
      workstation: expr.optional(),
    }),
    payload: payloadTemplateSchema(type, payloadFields(type), expr),
  };
}

export function eventTemplateSchema(type: EventType, expr: z.ZodType<Expr>, options: EventTemplateOptions): z.ZodType<EventTemplate> {
  return z.strictObject(eventTemplateShape(type, expr, options));
}

export type TemplatePath = (string | number)[];

function* payloadExpressions(payload: PayloadTemplate, tree: FieldTree, path: TemplatePath): Generator<{ expr: Expr; path: TemplatePath }> {
  for (const [name, given] of Object.entries(payload)) {
    const children = tree[name]?.children;
    if (children === undefined) yield { expr: given as Expr, path: [...path, name] };
    else yield* payloadExpressions(given as PayloadTemplate, children, [...path, name]);
  }
}

/** Every expression of one event template with its path, for checks across a whole mapping. */
export function* templateExpressions(type: EventType, template: EventTemplate, path: TemplatePath): Generator<{ expr: Expr; path: TemplatePath }> {
  if (template.occurredAt !== undefined) yield { expr: template.occurredAt, path: [...path, 'occurredAt'] };
  if (template.recordedAt !== undefined) yield { expr: template.recordedAt, path: [...path, 'recordedAt'] };
  for (const key of ['id', 'unit', 'workstation'] as const) {
    const expr = template.actor[key];
    if (expr !== undefined) yield { expr, path: [...path, 'actor', key] };
  }
  yield* payloadExpressions(template.payload, payloadFields(type), [...path, 'payload']);
}
