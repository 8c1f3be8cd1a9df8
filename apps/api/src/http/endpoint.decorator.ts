import { applyDecorators, Delete, Get, HttpCode, Post, Put, SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { EndpointContract } from '@qadaga/contracts/api';
import { PUBLIC_KEY, ROLES_KEY } from '../auth/roles.decorator.js';

export const CONTRACT_KEY = 'qadaga:contract';

const ROUTE = { GET: Get, POST: Post, PUT: Put, DELETE: Delete } as const;

/**
 * Routes a handler by its contract: the method, the path, the success status and who may
 * call it come from the contract itself, so neither the route nor its access can drift
 * from what is documented; the guard reads the roles, and the ContractInterceptor finds
 * the contract here to parse the request and check the answer. Controllers carry no path
 * prefix of their own.
 */
export function Endpoint(contract: EndpointContract): MethodDecorator {
  const route = contract.path.slice(1).replace(/\{(\w+)\}/gu, ':$1');
  const access = contract.access === 'public' ? SetMetadata(PUBLIC_KEY, true) : SetMetadata(ROLES_KEY, contract.access);
  return applyDecorators(ROUTE[contract.method](route), HttpCode(contract.status ?? 200), SetMetadata(CONTRACT_KEY, contract), access);
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
