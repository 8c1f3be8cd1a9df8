import { ALLOWED_FROM, EVENT_TYPES, VIOLATION_STATUSES, nextStatus, type EventType, type LifecycleEvent, type ViolationStatus } from '@qadaga/domain';
import type { z } from 'zod';
import { payloadSchemas } from '../lifecycle-event.schema.js';
import { INSTANT_FORMAT, type JsonSchema } from './field-rows.js';

/**
 * What status each event leads to, found by asking the domain's own transition function
 * (nextStatus) for every status the event may follow, every value of each of the
 * payload's lists (an appeal's outcome) and both cases of money (something still owed or
 * nothing left), so a rule added to the fold shows here without being written twice.
 */

const OWED_CASES = [
  { owed: 1, words: 'something is still owed' },
  { owed: 0, words: 'nothing is left owed' },
] as const;

const UNCHANGED = 'stays as it was';

/** A value that passes the schema, the smallest one its limits allow. */
function sampleValue(schema: JsonSchema): unknown {
  if (schema.anyOf !== undefined) return sampleValue(schema.anyOf[0] ?? {});
  if (schema.enum !== undefined) return schema.enum[0];
  if (schema.format === INSTANT_FORMAT) return '2020-01-01T00:00:00Z';
  if (schema.type === 'string') return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
  if (schema.type === 'number' || schema.type === 'integer') return schema.minimum ?? (schema.exclusiveMinimum ?? 0) + 1;
  if (schema.type === 'boolean') return false;
  if (schema.type === 'null') return null;
  if (schema.type === 'object') return samplePayload(schema);
  return null;
}

/** The required fields only, each with a sample value. */
function samplePayload(schema: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of schema.required ?? []) out[key] = sampleValue(schema.properties?.[key] ?? {});
  return out;
}

function sampleEvent(type: EventType, payload: Record<string, unknown>): LifecycleEvent {
  const checked = (payloadSchemas[type] as z.ZodType).safeParse(payload);
  if (!checked.success) throw new Error(`the sample ${type} payload does not pass its schema: ${checked.error.message}`);
  return {
    source: 'reference',
    eventId: 'sample',
    violationRef: 'sample',
    type,
    occurredAt: '2020-01-01T00:00:00.000Z',
    actor: { kind: 'system', id: 'sample' },
    payload: checked.data,
  } as LifecycleEvent;
}

/** A payload field given as a list of values, with one sample event per value. */
interface Variation {
  field: string;
  events: { value: string | number; event: LifecycleEvent }[];
}

function variations(type: EventType, schema: JsonSchema): { base: LifecycleEvent; byField: Variation[] } {
  const base = samplePayload(schema);
  const byField: Variation[] = [];
  for (const [field, fieldSchema] of Object.entries(schema.properties ?? {})) {
    if (fieldSchema.enum === undefined) continue;
    byField.push({ field, events: fieldSchema.enum.map((value) => ({ value, event: sampleEvent(type, { ...base, [field]: value }) })) });
  }
  return { base: sampleEvent(type, base), byField };
}

type Label = (from: ViolationStatus, to: ViolationStatus) => string;

/** Names the status reached; `relative` says "stays as it was" where it is the one left. */
const absolute: Label = (_from, to) => `**${to}**`;
const relative: Label = (from, to) => (to === from ? UNCHANGED : `**${to}**`);

/** The status after one event from one status, in words, naming money only where it decides. */
function owedOutcome(from: ViolationStatus, event: LifecycleEvent, label: Label): string {
  const [stillOwed, nothingOwed] = OWED_CASES.map((c) => label(from, nextStatus(from, event, c.owed))) as [string, string];
  if (stillOwed === nothingOwed) return stillOwed;
  return `${nothingOwed} if ${OWED_CASES[1].words}, otherwise ${stillOwed}`;
}

