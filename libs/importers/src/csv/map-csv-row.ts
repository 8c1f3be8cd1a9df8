import type { EventType, LifecycleEvent } from '@qadaga/domain';
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
  eventId: (base: string) => string;
}

/**
 * The events a row's code stands for. In current-state mode each gets the id
 * "<ticket id>:<type>", so importing a later export of the same ticket (now paid) yields
 * the same ids for the steps already imported and only the new step is new to the ledger.
 */
function plannedEvents(mapping: CsvMapping, code: string): PlannedEvent[] | undefined {
  if (mapping.mode === 'current-state') {
    const implied = Object.hasOwn(mapping.states, code) ? mapping.states[code] : undefined;
    return implied?.map((entry) => {
      const type = typeof entry === 'string' ? entry : entry.type;
      const when = typeof entry === 'string' ? undefined : entry.when;
      return { type, ...(when === undefined ? {} : { when }), eventId: (id: string) => `${id}:${type}` };
    });
  }
  const type = Object.hasOwn(mapping.eventTypes, code) ? mapping.eventTypes[code] : undefined;
  return type === undefined ? undefined : [{ type, eventId: (id: string) => id }];
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
  const base = { index: row.index, label: `line ${row.line} ${violationRef ?? '?'}`, activity: code ?? '' };
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
    const built = buildEvent(step.type, template, scope, { source, eventId: step.eventId(baseId), violationRef, sourceActivity: code });
    if (built.ok) events.push(built.event);
    else issues.push(...built.issues);
  }
  if (issues.length === 0 && events.length === 0) issues.push({ path: 'status', message: `state "${code}" implies no event for this row` });
  return issues.length > 0 ? { ...base, rejected: issues } : { ...base, events };
}
