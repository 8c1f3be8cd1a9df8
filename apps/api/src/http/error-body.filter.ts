import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

interface FastifyError {
  statusCode?: number;
  code?: string;
  message: string;
}

/**
 * Every error leaves in one shape: { statusCode, error, message, reasons[] }, where each
 * reason names a field path. Fastify's own errors (bad JSON, body too large, wrong
 * content type) are translated too, so a client never has to parse two formats.
 */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const body = typeof response === 'string' ? { message: response } : (response as Record<string, unknown>);
      const message = typeof body['message'] === 'string' ? body['message'] : exception.message;
      // Errors raised before a handler runs (unparseable JSON, body too large, wrong
      // content type) are about the body; the handlers' own errors carry their reasons.
      const path = [400, 413, 415].includes(status) ? '(body)' : '(request)';
      const reasons = Array.isArray(body['reasons']) ? body['reasons'] : [{ path, message }];
      void reply.status(status).send({ statusCode: status, error: errorName(status), message, reasons });
      return;
    }
    const fe = exception as FastifyError;
    if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      const path = fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.code?.startsWith('FST_ERR_CTP') ? '(body)' : '(request)';
      void reply.status(fe.statusCode).send({ statusCode: fe.statusCode, error: errorName(fe.statusCode), message: fe.message, reasons: [{ path, message: fe.message }] });
      return;
    }
    // Unexpected: answer without internals, and let the log carry the detail.
    console.error(exception);
    void reply.status(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'the request failed; writes are transactional, so nothing of it was kept: retry it', reasons: [] });
  }
}

function errorName(status: number): string {
  const names: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests' };
  return names[status] ?? 'Error';
}
