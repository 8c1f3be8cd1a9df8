import { REPEATABLE_STEPS, type EventType, type LifecycleEvent } from '@qadaga/domain';
import type { ImportRecord } from '../import-record.js';
import { buildEvent } from '../mapping/build-event.js';
import { evaluate, sourceLabel, testCondition } from '../mapping/evaluate-expression.js';
import type { Condition, Expr } from '../mapping/expression.js';
import type { FieldIssue } from '../shared/issues.js';
import type { CsvMapping } from './csv-mapping-schema.js';
import { CsvRowScope, type CsvRow } from './csv-row-scope.js';

interface PlannedEvent {
  type: EventType;
  when?: Condition;
  /** Current-state steps: what tells this occurrence of the step from another of its type. */
  occurrence?: Expr | 'occurredAt';
}

/** The events a row's code stands for: one per row, or the steps its current state implies. */
function plannedEvents(mapping: CsvMapping, code: string): PlannedEvent[] | undefined {
  if (mapping.mode === 'current-state') {
    const implied = Object.hasOwn(mapping.states, code) ? mapping.states[code] : undefined;
    return implied?.map((entry) => {
      const { type, when, occurrence } = typeof entry === 'string' ? { type: entry, when: undefined, occurrence: undefined } : entry;
      const told = occurrence ?? (REPEATABLE_STEPS.has(type) ? 'occurredAt' : undefined);
      return { type, ...(when === undefined ? {} : { when }), ...(told === undefined ? {} : { occurrence: told }) };
    });
  }
  const type = Object.hasOwn(mapping.eventTypes, code) ? mapping.eventTypes[code] : undefined;
  return type === undefined ? undefined : [{ type }];
}

/** "2026-03-18T07:30:00.000Z" as "20260318T073000Z": short, sortable, and free of characters ids avoid. */
function compactInstant(iso: string): string {
  return iso.replace(/\.000Z$/u, 'Z').replace(/[-:]/gu, '');
}

/**
 * A current-state step's id depends only on the facts of that step, never on the row's
 * current status: "<ticket id>:<type>" for a step that happens once, plus ":<occurrence>" for
 * one that can repeat. So tomorrow's export of the same ticket, now paid, yields the same ids
 * and the same content for the steps already imported, and a second payment a new id.
 */
function currentStateEventId(baseId: string, step: PlannedEvent, event: LifecycleEvent, scope: CsvRowScope, issues: FieldIssue[]): string | undefined {
  const stem = `${baseId}:${step.type}`;
  if (step.occurrence === undefined) return stem;
  if (step.occurrence === 'occurredAt') return `${stem}:${compactInstant(event.occurredAt)}`;
  const told = text(step.occurrence, scope, `${step.type}.occurrence`, issues);
  return told === undefined ? undefined : `${stem}:${told}`;
}

function knownCodes(mapping: CsvMapping): string[] {
  return Object.keys(mapping.mode === 'current-state' ? mapping.states : mapping.eventTypes);
}

function text(expr: Expr, scope: CsvRowScope, path: string, issues: FieldIssue[]): string | undefined {
  const result = evaluate(expr, scope);
  if (result.kind === 'value' && result.value !== null && String(result.value) !== '') return String(result.value);
  issues.push({ path, message: result.kind === 'error' ? result.message : result.kind === 'missing' ? result.reason : 'is empty' });
  return undefined;
}

/** Maps one CSV row to its lifecycle events, or to every reason it cannot be imported. */
export function mapCsvRow(row: CsvRow, mapping: CsvMapping, source: string): ImportRecord {
  const scope = new CsvRowScope(row, mapping.timeZone, source);
  const issues: FieldIssue[] = [];
  const code = text(mapping.status, scope, 'status', issues);
  const violationRef = text(mapping.violationRef, scope, 'violationRef', issues);
  const baseId = text(mapping.eventId, scope, 'eventId', issues);
  const ticket = mapping.mode === 'current-state' && violationRef !== undefined && baseId !== undefined ? { ticket: { violationRef, idPrefix: `${baseId}:` } } : {};
  const base = { index: row.index, label: `line ${row.line} ${violationRef ?? '?'}`, activity: code ?? '', ...ticket };
  const planned = code === undefined ? undefined : plannedEvents(mapping, code);
  if (code !== undefined && planned === undefined) {
    issues.push({ path: 'status', message: `${sourceLabel(mapping.status)}"${code}" is not one of the mapped codes (${knownCodes(mapping).join(', ')})` });
  }
  if (issues.length > 0 || planned === undefined || code === undefined || violationRef === undefined || baseId === undefined) {
    return { ...base, rejected: issues };
  }
  const events: LifecycleEvent[] = [];
  for (const step of planned) {
    if (step.when !== undefined) {
      const test = testCondition(step.when, scope);
      if (test.kind === 'error') {
        issues.push({ path: `${step.type}.when`, message: test.message });
        continue;
      }
      if (!test.passed) continue;
    }
    const template = mapping.events[step.type];
    if (template === undefined) continue; // excluded by the mapping schema
    if (mapping.mode === 'event-per-row') {
      const built = buildEvent(step.type, template, scope, { source, eventId: baseId, violationRef, sourceActivity: code });
      if (built.ok) events.push(built.event);
      else issues.push(...built.issues);
      continue;
    }
    // The row's status is where the ticket stands today, not a fact of its earlier steps:
    // copied into them, it would change their content each time the status moves on.
    const built = buildEvent(step.type, template, scope, { source, eventId: `${baseId}:${step.type}`, violationRef });
    if (!built.ok) {
      issues.push(...built.issues);
      continue;
    }
    const eventId = currentStateEventId(baseId, step, built.event, scope, issues);
    if (eventId !== undefined) events.push({ ...built.event, eventId });
  }
  if (issues.length === 0 && events.length === 0) issues.push({ path: 'status', message: `state "${code}" implies no event for this row` });
  return issues.length > 0 ? { ...base, rejected: issues } : { ...base, events };
}
