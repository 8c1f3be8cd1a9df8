import type { EventType, LifecycleEvent } from '@qadaga/domain';
import type { FieldIssue } from '../shared/issues.js';
import { evaluate, explainFieldError, type Scalar, type ValueScope } from './evaluate-expression.js';
import type { EventTemplate, FieldTree, PayloadTemplate } from './event-template.js';
import { payloadFields } from './event-template.js';
import type { Expr } from './expression.js';
import { validateLifecycleEvent } from '@qadaga/contracts';

export interface EventIdentity {
  source: string;
  eventId: string;
  violationRef: string;
  /** The source's own name for the step, copied verbatim into payload.sourceActivity when given. */
  sourceActivity?: string;
}

export type BuildResult = { ok: true; event: LifecycleEvent } | { ok: false; issues: FieldIssue[] };

type PayloadValue = Scalar | { [field: string]: PayloadValue };

const ACTOR_FIELDS = ['id', 'unit', 'workstation'] as const;

/** Evaluates fields one by one, collecting every problem under the field's path instead of stopping at the first. */
class FieldEvaluator {
  readonly issues: FieldIssue[] = [];

  constructor(
    private readonly type: EventType,
    private readonly scope: ValueScope,
  ) {}

  field(path: string, expr: Expr): Scalar | undefined {
    const result = evaluate(expr, this.scope);
    if (result.kind === 'value') return result.value;
    if (result.kind === 'missing' && expr.optional === true) return undefined;
    this.issues.push({ path: `${this.type}.${path}`, message: result.kind === 'missing' ? result.reason : result.message });
    return undefined;
  }

  payload(fields: PayloadTemplate, tree: FieldTree, path: string): Record<string, PayloadValue> {
    const out: Record<string, PayloadValue> = {};
    for (const [name, given] of Object.entries(fields)) {
      const children = tree[name]?.children;
      if (children === undefined) {
        const v = this.field(`${path}.${name}`, given as Expr);
        if (v !== undefined) out[name] = v;
        continue;
      }
      const nested = this.payload(given as PayloadTemplate, children, `${path}.${name}`);
      // A nested object whose optional fields were all absent (no fine amount known yet) is left out whole.
      if (Object.keys(nested).length > 0) out[name] = nested;
    }
    return out;
  }
}

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
  const fields = new FieldEvaluator(type, scope);
  const occurredAtExpr = template.occurredAt ?? defaultOccurredAt;
  let occurredAt: Scalar | undefined;
  if (occurredAtExpr === undefined) fields.issues.push({ path: `${type}.occurredAt`, message: 'no expression gives the time' });
  else occurredAt = fields.field('occurredAt', { ...occurredAtExpr, as: 'instant' });
  const recordedAt = template.recordedAt === undefined ? undefined : fields.field('recordedAt', { ...template.recordedAt, as: 'instant' });

  const actor: Record<string, Scalar> = { kind: template.actor.kind };
  for (const key of ACTOR_FIELDS) {
    const expr = template.actor[key];
    if (expr === undefined) continue;
    const v = fields.field(`actor.${key}`, expr);
    if (v !== undefined) actor[key] = v;
  }
  const payload = {
    ...fields.payload(template.payload, payloadFields(type), 'payload'),
    ...(identity.sourceActivity === undefined ? {} : { sourceActivity: identity.sourceActivity }),
  };

  if (fields.issues.length > 0) return { ok: false, issues: fields.issues };
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
  // The very contract the API applies, so an import accepts exactly what the API would.
  const checked = validateLifecycleEvent(candidate);
  return checked.ok ? { ok: true, event: checked.event } : { ok: false, issues: checked.errors.map((e) => ({ path: `${type}.${e.path}`, message: explainFieldError(e, candidate, template, defaultOccurredAt) })) };
}
