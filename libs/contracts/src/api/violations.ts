import { z } from 'zod';
import { ACTOR_KINDS, EVENT_TYPES, VIOLATION_STATUSES } from '@qadaga/domain';
import { isoInstant } from './common.js';
import { endpoint, type EndpointContract } from './endpoint.js';

/** A violation as the projection holds it now, derived from its events in occurred-at order. */
export const ViolationView = z
  .object({
    ref: z.string(),
    status: z.enum(VIOLATION_STATUSES),
    plate: z.string().nullable(),
    plateKey: z.string().nullable(),
    detectedPlate: z.string().nullable(),
    cameraId: z.string().nullable(),
    district: z.string().nullable(),
    article: z.string().nullable(),
    fineAmount: z.number().nullable(),
    paidAmount: z.number(),
    amountOwed: z.number(),
    detectedAt: isoInstant.nullable(),
    lastEventAt: isoInstant.nullable(),
    /** The status each source's own events imply; the sources-disagree rule judges them by source kind. */
    statusBySource: z.record(z.string(), z.enum(VIOLATION_STATUSES)),
    officerIds: z.array(z.string()),
    eventCount: z.number().int(),
    anomalies: z.array(z.unknown()),
  })
  .meta({ id: 'ViolationView' });
export type ViolationView = z.infer<typeof ViolationView>;

/** A lifecycle event as the ledger stored it (validated and normalised when it was ingested). */
export const StoredLifecycleEvent = z
  .object({
    source: z.string(),
    eventId: z.string(),
    violationRef: z.string(),
    type: z.enum(EVENT_TYPES),
    occurredAt: isoInstant,
    recordedAt: isoInstant.optional(),
    actor: z.object({ kind: z.enum(ACTOR_KINDS), id: z.string(), unit: z.string().optional(), workstation: z.string().optional() }),
    payload: z.record(z.string(), z.unknown()).meta({ description: "the payload of the event's type, as the ingest contract defines it" }),
  })
  .meta({ id: 'StoredLifecycleEvent' });
export type StoredLifecycleEvent = z.infer<typeof StoredLifecycleEvent>;

/** One step of a violation's timeline, with the ledger row and hashes that tie it to its chain. */
export const ViolationTimelineEntry = z
  .object({
    event: StoredLifecycleEvent,
    ledger: z.object({ rowId: z.string(), chainId: z.string(), chainSeq: z.string(), contentHash: z.string(), chainHash: z.string(), receivedAt: isoInstant }),
  })
  .meta({ id: 'ViolationTimelineEntry' });
export type ViolationTimelineEntry = z.infer<typeof ViolationTimelineEntry>;

export const ViolationDetail = z.object({ violation: ViolationView, timeline: z.array(ViolationTimelineEntry) }).meta({ id: 'ViolationDetail' });
export type ViolationDetail = z.infer<typeof ViolationDetail>;

export const PlateStatement = z
  .object({
    plate: z.string(),
    plateKey: z.string(),
    violations: z.array(ViolationView),
    /** What is owed now across every open violation of the plate. */
    totalOwed: z.number(),
    openCount: z.number().int(),
    withheldForRecusal: z.number().int().min(0).meta({ description: "violations left out because the reader's own officer record or unit handled them (recusal)" }),
  })
  .meta({ id: 'PlateStatement' });
export type PlateStatement = z.infer<typeof PlateStatement>;

export const violationEndpoints = {
  get: endpoint({
    method: 'GET',
    path: '/v1/violations/{ref}',
    tag: 'violations',
    access: ['prosecutor', 'auditor', 'admin'],
    summary: 'A violation: its current state, derived in occurred-at order, and its full timeline with ledger hashes',
    params: z.object({ ref: z.string().meta({ description: 'the violation reference' }) }),
    response: ViolationDetail,
  }),
  plate: endpoint({
    method: 'GET',
    path: '/v1/plates/{plate}/violations',
    tag: 'violations',
    access: ['prosecutor', 'auditor', 'admin'],
    summary: "All violations of a plate, however it was typed (look-alike Cyrillic letters, spaces), and what is owed now: the register's one answer",
    params: z.object({ plate: z.string().meta({ description: 'the plate as typed (1-20 characters)' }) }),
    response: PlateStatement,
  }),
} satisfies Record<string, EndpointContract>;
