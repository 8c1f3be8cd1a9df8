import { applyDecorators, Delete, Get, HttpCode, Post, Put, SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { EndpointContract } from '@qadaga/contracts/api';

export const CONTRACT_KEY = 'qadaga:contract';

const ROUTE = { GET: Get, POST: Post, PUT: Put, DELETE: Delete } as const;

/**
 * Routes a handler by its contract: the method, the path and the success status come
 * from the contract itself, so the route cannot drift from what is documented, and the
 * ContractInterceptor finds the contract here to parse the request and check the answer.
 * Controllers carry no path prefix of their own.
 */
export function Endpoint(contract: EndpointContract): MethodDecorator {
  const route = contract.path.slice(1).replace(/\{(\w+)\}/gu, ':$1');
  return applyDecorators(ROUTE[contract.method](route), HttpCode(contract.status ?? 200), SetMetadata(CONTRACT_KEY, contract));
}

/** What the ContractInterceptor parsed, kept on the request for the handler. */
export interface ParsedInput {
  query?: unknown;
  body?: unknown;
}

export type RequestWithInput = { parsedInput?: ParsedInput };

/**
 * The handler's query or body as its contract parsed it (coerced, trimmed, lower-cased
 * ids). Type the parameter with ParsedQueryOf / ParsedBodyOf of the same contract.
 */
export const Input = createParamDecorator((where: keyof ParsedInput, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<RequestWithInput>().parsedInput?.[where];
});
