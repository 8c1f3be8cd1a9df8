import { canonicalEventForm } from '@qadaga/domain/hashing';
import type { CopyRow } from './copy-text.js';
import { eventFromStoredFields } from '../ledger-row.js';

/**
 * The canonical form of a streamed row's event: the event is rebuilt straight from the
 * COPY text (times already in ISO form, the payload parsed once) and handed to the
 * domain's canonical form, so the verifier hashes exactly what ingestion hashed.
 */
export function canonicalRowForm(row: CopyRow): string {
  return canonicalEventForm(eventFromStoredFields({ ...row, payload: JSON.parse(row.payload) as unknown }));
}
