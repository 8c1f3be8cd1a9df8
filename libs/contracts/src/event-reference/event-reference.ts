import {
  ACTOR_KINDS,
  ALLOWED_ACTORS,
  CLOSED_STATUSES,
  EVENT_TYPES,
  REPEATABLE_STEPS,
  REQUIRES_EARLIER,
  SYSTEM_AMENDABLE_FIELDS,
  VIOLATION_STATUSES,
  type ActorKind,
  type EventType,
  type ViolationStatus,
} from '@qadaga/domain';
import { envelopeSchema, payloadSchemas } from '../lifecycle-event.schema.js';
import { MAX_EVENT_NESTING } from '../primitives.js';
import { describeSchema, fieldRows, hasStorableText, listOf, requiredFields, type FieldRow, type JsonSchema } from './field-rows.js';
import { code, table } from './markdown.js';
import { allowedFrom, impliedSteps, statusAfter, statusesAfter, type ImpliedStep } from './status-after.js';

/**
 * docs/event-reference.md, written from the code: every limit from the zod contract, every
 * rule of order and of who may act from the domain's lifecycle. Only the meanings below are
 * words; each list is keyed by the code's own names, so a new event type, status, actor
 * kind or envelope field does not compile until it is described.
 */

/** The command that rewrites the reference; the spec names it when the file is stale. */
export const EVENT_REFERENCE_COMMAND = 'npm run docs:events';
/** Where the reference lives, from the repository's root. */
export const EVENT_REFERENCE_PATH = 'docs/event-reference.md';

const EVENT_MEANINGS: Record<EventType, string> = {
  detected: 'A camera (or its system) recorded a possible violation.',
  review_assigned: 'The detection was put in an officer’s review queue.',
  confirmed: 'An officer confirmed the detection: a fine is due.',
  rejected: 'An officer rejected the detection: no fine.',
  amended: 'A field of the violation was corrected (plate, article, speed, amount, ...), with its value before and after.',
  notice_issued: 'A notice to pay was issued to the registered owner.',
  notice_delivered: 'The notice reached the owner.',
  paid: 'Money was paid towards the fine (possibly a part of it).',
  cancelled: 'The fine was cancelled, with a reason code.',
  appealed: 'The owner appealed against the fine.',
  appeal_decided: 'The appeal was decided.',
  expired: 'The fine lapsed: its time limit passed before it was enforced.',
  sent_to_enforcement: 'The unpaid fine was handed over for forced collection.',
};

const STATUS_MEANINGS: Record<ViolationStatus, string> = {
  unknown: 'No event of the violation seen yet (or its detection has not arrived).',
  detected: 'Detected, not yet in review.',
  in_review: 'Waiting for an officer’s decision.',
  confirmed: 'Confirmed by an officer; no notice yet.',
  rejected: 'Rejected in review.',
  notified: 'A notice was issued.',
  delivered: 'The notice was delivered (or an appeal was decided and the fine stands).',
  appealed: 'An appeal is pending.',
  paid: 'Nothing is left owed.',
  cancelled: 'Cancelled (also by an overturned appeal).',
  expired: 'Lapsed.',
  in_enforcement: 'Handed over for forced collection.',
};

const ACTOR_MEANINGS: Record<ActorKind, string> = {
  camera: 'The camera or the detection system.',
  officer: 'An officer of the unit that reviews detections.',
  supervisor: 'An officer’s supervisor.',
  system: 'A register or other software acting on its own.',
  owner: 'The vehicle’s owner.',
  court: 'A court, prefecture or other body deciding appeals.',
  treasury: 'The treasury or a bank reporting money received.',
};

type EnvelopeField = keyof typeof envelopeSchema.shape;
type ActorField = keyof typeof envelopeSchema.shape.actor.shape;

const ENVELOPE_MEANINGS: Record<EnvelopeField | `actor.${ActorField}`, string> = {
  source: 'Code of the system that reported the event; an API key may write only its own source.',
  eventId: 'The source’s own id of the event. The same source and eventId sent again is the same event, stored once.',
  violationRef: 'The violation the event belongs to; the same for every event of that violation, in every source.',
  type: 'What happened; decides which payload fields are allowed (see below).',
  occurredAt: 'When it happened. Stored in UTC; the lifecycle is judged in this order, whatever order events arrive in.',
  recordedAt: 'When the source recorded it, if it says.',
  actor: 'Who did it.',
  'actor.kind': 'What kind of actor (see Actor kinds).',
  'actor.id': 'The actor’s id in the source (an officer’s number, a camera’s id, ...).',
  'actor.unit': 'Administrative unit of an officer or supervisor.',
  'actor.workstation': 'Workstation or terminal the action was signed from.',
  payload: 'The fields of the event type.',
};

