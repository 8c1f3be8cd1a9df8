/**
 * One way to call the API: the session's bearer token, JSON in and out, and every error
 * turned into an ApiError that keeps the server's message and per-field reasons so the
 * page can show them in words. A 401 tells the session to end, which sends the user
 * back to sign-in.
 */

import { FieldErrorSchema, type FieldErrorAnswer } from '@qadaga/contracts/api';

/** A field the server refused, with its reason as a code the page can put in words (see ErrorMessage). */
export type Reason = FieldErrorAnswer;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reasons: Reason[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Listener = () => void;

let token: string | null = null;
const unauthorisedListeners = new Set<Listener>();

export function setToken(next: string | null): void {
  token = next;
}

export function currentToken(): string | null {
  return token;
}

export function onUnauthorised(listener: Listener): () => void {
  unauthorisedListeners.add(listener);
  return () => unauthorisedListeners.delete(listener);
}

function reasonsOf(body: unknown): Reason[] {
  if (typeof body !== 'object' || body === null) return [];
  const raw = (body as { reasons?: unknown }).reasons;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((r): r is { path?: unknown; message?: unknown } => typeof r === 'object' && r !== null)
    .map((r) => {
      const parsed = FieldErrorSchema.safeParse(r);
      return parsed.success ? parsed.data : { path: String(r.path ?? ''), message: String(r.message ?? '') };
    });
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  const message =
    typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : `${response.status} ${response.statusText}`.trim();
  return new ApiError(response.status, message, reasonsOf(body));
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Bytes sent as they are (a ZIP to verify), with their media type. */
  rawBody?: Blob;
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** The public page calls without a token, and a 401 there must not end anyone's session. */
  anonymous?: boolean;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (!options.anonymous && token !== null) headers['authorization'] = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.rawBody !== undefined) headers['content-type'] = options.contentType ?? 'application/octet-stream';
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(buildUrl(path, options.query), {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body }),
  });
  if (response.status === 401 && !options.anonymous) {
    for (const listener of unauthorisedListeners) listener();
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await request(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
