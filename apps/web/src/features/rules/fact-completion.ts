import type { CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import { syntaxTree } from '@codemirror/language';

/** Every name the rule format's schema allows under a "fact" key, wherever that key stands. */
export function factNamesIn(schema: unknown): string[] {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    const record = node as Record<string, unknown>;
    const fact = (record['properties'] as Record<string, { enum?: unknown }> | undefined)?.['fact'];
    if (Array.isArray(fact?.enum)) for (const name of fact.enum) if (typeof name === 'string') names.add(name);
    for (const value of Object.values(record)) walk(value);
  };
  walk(schema);
  return [...names].sort();
}

/**
 * Completes the value of any "fact" key with the catalogue's names. The schema lists them
 * and the schema's own completion offers them at the rule's top level, but it does not
 * reach into the recursive condition tree (all / any / not), which is where most facts are
 * written.
 */
export function factCompletion(names: () => readonly string[]): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const value = syntaxTree(context.state).resolveInner(context.pos, -1);
    if (value.name !== 'String' || value.parent?.name !== 'Property') return null;
    const key = value.parent.firstChild;
    if (key === null || key.name !== 'PropertyName' || context.state.sliceDoc(key.from, key.to) !== '"fact"') return null;
    const text = context.state.sliceDoc(value.from, value.to);
    const closed = text.length > 1 && text.endsWith('"');
    if (context.pos <= value.from || (closed && context.pos >= value.to)) return null;
    return {
      from: value.from + 1,
      to: closed ? value.to - 1 : value.to,
      options: names().map((label) => ({ label, type: 'constant' })),
      validFor: /^[\w$.]*$/u,
    };
  };
}