/** `a`, `b` or `c`. */
function orList(values: readonly string[]): string {
  const codes = values.map(code);
  return codes.length <= 1 ? codes.join('') : `${codes.slice(0, -1).join(', ')} or ${codes.at(-1) ?? ''}`;
}

function withMeanings(rows: readonly FieldRow[], meanings: Readonly<Record<string, string>>): string[][] {
  return rows.map((r) => [code(r.name), r.required, r.type, r.limits, meanings[r.name] ?? '']);
}

function envelopeSection(): string {
  const schema = describeSchema(envelopeSchema);
  const rows = fieldRows(schema).map((r) =>
    r.name === 'payload' ? { ...r, limits: 'the fields of its event type, and no others (see Event types)' } : r,
  );
  return [
    '## Envelope: the fields of every event',
    '',
    table(['Field', 'Required', 'Type', 'Limits', 'Meaning'], withMeanings(rows, ENVELOPE_MEANINGS)),
  ].join('\n');
}

function actorsSection(): string {
  const header = ['Event type', ...ACTOR_KINDS.map(code)];
  const rows = EVENT_TYPES.map((type) => {
    const allowed = ALLOWED_ACTORS[type];
    return [
      code(type),
      ...ACTOR_KINDS.map((kind) => {
        if (allowed !== undefined && !allowed.has(kind)) return 'no';
        if (type === 'amended' && kind === 'system') return `yes, only with \`field\` ${listOf([...SYSTEM_AMENDABLE_FIELDS])}`;
        return 'yes';
      }),
    ];
  });
  return [
    '## Actor kinds',
    '',
    table(['Kind', 'Who'], ACTOR_KINDS.map((kind) => [code(kind), ACTOR_MEANINGS[kind]])),
    '',
    '### Who may send which event',
    '',
    'An event sent by a kind marked "no" is stored, and flagged `actor_not_allowed` on its violation.',
    '',
    table(header, rows),
  ].join('\n');
}

function payloadSchemaOf(type: EventType): JsonSchema {
  return describeSchema(payloadSchemas[type]);
}

function eventTypesSection(): string {
  const summary = EVENT_TYPES.map((type) => {
    const required = requiredFields(payloadSchemaOf(type));
    return [code(type), EVENT_MEANINGS[type], required.length === 0 ? 'none' : listOf(required)];
  });
  const details = EVENT_TYPES.map((type) =>
    [
      `### ${code(type)}`,
      '',
      EVENT_MEANINGS[type],
      '',
      table(
        ['Field', 'Required', 'Type', 'Limits'],
        fieldRows(payloadSchemaOf(type)).map((r) => [code(`payload.${r.name}`), r.required, r.type, r.limits]),
      ),
    ].join('\n'),
  );
  return [
    '## Event types and their payload',
    '',
    'Each payload is an object holding only the fields listed for its type: a field of another type, or a misspelt one, refuses the event.',
    '',
    table(['Type', 'Meaning', 'Required payload fields'], summary),
    '',
    ...details.flatMap((d) => [d, '']),
  ]
    .join('\n')
    .trimEnd();
}

/** The event types whose outcome leaves the violation in a status this type may follow. */
function mayComeAfter(type: EventType): EventType[] {
  const allowed = new Set(allowedFrom(type));
  return EVENT_TYPES.filter((before) => [...statusesAfter(before, payloadSchemaOf(before))].some((s) => allowed.has(s)));
}

function statusList(statuses: readonly ViolationStatus[]): string {
  return statuses.map((s) => (s === 'unknown' ? 'nothing (it comes first)' : code(s))).join(', ');
}

function impliedStepLine(step: ImpliedStep): string {
  const when = step.when === undefined ? '' : ` with \`${step.when.field}\` ${listOf(step.when.values)}`;
  return (
    `- ${code(step.type)}${when} makes the violation **${step.status}** by itself. Do not map the same step to a ` +
    `${code(step.implied)} event as well: ${code(step.implied)} may not follow ${code(step.status)}, so it would be flagged.`
  );
}

