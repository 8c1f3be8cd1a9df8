/**
 * A JSON request body left as its bytes, for a handler that decodes and parses it off
 * the main thread (decoding a batch of a megabyte here cost the thread that serves every
 * request about as much as parsing it).
 */
export class JsonText {
  constructor(readonly bytes: Buffer) {}
}

export const BATCH_INGEST_URL = '/v1/events/batch';
export const SINGLE_INGEST_URL = '/v1/events';
