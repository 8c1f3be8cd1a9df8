import type { TFunction } from 'i18next';
import type { FlagDisplay } from '@qadaga/contracts/api';
import type { Formatters } from '../../format/format.js';
import { FACT_KEYS, factInWords } from '../../i18n/vocabulary.js';

type Unit = FlagDisplay['unit'];

/** A fact's name as a lawyer reads it, in the reader's language. */
export function factLabel(name: string, t: TFunction): string {
  const key = FACT_KEYS[name];
  return key === undefined ? factInWords(name) : t(key);
}

/**
 * A value in the words and unit its fact is measured in: a share as a percentage, days
 * and hours counted, a p-value as odds ("about 1 in 3,000,000"), a robust z as spreads
 * from the peers' middle, money in tenge, yes or no.
 */
export function valueInWords(value: number | boolean | null, unit: Unit, f: Formatters, t: TFunction): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? t('units.yes') : t('units.no');
  switch (unit) {
    case 'share':
      return f.percent(value);
    case 'count':
      return f.number(value, 0);
    case 'days':
      return t('units.days', { count: Math.round(value * 10) / 10 });
    case 'hours':
      return t('units.hours', { count: Math.round(value * 10) / 10 });
    case 'zScore':
      return t('units.zScore', { value: f.number(value, 1) });
    case 'pValue':
      return value <= 0 || value < 1e-9 ? t('units.pValueTiny') : t('units.pValue', { odds: f.number(Math.round(1 / value), 0) });
    case 'amount':
      return t('units.amount', { value: f.number(value, 0) });
    case 'ratio':
      return t('units.ratio', { value: f.number(value, 2) });
    case 'flag':
      return value !== 0 ? t('units.yes') : t('units.no');
  }
}

/** The axis of a chart in the same unit, shorter: 12 %, 3 d, 14.2. */
export function axisValue(value: number, unit: Unit, f: Formatters): string {
  return unit === 'share' ? f.percent(value) : f.number(value, unit === 'count' ? 0 : 1);
}
