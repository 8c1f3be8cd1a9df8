import type { RuleDefinition } from '@qadaga/contracts/api';

export interface RuleText {
  name: string;
  description: string;
}

const TRANSLATED_LANGUAGES = ['ru', 'kk'] as const;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const record = (value: unknown): Record<string, unknown> | undefined => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined);

/** The Russian or Kazakh translation block for the reader's language, when the reader reads one and the rule has it. */
function translationOf(definition: Pick<RuleDefinition, 'translations'>, language: string): Record<string, unknown> | undefined {
  const base = language.toLowerCase().split('-')[0];
  const translated = TRANSLATED_LANGUAGES.find((candidate) => candidate === base);
  return translated === undefined ? undefined : record(record(definition.translations)?.[translated]);
}

/**
 * A rule's name and description in the reader's language: the Russian or Kazakh translation
 * when the rule has one, otherwise (English reader, a rule without translations, or an empty
 * translated text) the English `name` and `description`. Each field falls back on its own.
 * `language` is i18next's, so a regional tag such as 'ru-KZ' reads as 'ru'. The editor's JSON
 * is only shape-checked, so whatever is not a string there reads as missing.
 */
export function localRuleText(definition: Pick<RuleDefinition, 'name' | 'description' | 'translations'>, language: string): RuleText {
  const translation = translationOf(definition, language);
  const field = (key: keyof RuleText) => text(translation?.[key]);
  return {
    name: field('name') ?? text(definition.name) ?? '',
    description: field('description') ?? text(definition.description) ?? '',
  };
}

/**
 * What a parameter means, in the reader's language: the translation the rule gives for it,
 * otherwise (English reader, no translation of this parameter, an empty one, or whatever is
 * not text in an edited definition) the parameter's English description.
 */
export function localParameterDescription(definition: Pick<RuleDefinition, 'parameters' | 'translations'>, name: string, language: string): string {
  const translated = text(record(translationOf(definition, language)?.['parameters'])?.[name]);
  return translated ?? text(record(definition.parameters[name])?.['description']) ?? '';
}
