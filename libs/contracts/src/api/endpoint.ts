import { z } from 'zod';
import type { Role } from './roles.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * What an endpoint answers with on success: a JSON body checked against a schema, bytes
 * of a media type (a ZIP, a CSV), or nothing (204).
 */
export type EndpointResponse = z.ZodType | { readonly media: string; readonly description: string } | 'empty';

/**
 * One endpoint of the API, declared once: the server routes, validates and answers
 * through it, the OpenAPI document is generated from it, and the workbench reads the
 * types inferred from it. Paths are written as OpenAPI writes them (`/v1/flags/{id}`).
 */
export interface EndpointContract {
  readonly method: HttpMethod;
  readonly path: `/${string}`;
  /** The group it is listed under in the API's documentation. */
  readonly tag: string;
  readonly summary: string;
  /** Who may call it: the roles, any one of which suffices, or anyone without credentials. */
  readonly access: 'public' | readonly [Role, ...Role[]];
  /** Path parameters, for the documentation; the server parses each with the same primitive (see ids.ts). */
  readonly params?: z.ZodObject;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /**
   * A body the handler reads itself (a stream of events, a ZIP to verify), documented
   * here with the media types it takes: the server does not parse it as JSON first.
   */
  readonly rawBody?: { readonly media: readonly string[]; readonly schema?: z.ZodType; readonly description: string };
  readonly response: EndpointResponse;
  /** The success status; 200 unless stated. */
  readonly status?: 200 | 201 | 202 | 204;
}

/** Declares an endpoint, keeping its exact type so its body, query and response can be inferred. */
export function endpoint<const E extends EndpointContract>(contract: E): E {
  return contract;
}

/** The JSON an endpoint answers with, as the browser reads it. */
export type ResponseOf<E extends EndpointContract> = E['response'] extends z.ZodType ? z.output<E['response']> : never;
/** The JSON body a caller sends. */
export type BodyOf<E extends EndpointContract> = E['body'] extends z.ZodType ? z.input<E['body']> : never;
/** The query a caller sends, before the server's coercion (numbers and lists are strings on the wire). */
export type QueryOf<E extends EndpointContract> = E['query'] extends z.ZodType ? z.input<E['query']> : never;
/** The body or query as the handler receives it, after the server parsed it. */
export type ParsedBodyOf<E extends EndpointContract> = E['body'] extends z.ZodType ? z.output<E['body']> : never;
export type ParsedQueryOf<E extends EndpointContract> = E['query'] extends z.ZodType ? z.output<E['query']> : never;

/** The schema of an endpoint's JSON answer, or null when it answers bytes or nothing. */
export function jsonResponseOf(contract: EndpointContract): z.ZodType | null {
  return contract.response instanceof z.ZodType ? contract.response : null;
}