function fromOneStatus(from: ViolationStatus, base: LifecycleEvent, byField: readonly Variation[], label: Label): string {
  for (const { field, events } of byField) {
    const words = events.map(({ value, event }) => ({ value, words: owedOutcome(from, event, label) }));
    if (new Set(words.map((w) => w.words)).size === 1) continue;
    const groups = new Map<string, (string | number)[]>();
    for (const w of words) groups.set(w.words, [...(groups.get(w.words) ?? []), w.value]);
    return [...groups].map(([result, values]) => `when \`${field}\` is ${values.map((v) => `\`${v}\``).join(', ')}: ${result}`).join('; ');
  }
  return owedOutcome(from, base, label);
}

function inStatusOrder(statuses: Iterable<ViolationStatus>): ViolationStatus[] {
  const set = new Set(statuses);
  return VIOLATION_STATUSES.filter((s) => set.has(s));
}

/** The statuses the event may follow, in the order of the statuses' list. */
export function allowedFrom(type: EventType): ViolationStatus[] {
  return inStatusOrder(ALLOWED_FROM[type]);
}

function grouped(type: EventType, payload: JsonSchema, label: Label): Map<string, ViolationStatus[]> {
  const { base, byField } = variations(type, payload);
  const groups = new Map<string, ViolationStatus[]>();
  for (const from of allowedFrom(type)) {
    const words = fromOneStatus(from, base, byField, label);
    groups.set(words, [...(groups.get(words) ?? []), from]);
  }
  return groups;
}

/**
 * The status after the event, from each status it may follow, grouped where the answer is
 * the same: "from confirmed, notified, delivered: **notified**; from paid: stays as it was".
 * Statuses are named outright, or relative to the one left where that reads shorter.
 */
export function statusAfter(type: EventType, payload: JsonSchema): string {
  const byName = grouped(type, payload, absolute);
  const byChange = grouped(type, payload, relative);
  const groups = byChange.size < byName.size ? byChange : byName;
  if (groups.size === 1) return [...groups.keys()][0] ?? '';
  return [...groups].map(([words, froms]) => `from ${froms.map((s) => `\`${s}\``).join(', ')}: ${words}`).join('; ');
}

/**
 * Where one event by itself brings the violation to the status another type is sent to
 * bring about, and that other type may not follow it: mapping one step to both would flag
 * the second as an impossible transition (an overturned appeal already cancels the fine).
 */
export interface ImpliedStep {
  type: EventType;
  /** The payload values that decide it, when not every value does. */
  when?: { field: string; values: (string | number)[] };
  status: ViolationStatus;
  implied: EventType;
}

/** The statuses the event changes a violation to, from any status it may follow. */
function changesTo(type: EventType, event: LifecycleEvent): Set<ViolationStatus> {
  const out = new Set<ViolationStatus>();
  for (const from of allowedFrom(type)) {
    for (const c of OWED_CASES) {
      const to = nextStatus(from, event, c.owed);
      if (to !== from) out.add(to);
    }
  }
  return out;
}

export function impliedSteps(payloadOf: (type: EventType) => JsonSchema): ImpliedStep[] {
  const cases = new Map(EVENT_TYPES.map((type) => [type, variations(type, payloadOf(type))] as const));
  const reached = (type: EventType): Set<ViolationStatus> => {
    const { base, byField } = cases.get(type) as ReturnType<typeof variations>;
    return new Set([base, ...byField.flatMap((v) => v.events.map((e) => e.event))].flatMap((event) => [...changesTo(type, event)]));
  };
  const out: ImpliedStep[] = [];
  for (const type of EVENT_TYPES) {
    const { byField } = cases.get(type) as ReturnType<typeof variations>;
    for (const status of inStatusOrder(reached(type))) {
      for (const implied of EVENT_TYPES) {
        if (implied === type || ALLOWED_FROM[implied].has(status) || !reached(implied).has(status)) continue;
        const deciding = byField
          .map((v) => ({ field: v.field, values: v.events.filter((e) => changesTo(type, e.event).has(status)).map((e) => e.value), all: v.events.length }))
          .find((v) => v.values.length > 0 && v.values.length < v.all);
        out.push(deciding === undefined ? { type, status, implied } : { type, when: { field: deciding.field, values: deciding.values }, status, implied });
      }
    }
  }
  return out;
}

/** Every status some allowed occurrence of the event can lead to. */
export function statusesAfter(type: EventType, payload: JsonSchema): Set<ViolationStatus> {
  const { base, byField } = variations(type, payload);
  const events = [base, ...byField.flatMap((v) => v.events.map((e) => e.event))];
  const out = new Set<ViolationStatus>();
  for (const from of allowedFrom(type)) for (const event of events) for (const c of OWED_CASES) out.add(nextStatus(from, event, c.owed));
  return out;
}
