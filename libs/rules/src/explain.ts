import { formatProbability, formatValue } from './explanation/formats.js';
import { parseTemplate, type Placeholder } from './explanation/template.js';
import { LANGUAGES, type Language, type RuleDefinition } from './rule-definition.js';

/**
 * Turns a rule's explanation templates into the sentences a prosecutor reads, in each of
 * the product's languages, with the subject's own numbers. A flag is an alert, not proof:
 * the sentence must carry the numbers behind it so that the reader can judge it.
 */

export interface ExplanationContext {
  subjectId: string;
  windowDays: number;
  facts: Readonly<Record<string, unknown>>;
  parameters: Readonly<Record<string, number>>;
}

export interface MultipleTestingNote {
  /** How many subjects were tested together. */
  tested: number;
  qValue: number;
  alpha: number;
}

export type Explanation = Record<Language, string>;

function valueOf(placeholder: Placeholder, context: ExplanationContext): unknown {
  const { source } = placeholder;
  switch (source.kind) {
    case 'fact':
      return Object.hasOwn(context.facts, source.name) ? context.facts[source.name] : undefined;
    case 'parameter':
      if (!Object.hasOwn(context.parameters, source.name)) {
        throw new Error(`explanation uses ${placeholder.text} but the rule has no parameter "${source.name}"`);
      }
      return context.parameters[source.name];
    case 'builtIn':
      return context[source.name];
  }
}

/** Renders one template in one language. A template that does not parse is refused, never half-rendered. */
export function renderExplanation(template: string, context: ExplanationContext, language: Language): string {
  const { parts, errors } = parseTemplate(template);
  if (errors.length > 0) throw new Error(`bad explanation template: ${errors.join('; ')}`);
  return parts
    .map((part) => (typeof part === 'string' ? part : formatValue(valueOf(part, context), part.format, language)))
    .join('');
}

/** The sentence that tells the reader the flag survived a correction for testing many subjects at once. */
export function renderMultipleTestingNote(note: MultipleTestingNote, language: Language): string {
  const tested = formatValue(note.tested, 'int', language);
  const q = formatProbability(note.qValue, language, 'q');
  const alpha = formatValue(note.alpha, undefined, language);
  switch (language) {
    case 'en':
      return `Tested together with all ${tested} subjects and corrected for multiple comparisons (Benjamini\u2013Hochberg): ${q}, threshold ${alpha}.`;
    case 'ru':
      return `Проверено вместе со всеми объектами (${tested}) с поправкой на множественные сравнения (Бенджамини\u00a0\u2014 Хохберг): ${q}, порог ${alpha}.`;
    case 'kk':
      return `Барлық ${tested} объектімен бірге тексеріліп, көптік салыстыруға түзетілді (Бенджамини\u00a0\u2014 Хохберг): ${q}, шегі ${alpha}.`;
  }
}

/** The rule's explanation in every language, followed by the multiple-testing note when there is one. */
export function explain(rule: Pick<RuleDefinition, 'explanation'>, context: ExplanationContext, note?: MultipleTestingNote): Explanation {
  const rendered = {} as Explanation;
  for (const language of LANGUAGES) {
    const sentence = renderExplanation(rule.explanation[language], context, language);
    rendered[language] = note === undefined ? sentence : `${sentence} ${renderMultipleTestingNote(note, language)}`;
  }
  return rendered;
}
