import type { BodyOf, EndpointContract, QueryOf, ResponseOf } from '@qadaga/contracts/api';
import { api, request, type RequestOptions } from './client.js';

/** The names in a contract's path (`/v1/flags/{id}` → `id`), each of which the caller must give. */
type ParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamNames<Rest> : never;

export type CallInput<E extends EndpointContract> = ([ParamNames<E['path']>] extends [never] ? { params?: undefined } : { params: Record<ParamNames<E['path']>, string> }) & {
  query?: QueryOf<E>;
  body?: BodyOf<E>;
  /** The public page calls without a token, and a 401 there must not end anyone's session. */
  anonymous?: boolean;
};

/** The contract's path with each parameter filled in and escaped. */
export function pathOf(contract: EndpointContract, params: Record<string, string> = {}): string {
  return contract.path.replace(/\{(\w+)\}/gu, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

function optionsOf<E extends EndpointContract>(contract: E, input: CallInput<E>): RequestOptions {
  return {
    method: contract.method,
    ...(input.query === undefined ? {} : { query: input.query as RequestOptions['query'] }),
    ...(input.body === undefined ? {} : { body: input.body }),
    ...(input.anonymous === true ? { anonymous: true } : {}),
  };
}

/**
 * Calls an endpoint by its contract: the method and path come from the contract, the
 * body and query are typed by it, and so is the answer. A field renamed on the server is
 * then a type error here, not a blank cell in a table.
 */
export function call<E extends EndpointContract>(contract: E, ...[input]: [ParamNames<E['path']>] extends [never] ? [CallInput<E>?] : [CallInput<E>]): Promise<ResponseOf<E>> {
  const given = (input ?? {}) as CallInput<E>;
  return api<ResponseOf<E>>(pathOf(contract, given.params as Record<string, string> | undefined), optionsOf(contract, given));
}

/** The raw response of an endpoint that answers bytes (a ZIP, a CSV). */
export function fetchBytes<E extends EndpointContract>(contract: E, input: CallInput<E>): Promise<Response> {
  return request(pathOf(contract, input.params as Record<string, string> | undefined), optionsOf(contract, input));
}
