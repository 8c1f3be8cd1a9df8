import type { RuleDefinition } from '@qadaga/contracts/api';

export interface RuleText {
  name: string;
  description: string;
}

const TRANSLATED_LANGUAGES = ['ru', 'kk'] as const;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/**
 * A rule's name and description in the reader's language: the Russian or Kazakh translation
 * when the rule has one, otherwise (English reader, a rule without translations, or an empty
 * translated text) the English `name` and `description`. Each field falls back on its own.
 * `language` is i18next's, so a regional tag such as 'ru-KZ' reads as 'ru'. The editor's JSON
 * is only shape-checked, so whatever is not a string there reads as missing.
 */
export function localRuleText(definition: Pick<RuleDefinition, 'name' | 'description' | 'translations'>, language: string): RuleText {
  const base = language.toLowerCase().split('-')[0];
  const translated = TRANSLATED_LANGUAGES.find((candidate) => candidate === base);
  const translation: unknown = translated === undefined ? undefined : (definition.translations as Record<string, unknown> | undefined)?.[translated];
  const field = (key: keyof RuleText) => (typeof translation === 'object' && translation !== null ? text((translation as Record<string, unknown>)[key]) : undefined);
  return {
    name: field('name') ?? text(definition.name) ?? '',
    description: field('description') ?? text(definition.description) ?? '',
  };
}
