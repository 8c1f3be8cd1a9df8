import { useEffect, useRef } from 'react';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { jsonLanguage } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, lintKeymap } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { jsonSchema, updateSchema } from 'codemirror-json-schema';
import type { JSONSchema7 } from 'json-schema';
import { factCompletion, factNamesIn } from './fact-completion.js';

/**
 * The rule's JSON in CodeMirror: syntax errors and the rule format's JSON Schema (generated
 * on the server from the rule definition) checked as the author types, with completion of
 * field names, enums and fact names (inside the condition tree too: fact-completion.ts), and hover help. The text stays the page's: a moved
 * slider rewrites it here, and every edit is handed back through onChange. Imported only
 * by the rule editor page, a lazy route, so none of it weighs on the first load.
 */
export function JsonRuleEditor({
  value,
  onChange,
  schema,
  label,
}: {
  value: string;
  onChange: (text: string) => void;
  schema: Record<string, unknown> | undefined;
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latestOnChange = useRef(onChange);
  latestOnChange.current = onChange;
  const readOnlyLabel = useRef(new Compartment());
  const factNames = useRef<readonly string[]>(factNamesIn(schema));

  useEffect(() => {
    if (host.current === null) return;
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          foldGutter(),
          lintGutter(),
          history(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          autocompletion({ activateOnTyping: true }),
          highlightActiveLine(),
          // Descriptions and explanation templates are long lines; wrapped, a rule reads without scrolling sideways.
          EditorView.lineWrapping,
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...foldKeymap, ...completionKeymap, ...lintKeymap, indentWithTab]),
          jsonSchema((schema ?? {}) as JSONSchema7),
          jsonLanguage.data.of({ autocomplete: factCompletion(() => factNames.current) }),
          readOnlyLabel.current.of(EditorView.contentAttributes.of({ 'aria-label': label })),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latestOnChange.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
    // Created once; the text, schema and label below are pushed into the live editor.
  }, []);

  // A change made outside (a slider, a number field) replaces the text, keeping the cursor where it can.
  useEffect(() => {
    const current = view.current;
    if (current === null) return;
    const doc = current.state.doc.toString();
    if (doc === value) return;
    const head = Math.min(current.state.selection.main.head, value.length);
    current.dispatch({ changes: { from: 0, to: doc.length, insert: value }, selection: { anchor: head } });
  }, [value]);

  useEffect(() => {
    factNames.current = factNamesIn(schema);
    if (view.current !== null && schema !== undefined) updateSchema(view.current, schema as JSONSchema7);
  }, [schema]);

  useEffect(() => {
    view.current?.dispatch({ effects: readOnlyLabel.current.reconfigure(EditorView.contentAttributes.of({ 'aria-label': label })) });
  }, [label]);

  return <div ref={host} className="rule-json-editor" data-testid="rule-json-editor" />;
}
