import { CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { json } from '@codemirror/lang-json';
import { ensureSyntaxTree } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { factCompletion, factNamesIn } from './fact-completion.js';

const SCHEMA = {
  properties: {
    display: { items: { properties: { fact: { type: 'string', enum: ['fastShare', 'decisions'] } } } },
    conditions: { $defs: { condition: { properties: { fact: { enum: ['cancelShare'] }, operator: { enum: ['greaterThan'] } } } } },
  },
};

/** Asks the source for completions with the cursor at the "|" of the text. */
function complete(textWithCursor: string): CompletionResult | null {
  const pos = textWithCursor.indexOf('|');
  const state = EditorState.create({ doc: textWithCursor.replace('|', ''), extensions: [json()] });
  ensureSyntaxTree(state, state.doc.length, 5_000);
  const source = factCompletion(() => factNamesIn(SCHEMA));
  return source(new CompletionContext(state, pos, true)) as CompletionResult | null;
}

describe('fact completion in the rule editor', () => {
  it('collects every fact name the schema allows, at any depth, once', () => {
    expect(factNamesIn(SCHEMA)).toEqual(['cancelShare', 'decisions', 'fastShare']);
  });

  it('offers the fact names inside a condition nested in all / any', () => {
    const result = complete('{"conditions": {"all": [{"any": [{"fact": "fa|", "operator": "greaterThan"}]}]}}');
    expect(result?.options.map((o) => o.label)).toEqual(['cancelShare', 'decisions', 'fastShare']);
    // What is replaced is the text inside the quotes, so choosing keeps them.
    expect(result?.from).toBe('{"conditions": {"all": [{"any": [{"fact": "'.length);
  });

  it('stays quiet for other keys, for the key itself and outside the quotes', () => {
    expect(complete('{"operator": "gr|"}')).toBeNull();
    expect(complete('{"fa|ct": "x"}')).toBeNull();
    expect(complete('{"fact": "x"|}')).toBeNull();
  });
});
