import { z } from 'zod';
import { lifecycleEventDocSchema } from '../lifecycle-event.schema.js';
import { FieldErrorSchema } from './common.js';
import { endpoint } from './endpoint.js';

/** One lifecycle event as a source writes it. */
export const LifecycleEventBody = lifecycleEventDocSchema.meta({ id: 'LifecycleEvent' });

/*
 * The answers of the ingest path. Ingest is the hot path: an answer of 10,000 results is
 * parsed on its way out, so these schemas stay plain (no refinements, no formats to check).
 */

/** What happened to one event of a request, in the order the events were sent. */
export const IngestOutcome = z
  .discriminatedUnion('status', [
    z.object({ index: z.number(), eventId: z.string(), status: z.literal('accepted'), contentHash: z.string(), chainSeq: z.string() }),
    z.object({ index: z.number(), eventId: z.string(), status: z.literal('duplicate'), contentHash: z.string() }),
    z.object({ index: z.number(), eventId: z.string().nullable(), status: z.literal('rejected'), reasons: z.array(FieldErrorSchema) }),
  ])
  .meta({ id: 'IngestOutcome' });
export type IngestOutcome = z.infer<typeof IngestOutcome>;

export const IngestSummary = z
  .object({
    accepted: z.number(),
    duplicates: z.number(),
    rejected: z.number(),
    /** Violations whose timeline changed. */
    violations: z.number(),
  })
  .meta({ id: 'IngestSummary' });
export type IngestSummary = z.infer<typeof IngestSummary>;

export const IngestResponse = z.object({ summary: IngestSummary, results: z.array(IngestOutcome) }).meta({ id: 'IngestResponse' });
export type IngestResponse = z.infer<typeof IngestResponse>;

export const ingestEndpoints = {
  single: endpoint({
    method: 'POST',
    path: '/v1/events',
    tag: 'ingest',
    access: ['source'],
    summary:
      'Record one lifecycle event: 201 accepted (committed before the answer), 200 duplicate (same source, eventId and content), 422 rejected with every reason; ' +
      'a different content under an accepted eventId is a conflict (409): refused and recorded for audit. A body that is not UTF-8 is refused with 400, naming where.',
    rawBody: { media: ['application/json'], schema: LifecycleEventBody, description: 'one lifecycle event; judged by the ingest path, which names every field that is wrong' },
    response: IngestOutcome,
    status: 201,
  }),
  batch: endpoint({
    method: 'POST',
    path: '/v1/events/batch',
    tag: 'ingest',
    access: ['source'],
    summary:
      'Record many lifecycle events: a JSON array (application/json) or one event per line (application/x-ndjson, parsed as it streams). Every event is answered on its own: ' +
      'accepted, duplicate, or rejected with every reason (field path and message). One bad event never sinks the batch; everything accepted is committed before the answer. ' +
      'Limits: INGEST_MAX_BATCH_EVENTS events and INGEST_MAX_BODY_BYTES bytes per request (413 beyond, nothing written), INGEST_MAX_EVENT_BYTES bytes and 32 levels of nesting ' +
      'per NDJSON line (that event refused). A body that is not UTF-8 is refused whole (400, naming where), never decoded with replacement characters.',
    rawBody: {
      media: ['application/json', 'application/x-ndjson'],
      schema: z.array(LifecycleEventBody),
      description: 'a JSON array of lifecycle events, or one event per line (NDJSON); read and judged by the ingest path itself, event by event',
    },
    response: IngestResponse,
  }),
};