function lifecycleSection(): string {
  const closed = VIOLATION_STATUSES.filter((s) => CLOSED_STATUSES.has(s));
  const steps = impliedSteps(payloadSchemaOf);
  const implied = steps.length === 0 ? [] : ['', '### What happens by itself', '', ...steps.map(impliedStepLine)];
  const rows = EVENT_TYPES.map((type) => {
    const earlier = REQUIRES_EARLIER[type];
    const after = mayComeAfter(type);
    return [
      code(type),
      statusList(allowedFrom(type)),
      after.length === 0 ? 'nothing (it comes first)' : listOf(after),
      earlier === undefined ? '' : `an earlier ${code(earlier)} of the same violation`,
      REPEATABLE_STEPS.has(type) ? 'yes' : '',
      statusAfter(type, payloadSchemaOf(type)),
    ];
  });
  return [
    '## Lifecycle',
    '',
    'A violation’s status is never sent: it is worked out from all its events in `occurredAt` order. Each event type',
    'may follow only some statuses. An event that comes where it may not is still stored (it is evidence) and flagged',
    '`impossible_transition` on its violation (a second `detected` is flagged `duplicate_detection`). Events that arrive',
    'before their detection are judged again once it arrives.',
    '',
    `Once a violation is ${orList(closed)}, no event changes its status except the decision on an appeal lodged before it.`,
    '',
    '### Statuses',
    '',
    table(
      ['Status', 'Meaning', 'Closed'],
      VIOLATION_STATUSES.map((s) => [code(s), STATUS_MEANINGS[s], CLOSED_STATUSES.has(s) ? 'yes' : '']),
    ),
    '',
    '### Order of events',
    '',
    '"May come right after" lists the event types after which the violation can be in a status this type may follow.',
    '"Status afterwards" is what the event does by itself: no other event is needed for it.',
    '"Can repeat": one violation may go through the step more than once (a fine paid in parts, an appeal to the prefecture',
    'and then to a court); a mapping must tell such events apart by their own facts (when, or the source’s reference),',
    'since the same `eventId` twice is one event.',
    '',
    table(['Event type', 'May follow status', 'May come right after', 'Needs before it', 'Can repeat', 'Status afterwards'], rows),
    ...implied,
  ].join('\n');
}

function intro(): string {
  const envelope = describeSchema(envelopeSchema);
  const anyText = hasStorableText(envelope) || EVENT_TYPES.some((t) => hasStorableText(payloadSchemaOf(t)));
  return [
    '# Lifecycle event reference',
    '',
    `_Written from the code (libs/domain, libs/contracts) by \`${EVENT_REFERENCE_COMMAND}\`; do not edit it by hand._`,
    '',
    'Every step in the life of a camera-detected fine reaches the product as one **lifecycle event**: the same',
    'envelope for every event (who reported it, which violation, what happened, when, who did it) and a **payload**',
    'whose fields depend on the event type. An import mapping ([import-mapping.md](import-mapping.md)) says how a',
    'source’s records become such events; this page lists what each event may hold and in what order events make sense.',
    '',
    'Two kinds of rule apply:',
    '',
    '- **Limits** (lengths, ranges, lists of values, required fields). An event that breaks one is refused, with the',
    '  path of every field that is wrong (`payload.fine.amount: must not be negative`); an import rejects the record.',
    '- **Lifecycle** (which event may follow which, who may send it). An event that breaks one is stored all the same',
    '  (it is evidence) and flagged on its violation, for a person to look at.',
    '',
    [
      'Fields marked optional may be left out; an empty text is never allowed (leave the field out instead).',
      anyText ? 'No text may contain a NUL character or an unpaired UTF-16 surrogate.' : '',
      `An event may nest objects at most ${MAX_EVENT_NESTING} levels deep.`,
    ]
      .filter((s) => s !== '')
      .join(' '),
  ].join('\n');
}

/** The whole reference, as docs/event-reference.md holds it. */
export function renderEventReference(): string {
  return `${[intro(), envelopeSection(), actorsSection(), eventTypesSection(), lifecycleSection()].join('\n\n')}\n`;
}
