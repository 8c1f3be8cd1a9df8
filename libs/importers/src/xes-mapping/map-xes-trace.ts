import type { LifecycleEvent } from '@qadaga/domain';
import type { ImportRecord } from '../import-record.js';
import { buildEvent } from '../mapping/build-event.js';
import { evaluate, testCondition, type Scalar, type ValueScope } from '../mapping/evaluate-expression.js';
import type { Expr } from '../mapping/expression.js';
import type { FieldIssue } from '../shared/issues.js';
import type { XesEvent, XesTrace } from '../xes/xes-model.js';
import { XesEventScope } from './xes-value-scope.js';
import type { XesActivityRule, XesMapping } from './xes-mapping-schema.js';

export interface MapXesOptions {
  /** Source system code for the events; defaults to the mapping's. */
  source?: string;
}

/** A required text value (violation ref, event id), or the issue that prevents it. */
function requiredText(expr: Expr, scope: ValueScope, path: string, issues: FieldIssue[]): string {
  const result = evaluate(expr, scope);
  if (result.kind === 'value' && result.value !== null && String(result.value) !== '') return String(result.value);
  issues.push({ path, message: result.kind === 'error' ? result.message : result.kind === 'missing' ? result.reason : 'is empty' });
  return '';
}

function emitEvents(
  rule: XesActivityRule,
  scope: ValueScope,
  mapping: XesMapping,
  identity: { source: string; violationRef: string; baseId: string; activity: string },
  issues: FieldIssue[],
): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  const defaultOccurredAt: Expr = { attr: mapping.timestampAttribute };
  for (const [i, emission] of rule.emit.entries()) {
    if (emission.when !== undefined) {
      const test = testCondition(emission.when, scope);
      if (test.kind === 'error') {
        issues.push({ path: `emit[${i}].when`, message: test.message });
        continue;
      }
      if (!test.passed) continue;
    }
    // The first emission keeps the bare id, so adding an emission later leaves existing ids unchanged.
    const eventId = i === 0 ? identity.baseId : `${identity.baseId}:${emission.idSuffix ?? emission.type}`;
    const built = buildEvent(
      emission.type,
      emission,
      scope,
      { source: identity.source, eventId, violationRef: identity.violationRef, sourceActivity: identity.activity },
      defaultOccurredAt,
    );
    if (built.ok) events.push(built.event);
    else issues.push(...built.issues);
  }
  return events;
}

/** Runs the activity's "set" after its events are built, so they still saw the values from before this event. */
function updateVariables(rule: XesActivityRule, scope: ValueScope, variables: Map<string, Scalar>, issues: FieldIssue[]): void {
  for (const [name, expr] of Object.entries(rule.set ?? {})) {
    const result = evaluate(expr, scope);
    if (result.kind === 'value') variables.set(name, result.value);
    else if (result.kind === 'error') issues.push({ path: `set.${name}`, message: result.message });
    else if (expr.optional !== true) issues.push({ path: `set.${name}`, message: result.reason });
  }
}

function mapEvent(trace: XesTrace, event: XesEvent, mapping: XesMapping, source: string, variables: Map<string, Scalar>): ImportRecord {
  const activity = event.attributes.get(mapping.activityAttribute)?.raw ?? '';
  const traceName = trace.attributes.get('concept:name')?.raw ?? `trace ${trace.position}`;
  const base = { index: event.position, label: `${traceName}#${event.indexInTrace} ${activity}`.trimEnd(), activity };
  const rule = Object.hasOwn(mapping.activities, activity) ? mapping.activities[activity] : undefined;
  if (rule === undefined) {
    const message = activity === '' ? `the event has no "${mapping.activityAttribute}" attribute` : `no mapping for activity "${activity}"`;
    return { ...base, rejected: [{ path: mapping.activityAttribute, message }] };
  }
  const scope = new XesEventScope(trace, event, variables, { activityAttribute: mapping.activityAttribute, timeZone: mapping.timeZone, source });
  const issues: FieldIssue[] = [];
  const violationRef = requiredText(mapping.violationRef, scope, 'violationRef', issues);
  const baseId = requiredText(mapping.eventId, scope, 'eventId', issues);
  const events = issues.length > 0 ? [] : emitEvents(rule, scope, mapping, { source, violationRef, baseId, activity }, issues);
  updateVariables(rule, scope, variables, issues);
  // A log event becomes all of its lifecycle events or none, so a partial record never reaches the ledger.
  return issues.length > 0 ? { ...base, rejected: issues } : { ...base, events };
}

/** Maps every event of one trace, in order; trace variables live exactly as long as the trace. */
export function mapXesTrace(trace: XesTrace, mapping: XesMapping, options: MapXesOptions = {}): ImportRecord[] {
  const source = options.source ?? mapping.source;
  const variables = new Map<string, Scalar>();
  return trace.events.map((event) => mapEvent(trace, event, mapping, source, variables));
}
