import { Controller, HttpStatus, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { CONFLICT_MESSAGE } from '@qadaga/contracts';
import { ingestEndpoints as api, type IngestOutcome, type IngestResponse } from '@qadaga/contracts/api';
import type { AppConfig } from '@qadaga/config';
import { ApiKeyRepository } from '@qadaga/db';
import { IngestPipeline, checkItem, type RawItem } from '@qadaga/ledger';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { APP_CONFIG } from '../core/tokens.js';
import { NdjsonLimitError, NdjsonTextError, readNdjson } from './ndjson-reader.js';
import { SingleEventBatcher } from './single-event-batcher.js';
import { JsonText } from './json-text.js';
import { apiError } from '../http/api-error.js';
import { notUtf8Error } from '../http/json-body.js';
import { Endpoint } from '../http/endpoint.decorator.js';

const STATUS_OF: Record<IngestOutcome['status'], number> = { accepted: 201, duplicate: 200, rejected: 422 };

/** Event bodies are read here, not by the contract: the ingest path judges each event itself and names every field that is wrong. */
@Controller()
export class IngestController {
  constructor(
    @Inject(IngestPipeline) private readonly pipeline: IngestPipeline,
    @Inject(SingleEventBatcher) private readonly batcher: SingleEventBatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ApiKeyRepository) private readonly keys: ApiKeyRepository,
  ) {}

  @Endpoint(api.single)
  async single(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @CurrentPrincipal() principal: Principal): Promise<IngestOutcome> {
    const checked = checkItem({ index: 0, value: request.body }, principal.sourceCode);
    let outcome: IngestOutcome;
    let wrongSource = false;
    if (checked.ok) {
      outcome = { ...(await this.batcher.submit(checked.event)), index: 0 };
    } else if (checked.wrongSource) {
      // Say more than the batch path can cheaply: whether the source exists at all.
      wrongSource = true;
      const source = (request.body as { source: string }).source;
      outcome = { ...checked.outcome, reasons: [{ path: 'source', message: await this.sourceMismatch(source, principal.sourceCode) }] };
    } else {
      outcome = checked.outcome;
    }
    const isConflict = outcome.status === 'rejected' && outcome.reasons.some((r) => r.message === CONFLICT_MESSAGE);
    const status = wrongSource ? 403 : isConflict ? 409 : STATUS_OF[outcome.status];
    // The status says what happened; the outcome leaves through its contract.
    void reply.status(status);
    return outcome;
  }

  /** Names the problem precisely: a source nobody registered, or another system's source. */
  private async sourceMismatch(source: string, own: string | null): Promise<string> {
    const known = await this.keys.sourceExists(source);
    return known ? `this key writes only events of source "${own ?? ''}"` : `unknown source system "${source}"; this key writes only events of source "${own ?? ''}"`;
  }

  @Endpoint(api.batch)
  async batch(@Req() request: FastifyRequest, @CurrentPrincipal() principal: Principal): Promise<IngestResponse> {
    if (request.body instanceof JsonText) {
      // The bytes are moved to an ingest thread; what comes back is the answer, or the text.
      const answer = await this.pipeline.ingestJsonText(request.body.bytes, { allowedSource: principal.sourceCode, maxEvents: this.config.ingest.maxBatchEvents });
      if ('notText' in answer) throw notUtf8Error(answer.notText);
      if (!('notABatch' in answer)) return answer;
      // Not a plain array within the limits: parsed and judged here, with the usual errors.
      request.body = await parseJsonBody(request, answer.notABatch);
    }
    const items = await this.itemsOf(request);
    return this.pipeline.ingest(items, { allowedSource: principal.sourceCode });
  }

  private async itemsOf(request: FastifyRequest): Promise<RawItem[]> {
    const { maxBatchEvents, maxBodyBytes, maxEventBytes } = this.config.ingest;
    const contentType = request.headers['content-type'] ?? '';
    if (contentType.startsWith('application/x-ndjson')) {
      try {
        return await readNdjson(request.body as Readable, { maxBytes: maxBodyBytes, maxEvents: maxBatchEvents, maxLineBytes: maxEventBytes });
      } catch (error) {
        if (error instanceof NdjsonLimitError) throw apiError(HttpStatus.PAYLOAD_TOO_LARGE, error.message, [{ path: error.field, message: error.message }]);
        if (error instanceof NdjsonTextError) throw apiError(HttpStatus.BAD_REQUEST, error.message, [{ path: error.field, message: error.message }]);
        throw error;
      }
    }
    const body = request.body;
    if (!Array.isArray(body)) {
      throw apiError(HttpStatus.BAD_REQUEST, 'the body must be a JSON array of events (or NDJSON with Content-Type application/x-ndjson)', [
        { path: '(body)', message: 'must be a JSON array' },
      ]);
    }
    if (body.length === 0) throw apiError(HttpStatus.BAD_REQUEST, 'the batch is empty', [{ path: '(body)', message: 'must hold at least one event' }]);
    if (body.length > maxBatchEvents) {
      throw apiError(HttpStatus.PAYLOAD_TOO_LARGE, `more than ${maxBatchEvents} events in one request`, [
        { path: '(body)', message: `holds ${body.length} events; the limit is ${maxBatchEvents}` },
      ]);
    }
    return body.map((value: unknown, index) => ({ index, value }));
  }
}

/**
 * Fastify's own JSON parser, so a body that fails fails with the error it always had. A
 * __proto__ or constructor key stays plain data, as on the ingest thread: the body's
 * shape is judged next, and events by the contract, which names such a key.
 */
function parseJsonBody(request: FastifyRequest, text: string): Promise<unknown> {
  const parse = request.server.getDefaultJsonParser('ignore', 'ignore');
  return new Promise((resolve, reject) => {
    parse(request, text, (error: Error | null, value?: unknown) => (error === null ? resolve(value) : reject(error)));
  });
}
