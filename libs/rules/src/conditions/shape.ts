import { z } from 'zod';

/**
 * Structural check of a condition tree, node by node. A zod union over the recursive
 * tree would report "invalid input" at the root when one leaf is wrong; deciding the kind
 * of each node by its keys first lets every error name the exact node and field, such as
 * conditions.all[2].operator.
 */

export interface ShapeIssue {
  path: (string | number)[];
  message: string;
}

const meta = {
  name: z.string().min(1).optional(),
  priority: z.number().int().min(1).optional(),
};

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const factReference = z.strictObject({ fact: z.string().min(1), path: z.string().min(1).optional() });

const factConditionNode = z.strictObject({
  fact: z.string().min(1),
  operator: z.string().min(1),
  value: z.union([scalar, z.array(scalar), factReference], {
    error: 'must be a number, string, boolean, null, an array of those, or a reference { "fact": ..., "path"?: ... }',
  }),
  path: z.string().min(1).optional(),
  ...meta,
});
const allNode = z.strictObject({ all: z.array(z.unknown()), ...meta });
const anyNode = z.strictObject({ any: z.array(z.unknown()), ...meta });
const notNode = z.strictObject({ not: z.unknown(), ...meta });
const referenceNode = z.strictObject({ condition: z.string().min(1), ...meta });

const BRANCHES = ['all', 'any', 'not', 'condition', 'fact'] as const;

export function conditionShapeIssues(node: unknown, path: (string | number)[] = []): ShapeIssue[] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    return [{ path, message: 'a condition must be an object with one of: all, any, not, condition, fact' }];
  }
  const present = BRANCHES.filter((key) => Object.hasOwn(node, key));
  if (present.length !== 1) {
    return [
      {
        path,
        message:
          present.length === 0
            ? 'a condition needs exactly one of: all, any, not, condition (a named condition) or fact'
            : `a condition may have only one of ${present.join(', ')}`,
      },
    ];
  }
  const kind = present[0] as (typeof BRANCHES)[number];
  const schema = { all: allNode, any: anyNode, not: notNode, condition: referenceNode, fact: factConditionNode }[kind];
  const parsed = schema.safeParse(node);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      path: [...path, ...issue.path.map((key) => (typeof key === 'number' ? key : String(key)))],
      message: issue.message,
    }));
  }
  const record = node as Record<string, unknown>;
  if (kind === 'all' || kind === 'any') {
    const children = record[kind] as unknown[];
    if (children.length === 0) return [{ path: [...path, kind], message: `"${kind}" needs at least one condition` }];
    return children.flatMap((child, index) => conditionShapeIssues(child, [...path, kind, index]));
  }
  if (kind === 'not') return conditionShapeIssues(record['not'], [...path, 'not']);
  return [];
}

/** A fact condition may not stand at the top: json-rules-engine wants all, any, not or a reference there. */
export function topLevelShapeIssues(node: unknown, path: (string | number)[] = []): ShapeIssue[] {
  if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, 'fact')) {
    return [{ path, message: 'the top level must be all, any, not or a named condition; wrap a single fact condition in "all"' }];
  }
  return conditionShapeIssues(node, path);
}
