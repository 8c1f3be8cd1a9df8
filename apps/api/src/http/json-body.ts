import { HttpStatus, type HttpException } from '@nestjs/common';
import { isStorableText } from '@qadaga/contracts';
import { apiError } from './api-error.js';

/** A key as a reason's path names it: plain when it reads plainly, as a JSON string otherwise. */
const pathKey = (key: string) => (/^[\w.-]+$/u.test(key) ? key : JSON.stringify(key));

/**
 * The path of the first member of a parsed JSON value (a key with its value) that `found`
 * picks, or "(body)" for the value itself. A walk with its own stack: the value may nest
 * deeper than the call stack would allow.
 */
function firstPathWhere(value: unknown, found: (node: unknown, key: string | null) => boolean): string | undefined {
  if (found(value, null)) return '(body)';
  const stack: { node: unknown; path: string }[] = [{ node: value, path: '' }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: string };
    if (typeof node !== 'object' || node === null) continue;
    const members = (Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node)).map(([key, child]) => ({
      key,
      child,
      at: path === '' ? pathKey(key) : `${path}.${pathKey(key)}`,
    }));
    const hit = members.find((m) => found(m.child, m.key));
    if (hit !== undefined) return hit.at;
    for (let i = members.length - 1; i >= 0; i -= 1) stack.push({ node: members[i]?.child, path: members[i]?.at ?? '' });
  }
  return undefined;
}

/**
 * Where a parsed JSON value holds a key that would reach an object's prototype if it were
 * ever copied by assignment: `__proto__`, or `constructor` holding `prototype` (the two
 * that Fastify's parser refuses). JSON.parse itself makes them plain own data, so this
 * only explains a refusal.
 */
export function forbiddenKeyPath(value: unknown): string | undefined {
  return firstPathWhere(
    value,
    (child, key) => key === '__proto__' || (key === 'constructor' && typeof child === 'object' && child !== null && Object.prototype.hasOwnProperty.call(child, 'prototype')),
  );
}

/** The 400 for a body with such a key, naming where it is. */
export function forbiddenKeyError(path: string): HttpException {
  return apiError(HttpStatus.BAD_REQUEST, `the body holds a key that may not be used: ${path}`, [
    { path, message: 'is a forbidden key: it would set the prototype of an object' },
  ]);
}

/** The 400 for a body that is not UTF-8 text. */
export function notUtf8Error(problem: string, where = '(body)'): HttpException {
  return apiError(HttpStatus.BAD_REQUEST, `the body ${problem}`, [{ path: where, message: problem }]);
}

/**
 * Where a parsed JSON body holds text no column can store, in a value or a key: NUL, or a
 * lone UTF-16 surrogate (which UTF-8 would silently turn into U+FFFD, and RFC 8785 refuses
 * to hash). Checked for every body at the door, so no handler writes half of a request and
 * then fails on its record in the access log.
 */
export function unstorableTextPath(value: unknown): string | undefined {
  return firstPathWhere(value, (node, key) => (key !== null && !isStorableText(key)) || (typeof node === 'string' && !isStorableText(node)));
}

/** The 422 for a body with such text, naming where it is. */
export function unstorableTextError(path: string): HttpException {
  return apiError(HttpStatus.UNPROCESSABLE_ENTITY, 'invalid body', [{ path, message: 'must not contain NUL characters or unpaired UTF-16 surrogates' }]);
}
