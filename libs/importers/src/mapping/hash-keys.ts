import { createSecretKey, type KeyObject } from 'node:crypto';
import { formatPath, type FieldIssue } from '../shared/issues.js';
import type { Expr } from './expression.js';

/**
 * The keys of keyed hashes ("hash": "hmac-sha256"). A mapping names only the environment
 * variable that holds a key; the caller hands the environment to the loader, which binds
 * each key to its expression once, so a missing key stops the import at load time and
 * the key never sits in a mapping file. Without its key an expression is an error, never
 * a hash without a key: an unkeyed hash of a plate is reversed by hashing every plate.
 */

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The shortest key accepted. The key is all that keeps a pseudonym from being reversed,
 * so it must not be guessable either: 32 characters is the hex of 16 random bytes.
 */
export const MIN_HASH_KEY_LENGTH = 32;

/**
 * Held under a symbol: object spread copies it with the expression, JSON leaves it out,
 * and as a KeyObject it prints without its bytes.
 */
const HASH_KEY = Symbol('hash key');

type KeyedExpr = Expr & { [HASH_KEY]?: KeyObject };

function keyProblem(env: Environment | undefined, name: string): string | undefined {
  if (env === undefined) return `the hash key is read from environment variable "${name}", but the mapping was loaded without an environment`;
  const key = env[name];
  if (key === undefined || key === '') {
    return `environment variable "${name}" holds no hash key; set it to a secret of at least ${MIN_HASH_KEY_LENGTH} characters (an unkeyed hash of a plate is reversed by hashing every possible plate)`;
  }
  if (key.length < MIN_HASH_KEY_LENGTH) return `the hash key in environment variable "${name}" has ${key.length} characters; use at least ${MIN_HASH_KEY_LENGTH}`;
  return undefined;
}

/**
 * Binds the key of every keyed hash in a validated mapping, wherever the expression sits
 * (a payload field, a part of a sum, a condition), and names each one that has no usable key.
 */
export function bindHashKeys(mapping: unknown, env: Environment | undefined): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const visit = (node: unknown, path: PropertyKey[]): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...path, i]));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const expr = node as KeyedExpr;
    if (typeof expr.hash === 'string' && typeof expr.hashKeyEnv === 'string') {
      const problem = keyProblem(env, expr.hashKeyEnv);
      if (problem !== undefined) issues.push({ path: formatPath([...path, 'hashKeyEnv']), message: problem });
      else expr[HASH_KEY] = createSecretKey(env?.[expr.hashKeyEnv] ?? '', 'utf8');
    }
    for (const [key, child] of Object.entries(node)) visit(child, [...path, key]);
  };
  visit(mapping, []);
  return issues;
}

/** The key bound to this expression by bindHashKeys, if any. */
export function boundHashKey(expr: Expr): KeyObject | undefined {
  return (expr as KeyedExpr)[HASH_KEY];
}
