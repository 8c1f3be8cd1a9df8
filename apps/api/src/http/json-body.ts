import { HttpStatus, type HttpException } from '@nestjs/common';
import { isStorableText } from '@qadaga/contracts';
import { apiError } from './api-error.js';

/**
 * Where a parsed JSON value holds a key that would reach an object's prototype if it were
 * ever copied by assignment: `__proto__`, or `constructor` holding `prototype` (the two
 * that Fastify's parser refuses). JSON.parse itself makes them plain own data, so this
 * only explains a refusal. A walk with its own stack: the value may nest deeper than the
 * call stack would allow.
 */
export function forbiddenKeyPath(value: unknown): string | undefined {
  const stack: { node: unknown; path: string }[] = [{ node: value, path: '' }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: string };
    if (typeof node !== 'object' || node === null) continue;
    const join = (key: string) => (path === '' ? key : `${path}.${key}`);
    if (Object.prototype.hasOwnProperty.call(node, '__proto__')) return join('__proto__');
    const ctor = (node as Record<string, unknown>)['constructor'];
    if (Object.prototype.hasOwnProperty.call(node, 'constructor') && typeof ctor === 'object' && ctor !== null && Object.prototype.hasOwnProperty.call(ctor, 'prototype')) {
      return join('constructor');
    }
    const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, child] = entries[i] as readonly [string, unknown];
      stack.push({ node: child, path: join(key) });
    }
  }
  return undefined;
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

/** A key as a reason's path names it: plain when it reads plainly, as a JSON string otherwise. */
const pathKey = (key: string) => (/^[\w.-]+$/u.test(key) ? key : JSON.stringify(key));

/**
 * Where a parsed JSON body holds text no column can store: NUL, or a lone UTF-16 surrogate
 * (which UTF-8 would silently turn into U+FFFD, and RFC 8785 refuses to hash). Checked for
 * every body at the door, so no handler writes half of a request and then fails on its
 * record in the access log. A walk with its own stack, like forbiddenKeyPath.
 */
export function unstorableTextPath(value: unknown): string | undefined {
  const stack: { node: unknown; path: string }[] = [{ node: value, path: '' }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: string };
    if (typeof node === 'string') {
      if (!isStorableText(node)) return path === '' ? '(body)' : path;
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, child] = entries[i] as readonly [string, unknown];
      const at = path === '' ? pathKey(key) : `${path}.${pathKey(key)}`;
      if (!isStorableText(key)) return at;
      stack.push({ node: child, path: at });
    }
  }
  return undefined;
}

/** The 422 for a body with such text, naming where it is. */
export function unstorableTextError(path: string): HttpException {
  return apiError(HttpStatus.UNPROCESSABLE_ENTITY, 'invalid body', [{ path, message: 'must not contain NUL characters or unpaired UTF-16 surrogates' }]);
}
