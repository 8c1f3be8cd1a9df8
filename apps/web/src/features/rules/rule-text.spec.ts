import { describe, expect, it } from 'vitest';
import { localParameterDescription, localRuleText } from './rule-text.js';

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

describe('localParameterDescription', () => {
  const rule = {
    parameters: { minShare: { default: 0.5, description: 'Smallest share of the plate\u2019s detections rejected or cancelled.' }, alpha: { default: 0.05, description: 'False discovery rate.' } },
    translations: {
      ru: { ...translated.translations.ru, parameters: { minShare: 'Наименьшая доля фиксаций номера, которые были отклонены.', alpha: '  ' } },
      kk: { ...translated.translations.kk, parameters: { minShare: 'Нөмір тіркеулерінің қабылданбаған ең аз үлесі.' } },
    },
  };

  it('gives each reader the parameter\u2019s description in their language', () => {
    expect(localParameterDescription(rule, 'minShare', 'ru')).toBe('Наименьшая доля фиксаций номера, которые были отклонены.');
    expect(localParameterDescription(rule, 'minShare', 'kk-KZ')).toBe('Нөмір тіркеулерінің қабылданбаған ең аз үлесі.');
    expect(localParameterDescription(rule, 'minShare', 'en')).toBe('Smallest share of the plate\u2019s detections rejected or cancelled.');
  });

  it('falls back to the English for a parameter without a translation, an empty one or a rule without translations', () => {
    expect(localParameterDescription(rule, 'alpha', 'ru')).toBe('False discovery rate.');
    expect(localParameterDescription(rule, 'alpha', 'kk')).toBe('False discovery rate.');
    expect(localParameterDescription({ parameters: rule.parameters }, 'minShare', 'ru')).toBe('Smallest share of the plate\u2019s detections rejected or cancelled.');
    const edited = { parameters: { minShare: { default: 1 } }, translations: { ru: { parameters: 'доля' } } } as unknown as Parameters<typeof localParameterDescription>[0];
    expect(localParameterDescription(edited, 'minShare', 'ru')).toBe('');
  });
});
