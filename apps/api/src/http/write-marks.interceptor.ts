import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, mergeMap, type Observable } from 'rxjs';
import { ReadRouting } from '@qadaga/db';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * After a person's request that may have written (any method but GET, HEAD and OPTIONS)
 * succeeds, and before it is answered, notes the primary's WAL position for them: their
 * next reads wait for the replica to pass it or go to the primary (see ReadRouting).
 * Nothing to do without a replica.
 */
@Injectable()
export class WriteMarksInterceptor implements NestInterceptor {
  constructor(@Inject(ReadRouting) private readonly reads: ReadRouting) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reads.hasReplica || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (READS.has(request.method)) return next.handle();
    return next.handle().pipe(
      mergeMap((answer) => {
        const person = request.principal?.id;
        return person === undefined ? [answer] : from(this.reads.noteWrite(person).then(() => answer));
      }),
    );
  }
}
