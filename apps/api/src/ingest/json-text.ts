/** A JSON request body left unparsed, for a handler that parses it off the main thread. */
export class JsonText {
  constructor(readonly text: string) {}
}

export const BATCH_INGEST_URL = '/v1/events/batch';
