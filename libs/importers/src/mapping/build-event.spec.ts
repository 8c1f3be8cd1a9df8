import { describe, expect, it } from 'vitest';
import { buildEvent } from './build-event.js';
import { explainFieldError, missing, quoteValue, value, type Evaluation, type ValueScope } from './evaluate-expression.js';
import type { EventTemplate } from './event-template.js';
import type { Expr } from './expression.js';

function scopeOf(cells: Record<string, string>): ValueScope {
  const cell = (name: string): Evaluation => (cells[name] === undefined || cells[name] === '' ? missing(`column "${name}" is empty`) : value(cells[name] ?? ''));
  return { timeZone: 'Asia/Almaty', leaf: (expr: Expr) => cell(expr.column ?? ''), placeholder: (name: string) => cell(name.replace(/^column:/u, '')) };
}

const template: EventTemplate = {
  occurredAt: { column: 'detected_at', as: 'instant', format: 'dd.MM.yyyy HH:mm' },
  actor: { kind: 'system', id: { column: 'camera' } },
  payload: { article: { const: '592.1' }, plate: { column: 'plate' }, speed: { column: 'speed', as: 'number', optional: true } },
};
const identity = { source: 'register', eventId: 'T-1', violationRef: 'T-1', sourceActivity: 'DETECTED' };

describe('field limits in import errors', () => {
  it('names the column, the value cut to 40 characters and the limit when a value is too long', () => {
    const plate = 'ab12'.repeat(16);
    const built = buildEvent('detected', template, scopeOf({ detected_at: '16.03.2026 07:58', camera: 'CAM-1', plate }), identity);
    expect(built).toEqual({
      ok: false,
      issues: [{ path: 'detected.payload.plate', message: `column "plate": "${plate.slice(0, 40)}...(64 chars)" is longer than 20 characters` }],
    });
  });

  it('names the column and the value for other limits too', () => {
    const built = buildEvent('detected', template, scopeOf({ detected_at: '16.03.2026 07:58', camera: 'CAM-1', plate: '318BCD02', speed: '900' }), identity);
    expect(built).toEqual({ ok: false, issues: [{ path: 'detected.payload.speed', message: 'column "speed": 900 is refused: Too big: expected number to be <=500' }] });
  });

  it('quotes short text whole and long text cut, with its length', () => {
    expect(quoteValue('318BCD02')).toBe('"318BCD02"');
    expect(quoteValue('x'.repeat(41))).toBe(`"${'x'.repeat(40)}...(41 chars)"`);
    expect(explainFieldError({ path: 'payload.article', message: 'must not be empty' }, { payload: { article: '' } }, { ...template, payload: { article: { const: '' } } })).toBe('"" must not be empty');
  });
});

describe('place', () => {
  it('writes district and address beside the coordinates, and leaves an optional empty address out', () => {
    const placed: EventTemplate = {
      ...template,
      payload: {
        article: { const: '592.1' },
        place: { lat: { column: 'lat', as: 'number' }, lon: { column: 'lon', as: 'number' }, district: { column: 'district', trim: true }, address: { column: 'street', optional: true } },
      },
    };
    const built = buildEvent('detected', placed, scopeOf({ detected_at: '16.03.2026 07:58', camera: 'CAM-1', lat: '43.2389', lon: '76.8897', district: ' Almaly ' }), identity);
    expect(built.ok && built.event.payload).toEqual({ article: '592.1', place: { lat: 43.2389, lon: 76.8897, district: 'Almaly' }, sourceActivity: 'DETECTED' });
  });
});
