import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEME_IDS, SCHEMES, type SchemeDefinition } from '@qadaga/domain';
import { explain } from './explain.js';
import { loadRulePack, RULE_PACK_DIRECTORY } from './pack.js';
import { LANGUAGES } from './rule-definition.js';
import { validateRule } from './validate-rule.js';

const files = readdirSync(RULE_PACK_DIRECTORY).filter((name) => name.endsWith('.json'));

describe('the built-in rule pack', () => {
  it.each(files)('%s is a valid rule named after its id', (file) => {
    const result = validateRule(JSON.parse(readFileSync(new URL(file, RULE_PACK_DIRECTORY), 'utf8')));
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (result.ok) expect(`${result.rule.id}.json`).toBe(file);
  });

  it('covers every scheme with at least one rule, on the scheme\u2019s subject kind or one it is rolled up on', () => {
    const pack = loadRulePack();
    expect(pack).toHaveLength(files.length);
    const covered = new Set(pack.map((rule) => rule.detects));
    expect(SCHEME_IDS.filter((scheme) => !covered.has(scheme))).toEqual([]);
    for (const rule of pack) {
      const scheme: SchemeDefinition = SCHEMES[rule.detects];
      expect([scheme.subject, ...(scheme.rolledUpOn ?? [])]).toContain(rule.subject);
    }
  });

  it('has no version in the files: the store assigns it on publication', () => {
    for (const rule of loadRulePack()) expect(rule.version).toBeUndefined();
  });

  it('renders every explanation in every language even when the subject has no facts', () => {
    for (const rule of loadRulePack()) {
      const parameters = Object.fromEntries(Object.entries(rule.parameters).map(([name, parameter]) => [name, parameter.default]));
      const rendered = explain(rule, { subjectId: 'X', windowDays: rule.windowDays, facts: {}, parameters });
      for (const language of LANGUAGES) {
        expect(rendered[language]).not.toMatch(/[{}]|undefined|NaN/);
        expect(rendered[language]).toMatch(/\u2014/);
      }
    }
  });

  it('writes Russian and Kazakh explanations in Cyrillic, not as copies of the English', () => {
    for (const rule of loadRulePack()) {
      expect(rule.explanation.ru).toMatch(/[а-яё]{4,}/u);
      expect(rule.explanation.kk).toMatch(/[әғқңөұүһі]/u);
      expect(rule.explanation.ru).not.toBe(rule.explanation.kk);
    }
  });

  it('translates every name and description into Russian and Kazakh, in Cyrillic, not as copies of the English', () => {
    for (const rule of loadRulePack()) {
      const { translations } = rule;
      expect(translations, rule.id).toBeDefined();
      if (translations === undefined) continue;
      for (const field of ['name', 'description'] as const) {
        const [ru, kk] = [translations.ru[field], translations.kk[field]];
        expect(ru, `${rule.id} ru ${field}`).toMatch(/[а-яё]{4,}/u);
        expect(kk, `${rule.id} kk ${field}`).toMatch(/[а-яё]{4,}/u);
        expect(kk, `${rule.id} kk ${field}`).toMatch(/[әғқңөұүһі]/u);
        for (const text of [ru, kk]) {
          expect(text, `${rule.id} ${field}`).not.toBe(rule[field]);
          // Mostly Cyrillic: Latin only for names such as EWMA, MAD or Benjamini-Hochberg's formula letters.
          const letters = text.match(/\p{L}/gu) ?? [];
          const latin = letters.filter((letter) => /[A-Za-z]/.test(letter));
          expect(latin.length / letters.length, `${rule.id} ${field}: ${text}`).toBeLessThan(0.1);
        }
        expect(ru).not.toBe(kk);
      }
    }
  });

  it('translates every parameter description into Russian and Kazakh, in Cyrillic, not as copies of the English', () => {
    for (const rule of loadRulePack()) {
      const names = Object.keys(rule.parameters).sort();
      for (const language of ['ru', 'kk'] as const) {
        const translated = rule.translations?.[language].parameters ?? {};
        expect(Object.keys(translated).sort(), `${rule.id} ${language}`).toEqual(names);
      }
      for (const name of names) {
        const english = rule.parameters[name]?.description;
        const ru = rule.translations?.ru.parameters?.[name] ?? '';
        const kk = rule.translations?.kk.parameters?.[name] ?? '';
        expect(ru, `${rule.id} ru ${name}`).toMatch(/[а-яё]{4,}/u);
        expect(kk, `${rule.id} kk ${name}`).toMatch(/[әғқңөұүһі]/u);
        expect(ru, `${rule.id} ${name}`).not.toBe(kk);
        for (const text of [ru, kk]) {
          expect(text, `${rule.id} ${name}`).not.toBe(english);
          const letters = text.match(/\p{L}/gu) ?? [];
          expect(letters.filter((letter) => /[A-Za-z]/.test(letter)).length / letters.length, `${rule.id} ${name}: ${text}`).toBeLessThan(0.1);
        }
      }
    }
  });

  it('refuses parameter translations that are empty, name an undeclared parameter or leave one out', () => {
    const rule = loadRulePack().find((candidate) => Object.keys(candidate.parameters).length >= 2);
    if (rule === undefined || rule.translations === undefined) throw new Error('the pack has no translated rule with two parameters');
    const [first, second] = Object.keys(rule.parameters) as [string, string];
    const withRussian = (parameters: unknown) => {
      const result = validateRule({ ...rule, translations: { ...rule.translations, ru: { ...rule.translations?.ru, parameters } } });
      return result.ok ? [] : result.errors;
    };
    const all = rule.translations.ru.parameters ?? {};
    expect(withRussian(all)).toEqual([]);
    expect(withRussian({ ...all, [first]: '  ' }).map((error) => error.path)).toContain(`translations.ru.parameters.${first}`);
    const unknown = withRussian({ ...all, noSuchParameter: 'Порог' });
    expect(unknown).toContainEqual(expect.objectContaining({ path: 'translations.ru.parameters.noSuchParameter', code: 'parameterTranslationUndeclared', params: expect.objectContaining({ name: 'noSuchParameter' }) }));
    const { [second]: _left, ...withoutSecond } = all;
    expect(withRussian(withoutSecond)).toContainEqual(expect.objectContaining({ path: 'translations.ru.parameters', code: 'parameterTranslationMissing', params: { names: second } }));
    expect(withRussian({ ...all, [first]: 7 }).map((error) => error.path)).toContain(`translations.ru.parameters.${first}`);
  });

  it('refuses translations that are empty, incomplete or carry unknown keys', () => {
    const [rule] = loadRulePack();
    if (rule === undefined) throw new Error('the pack is empty');
    const paths = (translations: unknown) => {
      const result = validateRule({ ...rule, translations });
      return result.ok ? [] : result.errors.map((error) => error.path);
    };
    expect(paths({ ru: { name: 'Имя', description: 'Описание' }, kk: { name: 'Атауы', description: 'Сипаттамасы' } })).toEqual([]);
    expect(paths({ ru: { name: '  ', description: 'Описание' }, kk: { name: 'Атауы', description: 'Сипаттамасы' } })).toContain('translations.ru.name');
    expect(paths({ ru: { name: 'Имя', description: 'Описание' } })).toContain('translations.kk');
    expect(paths({ ru: { name: 'Имя', description: 'Описание', note: 'x' }, kk: { name: 'Атауы', description: 'Сипаттамасы' } })).not.toEqual([]);
    expect(paths({ ru: { name: 'Имя', description: 'Описание' }, kk: { name: 'Атауы', description: 'Сипаттамасы' }, en: { name: 'x', description: 'y' } })).not.toEqual([]);
    const { translations: _dropped, ...withoutTranslations } = rule;
    expect(validateRule(withoutTranslations).ok).toBe(true);
  });
});
