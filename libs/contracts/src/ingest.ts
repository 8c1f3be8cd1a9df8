import type { FieldError } from './lifecycle-event.schema.js';

/** What happened to one event of a request, in the order the events were sent. */
export type IngestOutcome =
  | { index: number; eventId: string; status: 'accepted'; contentHash: string; chainSeq: string }
  | { index: number; eventId: string; status: 'duplicate'; contentHash: string }
  | { index: number; eventId: string | null; status: 'rejected'; reasons: FieldError[] };

export interface IngestSummary {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Violations whose timeline changed. */
  violations: number;
}

export interface IngestResponse {
  summary: IngestSummary;
  results: IngestOutcome[];
}

/** Stable reason codes a client can branch on; the message says it in words. */
export const CONFLICT_MESSAGE =
  'an event with this source and eventId was already accepted with different content; the new version was refused and recorded for audit';
