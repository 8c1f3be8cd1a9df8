import { describe, expect, it } from 'vitest';
import { localRuleText } from './rule-text.js';

const english = { name: 'Protected plate', description: 'Per plate over 180 days.' };
const translated = {
  ...english,
  translations: {
    ru: { name: 'Защищённый номер', description: 'По номеру за 180 дней.' },
    kk: { name: 'Қорғалған нөмір', description: 'Нөмір бойынша 180 күн ішінде.' },
  },
};

describe('localRuleText', () => {
  it('gives the Russian and Kazakh texts to their readers and the English to English readers', () => {
    expect(localRuleText(translated, 'ru')).toEqual(translated.translations.ru);
    expect(localRuleText(translated, 'kk')).toEqual(translated.translations.kk);
    expect(localRuleText(translated, 'en')).toEqual(english);
  });

  it('reads a regional language tag by its language', () => {
    expect(localRuleText(translated, 'ru-KZ').name).toBe('Защищённый номер');
    expect(localRuleText(translated, 'kk-KZ').name).toBe('Қорғалған нөмір');
  });

  it('falls back to English for a rule without translations, an unknown language or an empty text', () => {
    expect(localRuleText(english, 'ru')).toEqual(english);
    expect(localRuleText(english, 'kk')).toEqual(english);
    expect(localRuleText(translated, 'de')).toEqual(english);
    const blankName = { ...translated, translations: { ...translated.translations, kk: { name: ' ', description: 'Нөмір бойынша.' } } };
    expect(localRuleText(blankName, 'kk')).toEqual({ name: 'Protected plate', description: 'Нөмір бойынша.' });
  });

  it('reads what is not text in an edited definition as missing', () => {
    const edited = { name: 'Protected plate', translations: { ru: 'Защищённый номер', kk: { name: 7 } } } as unknown as Parameters<typeof localRuleText>[0];
    expect(localRuleText(edited, 'ru')).toEqual({ name: 'Protected plate', description: '' });
    expect(localRuleText(edited, 'kk')).toEqual({ name: 'Protected plate', description: '' });
  });
});
