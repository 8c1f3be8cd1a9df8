export type { IngestOutcome, IngestSummary, IngestResponse } from './api/ingest.js';

/** Stable reason codes a client can branch on; the message says it in words. */
export const CONFLICT_MESSAGE =
  'an event with this source and eventId was already accepted with different content; the new version was refused and recorded for audit';
