import type { EventType, LifecycleEvent } from '@qadaga/domain';
import type { FieldIssue } from '../shared/issues.js';
import { issuesFromZod } from '../shared/issues.js';
import { evaluate, type Scalar, type ValueScope } from './evaluate-expression.js';
import type { EventTemplate, FieldTree, PayloadTemplate } from './event-template.js';
import { payloadFields } from './event-template.js';
import type { Expr } from './expression.js';
import { lifecycleEventSchema } from './lifecycle-event-schema.js';

export interface EventIdentity {
  source: string;
  eventId: string;
  violationRef: string;
  /** The source's own name for the step, copied verbatim into payload.sourceActivity. */
  sourceActivity: string;
}

export type BuildResult = { ok: true; event: LifecycleEvent } | { ok: false; issues: FieldIssue[] };

type PayloadValue = Scalar | { [field: string]: PayloadValue };

/**
 * Evaluates one template into a lifecycle event. Every field is evaluated even after a
 * failure so the rejection lists all problems of the record at once; the finished event
 * is then checked against the domain schema.
 */
export function buildEvent(
  type: EventType,
  template: EventTemplate,
  scope: ValueScope,
  identity: EventIdentity,
  defaultOccurredAt?: Expr,
): BuildResult {
  const issues: FieldIssue[] = [];
  const field = (path: string, expr: Expr): Scalar | undefined => {
    const result = evaluate(expr, scope);
    if (result.kind === 'value') return result.value;
    if (result.kind === 'missing') {
      if (expr.optional === true) return undefined;
      issues.push({ path: `${type}.${path}`, message: result.reason });
      return undefined;
    }
    issues.push({ path: `${type}.${path}`, message: result.message });
    return undefined;
  };

  const occurredAtExpr = template.occurredAt ?? defaultOccurredAt;
  let occurredAt: Scalar | undefined;
  if (occurredAtExpr === undefined) issues.push({ path: `${type}.occurredAt`, message: 'no expression gives the time' });
  else occurredAt = field('occurredAt', { ...occurredAtExpr, as: 'instant' });
  const recordedAt = template.recordedAt === undefined ? undefined : field('recordedAt', { ...template.recordedAt, as: 'instant' });

  const actor: Record<string, Scalar> = { kind: template.actor.kind };
  for (const key of ['id', 'unit', 'workstation'] as const) {
    const expr = template.actor[key];
    if (expr === undefined) continue;
    const v = field(`actor.${key}`, expr);
    if (v !== undefined) actor[key] = v;
  }

  const buildPayload = (fields: PayloadTemplate, tree: FieldTree, path: string): Record<string, PayloadValue> => {
    const out: Record<string, PayloadValue> = {};
    for (const [name, given] of Object.entries(fields)) {
      const children = tree[name]?.children;
      const v = children === undefined ? field(`${path}.${name}`, given as Expr) : buildPayload(given as PayloadTemplate, children, `${path}.${name}`);
      if (v !== undefined) out[name] = v;
    }
    return out;
  };
  const payload = { ...buildPayload(template.payload, payloadFields(type), 'payload'), sourceActivity: identity.sourceActivity };

  if (issues.length > 0) return { ok: false, issues };
  const candidate = {
    source: identity.source,
    eventId: identity.eventId,
    violationRef: identity.violationRef,
    type,
    occurredAt,
    ...(recordedAt === undefined ? {} : { recordedAt }),
    actor,
    payload,
  };
  const checked = lifecycleEventSchema.safeParse(candidate);
  return checked.success ? { ok: true, event: checked.data } : { ok: false, issues: issuesFromZod(checked.error, [type]) };
}
