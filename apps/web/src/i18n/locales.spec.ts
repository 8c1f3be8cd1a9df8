import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import kk from './locales/kk.json';
import ru from './locales/ru.json';

/**
 * Every text the workbench shows goes through translation, so a missing or stray key is a
 * visible bug: a key used in code but defined nowhere, defined in one language only, or
 * defined and never used. Plural keys must carry every plural form the language has.
 */
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOCALES = { en, ru, kk } as const;
const PLURAL = /_(zero|one|two|few|many|other)$/u;

function flatten(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree as Record<string, unknown>)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk2, vv] of flatten(v, key)) out.set(kk2, vv);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'locales' ? [] : sources(full);
    return /\.tsx?$/u.test(name) && !/\.spec\.tsx?$/u.test(name) ? [full] : [];
  });
}

const code = sources(SRC).map((f) => readFileSync(f, 'utf8')).join('\n');
const flat = Object.fromEntries(Object.entries(LOCALES).map(([lng, tree]) => [lng, flatten(tree)])) as Record<keyof typeof LOCALES, Map<string, string>>;
const baseKeys = (lng: keyof typeof LOCALES) => new Set([...flat[lng].keys()].map((k) => k.replace(PLURAL, '')));
const namespaces = new Set(Object.keys(en));

/** Keys appear in code as string literals: in t('…') calls or in the literal key maps beside enums. */
const literals = new Set([...code.matchAll(/['"`]([a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)['"`]/gu)].map((m) => m[1] ?? ''));
const called = new Set([...code.matchAll(/\bt\(\s*['"`]([^'"`]+)['"`]/gu)].map((m) => m[1] ?? ''));

describe('translations', () => {
  it('every language defines the same keys', () => {
    const reference = baseKeys('en');
    for (const lng of ['ru', 'kk'] as const) {
      const keys = baseKeys(lng);
      expect([...reference].filter((k) => !keys.has(k)), `missing in ${lng}`).toEqual([]);
      expect([...keys].filter((k) => !reference.has(k)), `only in ${lng}`).toEqual([]);
    }
  });

  it('plural keys carry every plural form of each language', () => {
    for (const lng of ['en', 'ru', 'kk'] as const) {
      const forms = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
      const plurals = new Set([...flat[lng].keys()].filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')));
      for (const base of plurals) {
        const missing = forms.filter((form) => !flat[lng].has(`${base}_${form}`));
        expect(missing, `${lng} ${base}`).toEqual([]);
      }
    }
  });

  it('no text is empty and interpolations match across languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/gu)].map((m) => m[1]).sort();
    for (const [key, text] of flat.en) {
      expect(text.trim(), key).not.toBe('');
      for (const lng of ['ru', 'kk'] as const) {
        // A language whose phrasing needs no plural ("3 из 40") may give one text; i18next falls back to it.
        const other = flat[lng].get(key) ?? flat[lng].get(key.replace(PLURAL, '_other')) ?? flat[lng].get(key.replace(PLURAL, ''));
        expect(other?.trim(), `${lng} ${key}`).toBeTruthy();
        if (!PLURAL.test(key)) expect(vars(other ?? ''), `${lng} ${key}`).toEqual(vars(text));
      }
    }
  });

  it('every key used in code is defined', () => {
    const defined = baseKeys('en');
    const used = [...called, ...[...literals].filter((k) => namespaces.has(k.split('.')[0] ?? ''))];
    expect(used.filter((k) => !defined.has(k))).toEqual([]);
  });

  it('every defined key is used in code', () => {
    expect([...baseKeys('en')].filter((k) => !literals.has(k))).toEqual([]);
  });
});
