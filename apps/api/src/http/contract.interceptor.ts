import { HttpStatus, Inject, Injectable, InternalServerErrorException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, type Observable } from 'rxjs';
import { jsonResponseOf, type EndpointContract } from '@qadaga/contracts/api';
import { CONTRACT_KEY, type RequestWithInput } from './endpoint.decorator.js';
import { parseOr422 } from './parse.js';

/**
 * Every request is read and every answer leaves through its endpoint's contract. The
 * query (400) and the JSON body (422) are parsed before the handler runs, naming each
 * field that is wrong. The answer is parsed too: a field the contract does not declare is
 * dropped, so a column added to a query cannot leak a plate or an officer the contract
 * never promised, and an answer of another shape is withheld as a server fault (500),
 * never sent for the browser to misread.
 */
@Injectable()
export class ContractInterceptor implements NestInterceptor {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const contract = this.reflector.get<EndpointContract | undefined>(CONTRACT_KEY, context.getHandler());
    if (contract === undefined) return next.handle();
    const request = context.switchToHttp().getRequest<RequestWithInput & { query?: unknown; body?: unknown }>();
    request.parsedInput = {
      ...(contract.query === undefined ? {} : { query: parseOr422(contract.query, request.query ?? {}, 'query') }),
      ...(contract.body === undefined ? {} : { body: parseOr422(contract.body, request.body, 'body') }),
    };
    // A handler that sent its answer itself (public figures, checked against the contract once
    // when computed and reused as bytes) has nothing left to parse.
    const reply = context.switchToHttp().getResponse<{ sent?: boolean }>();
    return next.handle().pipe(map((answer: unknown) => (reply.sent === true ? answer : answerThrough(contract, answer))));
  }
}

/** The answer as its contract declares it, or a 500 that says the answer was withheld. */
export function answerThrough(contract: EndpointContract, answer: unknown): unknown {
  const schema = jsonResponseOf(contract);
  if (schema === null) return answer;
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`);
  console.error(`${contract.method} ${contract.path} answered outside its contract`, where);
  throw new InternalServerErrorException({
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    message: 'the answer did not match its published contract and was withheld; anything the request changed was kept',
    reasons: [],
  });
}
