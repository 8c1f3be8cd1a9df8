import type { z } from 'zod';

/** One problem with a mapping file or a record, named by the path of the field at fault. */
export interface FieldIssue {
  path: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/u;

/** `activities["Create Fine"].emit[0].payload.fine.amount`: readable, and unambiguous for keys with spaces. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const name = String(segment);
      out += IDENTIFIER.test(name) ? (out === '' ? name : `.${name}`) : `[${JSON.stringify(name)}]`;
    }
  }
  return out === '' ? '(root)' : out;
}

/**
 * Zod reports an unknown key at the object that holds it; naming the key itself in the
 * path is what lets a user find the typo.
 */
export function issuesFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ path: formatPath([...prefix, ...issue.path, key]), message: 'unknown field' });
      }
    } else {
      issues.push({ path: formatPath([...prefix, ...issue.path]), message: issue.message });
    }
  }
  return issues;
}

export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n');
}

/** A mapping file that cannot be used; `issues` names every field at fault. */
export class MappingError extends Error {
  readonly issues: FieldIssue[];

  constructor(origin: string, issues: FieldIssue[]) {
    super(`${origin} is not a valid mapping:\n${describeIssues(issues)}`);
    this.name = 'MappingError';
    this.issues = issues;
  }
}
