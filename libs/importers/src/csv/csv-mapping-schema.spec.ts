import { describe, expect, it } from 'vitest';
import { csvMappingSchema, referencedColumns } from './csv-mapping-schema.js';

const at = (column: string) => ({ column, as: 'instant', format: 'dd.MM.yyyy HH:mm:ss' });

/** A current-state mapping whose notice is implied only for a large fine with a notice number, or any paid ticket. */
const mapping = {
  format: 'qadaga/csv-mapping@1',
  source: 'register',
  mode: 'current-state',
  timeZone: 'Asia/Almaty',
  violationRef: { column: 'ticket_no' },
  eventId: { column: 'ticket_no' },
  status: { column: 'status' },
  states: {
    OPEN: [
      'detected',
      {
        type: 'notice_issued',
        when: {
          any: [
            { all: [{ value: { column: 'notice_no' }, present: true }, { value: { column: 'amount', as: 'number' }, gte: 1000 }] },
            { value: { column: 'paid_at' }, present: true },
          ],
        },
      },
    ],
  },
  events: {
    detected: { occurredAt: at('detected_at'), actor: { kind: 'system', id: { const: 'camera' } }, payload: { article: { const: '592.1' } } },
    notice_issued: { occurredAt: at('notified_at'), actor: { kind: 'system', id: { const: 'registry' } }, payload: { noticeNumber: { column: 'notice_no' } } },
  },
};

describe('referencedColumns', () => {
  it('finds the columns of nested all / any conditions, so a missing one stops the import before the first row', () => {
    const columns = referencedColumns(csvMappingSchema.parse(mapping));
    // Compared as JSON so the check holds whether a column keeps its first place or every place that names it.
    expect(JSON.stringify(columns.get('amount'))).toContain(JSON.stringify(['states', 'OPEN', 1, 'when', 'any', 0, 'all', 1, 'value', 'column']));
    expect(JSON.stringify(columns.get('paid_at'))).toContain(JSON.stringify(['states', 'OPEN', 1, 'when', 'any', 1, 'value', 'column']));
  });
});

describe('place', () => {
  it('takes a district or an address alone, for a source that records no coordinates', () => {
    const withDistrict = structuredClone(mapping);
    Object.assign(withDistrict.events.detected.payload, { place: { district: { column: 'district' }, address: { column: 'street', optional: true } } });
    expect(csvMappingSchema.safeParse(withDistrict).success).toBe(true);
  });

  it('maps district and address beside the coordinates', () => {
    const withPlace = structuredClone(mapping);
    const place = { lat: { column: 'lat', as: 'number' }, lon: { column: 'lon', as: 'number' }, district: { column: 'district', optional: true }, address: { column: 'street', optional: true } };
    Object.assign(withPlace.events.detected.payload, { place });
    expect(csvMappingSchema.safeParse(withPlace).success).toBe(true);
  });
});
